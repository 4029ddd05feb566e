import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PAYMENTS_ACCEPTED_METRIC } from "../../model/workload";
import { healthEventPattern } from "./healthEvents";

/** Defaults of `DetectionSignalsArgs`. */
export const DEFAULT_ANOMALY_BAND_WIDTH = 3;
export const DEFAULT_ANOMALY_EVALUATION_MINUTES = 5;

export interface DetectionSignalsArgs {
  /** The dr Region: the rules and alarms live here. */
  readonly region: string;
  readonly accountId: pulumi.Input<string>;
  /** The primary Region, whose Health events and business traffic are watched. */
  readonly primaryRegion: string;
  /** AWS Health service codes to watch (components/failover/healthEvents.ts). */
  readonly healthServices: readonly string[];
  /** The operators' notification topic (FailoverTrigger.operatorTopicArn): the only target. */
  readonly operatorTopicArn: pulumi.Input<string>;
  /** The probe's alarm (FailoverTrigger.alarmName), combined with the anomaly alarm. */
  readonly probeAlarmName: pulumi.Input<string>;
  /** Prefix of the published alarm names. */
  readonly alarmNamePrefix: string;
  /**
   * Width of the expected band in standard deviations (ANOMALY_DETECTION_BAND's second argument).
   *
   * @default 3
   */
  readonly anomalyBandWidth?: number;
  /**
   * Consecutive minutes PaymentsAccepted must stay below the band (or be missing) to alarm.
   *
   * @default 5
   */
  readonly anomalyEvaluationMinutes?: number;
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * Detection signals beside the probe, in the dr Region, that only ever notify operators:
 * - AWS Health events about the primary Region (and global ones) for the topology's services, as
 *   AWS delivers them here directly or as the primary's forwarding rule (HealthEventForwarder)
 *   brings them, published to the operator topic;
 * - an anomaly-detection alarm on PaymentsAccepted as the primary's payments service mirrors it
 *   into this Region's CloudWatch (an alarm reads only its own Region's metrics), where silence
 *   counts as breaching: a Region gone dark stops the mirror;
 * - a composite alarm, probe AND anomaly: an outage both signals corroborate.
 * None of them targets the trigger's topic: automatic failover acts on the probe alarm alone.
 */
export class DetectionSignals extends pulumi.ComponentResource {
  public readonly healthRuleName: pulumi.Output<string>;
  public readonly anomalyAlarmName: pulumi.Output<string>;
  public readonly compositeAlarmName: pulumi.Output<string>;

  constructor(name: string, args: DetectionSignalsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("payments-dr:components:DetectionSignals", name, {}, opts);
    const band = args.anomalyBandWidth ?? DEFAULT_ANOMALY_BAND_WIDTH;
    const minutes = args.anomalyEvaluationMinutes ?? DEFAULT_ANOMALY_EVALUATION_MINUTES;
    validateDetectionSignalsArgs({ ...args, anomalyBandWidth: band, anomalyEvaluationMinutes: minutes });
    const { region } = args;
    const tags = args.tags ?? {};

    const health = new aws.cloudwatch.EventRule(
      `${name}-health`,
      {
        description: `AWS Health events about ${args.primaryRegion} (and global ones) for the services payments-dr uses`,
        eventPattern: JSON.stringify(
          healthEventPattern(args.healthServices, [args.primaryRegion, region, "global"]),
        ),
        region,
        tags,
      },
      { parent: this },
    );
    new aws.cloudwatch.EventTarget(
      `${name}-health-operators`,
      { rule: health.name, arn: args.operatorTopicArn, region },
      { parent: this },
    );

    const anomaly = new aws.cloudwatch.MetricAlarm(
      `${name}-payments-anomaly`,
      {
        name: `${args.alarmNamePrefix}-payments-accepted-anomaly`,
        alarmDescription:
          `Payments accepted per minute in ${args.primaryRegion} (mirrored to ${region}) stayed below the ` +
          `expected band for ${minutes} minutes, or stopped arriving. Notifies only: automatic failover acts on the probe.`,
        metricQueries: [
          {
            id: "m1",
            returnData: true,
            metric: {
              namespace: PAYMENTS_ACCEPTED_METRIC.namespace,
              metricName: PAYMENTS_ACCEPTED_METRIC.name,
              dimensions: { [PAYMENTS_ACCEPTED_METRIC.dimension]: args.primaryRegion },
              stat: "Sum",
              period: 60,
            },
          },
          {
            id: "band",
            returnData: true,
            expression: `ANOMALY_DETECTION_BAND(m1, ${band})`,
            label: "PaymentsAccepted (expected)",
          },
        ],
        thresholdMetricId: "band",
        // A drop is the signal; a surge is not an outage.
        comparisonOperator: "LessThanLowerThreshold",
        evaluationPeriods: minutes,
        datapointsToAlarm: minutes,
        treatMissingData: "breaching",
        alarmActions: [args.operatorTopicArn],
        okActions: [args.operatorTopicArn],
        region,
        tags,
      },
      { parent: this },
    );

    const composite = new aws.cloudwatch.CompositeAlarm(
      `${name}-corroborated`,
      {
        alarmName: `${args.alarmNamePrefix}-primary-outage-corroborated`,
        alarmDescription:
          "The probe and the business metric agree the primary is down. Notifies only: the failover " +
          "trigger reads the probe alarm, never this one.",
        alarmRule: pulumi.interpolate`ALARM("${args.probeAlarmName}") AND ALARM("${anomaly.name}")`,
        alarmActions: [args.operatorTopicArn],
        okActions: [args.operatorTopicArn],
        region,
        tags,
      },
      { parent: this },
    );

    // The operator topic's policy: EventBridge may publish for the Health rule only, CloudWatch for
    // this account's alarms in this Region. Same-account IAM principals (the trigger Lambda) are
    // admitted by their own policies.
    new aws.sns.TopicPolicy(
      `${name}-operators-policy`,
      {
        arn: args.operatorTopicArn,
        policy: pulumi
          .all([args.operatorTopicArn, args.accountId, health.arn])
          .apply(([topicArn, accountId, ruleArn]) =>
            JSON.stringify(operatorTopicPolicy(topicArn, region, accountId, ruleArn)),
          ),
        region,
      },
      { parent: this },
    );

    this.healthRuleName = health.name;
    this.anomalyAlarmName = anomaly.name;
    this.compositeAlarmName = composite.alarmName;
    this.registerOutputs({
      healthRuleName: this.healthRuleName,
      anomalyAlarmName: this.anomalyAlarmName,
      compositeAlarmName: this.compositeAlarmName,
    });
  }
}

/** Who may publish to the operator topic besides same-account IAM principals. */
export function operatorTopicPolicy(
  topicArn: string,
  region: string,
  accountId: string,
  healthRuleArn: string,
): Record<string, unknown> {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "HealthRulePublishes",
        Effect: "Allow",
        Principal: { Service: "events.amazonaws.com" },
        Action: "sns:Publish",
        Resource: topicArn,
        Condition: { ArnEquals: { "aws:SourceArn": healthRuleArn } },
      },
      {
        Sid: "CloudWatchAlarmsPublish",
        Effect: "Allow",
        Principal: { Service: "cloudwatch.amazonaws.com" },
        Action: "sns:Publish",
        Resource: topicArn,
        Condition: {
          StringEquals: { "aws:SourceAccount": accountId },
          ArnLike: { "aws:SourceArn": `arn:aws:cloudwatch:${region}:${accountId}:alarm:*` },
        },
      },
    ],
  };
}

/** Refuses a band or window CloudWatch would reject or that would page on noise. */
export function validateDetectionSignalsArgs(args: {
  readonly region: string;
  readonly primaryRegion: string;
  readonly healthServices: readonly string[];
  readonly anomalyBandWidth: number;
  readonly anomalyEvaluationMinutes: number;
}): void {
  if (args.region === args.primaryRegion) {
    throw new Error(
      `DetectionSignals: region = primaryRegion = ${args.region}: the signals must live outside the Region they watch.`,
    );
  }
  if (args.healthServices.length === 0) {
    throw new Error(
      "DetectionSignals: healthServices is empty: expected at least one AWS Health service code.",
    );
  }
  if (!(args.anomalyBandWidth > 0 && args.anomalyBandWidth <= 10)) {
    throw new Error(
      `DetectionSignals: anomalyBandWidth = ${args.anomalyBandWidth}: expected a number of standard deviations above 0, at most 10.`,
    );
  }
  if (!Number.isInteger(args.anomalyEvaluationMinutes) || args.anomalyEvaluationMinutes < 2) {
    throw new Error(
      `DetectionSignals: anomalyEvaluationMinutes = ${args.anomalyEvaluationMinutes}: expected an integer of at least 2 (one low minute is noise).`,
    );
  }
}

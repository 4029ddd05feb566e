import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { lambdaFunction, LambdaSpec } from "../lambda/lambdaFunction";
import { FailoverRunner } from "./failoverRunner";
import type { FailoverMode } from "../../stacks/config";
import { DEFAULT_ARM_AFTER_HEALTHY_MINUTES, validateFailoverTriggerArgs } from "./failoverTriggerValidation";

export { DEFAULT_ARM_AFTER_HEALTHY_MINUTES, validateFailoverTriggerArgs } from "./failoverTriggerValidation";

/** Namespace and metric the probe publishes (kept equal to functions/probe/handler.ts). */
export const PROBE_NAMESPACE = "PaymentsDr/Probe";
export const PROBE_HEALTHY_METRIC = "PrimaryEndpointHealthy";

/** How often the probe runs; also the alarm's period. */
export const PROBE_PERIOD_SECONDS = 60;

export interface FailoverTriggerArgs {
  /** The dr Region: every resource of the detection path lives here (DESIGN.md principle 6). */
  readonly region: string;
  readonly accountId: pulumi.Input<string>;
  /** The dr stack's name, for the failover command and the runner. */
  readonly stackName: string;
  readonly mode: FailoverMode;
  /** The primary Region's load balancer: the probe connects to it directly. */
  readonly primaryLoadBalancerDnsName: pulumi.Input<string>;
  /** Public name of the endpoint (SNI, Host header, certificate name). */
  readonly endpointHostName: string;
  readonly healthCheckPath: string;
  /**
   * Consecutive failed minutes before the alarm fires: every one of them must breach (datapoints to
   * alarm = evaluation periods). At least 2 in `automatic` mode: one failed probe is not sustained
   * evidence.
   */
  readonly evaluationPeriods: number;
  /**
   * `automatic` mode: minutes the alarm must have been OK before an OK → ALARM may start the runner
   * (1-1440; CloudWatch keeps 30 days of alarm history, which the trigger reads to decide).
   *
   * @default 30
   */
  readonly armAfterHealthyMinutes?: number;
  /** Alarm name (published; operators and the controller look for it). */
  readonly alarmName: string;
  /** Encrypts both topics and the log groups (its key policy admits CloudWatch and SNS). */
  readonly messagingKeyArn: pulumi.Input<string>;
  /**
   * Operators' e-mail for the notification topic (the subscription must be confirmed).
   *
   * @default "" - no e-mail subscription; subscribe a pager or chat integration to the topic instead.
   */
  readonly operatorEmail?: string;
  /** Required when mode is `automatic`: what the runner needs. */
  readonly runner?: {
    readonly projectName: string;
    readonly stateTableName: pulumi.Input<string>;
    readonly controlHealthCheckId: pulumi.Input<string>;
    readonly clusterName: pulumi.Input<string>;
    readonly objectsKeyArn: pulumi.Input<string>;
    /** The primary Region and its key for the runner source bucket's replica. */
    readonly peerRegion: string;
    readonly replicaKeyArn: pulumi.Input<string>;
    readonly peerDataKeyArn: pulumi.Input<string>;
    readonly databaseInstanceArn: pulumi.Input<string>;
    readonly globalDatastoreArns: pulumi.Input<string>[];
    readonly buildTimeoutMinutes: number;
  };
  /** @default 365 */
  readonly logRetentionDays?: number;
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * Detection from the dr Region: a scheduled probe Lambda publishes the primary endpoint's health
 * as a metric, an alarm on it (missing data = breaching: a silent probe is not a healthy primary)
 * notifies an encrypted topic, and the trigger Lambda subscribed to it acts on OK → ALARM only:
 * it notifies operators (`manual`) or, once armed, starts the failover runner (`automatic`).
 */
export class FailoverTrigger extends pulumi.ComponentResource {
  public readonly alarmName: pulumi.Output<string>;
  public readonly topicArn: pulumi.Output<string>;
  public readonly operatorTopicArn: pulumi.Output<string>;
  public readonly functionName: pulumi.Output<string>;
  public readonly probeFunctionName: pulumi.Output<string>;
  public readonly runner?: FailoverRunner;

  constructor(name: string, args: FailoverTriggerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("payments-dr:components:FailoverTrigger", name, {}, opts);
    validateFailoverTriggerArgs(args);
    const tags = args.tags ?? {};
    const region = args.region;
    const lambda = (role: string, spec: LambdaSpec) =>
      lambdaFunction(
        `${name}-${role}`,
        {
          ...spec,
          region,
          tags,
          logKeyArn: args.messagingKeyArn,
          retentionDays: args.logRetentionDays ?? 365,
        },
        this,
      );

    const topic = new aws.sns.Topic(
      `${name}-alarms`,
      {
        displayName: "payments-dr primary endpoint alarms",
        kmsMasterKeyId: args.messagingKeyArn,
        region,
        tags,
      },
      { parent: this },
    );
    const operatorTopic = new aws.sns.Topic(
      `${name}-operators`,
      {
        displayName: "payments-dr failover notifications",
        kmsMasterKeyId: args.messagingKeyArn,
        region,
        tags,
      },
      { parent: this },
    );
    if (args.operatorEmail) {
      new aws.sns.TopicSubscription(
        `${name}-operators-email`,
        { topic: operatorTopic.arn, protocol: "email", endpoint: args.operatorEmail, region },
        { parent: this },
      );
    }

    const probe = lambda("probe", {
      source: "probe",
      description: `Probes ${args.endpointHostName} in the primary Region from ${region}`,
      environment: {
        TARGET_HOST: args.primaryLoadBalancerDnsName,
        HOST_NAME: args.endpointHostName,
        HEALTH_PATH: args.healthCheckPath,
        TIMEOUT_MS: "5000",
      },
      statements: [
        {
          Effect: "Allow",
          Action: "cloudwatch:PutMetricData",
          Resource: "*",
          Condition: { StringEquals: { "cloudwatch:namespace": PROBE_NAMESPACE } },
        },
      ],
    });
    const schedule = new aws.cloudwatch.EventRule(
      `${name}-probe-schedule`,
      {
        description: "Runs the primary endpoint probe",
        scheduleExpression: `rate(${PROBE_PERIOD_SECONDS / 60} minute)`,
        region,
        tags,
      },
      { parent: this },
    );
    new aws.cloudwatch.EventTarget(
      `${name}-probe-target`,
      { rule: schedule.name, arn: probe.arn, region },
      { parent: this },
    );
    new aws.lambda.Permission(
      `${name}-probe-invoke`,
      {
        function: probe.name,
        action: "lambda:InvokeFunction",
        principal: "events.amazonaws.com",
        sourceArn: schedule.arn,
        region,
      },
      { parent: this },
    );

    const alarm = new aws.cloudwatch.MetricAlarm(
      `${name}-primary-down`,
      {
        name: args.alarmName,
        alarmDescription: `The primary endpoint ${args.endpointHostName} failed ${args.evaluationPeriods} consecutive probes from ${region}.`,
        namespace: PROBE_NAMESPACE,
        metricName: PROBE_HEALTHY_METRIC,
        dimensions: { Endpoint: args.endpointHostName },
        statistic: "Maximum",
        period: PROBE_PERIOD_SECONDS,
        evaluationPeriods: args.evaluationPeriods,
        datapointsToAlarm: args.evaluationPeriods,
        threshold: 1,
        comparisonOperator: "LessThanThreshold",
        treatMissingData: "breaching",
        alarmActions: [topic.arn],
        okActions: [topic.arn],
        region,
        tags,
      },
      { parent: this },
    );

    let runner: FailoverRunner | undefined;
    if (args.mode === "automatic" && args.runner) {
      runner = new FailoverRunner(
        `${name}-runner`,
        {
          stackName: args.stackName,
          projectName: args.runner.projectName,
          region,
          accountId: args.accountId,
          stateTableName: args.runner.stateTableName,
          controlHealthCheckId: args.runner.controlHealthCheckId,
          clusterName: args.runner.clusterName,
          objectsKeyArn: args.runner.objectsKeyArn,
          peerRegion: args.runner.peerRegion,
          replicaKeyArn: args.runner.replicaKeyArn,
          peerDataKeyArn: args.runner.peerDataKeyArn,
          databaseInstanceArn: args.runner.databaseInstanceArn,
          globalDatastoreArns: args.runner.globalDatastoreArns,
          messagingKeyArn: args.messagingKeyArn,
          buildTimeoutMinutes: args.runner.buildTimeoutMinutes,
          tags,
        },
        { parent: this },
      );
    }

    const trigger = lambda("trigger", {
      source: "failoverTrigger",
      description: `Acts on ${args.alarmName}: failover.mode = ${args.mode}`,
      environment: {
        FAILOVER_MODE: args.mode,
        STACK_NAME: args.stackName,
        ALARM_NAME: alarm.name,
        OPERATOR_TOPIC_ARN: operatorTopic.arn,
        ...(runner
          ? {
              RUNNER_PROJECT_NAME: runner.projectName,
              ARM_AFTER_HEALTHY_MINUTES: String(
                args.armAfterHealthyMinutes ?? DEFAULT_ARM_AFTER_HEALTHY_MINUTES,
              ),
            }
          : {}),
      },
      statements: [
        { Effect: "Allow", Action: "sns:Publish", Resource: operatorTopic.arn },
        { Effect: "Allow", Action: ["kms:GenerateDataKey", "kms:Decrypt"], Resource: args.messagingKeyArn },
        ...(runner
          ? [
              {
                Effect: "Allow",
                Action: [
                  "codebuild:StartBuild",
                  "codebuild:ListBuildsForProject",
                  "codebuild:BatchGetBuilds",
                ],
                Resource: runner.projectArn,
              },
              // Arming reads the alarm's own state history (functions/failoverTrigger/arming.ts).
              { Effect: "Allow", Action: "cloudwatch:DescribeAlarmHistory", Resource: alarm.arn },
            ]
          : []),
      ],
    });
    new aws.lambda.Permission(
      `${name}-trigger-invoke`,
      {
        function: trigger.name,
        action: "lambda:InvokeFunction",
        principal: "sns.amazonaws.com",
        sourceArn: topic.arn,
        region,
      },
      { parent: this },
    );
    new aws.sns.TopicSubscription(
      `${name}-trigger-subscription`,
      { topic: topic.arn, protocol: "lambda", endpoint: trigger.arn, region },
      { parent: this },
    );

    this.alarmName = alarm.name;
    this.topicArn = topic.arn;
    this.operatorTopicArn = operatorTopic.arn;
    this.functionName = trigger.name;
    this.probeFunctionName = probe.name;
    this.runner = runner;
    this.registerOutputs({
      alarmName: this.alarmName,
      topicArn: this.topicArn,
      operatorTopicArn: this.operatorTopicArn,
      functionName: this.functionName,
      probeFunctionName: this.probeFunctionName,
      runnerProjectName: runner?.projectName,
    });
  }
}

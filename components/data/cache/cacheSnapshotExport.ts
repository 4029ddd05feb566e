import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
  EXPORT_POLL_MINUTES,
  exporterStatements,
  MIN_EXPORT_INTERVAL_MINUTES,
} from "./cacheSnapshotExportPolicies";
import { lambdaFunction } from "../../lambda/lambdaFunction";

export {
  CACHE_SNAPSHOTS_SSE_S3_REASON,
  elastiCacheExportStatement,
  elastiCacheSeedStatement,
  EXPORT_POLL_MINUTES,
  exporterStatements,
  exportIntervalMinutes,
  MIN_EXPORT_INTERVAL_MINUTES,
} from "./cacheSnapshotExportPolicies";

export interface CacheSnapshotExportArgs {
  /** The replication group's Region; the bucket must be in it too (ElastiCache requires it). */
  readonly region: string;
  readonly accountId: pulumi.Input<string>;
  readonly replicationGroupId: pulumi.Input<string>;
  /** The bucket ElastiCache exports into (an ObjectStore replicated to the peer Region). */
  readonly bucketName: pulumi.Input<string>;
  readonly bucketArn: pulumi.Input<string>;
  /** The key that encrypts the replication group (and so its snapshots). */
  readonly cacheKeyArn: pulumi.Input<string>;
  /** Encrypts the exporter's log group and alarm topic (its key policy admits CloudWatch and SNS). */
  readonly messagingKeyArn: pulumi.Input<string>;
  /** Minutes between snapshots: `exportIntervalMinutes(config.targets.rpoSeconds)`. */
  readonly intervalMinutes: number;
  /**
   * Exported manual snapshots kept in ElastiCache for a fast in-Region restore.
   *
   * @default 2
   */
  readonly keepSnapshots?: number;
  /** @default 365 */
  readonly logRetentionDays?: number;
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * Scheduled export of a replication group's snapshots to a bucket that replicates to the peer
 * Region: a Lambda (functions/cacheSnapshotExport) run every EXPORT_POLL_MINUTES by an EventBridge
 * rule, with least-privilege permissions, and two alarms on an encrypted topic: the function
 * failed (a failed step or a stale export), or it stopped running.
 */
export class CacheSnapshotExport extends pulumi.ComponentResource {
  public readonly functionName: pulumi.Output<string>;
  public readonly functionArn: pulumi.Output<string>;
  public readonly errorAlarmName: pulumi.Output<string>;
  public readonly alarmTopicArn: pulumi.Output<string>;
  public readonly snapshotPrefix: pulumi.Output<string>;
  public readonly intervalMinutes: number;

  constructor(name: string, args: CacheSnapshotExportArgs, opts?: pulumi.ComponentResourceOptions) {
    super("payments-dr:components:CacheSnapshotExport", name, {}, opts);
    const tags = args.tags ?? {};
    const region = args.region;
    const interval = args.intervalMinutes;
    if (!Number.isInteger(interval) || interval < MIN_EXPORT_INTERVAL_MINUTES) {
      throw new Error(
        `CacheSnapshotExport: intervalMinutes = ${interval}: expected an integer of at least ${MIN_EXPORT_INTERVAL_MINUTES} ` +
          "(ElastiCache's manual-backup limit); use exportIntervalMinutes(rpoSeconds).",
      );
    }
    const snapshotPrefix = pulumi.interpolate`${args.replicationGroupId}-export`;

    const exporter = lambdaFunction(
      `${name}-exporter`,
      {
        source: "cacheSnapshotExport",
        description: `Exports snapshots of the cache to its replicated bucket (${region})`,
        environment: {
          REPLICATION_GROUP_ID: args.replicationGroupId,
          TARGET_BUCKET: args.bucketName,
          SNAPSHOT_PREFIX: snapshotPrefix,
          INTERVAL_MINUTES: String(interval),
          KEEP_SNAPSHOTS: String(args.keepSnapshots ?? 2),
          // One missed snapshot: past this the export path no longer meets its bound.
          STALE_AFTER_MINUTES: String(2 * interval),
        },
        statements: exporterStatements({
          region,
          accountId: args.accountId,
          replicationGroupId: args.replicationGroupId,
          snapshotPrefix,
          bucketArn: args.bucketArn,
          kmsKeyArn: args.cacheKeyArn,
        }),
        region,
        tags,
        logKeyArn: args.messagingKeyArn,
        retentionDays: args.logRetentionDays ?? 365,
      },
      this,
    );
    const schedule = new aws.cloudwatch.EventRule(
      `${name}-schedule`,
      {
        description: `Runs the cache snapshot exporter every ${EXPORT_POLL_MINUTES} minutes`,
        scheduleExpression: `rate(${EXPORT_POLL_MINUTES} minutes)`,
        region,
        tags,
      },
      { parent: this },
    );
    new aws.cloudwatch.EventTarget(
      `${name}-target`,
      { rule: schedule.name, arn: exporter.arn, region },
      { parent: this },
    );
    new aws.lambda.Permission(
      `${name}-invoke`,
      {
        function: exporter.name,
        action: "lambda:InvokeFunction",
        principal: "events.amazonaws.com",
        sourceArn: schedule.arn,
        region,
      },
      { parent: this },
    );

    const topic = new aws.sns.Topic(
      `${name}-alarms`,
      {
        displayName: "payments-dr cache snapshot export alarms",
        kmsMasterKeyId: args.messagingKeyArn,
        region,
        tags,
      },
      { parent: this },
    );
    const alarm = (role: string, a: Omit<aws.cloudwatch.MetricAlarmArgs, "namespace" | "dimensions">) =>
      new aws.cloudwatch.MetricAlarm(
        `${name}-${role}`,
        {
          namespace: "AWS/Lambda",
          dimensions: { FunctionName: exporter.name },
          statistic: "Sum",
          alarmActions: [topic.arn],
          okActions: [topic.arn],
          region,
          tags,
          ...a,
        },
        { parent: this },
      );
    const errors = alarm("errors", {
      alarmDescription: "The cache snapshot exporter failed (a step failed, or the newest export is stale).",
      metricName: "Errors",
      period: EXPORT_POLL_MINUTES * 60,
      evaluationPeriods: 1,
      threshold: 1,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      treatMissingData: "notBreaching",
    });
    alarm("not-running", {
      alarmDescription:
        "The cache snapshot exporter has not run for an hour: its schedule or permission is broken.",
      metricName: "Invocations",
      period: 3600,
      evaluationPeriods: 1,
      threshold: 1,
      comparisonOperator: "LessThanThreshold",
      treatMissingData: "breaching",
    });

    this.functionName = exporter.name;
    this.functionArn = exporter.arn;
    this.errorAlarmName = errors.name;
    this.alarmTopicArn = topic.arn;
    this.snapshotPrefix = snapshotPrefix;
    this.intervalMinutes = interval;
    this.registerOutputs({
      functionName: this.functionName,
      errorAlarmName: this.errorAlarmName,
      alarmTopicArn: this.alarmTopicArn,
    });
  }
}

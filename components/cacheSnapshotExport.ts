import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { lambdaFunction } from "./lambdaFunction";
import type { PolicyStatement } from "./objectStorePolicies";

/**
 * ElastiCache allows 20 manual backups per node in any 24 hours. The exporter takes at most 16
 * (one every 90 minutes), leaving 4 for operators and the final snapshot of a deletion.
 */
export const MIN_EXPORT_INTERVAL_MINUTES = 90;

/** How often the exporter runs: an export starts at most this long after its snapshot is ready. */
export const EXPORT_POLL_MINUTES = 15;

/**
 * Why the export bucket uses SSE-S3 (S3 tag values allow letters, digits, spaces and `+-=._:/@`).
 * "Customer managed CMKs cannot be used when exporting backups" and a cluster is seeded only from
 * an SSE-S3 .rdb (ElastiCache user guide); S3 replication keeps a replica's source encryption.
 */
export const CACHE_SNAPSHOTS_SSE_S3_REASON =
  "ElastiCache exports snapshots to S3 only with SSE-S3 and seeds clusters only from SSE-S3 rdb files - " +
  "replicas in the peer Region keep SSE-S3 as S3 replication preserves object encryption";

/**
 * Minutes between snapshots for a recovery point objective: the RPO itself, but never more often
 * than ElastiCache's manual-backup limit allows. The export path's worst-case data age in the peer
 * Region is then interval + snapshot and export time + one poll + 15 minutes of replication (RTC);
 * the Global Datastore, replicating in about a second, is what meets a tighter RPO.
 */
export function exportIntervalMinutes(rpoSeconds: number): number {
  if (!Number.isInteger(rpoSeconds) || rpoSeconds <= 0) {
    throw new Error(
      `Invalid config payments-dr:targets.rpoSeconds = ${JSON.stringify(rpoSeconds)}: expected a positive integer ` +
        "(seconds). Fix: pulumi config set --path payments-dr:targets.rpoSeconds 900",
    );
  }
  return Math.max(Math.ceil(rpoSeconds / 60), MIN_EXPORT_INTERVAL_MINUTES);
}

/**
 * Lets ElastiCache (its Region's `elasticache-snapshot` service principal) write exports into a
 * bucket whose ACLs are disabled (BucketOwnerEnforced): the bucket-policy form of the canonical-id
 * ACL grant, with the actions the ElastiCache and S3 user guides list. ElastiCache itself refuses
 * to export into a bucket the calling account does not own.
 */
export function elastiCacheExportStatement(bucketArn: pulumi.Input<string>, region: string): PolicyStatement {
  return {
    Sid: "ElastiCacheWritesSnapshotExports",
    Effect: "Allow",
    Principal: { Service: `${region}.elasticache-snapshot.amazonaws.com` },
    Action: [
      "s3:PutObject",
      "s3:GetObject",
      "s3:ListBucket",
      "s3:GetBucketAcl",
      "s3:ListMultipartUploadParts",
      "s3:ListBucketMultipartUploads",
    ],
    Resource: [bucketArn, pulumi.interpolate`${bucketArn}/*`],
  };
}

/** The exporter's permissions: its own snapshots of one replication group, one bucket, one key. */
export function exporterStatements(a: {
  region: string;
  accountId: pulumi.Input<string>;
  replicationGroupId: pulumi.Input<string>;
  snapshotPrefix: pulumi.Input<string>;
  bucketArn: pulumi.Input<string>;
  kmsKeyArn: pulumi.Input<string>;
}): Record<string, unknown>[] {
  const arn = (resource: pulumi.Input<string>) =>
    pulumi.interpolate`arn:aws:elasticache:${a.region}:${a.accountId}:${resource}`;
  const ownSnapshots = arn(pulumi.interpolate`snapshot:${a.snapshotPrefix}-*`);
  return [
    {
      Sid: "SnapshotTheReplicationGroup",
      Effect: "Allow",
      Action: "elasticache:CreateSnapshot",
      // The snapshot is taken from one of the group's nodes (clusters `<group>-00N`).
      Resource: [
        arn(pulumi.interpolate`replicationgroup:${a.replicationGroupId}`),
        arn(pulumi.interpolate`cluster:${a.replicationGroupId}-*`),
        ownSnapshots,
      ],
    },
    {
      Sid: "ExportAndDeleteOwnSnapshots",
      Effect: "Allow",
      Action: ["elasticache:CopySnapshot", "elasticache:DeleteSnapshot"],
      Resource: ownSnapshots,
    },
    {
      Sid: "ListSnapshots",
      Effect: "Allow",
      Action: "elasticache:DescribeSnapshots",
      Resource: arn("snapshot:*"),
    },
    {
      // CopySnapshot with a TargetBucket checks the caller can reach the bucket; ListAllMyBuckets
      // takes no resource other than "*" (ElastiCache user guide, "Exporting a backup").
      Sid: "FindTheExportBucket",
      Effect: "Allow",
      Action: ["s3:ListAllMyBuckets", "s3:GetBucketLocation"],
      Resource: "*",
    },
    { Sid: "ListExports", Effect: "Allow", Action: "s3:ListBucket", Resource: a.bucketArn },
    {
      Sid: "ExportIntoTheBucket",
      Effect: "Allow",
      Action: ["s3:PutObject", "s3:GetObject"],
      Resource: pulumi.interpolate`${a.bucketArn}/*`,
    },
    // The group's snapshots are encrypted with its key; ElastiCache takes a grant per backup (and
    // does not support kms:ViaService, so grants are limited to AWS resources instead).
    { Sid: "DescribeTheCacheKey", Effect: "Allow", Action: "kms:DescribeKey", Resource: a.kmsKeyArn },
    {
      Sid: "GrantTheCacheKeyToElastiCache",
      Effect: "Allow",
      Action: "kms:CreateGrant",
      Resource: a.kmsKeyArn,
      Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
    },
  ];
}

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

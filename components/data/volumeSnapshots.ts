import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** The AWS managed policy DLM's documented default role carries for EBS snapshot policies. */
export const DLM_MANAGED_POLICY_ARN =
  "arn:aws:iam::aws:policy/service-role/AWSDataLifecycleManagerServiceRole";

/** Hours a DLM interval schedule accepts (CreateRule `Interval`, `IntervalUnit` HOURS). */
export const DLM_SCHEDULE_HOURS: readonly number[] = [1, 2, 3, 4, 6, 8, 12, 24];
/** A count-based retain rule keeps 1 to 1000 snapshots. */
export const DLM_RETAIN_COUNT_MAX = 1000;

/** KMS actions DLM needs on the source volume's key and on the copy's key in the peer Region. */
export const DLM_KMS_ACTIONS = [
  "kms:Encrypt",
  "kms:Decrypt",
  "kms:ReEncrypt*",
  "kms:GenerateDataKey*",
  "kms:DescribeKey",
] as const;

/**
 * Days the cross-Region copies are kept: the span the source snapshots cover (count × interval),
 * at least a day. A copy's retain rule is age-based only (DAYS | WEEKS | MONTHS | YEARS), unlike the
 * source schedule's count, so the count is turned into the same time span.
 *
 * @throws Error naming the config key when the interval or count is outside what DLM accepts.
 */
export function copyRetentionDays(intervalHours: number, retentionCount: number): number {
  if (!DLM_SCHEDULE_HOURS.includes(intervalHours)) {
    throw new Error(
      `Invalid config payments-dr:backup.volumeSnapshotIntervalHours = ${JSON.stringify(intervalHours)}: ` +
        `expected one of ${DLM_SCHEDULE_HOURS.join(", ")} (the hours a DLM interval schedule accepts). ` +
        "Fix: pulumi config set --path payments-dr:backup.volumeSnapshotIntervalHours 1",
    );
  }
  if (!Number.isInteger(retentionCount) || retentionCount < 1 || retentionCount > DLM_RETAIN_COUNT_MAX) {
    throw new Error(
      `Invalid config payments-dr:backup.volumeSnapshotRetentionCount = ${JSON.stringify(retentionCount)}: ` +
        `expected an integer from 1 to ${DLM_RETAIN_COUNT_MAX}. ` +
        "Fix: pulumi config set --path payments-dr:backup.volumeSnapshotRetentionCount 168",
    );
  }
  return Math.max(1, Math.ceil((intervalHours * retentionCount) / 24));
}

export interface VolumeSnapshotsArgs {
  /** The volumes' Region: home of the lifecycle policy (DLM only targets volumes in its own Region). */
  readonly region: string;
  /** Where each snapshot is copied. */
  readonly peerRegion: string;
  /**
   * Volumes carrying any of these tags are snapshotted. Only one DLM policy per Region may target a
   * given tag set (DLM refuses overlapping target tags at apply).
   */
  readonly targetTags: Readonly<Record<string, string>>;
  /** Hours between snapshots: one of DLM_SCHEDULE_HOURS. */
  readonly intervalHours: number;
  /** Snapshots kept per volume in `region`. */
  readonly retentionCount: number;
  /** KMS keys in `region` that encrypt the targeted volumes: DLM reads through them to copy. */
  readonly sourceKeyArns: pulumi.Input<string>[];
  /** KMS key in `peerRegion` that encrypts the copies. */
  readonly peerKeyArn: pulumi.Input<string>;
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * A Data Lifecycle Manager EBS snapshot policy: snapshots of the volumes carrying `targetTags`
 * every `intervalHours`, `retentionCount` kept, each copied to `peerRegion` encrypted with that
 * Region's key, tags copied (so a volume restored from a copy carries the protection tag again).
 * Its execution role holds DLM's managed policy plus the KMS permissions DLM documents for
 * encrypted volumes and encrypted cross-Region copies: use of both keys and grants for EBS.
 */
export class VolumeSnapshots extends pulumi.ComponentResource {
  public readonly policyArn: pulumi.Output<string>;
  public readonly roleArn: pulumi.Output<string>;
  /** Days each cross-Region copy is kept. */
  public readonly copyRetentionDays: number;

  constructor(name: string, args: VolumeSnapshotsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("payments-dr:components:VolumeSnapshots", name, {}, opts);
    const tags = args.tags ?? {};
    const copyDays = copyRetentionDays(args.intervalHours, args.retentionCount);

    const role = new aws.iam.Role(
      `${name}-role`,
      {
        description: `Data Lifecycle Manager: EBS snapshots in ${args.region} copied to ${args.peerRegion}`,
        assumeRolePolicy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            { Effect: "Allow", Principal: { Service: "dlm.amazonaws.com" }, Action: "sts:AssumeRole" },
          ],
        }),
        tags,
      },
      { parent: this },
    );
    const managed = new aws.iam.RolePolicyAttachment(
      `${name}-role-policy`,
      { role: role.name, policyArn: DLM_MANAGED_POLICY_ARN },
      { parent: this },
    );
    const keys = new aws.iam.RolePolicy(
      `${name}-role-keys`,
      {
        role: role.name,
        policy: pulumi
          .all([pulumi.all(args.sourceKeyArns), args.peerKeyArn])
          .apply(([sources, peer]) => dlmKeyPolicy([...sources, peer])),
      },
      { parent: this },
    );

    const policy = new aws.dlm.LifecyclePolicy(
      `${name}-policy`,
      {
        description: `EBS snapshots every ${args.intervalHours} h, copied to ${args.peerRegion}`,
        executionRoleArn: role.arn,
        state: "ENABLED",
        policyDetails: {
          policyType: "EBS_SNAPSHOT_MANAGEMENT",
          resourceTypes: ["VOLUME"],
          targetTags: { ...args.targetTags },
          schedules: [
            {
              name: `every-${args.intervalHours}h-copied-to-${args.peerRegion}`,
              // An interval schedule: DLM's own fixed cadence, no cron that could be written to never fire.
              createRule: { interval: args.intervalHours, intervalUnit: "HOURS", times: "00:00" },
              retainRule: { count: args.retentionCount },
              copyTags: true,
              crossRegionCopyRules: [
                {
                  target: args.peerRegion,
                  encrypted: true,
                  cmkArn: args.peerKeyArn,
                  copyTags: true,
                  retainRule: { interval: copyDays, intervalUnit: "DAYS" },
                },
              ],
            },
          ],
        },
        region: args.region,
        tags,
      },
      // DLM assumes the role when the policy first runs: its permissions must exist by then.
      { parent: this, dependsOn: [managed, keys] },
    );

    this.policyArn = policy.arn;
    this.roleArn = role.arn;
    this.copyRetentionDays = copyDays;
    this.registerOutputs({ policyArn: this.policyArn, roleArn: this.roleArn });
  }
}

/**
 * The execution role's KMS statements: use of each key (the source volumes' and the copies') and
 * grants EBS needs to attach them, only for AWS resources (`kms:GrantIsForAWSResource`).
 */
export function dlmKeyPolicy(keyArns: readonly string[]): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      { Sid: "UseVolumeAndCopyKeys", Effect: "Allow", Action: [...DLM_KMS_ACTIONS], Resource: [...keyArns] },
      {
        Sid: "GrantKeysToEbs",
        Effect: "Allow",
        Action: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
        Resource: [...keyArns],
        Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
      },
    ],
  });
}

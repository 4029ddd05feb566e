import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { WAREHOUSE_BACKUP_SCHEDULE, warehouseBackupRetentionDays } from "./snapshotQuota";

/**
 * AWS Backup refuses schedules whose jobs are less than 60 minutes apart ("The interval between
 * backup jobs shouldn't be less than 60 minutes"): hourly is the most frequent snapshot schedule.
 */
export const MIN_BACKUP_INTERVAL_SECONDS = 3600;
/** Continuous backup (point-in-time recovery) keeps 1 to 35 days. */
export const MAX_CONTINUOUS_RETENTION_DAYS = 35;

export interface BackupSchedule {
  /** AWS Backup cron expression (UTC). */
  readonly scheduleExpression: string;
  /** Hours between two scheduled recovery points: never more than the RPO allows (rounded down). */
  readonly intervalHours: number;
  /**
   * How far the scheduled interval exceeds the RPO, in seconds: the part of the RPO only
   * continuous backup (RDS, S3) or the store's own replication covers. 0 when the schedule alone
   * meets the RPO.
   */
  readonly uncoveredSeconds: number;
}

/**
 * The backup schedule a recovery point objective asks for: every max(1 hour, RPO), rounded down
 * to whole hours and capped at daily. An RPO under an hour cannot be met by snapshots; the plan's
 * rule then relies on continuous backup where AWS Backup supports it, and `uncoveredSeconds` says
 * by how much the snapshot-only stores miss.
 *
 * @throws Error naming `payments-dr:targets.rpoSeconds` when the RPO is not a positive integer.
 */
export function backupSchedule(rpoSeconds: number): BackupSchedule {
  if (!Number.isInteger(rpoSeconds) || rpoSeconds <= 0) {
    throw new Error(
      `Invalid config payments-dr:targets.rpoSeconds = ${JSON.stringify(rpoSeconds)}: expected a positive ` +
        "integer number of seconds (the backup schedule derives from it). " +
        "Fix: pulumi config set --path payments-dr:targets.rpoSeconds 900",
    );
  }
  const intervalSeconds = Math.max(MIN_BACKUP_INTERVAL_SECONDS, rpoSeconds);
  const intervalHours = Math.min(24, Math.floor(intervalSeconds / 3600));
  const scheduleExpression =
    intervalHours === 24
      ? "cron(0 5 * * ? *)"
      : intervalHours === 1
        ? "cron(0 * * * ? *)"
        : `cron(0 0/${intervalHours} * * ? *)`;
  return {
    scheduleExpression,
    intervalHours,
    uncoveredSeconds: Math.max(0, intervalHours * 3600 - rpoSeconds),
  };
}

/**
 * Retention a rule with continuous backup may have.
 *
 * @throws Error naming `payments-dr:backup.retentionDays` when it is outside 1..35 days.
 */
export function continuousRetentionDays(retentionDays: number): number {
  if (
    !Number.isInteger(retentionDays) ||
    retentionDays < 1 ||
    retentionDays > MAX_CONTINUOUS_RETENTION_DAYS
  ) {
    throw new Error(
      `Invalid config payments-dr:backup.retentionDays = ${JSON.stringify(retentionDays)}: expected an integer ` +
        `from 1 to ${MAX_CONTINUOUS_RETENTION_DAYS}, the most AWS Backup keeps continuous (point-in-time) ` +
        `backups. Fix: pulumi config set --path payments-dr:backup.retentionDays ${MAX_CONTINUOUS_RETENTION_DAYS}`,
    );
  }
  return retentionDays;
}

/** AWS managed policies the backup role needs to back up and restore every supported store. */
export const BACKUP_MANAGED_POLICY_ARNS = [
  "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
  "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
  // S3 backup and restore are not in the two above.
  "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup",
  "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Restore",
] as const;

export interface VaultLockArgs {
  readonly minRetentionDays: number;
  readonly maxRetentionDays: number;
  /** Cooling-off period after which the lock becomes immutable (compliance mode). */
  readonly changeableForDays: number;
}

export interface BackupArgs {
  /** The stack's Region: home of the plan, the selection and the primary vault. */
  readonly region: string;
  /** Home of the copy vault that receives a copy of every recovery point. */
  readonly peerRegion: string;
  /** KMS key in `region` for the vault. */
  readonly keyArn: pulumi.Input<string>;
  /** KMS key in `peerRegion` for the copy vault (copies use the destination's key). */
  readonly peerKeyArn: pulumi.Input<string>;
  /** Name of the vault in `region`; the copy vault is `<vaultName>-copies`. */
  readonly vaultName: string;
  /** Days each recovery point and each copy is kept. */
  readonly retentionDays: number;
  readonly vaultLock: VaultLockArgs;
  /** The stack's recovery point objective: the backup frequency derives from it. */
  readonly rpoSeconds: number;
  /**
   * ARNs of every store to back up, in named groups: one selection per non-empty group, named
   * `<name>-<group>` (selection by ARN, so no store depends on a tag). AWS Backup cannot update a
   * selection, so a group whose list changes is replaced: keep lists that change with `mode` (a
   * database promoted on failover) in their own group, and the other selections stay untouched.
   */
  readonly selections: Readonly<Record<string, pulumi.Input<string>[]>>;
  /**
   * ARNs of Redshift clusters: backed up by a separate daily plan (`<name>-warehouse-plan`) kept
   * `warehouseBackupRetentionDays`, because AWS Backup takes Redshift manual snapshots, which
   * count against Redshift's per-Region quota (components/data/snapshotQuota.ts).
   *
   * @default - none
   */
  readonly warehouseArns?: pulumi.Input<string>[];
  /**
   * Sets `protect` on both vaults.
   *
   * @default true
   */
  readonly protect?: boolean;
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * AWS Backup for one stack: a locked vault in the stack's Region and a locked copy vault in the
 * peer Region (both declared here, DESIGN.md principle 3), a plan whose one rule takes recovery
 * points at the RPO-derived schedule with continuous backup where supported and copies each one to
 * the peer vault, and a selection of the stores by ARN.
 */
export class Backup extends pulumi.ComponentResource {
  public readonly vaultName: pulumi.Output<string>;
  public readonly vaultArn: pulumi.Output<string>;
  public readonly copyVaultName: pulumi.Output<string>;
  public readonly copyVaultArn: pulumi.Output<string>;
  public readonly planId: pulumi.Output<string>;
  public readonly roleArn: pulumi.Output<string>;
  public readonly schedule: BackupSchedule;

  constructor(name: string, args: BackupArgs, opts?: pulumi.ComponentResourceOptions) {
    super("payments-dr:components:Backup", name, {}, opts);
    const tags = args.tags ?? {};
    const protect = args.protect ?? true;
    const schedule = backupSchedule(args.rpoSeconds);
    const retentionDays = continuousRetentionDays(args.retentionDays);

    const vault = new aws.backup.Vault(
      `${name}-vault`,
      { name: args.vaultName, kmsKeyArn: args.keyArn, region: args.region, forceDestroy: false, tags },
      { parent: this, protect },
    );
    const copyVault = new aws.backup.Vault(
      `${name}-copy-vault`,
      {
        name: `${args.vaultName}-copies`,
        kmsKeyArn: args.peerKeyArn,
        region: args.peerRegion,
        forceDestroy: false,
        tags,
      },
      { parent: this, protect },
    );
    for (const [role, target, region] of [
      ["vault", vault, args.region],
      ["copy-vault", copyVault, args.peerRegion],
    ] as const) {
      new aws.backup.VaultLockConfiguration(
        `${name}-${role}-lock`,
        {
          backupVaultName: target.name,
          minRetentionDays: args.vaultLock.minRetentionDays,
          maxRetentionDays: args.vaultLock.maxRetentionDays,
          changeableForDays: args.vaultLock.changeableForDays,
          region,
        },
        { parent: this },
      );
    }

    const role = new aws.iam.Role(
      `${name}-role`,
      {
        description: `AWS Backup for ${args.vaultName} (${args.region})`,
        assumeRolePolicy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            { Effect: "Allow", Principal: { Service: "backup.amazonaws.com" }, Action: "sts:AssumeRole" },
          ],
        }),
        tags,
      },
      { parent: this },
    );
    const attachments = BACKUP_MANAGED_POLICY_ARNS.map(
      (policyArn) =>
        new aws.iam.RolePolicyAttachment(
          `${name}-role-${policyArn.split("/").pop()}`,
          { role: role.name, policyArn },
          { parent: this },
        ),
    );

    const plan = new aws.backup.Plan(
      `${name}-plan`,
      {
        name: args.vaultName,
        region: args.region,
        rules: [
          {
            ruleName: "rpo-schedule-with-peer-region-copy",
            targetVaultName: vault.name,
            schedule: schedule.scheduleExpression,
            // RDS and S3 get point-in-time recovery, covering the gap the hourly minimum leaves.
            enableContinuousBackup: true,
            startWindow: 60,
            completionWindow: 180,
            lifecycle: { deleteAfter: retentionDays },
            copyActions: [{ destinationVaultArn: copyVault.arn, lifecycle: { deleteAfter: retentionDays } }],
            recoveryPointTags: tags,
          },
        ],
        tags,
      },
      { parent: this },
    );

    for (const [group, resources] of Object.entries(args.selections)) {
      if (resources.length === 0) continue;
      new aws.backup.Selection(
        `${name}-${group}`,
        {
          name: `${args.vaultName}-${group}`,
          planId: plan.id,
          iamRoleArn: role.arn,
          resources,
          region: args.region,
        },
        { parent: this, dependsOn: attachments },
      );
    }

    if (args.warehouseArns && args.warehouseArns.length > 0) {
      const days = warehouseBackupRetentionDays(args.vaultLock.minRetentionDays);
      const warehousePlan = new aws.backup.Plan(
        `${name}-warehouse-plan`,
        {
          name: `${args.vaultName}-warehouse`,
          region: args.region,
          rules: [
            {
              ruleName: "daily-within-redshift-snapshot-quota",
              targetVaultName: vault.name,
              schedule: WAREHOUSE_BACKUP_SCHEDULE,
              startWindow: 60,
              completionWindow: 180,
              lifecycle: { deleteAfter: days },
              copyActions: [{ destinationVaultArn: copyVault.arn, lifecycle: { deleteAfter: days } }],
              recoveryPointTags: tags,
            },
          ],
          tags,
        },
        { parent: this },
      );
      new aws.backup.Selection(
        `${name}-warehouse`,
        {
          name: `${args.vaultName}-warehouse`,
          planId: warehousePlan.id,
          iamRoleArn: role.arn,
          resources: args.warehouseArns,
          region: args.region,
        },
        { parent: this, dependsOn: attachments },
      );
    }

    this.schedule = schedule;
    this.vaultName = vault.name;
    this.vaultArn = vault.arn;
    this.copyVaultName = copyVault.name;
    this.copyVaultArn = copyVault.arn;
    this.planId = plan.id;
    this.roleArn = role.arn;
    this.registerOutputs({
      vaultArn: this.vaultArn,
      copyVaultArn: this.copyVaultArn,
      planId: this.planId,
    });
  }
}

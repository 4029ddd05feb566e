import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { backupSchedule, BackupSchedule, continuousRetentionDays } from "./backupSchedule";
import { WAREHOUSE_BACKUP_SCHEDULE, warehouseBackupRetentionDays } from "./snapshotQuota";

export {
  backupSchedule,
  continuousRetentionDays,
  MAX_CONTINUOUS_RETENTION_DAYS,
  MIN_BACKUP_INTERVAL_SECONDS,
} from "./backupSchedule";
export type { BackupSchedule } from "./backupSchedule";

/**
 * AWS managed policies the backup role needs to back up and restore every supported store. The
 * first two include what an EKS backup needs (cluster state and its EBS and EFS volumes; AWS Backup
 * creates its own access entry on a cluster in API or API_AND_CONFIG_MAP authentication mode).
 */
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
  private readonly selectionContext: SelectionContext;

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

    this.selectionContext = {
      name,
      vaultName: args.vaultName,
      region: args.region,
      roleArn: role.arn,
      attachments,
    };
    for (const [group, resources] of Object.entries(args.selections)) this.select(group, resources, plan.id);

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
      this.select("warehouse", args.warehouseArns, warehousePlan.id);
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

  /**
   * Selects `resources` (by ARN) as the selection `<name>-<group>` of a plan of this component
   * (default: the RPO plan), with the backup role. What a stack declares after the backup (the EKS
   * cluster) joins this way. AWS Backup cannot update a selection, so one whose list changes is
   * replaced: one group per list that changes on its own.
   */
  select(group: string, resources: pulumi.Input<string>[], planId?: pulumi.Input<string>): void {
    if (resources.length === 0) return;
    const { name, vaultName, region, roleArn, attachments } = this.selectionContext;
    new aws.backup.Selection(
      `${name}-${group}`,
      {
        name: `${vaultName}-${group}`,
        planId: planId ?? this.planId,
        iamRoleArn: roleArn,
        resources,
        region,
      },
      { parent: this, dependsOn: attachments },
    );
  }
}

interface SelectionContext {
  readonly name: string;
  readonly vaultName: string;
  readonly region: string;
  readonly roleArn: pulumi.Output<string>;
  readonly attachments: pulumi.Resource[];
}

/**
 * The copies a backup-restore failover restores from: the newest COMPLETED recovery point per
 * store in the dr Region's copy vault (AWS Backup ListRecoveryPointsByBackupVault, by resource
 * type), refused when a store has none or its newest is older than the RPO target. Pure: the
 * caller (restoreCopies.ts, the find-restore-points step) pages through the API and passes the points.
 */
import { FailoverError } from "../errors";

/** The fields of a ListRecoveryPointsByBackupVault `RecoveryPoints` item this reads. */
export interface RecoveryPointSummary {
  readonly RecoveryPointArn?: string;
  readonly ResourceType?: string;
  readonly ResourceArn?: string;
  readonly Status?: string;
  readonly CreationDate?: Date;
}

/** AWS Backup's resource type of each store restored from the copy vault. */
export const RESTORE_RESOURCE_TYPES = { database: "RDS" } as const;

export interface ChosenRecoveryPoint {
  readonly recoveryPointArn: string;
  readonly createdAt: Date;
  readonly ageSeconds: number;
}

export function latestRecoveryPoint(
  store: keyof typeof RESTORE_RESOURCE_TYPES,
  vaultName: string,
  points: readonly RecoveryPointSummary[],
  now: Date,
  rpoSeconds: number,
): ChosenRecoveryPoint {
  const type = RESTORE_RESOURCE_TYPES[store];
  const completed = points
    .filter(
      (p) => p.ResourceType === type && p.Status === "COMPLETED" && p.RecoveryPointArn && p.CreationDate,
    )
    .sort((a, b) => (b.CreationDate as Date).getTime() - (a.CreationDate as Date).getTime());
  const newest = completed[0];
  if (!newest) {
    throw new FailoverError(
      `No COMPLETED ${type} recovery point in backup vault ${vaultName} for the ${store}: nothing to restore from ` +
        `(${points.filter((p) => p.ResourceType === type).length} ${type} point(s) in other states). Fix: check the ` +
        "primary's backup plan copy action (docs/strategies.md), or restore from a snapshot you verified with " +
        `pulumi config set --path payments-dr:restore.${store} <arn>.`,
      false,
    );
  }
  const createdAt = newest.CreationDate as Date;
  const ageSeconds = Math.floor((now.getTime() - createdAt.getTime()) / 1000);
  if (ageSeconds > rpoSeconds) {
    throw new FailoverError(
      `The newest COMPLETED ${type} recovery point in backup vault ${vaultName} (${newest.RecoveryPointArn}, ` +
        `created ${createdAt.toISOString()}) is ${ageSeconds} s old: expected at most payments-dr:targets.rpoSeconds ` +
        `(${rpoSeconds} s). Restoring it loses more data than the target allows. Fix: wait for a newer copy, or ` +
        `accept the loss and set it by hand: pulumi config set --path payments-dr:restore.${store} ${newest.RecoveryPointArn}.`,
      false,
    );
  }
  return { recoveryPointArn: newest.RecoveryPointArn as string, createdAt, ageSeconds };
}

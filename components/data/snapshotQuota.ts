/**
 * AWS Backup of Redshift takes manual cluster snapshots, which count against Redshift's quota of
 * manual snapshots per account and Region (20 by default, adjustable). The stores plan's hourly
 * rule kept 35 days would hold ~840 per cluster and fail after the 20th. Redshift therefore gets
 * its own daily rule whose recovery points, plus the peer stack's copies landing in the same
 * Region, stay under the quota with room left for final and operator snapshots.
 */

/** Redshift's default "manual snapshots per account per Region" quota. */
export const REDSHIFT_MANUAL_SNAPSHOT_QUOTA = 20;
/** Left free for final snapshots (a deleted cluster) and operators' own snapshots. */
export const REDSHIFT_SNAPSHOT_HEADROOM = 4;
/** Once a day, at 05:00 UTC. */
export const WAREHOUSE_BACKUP_SCHEDULE = "cron(0 5 * * ? *)";

/**
 * Days each daily Redshift recovery point is kept: the vault lock's minimum (the vaults reject
 * less). Every Region holds a stack's own recovery points and the peer stack's copies, so twice
 * that many snapshots must fit the quota minus the headroom.
 *
 * @throws Error naming `payments-dr:backup.vaultLockMinRetentionDays` when they would not fit.
 */
export function warehouseBackupRetentionDays(
  vaultLockMinRetentionDays: number,
  quota: number = REDSHIFT_MANUAL_SNAPSHOT_QUOTA,
): number {
  const fits = Math.floor((quota - REDSHIFT_SNAPSHOT_HEADROOM) / 2);
  if (vaultLockMinRetentionDays > fits) {
    throw new Error(
      `Invalid config payments-dr:backup.vaultLockMinRetentionDays = ${vaultLockMinRetentionDays}: daily Redshift ` +
        `backups kept that long, plus the peer stack's copies, exceed Redshift's ${quota} manual snapshots per Region ` +
        `(${REDSHIFT_SNAPSHOT_HEADROOM} kept free): expected at most ${fits}. Fix: pulumi config set --path ` +
        `payments-dr:backup.vaultLockMinRetentionDays ${fits}, or raise the Redshift quota first`,
    );
  }
  return Math.max(1, vaultLockMinRetentionDays);
}

/**
 * The schedule and retention an AWS Backup plan's rule gets from the stack's RPO and config: pure
 * functions, validated with errors that name the config key.
 */
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

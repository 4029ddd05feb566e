/**
 * Hours between two snapshots that a Data Lifecycle Manager interval schedule accepts
 * (CreateRule `Interval` with `IntervalUnit` HOURS).
 */
export const DLM_INTERVAL_HOURS = [1, 2, 3, 4, 6, 8, 12, 24] as const;
/** A count-based DLM retain rule keeps 1 to 1000 snapshots per volume. */
export const DLM_MAX_RETAIN_COUNT = 1000;

/**
 * AWS Backup: retention and the Vault Lock bounds; the EBS snapshot schedule of the Data Lifecycle
 * Manager policy (components/data/volumeSnapshots.ts); the dr stack's scheduled restore tests of the
 * primary's cross-Region copies. That the retention lies within the bounds, and that restore tests
 * look back no further than copies are kept, are rules (../rules.ts).
 */
import { integerFrom, integerIn, matching, positiveInteger } from "../fields";
import { SectionConfig } from "../section";

/** AWS Backup schedule expressions: `cron(...)` with six fields, or `rate(<n> <unit>)`. */
export const BACKUP_SCHEDULE_PATTERN = /^(cron\((\S+ ){5}\S+\)|rate\(\d+ (minutes?|hours?|days?)\))$/;

export const backupFields = {
  /** Continuous backups (point-in-time restore for RDS and S3) keep at most 35 days. */
  retentionDays: integerFrom(1, 35).default(35),
  vaultLockMinRetentionDays: positiveInteger().default(7),
  vaultLockMaxRetentionDays: positiveInteger().default(365),
  /** Cooling-off period before Vault Lock becomes immutable (compliance mode). */
  vaultLockChangeableForDays: integerFrom(3, 36500).default(3),
  /** Hours between two DLM snapshots of each protected EBS volume: hourly is the most DLM takes. */
  volumeSnapshotIntervalHours: integerIn(DLM_INTERVAL_HOURS).default(1),
  /** Snapshots DLM keeps per volume in the volume's Region (168 hourly = 7 days). */
  volumeSnapshotRetentionCount: integerFrom(1, DLM_MAX_RETAIN_COUNT).default(168),
  /** When the dr stack's restore testing plan starts its tests (UTC); weekly by default. */
  restoreTestScheduleExpression: matching(BACKUP_SCHEDULE_PATTERN, {
    expected: "an AWS Backup schedule expression: cron(<6 fields>) or rate(<n> <minutes|hours|days>)",
    example: '"cron(0 6 ? * SAT *)"',
  }).default("cron(0 6 ? * SAT *)"),
  /** Hours after the scheduled time within which the tests must start (AWS Backup: 1 to 168). */
  restoreTestStartWindowHours: integerFrom(1, 168).default(24),
  /** Hours the validation function has to report before AWS Backup deletes the restored resource. */
  restoreTestValidationWindowHours: integerFrom(1, 168).default(4),
  /** How far back the latest copy is chosen from (AWS Backup: 1 to 365 days). */
  restoreTestSelectionWindowDays: integerFrom(1, 365).default(7),
};

export type BackupConfig = SectionConfig<typeof backupFields>;

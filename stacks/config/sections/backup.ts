/**
 * Hours between two snapshots that a Data Lifecycle Manager interval schedule accepts
 * (CreateRule `Interval` with `IntervalUnit` HOURS).
 */
export const DLM_INTERVAL_HOURS = [1, 2, 3, 4, 6, 8, 12, 24] as const;
/** A count-based DLM retain rule keeps 1 to 1000 snapshots per volume. */
export const DLM_MAX_RETAIN_COUNT = 1000;

/**
 * AWS Backup: retention and the Vault Lock bounds; the EBS snapshot schedule of the Data Lifecycle
 * Manager policy (components/data/volumeSnapshots.ts). That the retention lies within the bounds is a
 * rule (../rules.ts).
 */
import { integerFrom, integerIn, positiveInteger } from "../fields";
import { SectionConfig } from "../section";

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
};

export type BackupConfig = SectionConfig<typeof backupFields>;

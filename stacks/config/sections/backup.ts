/**
 * AWS Backup: retention and the Vault Lock bounds. That the retention lies within the bounds is a
 * rule (../rules.ts).
 */
import { integerFrom, positiveInteger } from "../fields";
import { SectionConfig } from "../section";

export const backupFields = {
  /** Continuous backups (point-in-time restore for RDS and S3) keep at most 35 days. */
  retentionDays: integerFrom(1, 35).default(35),
  vaultLockMinRetentionDays: positiveInteger().default(7),
  vaultLockMaxRetentionDays: positiveInteger().default(365),
  /** Cooling-off period before Vault Lock becomes immutable (compliance mode). */
  vaultLockChangeableForDays: integerFrom(3, 36500).default(3),
};

export type BackupConfig = SectionConfig<typeof backupFields>;

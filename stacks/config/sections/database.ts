/** The RDS PostgreSQL instance (and, on dr, its cross-Region replica). */
import { integerFrom, matching, startingWith } from "../fields";
import { SectionConfig } from "../section";

export const databaseFields = {
  instanceClass: startingWith("db.").default("db.r6g.large"),
  /**
   * A PostgreSQL major version only: AWS retires minor versions and applies them itself, and a pinned
   * minor would then plan a downgrade (docs/first-deployment.md, data tier fix 2).
   */
  engineVersion: matching(/^[1-9]\d+$/, {
    expected:
      'a PostgreSQL major version 10 or later such as "16" (no minor version: RDS applies minor versions itself)',
    example: "16",
  }).default("16"),
  allocatedStorageGb: integerFrom(20, 65536).default(100),
  backupRetentionDays: integerFrom(1, 35).default(14),
};

export type DatabaseConfig = SectionConfig<typeof databaseFields>;

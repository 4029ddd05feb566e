/** The RDS PostgreSQL instance (and, on dr, its cross-Region replica). */
import { integerFrom, nonEmptyText, startingWith } from "../fields";
import { SectionConfig } from "../section";

export const databaseFields = {
  instanceClass: startingWith("db.").default("db.r6g.large"),
  engineVersion: nonEmptyText().default("16.4"),
  allocatedStorageGb: integerFrom(20, 65536).default(100),
  backupRetentionDays: integerFrom(1, 35).default(14),
};

export type DatabaseConfig = SectionConfig<typeof databaseFields>;

/** The Redshift cluster and the copy of its snapshots to the peer Region. */
import { nonEmptyText, positiveInteger } from "../fields";
import { SectionConfig } from "../section";

export const warehouseFields = {
  nodeType: nonEmptyText().default("ra3.xlplus"),
  nodeCount: positiveInteger().default(2),
  databaseName: nonEmptyText().default("payments"),
  snapshotCopyRetentionDays: positiveInteger().default(7),
};

export type WarehouseConfig = SectionConfig<typeof warehouseFields>;

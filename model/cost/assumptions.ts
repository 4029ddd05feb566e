/**
 * The volume assumptions of the cost estimate: data sizes the rendering cannot tell (bucket
 * contents, warehouse size, cache memory in use), change rates and traffic. Documented defaults,
 * not config: docs/cost-model.md lists the same rows; a change here changes every estimate.
 */
export interface Assumption {
  readonly value: number;
  readonly unit: string;
  readonly basis: string;
}

export const ASSUMPTIONS = {
  bucketGb: { value: 50, unit: "GB per bucket", basis: "assumed data held by each S3 bucket" },
  dailyChangeFraction: {
    value: 0.05,
    unit: "fraction per day",
    basis:
      "assumed share of each store's data written or changed per day (replication, copies, incremental backups)",
  },
  cacheDataGb: {
    value: 10,
    unit: "GB",
    basis: "assumed cache memory in use (snapshot and replication size)",
  },
  warehouseDataGb: { value: 100, unit: "GB", basis: "assumed Redshift data in managed storage" },
  searchUsedFraction: {
    value: 0.5,
    unit: "fraction of provisioned volume",
    basis: "assumed share of the OpenSearch volumes holding data (snapshot and replication size)",
  },
  tableGb: { value: 1, unit: "GB", basis: "assumed DynamoDB table size (the failover state table is small)" },
  albLcu: { value: 1, unit: "LCU (average)", basis: "assumed average load balancer capacity units" },
  natProcessedGb: {
    value: 100,
    unit: "GB per gateway per month",
    basis: "assumed traffic through each NAT gateway (image pulls, AWS APIs without endpoints)",
  },
} as const satisfies Record<string, Assumption>;

export const DAYS_PER_MONTH = 30;

/** GB a store changes per month: what replication and incremental copies move. */
export function monthlyChangeGb(sizeGb: number): number {
  return sizeGb * ASSUMPTIONS.dailyChangeFraction.value * DAYS_PER_MONTH;
}

/** GB of retained backups: one full copy plus the daily increments kept for `retentionDays`. */
export function retainedBackupGb(sizeGb: number, retentionDays: number): number {
  return sizeGb * (1 + ASSUMPTIONS.dailyChangeFraction.value * Math.max(0, retentionDays - 1));
}

/**
 * What each resource type is billed for: per type, the items (price key, quantity, Region) its
 * rendered inputs imply. Prices are looked up by cost.ts; a type absent here and from the free and
 * usage-based lists is reported unpriced, never zero.
 */
import { RenderedResource } from "../rendered";
import { ASSUMPTIONS } from "./assumptions";
import { backupSelection, backupsReplication, bucketReplication, snapshotCopy } from "./copyPricers";
import { healthCheck, loadBalancer, nodeGroup, vpc } from "./platformPricers";
import { hours, Priced, PricingContext } from "./pricing";
import { cacheGroup, rdsInstance, searchDomain, table, warehouse } from "./storePricers";

export type { Item, Priced, PricingContext } from "./pricing";

const one =
  (item: string, priceKey: string) =>
  (r: RenderedResource): Priced => ({
    items: [{ item, priceKey, quantity: 1, region: r.region }],
  });

/** Per type, what it is billed for. */
export const PRICERS: Record<string, (r: RenderedResource, ctx: PricingContext) => Priced> = {
  "aws:rds/instance:Instance": rdsInstance,
  "aws:elasticache/replicationGroup:ReplicationGroup": cacheGroup,
  "aws:opensearch/domain:Domain": searchDomain,
  "aws:redshift/cluster:Cluster": warehouse,
  "aws:eks/cluster:Cluster": (r) => ({
    items: [{ item: "control plane hours", priceKey: "eks.cluster", quantity: hours(1), region: r.region }],
  }),
  "aws:eks/nodeGroup:NodeGroup": nodeGroup,
  "awsx:ec2:Vpc": vpc,
  "aws:ec2/natGateway:NatGateway": (r) => ({
    items: [{ item: "NAT gateway hours", priceKey: "nat.hour", quantity: hours(1), region: r.region }],
  }),
  "aws:lb/loadBalancer:LoadBalancer": loadBalancer,
  "aws:s3/bucket:Bucket": (r) => ({
    items: [
      {
        item: `storage (${ASSUMPTIONS.bucketGb.value} GB, assumed)`,
        priceKey: "s3.standard",
        quantity: ASSUMPTIONS.bucketGb.value,
        region: r.region,
      },
    ],
  }),
  "aws:s3/bucketReplicationConfig:BucketReplicationConfig": bucketReplication,
  "aws:backup/selection:Selection": backupSelection,
  "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication": backupsReplication,
  "aws:redshift/snapshotCopy:SnapshotCopy": snapshotCopy,
  "aws:dynamodb/table:Table": table,
  "aws:kms/key:Key": one("customer managed key", "kms.key"),
  "aws:kms/replicaKey:ReplicaKey": one("replica key", "kms.key"),
  "aws:route53/healthCheck:HealthCheck": healthCheck,
  "aws:cloudwatch/metricAlarm:MetricAlarm": one("metric alarm", "cloudwatch.alarm"),
};

/**
 * Data sizes of stores, as the estimate and the restore-time model read them: the rendered
 * allocation where the resource says (RDS storage, OpenSearch volumes), else the documented
 * assumption (assumptions.ts).
 */
import { RenderedResource } from "../rendered";
import { ASSUMPTIONS } from "./assumptions";

export interface SizeEstimate {
  readonly gb: number;
  readonly basis: string;
}

const num = (value: unknown): number | undefined => {
  const n = Number(value);
  return value !== undefined && value !== null && Number.isFinite(n) ? n : undefined;
};

/** The data a store holds, or undefined for a type the model does not size. */
export function storeDataGb(store: RenderedResource): SizeEstimate | undefined {
  switch (store.type) {
    case "aws:rds/instance:Instance": {
      const gb = num(store.inputs.allocatedStorage);
      return gb === undefined ? undefined : { gb, basis: `allocatedStorage ${gb} GB` };
    }
    case "aws:opensearch/domain:Domain": {
      const ebs = (store.inputs.ebsOptions ?? {}) as Record<string, unknown>;
      const cluster = (store.inputs.clusterConfig ?? {}) as Record<string, unknown>;
      const volume = num(ebs.volumeSize);
      const count = num(cluster.instanceCount) ?? 1;
      if (volume === undefined) return undefined;
      const fraction = ASSUMPTIONS.searchUsedFraction.value;
      return {
        gb: volume * count * fraction,
        basis: `${count} x ${volume} GB volumes x ${fraction} used (assumption searchUsedFraction)`,
      };
    }
    case "aws:elasticache/replicationGroup:ReplicationGroup":
      return { gb: ASSUMPTIONS.cacheDataGb.value, basis: "assumption cacheDataGb" };
    case "aws:redshift/cluster:Cluster":
      return { gb: ASSUMPTIONS.warehouseDataGb.value, basis: "assumption warehouseDataGb" };
    case "aws:s3/bucket:Bucket":
      return { gb: ASSUMPTIONS.bucketGb.value, basis: "assumption bucketGb" };
    case "aws:dynamodb/table:Table":
      return { gb: ASSUMPTIONS.tableGb.value, basis: "assumption tableGb" };
    default:
      return undefined;
  }
}

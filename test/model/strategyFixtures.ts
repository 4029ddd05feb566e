/**
 * Synthetic dr renderings per strategy, derived from the real warm-standby rendering the way the
 * issue describes each strategy: backup-restore keeps network, keys, vaults, buckets and copies but
 * no live replica and no cluster; pilot-light keeps the live replicas and a cluster with no running
 * capacity. The model must read these from the resources, never from the strategy's name.
 */
import { RenderedResource, RenderedStack } from "../../model/rendered";

const REPLICAS_AND_CLUSTER = new Set([
  "aws:rds/instance:Instance",
  "aws:elasticache/replicationGroup:ReplicationGroup",
  "aws:opensearch/domain:Domain",
  "aws:opensearch/outboundConnection:OutboundConnection",
  "aws:opensearch/inboundConnectionAccepter:InboundConnectionAccepter",
  "aws:redshift/cluster:Cluster",
  "aws:eks/cluster:Cluster",
  "aws:eks/nodeGroup:NodeGroup",
]);

function relabel(dr: RenderedStack, strategy: string, resources: RenderedResource[]): RenderedStack {
  return { ...dr, config: { ...dr.config, "payments-dr:strategy": strategy }, resources };
}

export function asBackupRestore(dr: RenderedStack): RenderedStack {
  return relabel(
    dr,
    "backup-restore",
    dr.resources.filter((r) => !REPLICAS_AND_CLUSTER.has(r.type)),
  );
}

/** Live replicas, node group at zero; `warehouse: false` drops the dual-ingest cluster too. */
export function asPilotLight(
  dr: RenderedStack,
  options: { warehouse: boolean } = { warehouse: true },
): RenderedStack {
  return relabel(
    dr,
    "pilot-light",
    dr.resources
      .filter((r) => options.warehouse || r.type !== "aws:redshift/cluster:Cluster")
      .map((r) =>
        r.type === "aws:eks/nodeGroup:NodeGroup"
          ? {
              ...r,
              inputs: {
                ...r.inputs,
                scalingConfig: { ...(r.inputs.scalingConfig as object), desiredSize: 0, minSize: 0 },
              },
            }
          : r,
      ),
  );
}

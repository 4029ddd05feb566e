/**
 * Which parts of a stack exist, for its role, mode and disaster-recovery strategy: the one place
 * that says it (docs/strategies.md). Pure: the tiers (dataTier.ts, databases.ts, compute.ts,
 * ingest.ts) read the answer and never look at `strategy` themselves.
 *
 * - `warm-standby`: every store has a live replica and the cluster runs `eks.standbyNodeCount`.
 * - `pilot-light`: the live replicas stay, the node group runs no nodes until a failover.
 * - `backup-restore`: no store exists until a failover, which creates each from its cross-Region
 *   copy (`payments-dr:restore`); the node group runs no nodes.
 *
 * Network, keys, the stack's own buckets and backup vaults, the failover state replica, the
 * cluster's control plane, the load balancer, DNS and the failover trigger exist in every strategy.
 */
import { NodeGroupSize, nodeGroupSize } from "../components/compute/eks";
import { StackConfig } from "./config";

/**
 * How a store exists in this stack:
 * - `source`: written to here (primary; dr once active and promoted or restored);
 * - `replica`: a live cross-Region replica of the primary's store (dr standby);
 * - `restored`: created at failover from its copy in this Region (`payments-dr:restore.*`);
 * - `absent`: not declared.
 */
export type StorePresence = "source" | "replica" | "restored" | "absent";

export interface Composition {
  /** RDS. A promoted replica is `source`: the same instance, `replicateSourceDb` dropped. */
  readonly database: StorePresence;
  /** ElastiCache: `replica` is the Global Datastore secondary (kept as a member once promoted). */
  readonly cache: StorePresence;
  /** OpenSearch: `replica` is the cross-cluster replication follower (kept as one once promoted). */
  readonly search: StorePresence;
  /** The Redshift cluster and this stack's ingest pipeline (topic, queue, consumer). */
  readonly warehouse: "present" | "absent";
  /** dr only: the dr queue also takes the primary's ingest messages (DESIGN.md "Redshift dual ingest"). */
  readonly dualIngest: boolean;
  readonly nodeGroup: NodeGroupSize;
}

type CompositionInput = Pick<StackConfig, "role" | "mode" | "strategy" | "eks">;

export function composition(config: CompositionInput): Composition {
  const { role, mode, strategy, eks } = config;
  const active = mode === "active";
  if (role === "primary" || strategy === "warm-standby") {
    const replica = role === "dr" && !active;
    return {
      database: replica ? "replica" : "source",
      // The dr cache and search stay Global Datastore member and follower in both modes: their
      // promotion is an API call of the controller, not a change of the stack.
      cache: role === "dr" ? "replica" : "source",
      search: role === "dr" ? "replica" : "source",
      warehouse: "present",
      dualIngest: role === "dr",
      nodeGroup: nodeGroupSize(role, mode, eks),
    };
  }
  // No running capacity until a failover: min 0 in both modes, so a failover changes the desired
  // size only (EKS managed node groups take minSize and desiredSize from 0).
  const nodeGroup = { minSize: 0, desiredSize: active ? eks.activeNodeCount : 0, maxSize: eks.maxNodeCount };
  if (strategy === "pilot-light") {
    // The warehouse keeps dual ingest: its only other copy, Redshift's automated snapshots copied
    // across Regions, is about 8 hours old (model/figures.ts), beyond any RPO target a pilot light
    // is chosen for; and a cluster restored at failover would be empty without restore support.
    return {
      database: active ? "source" : "replica",
      cache: "replica",
      search: "replica",
      warehouse: "present",
      dualIngest: true,
      nodeGroup,
    };
  }
  return {
    database: active ? "restored" : "absent",
    cache: active ? "restored" : "absent",
    search: active ? "restored" : "absent",
    warehouse: active ? "present" : "absent",
    dualIngest: false,
    nodeGroup,
  };
}

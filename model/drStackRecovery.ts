/**
 * A dr stack's recovery figures as ONE stack shows them (what the policy engine sees): for each
 * store kind the primary runs, a live replica in this stack (replica lag, promotion) or, absent
 * one, a restore from the primary's copy, whose copy interval and size the dr stack cannot see and
 * the caller supplies (defaults: the project's own schedules and sizes). The two-stack figures of
 * model/strategy.ts read the primary's real schedules instead. MODELLED, not measured.
 */
import { FIGURES } from "./figures";
import { arnRegion } from "./links";
import { RenderedResource, RenderedStack } from "./rendered";
import { restoreSeconds, StoreRecovery } from "./recovery";
import { recoveryCriticalPath, RtoStep } from "./rto";
import { worstRpo } from "./strategy";

export const STORE_KINDS = ["database", "cache", "search", "warehouse"] as const;
export type StoreKind = (typeof STORE_KINDS)[number];

const TYPE_OF: Record<StoreKind, string> = {
  database: "aws:rds/instance:Instance",
  cache: "aws:elasticache/replicationGroup:ReplicationGroup",
  search: "aws:opensearch/domain:Domain",
  warehouse: "aws:redshift/cluster:Cluster",
};

/** What a restored store's RPO and size are when only the dr stack is visible. */
export interface RestoreAssumption {
  readonly rpoSeconds: number;
  readonly sizeGb: number;
}

/**
 * The project's primary, as deployed by default: RDS automated-backup replication (log upload +
 * copy), the cache export every 90 minutes (ElastiCache's backup limit) replicated with 15-minute
 * RTC, hourly search snapshots replicated with RTC, Redshift's 8-hourly snapshots copied across.
 */
export const DEFAULT_RESTORE: Readonly<Record<StoreKind, RestoreAssumption>> = {
  database: {
    rpoSeconds: FIGURES.rdsLogUploadSeconds.seconds + FIGURES.crossRegionCopySeconds.seconds,
    sizeGb: 100,
  },
  cache: {
    rpoSeconds: 90 * 60 + FIGURES.crossRegionCopySeconds.seconds + FIGURES.s3RtcSeconds.seconds,
    sizeGb: 10,
  },
  search: {
    rpoSeconds: 3600 + FIGURES.crossRegionCopySeconds.seconds + FIGURES.s3RtcSeconds.seconds,
    sizeGb: 150,
  },
  warehouse: {
    rpoSeconds: FIGURES.redshiftAutomatedSnapshotSeconds.seconds + FIGURES.crossRegionCopySeconds.seconds,
    sizeGb: 100,
  },
};

export interface DrStackOptions {
  /** Replica lag the failover preflight tolerates (payments-dr:failover.maxReplicaLagSeconds). */
  readonly maxReplicaLagSeconds: number;
  /** The store kinds the primary runs. @default all four */
  readonly stores?: readonly StoreKind[];
  readonly restore?: Partial<Record<StoreKind, RestoreAssumption>>;
}

export interface DrStackFigures {
  readonly stores: StoreRecovery[];
  readonly worstRpoSeconds: number | null;
  readonly worstRpoStore: string;
  readonly rtoSeconds: number;
  readonly rtoCriticalPath: RtoStep[];
}

/** A dr stack: it declares the SECONDARY record of the failover pair. */
export function isDrStack(stack: RenderedStack): boolean {
  return stack.resources.some(
    (r) =>
      r.type === "aws:route53/record:Record" &&
      Array.isArray(r.inputs.failoverRoutingPolicies) &&
      (r.inputs.failoverRoutingPolicies[0] as Record<string, unknown> | undefined)?.type === "SECONDARY",
  );
}

/**
 * The age alarm on the queue a cross-Region subscription feeds: dual ingest's lag bound. At
 * preview the queue's ARN and name are unknown, so the subscription and alarm are also matched to
 * the queue through their dependencies, as the engine records them.
 */
/** A value a preview knows: unknown values are the engine's sentinel string, never an ARN or name we can match. */
const UNKNOWN_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const known = (value: unknown): value is string => typeof value === "string" && value !== UNKNOWN_SENTINEL;

function dualIngestSeconds(dr: RenderedStack, region: string | null): number | null {
  const feeds = dr.resources.filter((r) => {
    const topicRegion = arnRegion(r.inputs.topic);
    return (
      r.type === "aws:sns/topicSubscription:TopicSubscription" &&
      r.inputs.protocol === "sqs" &&
      topicRegion !== undefined &&
      topicRegion !== region
    );
  });
  for (const feed of feeds) {
    const queue = dr.resources.find(
      (q) =>
        q.type === "aws:sqs/queue:Queue" &&
        (known(feed.inputs.endpoint)
          ? q.outputs.arn === feed.inputs.endpoint
          : feed.dependencies.includes(q.urn)),
    );
    if (!queue) continue;
    const alarm = dr.resources.find(
      (a) =>
        a.type === "aws:cloudwatch/metricAlarm:MetricAlarm" &&
        a.inputs.metricName === "ApproximateAgeOfOldestMessage" &&
        (known(queue.outputs.name)
          ? (a.inputs.dimensions as Record<string, unknown> | undefined)?.QueueName === queue.outputs.name
          : a.dependencies.includes(queue.urn)),
    );
    const threshold = Number(alarm?.inputs.threshold);
    if (Number.isFinite(threshold)) return threshold;
  }
  return null;
}

function liveRecovery(
  kind: StoreKind,
  store: RenderedResource,
  dr: RenderedStack,
  lag: number,
): StoreRecovery | undefined {
  const base = { urn: store.urn, type: store.type, name: store.name, mode: "replica" as const };
  const lagBasis = `asynchronous replica; lag held under ${lag} s by alarm and failover preflight`;
  switch (kind) {
    case "database":
      return typeof store.inputs.replicateSourceDb === "string"
        ? {
            ...base,
            rpoSeconds: lag,
            rpoBasis: `rds-read-replica: ${lagBasis}`,
            recoverySeconds: FIGURES.rdsPromotionSeconds.seconds,
            recoveryBasis: FIGURES.rdsPromotionSeconds.basis,
            step: "promote",
          }
        : undefined;
    case "cache":
      return typeof store.inputs.globalReplicationGroupId === "string"
        ? {
            ...base,
            rpoSeconds: FIGURES.globalDatastoreLagSeconds.seconds,
            rpoBasis: `elasticache-global-datastore: ${FIGURES.globalDatastoreLagSeconds.basis}`,
            recoverySeconds: FIGURES.globalDatastoreFailoverSeconds.seconds,
            recoveryBasis: FIGURES.globalDatastoreFailoverSeconds.basis,
            step: "global-datastore-failover",
          }
        : undefined;
    case "search": {
      const domainName = store.outputs.domainName ?? store.inputs.domainName;
      const follows = dr.resources.some(
        (c) =>
          c.type === "aws:opensearch/outboundConnection:OutboundConnection" &&
          (c.inputs.localDomainInfo as Record<string, unknown> | undefined)?.domainName === domainName,
      );
      return follows
        ? {
            ...base,
            rpoSeconds: lag,
            rpoBasis: `opensearch-cross-cluster: ${lagBasis}`,
            recoverySeconds: 0,
            recoveryBasis: "a live follower already serves",
          }
        : undefined;
    }
    case "warehouse": {
      const seconds = dualIngestSeconds(dr, store.region);
      return seconds === null
        ? undefined
        : {
            ...base,
            rpoSeconds: seconds,
            rpoBasis: `dual-ingest: every batch is also loaded here; RPO is the queue lag, alarmed at ${seconds} s`,
            recoverySeconds: 0,
            recoveryBasis: "a live cluster fed by dual ingest already serves",
          };
    }
  }
}

export function drStackFigures(dr: RenderedStack, options: DrStackOptions): DrStackFigures {
  const stores: StoreRecovery[] = [];
  for (const kind of options.stores ?? STORE_KINDS) {
    const type = TYPE_OF[kind];
    const present = dr.resources.filter((r) => r.type === type);
    const live = present
      .map((r) => liveRecovery(kind, r, dr, options.maxReplicaLagSeconds))
      .find((r) => r !== undefined);
    if (live) {
      stores.push(live);
      continue;
    }
    if (present.length > 0) {
      // Promoted, or created from its copy (after a failover, or restore as configuration): it serves here.
      const store = present[0];
      stores.push({
        urn: store.urn,
        type,
        name: store.name,
        mode: "copy",
        rpoSeconds: 0,
        rpoBasis: `the ${kind} in this stack is not a replica: it already serves in this Region`,
        recoverySeconds: 0,
        recoveryBasis: "nothing to recover",
      });
      continue;
    }
    const assumed = { ...DEFAULT_RESTORE[kind], ...options.restore?.[kind] };
    const restore = restoreSeconds({ type } as RenderedResource, assumed.sizeGb) as {
      seconds: number;
      basis: string;
    };
    stores.push({
      urn: present[0]?.urn ?? "",
      type,
      name: kind,
      mode: "restore",
      rpoSeconds: assumed.rpoSeconds,
      rpoBasis: `no live ${kind} replica in this stack: restored from the primary's copy, assumed every ${assumed.rpoSeconds} s including copy time`,
      recoverySeconds: restore.seconds,
      recoveryBasis: restore.basis,
      step: "restore",
    });
  }
  const worst = worstRpo(stores);
  const path = recoveryCriticalPath(dr, stores);
  return {
    stores,
    worstRpoSeconds: worst.seconds,
    worstRpoStore: worst.store,
    rtoSeconds: path.reduce((sum, step) => sum + step.seconds, 0),
    rtoCriticalPath: path,
  };
}

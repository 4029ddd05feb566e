/**
 * How each of the primary's data stores comes back in the dr Region under the rendered dr stack,
 * whatever strategy produced it: a live replica there (replication-lag RPO, promotion), a live copy
 * (S3 replication, a global table: nothing to do), or a copy to restore from (RPO = copy interval
 * plus copy time, RTO = restore time by type and size). Read from the RENDERED resources, never
 * from the strategy's name. MODELLED, not measured.
 */
import { FIGURES } from "./figures";
import { CrossRegionLink, findCrossRegionLinks } from "./links";
import { RenderedResource, RenderedStack } from "./rendered";
import { MechanismPosture, ownStores, scheduleIntervalSeconds, storePosture } from "./rpo";
import { storeDataGb } from "./cost/sizes";

export type RecoveryMode = "replica" | "copy" | "restore" | "unrecoverable";

/** What the failover's dr stack update must do for a store, if anything. */
export type RecoveryStep = "promote" | "global-datastore-failover" | "restore";

export interface StoreRecovery {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly mode: RecoveryMode;
  /** null: no mechanism reaches the dr Region with a bound. */
  readonly rpoSeconds: number | null;
  readonly rpoBasis: string;
  /** Seconds from the start of the failover's store step until the store serves; null: cannot. */
  readonly recoverySeconds: number | null;
  readonly recoveryBasis: string;
  readonly step?: RecoveryStep;
}

/** The tag naming a store's snapshot bucket (components/data/search and the pack write and read it). */
const SNAPSHOT_BUCKET_TAG = "payments-dr:snapshot-bucket";

const LIVE_REPLICA: Partial<Record<MechanismPosture["kind"], RecoveryStep | undefined>> = {
  "rds-read-replica": "promote",
  "elasticache-global-datastore": "global-datastore-failover",
  "opensearch-cross-cluster": undefined,
  "dual-ingest": undefined,
};
const LIVE_COPY = new Set<MechanismPosture["kind"]>(["s3-replication", "dynamodb-global-table"]);

/**
 * Snapshot exports the links do not model: a store tagged with its snapshot bucket, whose
 * replication reaches `region` (the cache export, the search snapshot repository).
 */
function snapshotMechanisms(
  store: RenderedResource,
  primary: RenderedStack,
  links: readonly CrossRegionLink[],
  region: string,
): MechanismPosture[] {
  const tags = (store.inputs.tags ?? {}) as Record<string, unknown>;
  const bucketName = tags[SNAPSHOT_BUCKET_TAG];
  const replication = links.find(
    (l) =>
      l.kind === "s3-replication" &&
      l.targetRegion === region &&
      (l.source.outputs.bucket ?? l.source.id) === bucketName,
  );
  if (!bucketName || !replication) return [];
  const rtc = Number(replication.detail.rtcMinutes) * 60;
  let interval: number | null = null;
  let what = "";
  if (store.type === "aws:elasticache/replicationGroup:ReplicationGroup") {
    const minutes = Number(
      ((primary.outputs.cacheSnapshotExport ?? {}) as Record<string, unknown>).intervalMinutes,
    );
    interval = Number.isFinite(minutes) ? minutes * 60 : null;
    what = `cache snapshot exported every ${minutes} min`;
  } else if (store.type === "aws:opensearch/domain:Domain") {
    const domainName = store.outputs.domainName ?? store.inputs.domainName;
    const schedule = primary.resources
      .filter((r) => r.type === "aws:lambda/invocation:Invocation" && typeof r.inputs.input === "string")
      .map((r) => JSON.parse(String(r.inputs.input)) as Record<string, unknown>)
      .find((input) => input.operation === "snapshotRepository" && input.domainName === domainName);
    interval = schedule ? scheduleIntervalSeconds(`cron(${String(schedule.cron)})`) : null;
    what = `snapshot schedule ${String(schedule?.cron)} into the repository`;
  }
  if (interval === null || !Number.isFinite(rtc)) return [];
  return [
    {
      kind: "backup-copy",
      direction: "outbound",
      targetRegion: region,
      declaredBy: replication.declaredBy,
      rpoSeconds: interval + FIGURES.crossRegionCopySeconds.seconds + rtc,
      basis: `${what}, then replicated with RTC (${rtc} s); plus ${FIGURES.crossRegionCopySeconds.seconds} s export time`,
    },
  ];
}

/** Restore time of a store created from its copy, by type and size (FIGURES). */
export function restoreSeconds(
  store: RenderedResource,
  sizeGb = storeDataGb(store)?.gb,
): { seconds: number; basis: string } | null {
  const by = (base: { seconds: number }, perGb: { seconds: number }, name: string) => {
    const gb = sizeGb ?? 0;
    return {
      seconds: base.seconds + Math.round(perGb.seconds * gb),
      basis: `${name}: ${base.seconds} s + ${perGb.seconds} s/GB x ${+gb.toFixed(2)} GB`,
    };
  };
  switch (store.type) {
    case "aws:rds/instance:Instance":
      return by(
        FIGURES.rdsRestoreSeconds,
        FIGURES.rdsRestoreSecondsPerGb,
        "restore the database from its copied snapshot",
      );
    case "aws:elasticache/replicationGroup:ReplicationGroup":
      return by(
        FIGURES.elasticacheRestoreSeconds,
        FIGURES.elasticacheRestoreSecondsPerGb,
        "create the cache from the exported RDB file",
      );
    case "aws:opensearch/domain:Domain":
      return by(
        FIGURES.opensearchCreateSeconds,
        FIGURES.opensearchRestoreSecondsPerGb,
        "create the domain and restore the replicated snapshot",
      );
    case "aws:redshift/cluster:Cluster":
      return by(
        FIGURES.redshiftRestoreSeconds,
        FIGURES.redshiftRestoreSecondsPerGb,
        "restore the warehouse from its copied snapshot",
      );
    default:
      return null;
  }
}

/** A Redshift cluster in `region` among the dr stack's resources: dual ingest needs one to load into. */
function hasWarehouseIn(dr: RenderedStack, region: string): boolean {
  return dr.resources.some((r) => r.type === "aws:redshift/cluster:Cluster" && r.region === region);
}

export function storeRecovery(
  store: RenderedResource,
  primary: RenderedStack,
  dr: RenderedStack,
  links: readonly CrossRegionLink[],
  all: readonly RenderedStack[],
): StoreRecovery {
  const region = String(dr.config["aws:region"] ?? "");
  const posture = storePosture(store, primary, [...links], all, Number.MAX_SAFE_INTEGER);
  const mechanisms = [...posture.mechanisms, ...snapshotMechanisms(store, primary, links, region)].filter(
    (m) =>
      m.direction === "outbound" &&
      m.targetRegion === region &&
      (m.kind !== "dual-ingest" || hasWarehouseIn(dr, region)),
  );
  const best = (list: MechanismPosture[]) =>
    list
      .filter((m) => m.rpoSeconds !== null)
      .sort((a, b) => (a.rpoSeconds as number) - (b.rpoSeconds as number))[0];
  const base = { urn: store.urn, type: store.type, name: store.name };
  const replica = best(mechanisms.filter((m) => m.kind in LIVE_REPLICA));
  if (replica) {
    const step = LIVE_REPLICA[replica.kind];
    const seconds =
      step === "promote"
        ? FIGURES.rdsPromotionSeconds
        : step === "global-datastore-failover"
          ? FIGURES.globalDatastoreFailoverSeconds
          : { seconds: 0, basis: `a live ${replica.kind} copy already serves in ${region}` };
    return {
      ...base,
      mode: "replica",
      rpoSeconds: replica.rpoSeconds,
      rpoBasis: `${replica.kind}: ${replica.basis}`,
      recoverySeconds: seconds.seconds,
      recoveryBasis: seconds.basis,
      ...(step ? { step } : {}),
    };
  }
  const copy = best(mechanisms.filter((m) => LIVE_COPY.has(m.kind)));
  if (copy)
    return {
      ...base,
      mode: "copy",
      rpoSeconds: copy.rpoSeconds,
      rpoBasis: `${copy.kind}: ${copy.basis}`,
      recoverySeconds: 0,
      recoveryBasis: `the ${copy.kind} copy is live in ${region}`,
    };
  const restorable = best(mechanisms);
  const restore = restoreSeconds(store);
  if (restorable && restore)
    return {
      ...base,
      mode: "restore",
      rpoSeconds: restorable.rpoSeconds,
      rpoBasis: `${restorable.kind}: ${restorable.basis}`,
      recoverySeconds: restore.seconds,
      recoveryBasis: restore.basis,
      step: "restore",
    };
  return {
    ...base,
    mode: "unrecoverable",
    rpoSeconds: null,
    rpoBasis: restorable ? `no restore figure for ${store.type}` : `no copy with a bound reaches ${region}`,
    recoverySeconds: null,
    recoveryBasis: "no modelled way to serve this store in the dr Region",
  };
}

/** Every store of the primary, and how the rendered dr stack brings it back. */
export function storeRecoveries(
  primary: RenderedStack,
  dr: RenderedStack,
  all: readonly RenderedStack[] = [primary, dr],
): StoreRecovery[] {
  const links = findCrossRegionLinks(all);
  // The dr stack declares its own cluster and the program re-applies what runs in it: its
  // recovery is compute (rto.ts computeRecovery), not a restore of the primary's cluster state.
  return ownStores(primary, links)
    .filter((store) => store.type !== "aws:eks/cluster:Cluster")
    .map((store) => storeRecovery(store, primary, dr, links, all));
}

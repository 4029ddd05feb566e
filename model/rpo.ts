/**
 * Per-store RPO: each data store's cross-Region mechanisms (from the cross-Region links) and the
 * modelled RPO of each, the best of which is the store's RPO. MODELLED, not measured.
 */
import { FIGURES } from "./figures";
import { CrossRegionLink, LinkKind } from "./links";
import { RenderedResource, RenderedStack } from "./rendered";
import { numberSetting } from "./settings";

export interface MechanismPosture {
  readonly kind: LinkKind | "dual-ingest";
  readonly direction: "outbound" | "replica-of";
  readonly targetRegion: string;
  readonly declaredBy: string;
  /** null: the mechanism has no bound (e.g. S3 replication without RTC). */
  readonly rpoSeconds: number | null;
  readonly basis: string;
}

export interface StorePosture {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly region: string;
  readonly mechanisms: MechanismPosture[];
  readonly rpoSeconds: number | null;
  readonly meetsRpoTarget: boolean;
}

/** Store types the posture covers: the data stores of DESIGN.md's protection matrix. */
export const STORE_TYPES = new Set([
  "aws:rds/instance:Instance",
  "aws:elasticache/replicationGroup:ReplicationGroup",
  "aws:opensearch/domain:Domain",
  "aws:redshift/cluster:Cluster",
  "aws:s3/bucket:Bucket",
  "aws:dynamodb/table:Table",
  // Cluster state and the persistent volumes its StorageClass provisions (AWS Backup, DLM).
  "aws:eks/cluster:Cluster",
  "aws:ebs/volume:Volume",
]);

const REPLICA_KINDS: ReadonlySet<LinkKind> = new Set([
  "rds-read-replica",
  "elasticache-global-datastore",
  "opensearch-cross-cluster",
]);

/** Seconds between runs of an AWS Backup schedule expression (`cron(0 * ? * * *)` = hourly). */
export function scheduleIntervalSeconds(schedule: unknown): number | null {
  if (typeof schedule !== "string") return null;
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(schedule);
  if (rate)
    return (
      Number(rate[1]) * ({ minute: 60, hour: 3600, day: 86400 }[rate[2].replace(/s$/, "") as "minute"] ?? 0)
    );
  const cron = /^cron\((\S+) (\S+) (\S+) (\S+) (\S+)(?: (\S+))?\)$/.exec(schedule);
  if (!cron) return null;
  const hours = cron[2];
  if (hours === "*") return 3600;
  const step = /^(?:\*|\d+)\/(\d+)$/.exec(hours);
  if (step) return Number(step[1]) * 3600;
  if (hours.includes(",")) return Math.ceil(86400 / hours.split(",").length);
  return 86400;
}

function mechanismRpo(
  link: CrossRegionLink,
  stack: RenderedStack,
): { rpoSeconds: number | null; basis: string } {
  const lagThreshold = numberSetting(stack, "failover", "maxReplicaLagSeconds", 60);
  switch (link.kind) {
    case "s3-replication": {
      const minutes = Number(link.detail.rtcMinutes);
      return Number.isFinite(minutes)
        ? { rpoSeconds: minutes * 60, basis: FIGURES.s3RtcSeconds.basis }
        : { rpoSeconds: null, basis: "S3 replication without Replication Time Control has no time bound" };
    }
    case "rds-read-replica":
    case "opensearch-cross-cluster":
      return {
        rpoSeconds: lagThreshold,
        basis: `asynchronous replica; lag held under payments-dr:failover.maxReplicaLagSeconds (${lagThreshold} s) by alarm and failover preflight`,
      };
    case "rds-backup-replication":
      return {
        rpoSeconds: FIGURES.rdsLogUploadSeconds.seconds + FIGURES.crossRegionCopySeconds.seconds,
        basis: `${FIGURES.rdsLogUploadSeconds.basis}; plus ${FIGURES.crossRegionCopySeconds.basis}`,
      };
    case "elasticache-global-datastore":
      return {
        rpoSeconds: FIGURES.globalDatastoreLagSeconds.seconds,
        basis: FIGURES.globalDatastoreLagSeconds.basis,
      };
    case "dynamodb-global-table":
      return {
        rpoSeconds: FIGURES.dynamodbGlobalTableSeconds.seconds,
        basis: FIGURES.dynamodbGlobalTableSeconds.basis,
      };
    case "redshift-snapshot-copy":
      return {
        rpoSeconds: FIGURES.redshiftAutomatedSnapshotSeconds.seconds + FIGURES.crossRegionCopySeconds.seconds,
        basis: `${FIGURES.redshiftAutomatedSnapshotSeconds.basis}; plus copy time`,
      };
    case "backup-copy": {
      const interval = scheduleIntervalSeconds(link.detail.schedule);
      return interval === null
        ? { rpoSeconds: null, basis: `unrecognised backup schedule ${String(link.detail.schedule)}` }
        : {
            rpoSeconds: interval + FIGURES.crossRegionCopySeconds.seconds,
            basis: `backup every ${interval} s (${String(link.detail.schedule)}), then a cross-Region copy`,
          };
    }
    case "dlm-snapshot-copy": {
      const hours = link.detail.intervalHours;
      const interval =
        typeof hours === "number" ? hours * 3600 : scheduleIntervalSeconds(link.detail.cronExpression);
      return interval === null
        ? { rpoSeconds: null, basis: `DLM policy ${String(link.detail.policy)} has an unrecognised schedule` }
        : {
            rpoSeconds: interval + FIGURES.crossRegionCopySeconds.seconds,
            basis: `DLM snapshot every ${interval} s (policy ${String(link.detail.policy)}), then ${FIGURES.crossRegionCopySeconds.basis}`,
          };
    }
    default:
      return { rpoSeconds: null, basis: `${link.kind} does not copy data` };
  }
}

/** Dual ingest: a Redshift cluster whose feed topic also reaches a queue in another Region. */
function dualIngest(
  store: RenderedResource,
  links: CrossRegionLink[],
  all: readonly RenderedStack[],
): MechanismPosture[] {
  if (store.type !== "aws:redshift/cluster:Cluster") return [];
  const subscriptions = links.filter((l) => l.kind === "sns-subscription" && l.target);
  // Batches published in this Region that are also loaded in another: the peer lags by the queue.
  const outbound = subscriptions
    .filter((l) => l.sourceRegion === store.region)
    .map((l) => {
      const threshold = queueAgeAlarmSeconds(l.target as RenderedResource, all);
      return {
        kind: "dual-ingest" as const,
        direction: "outbound" as const,
        targetRegion: l.targetRegion,
        declaredBy: l.declaredBy,
        rpoSeconds: threshold,
        basis:
          threshold !== null
            ? `every batch is also loaded in ${l.targetRegion}; RPO is the queue lag, alarmed at ${threshold} s of message age`
            : "dual ingest without an age-of-oldest-message alarm: lag is unbounded",
      };
    });
  // Batches published in another Region and loaded here too: that Region's cluster has them all.
  const inbound = subscriptions
    .filter((l) => l.targetRegion === store.region && l.sourceRegion !== store.region)
    .map((l) => ({
      kind: "dual-ingest" as const,
      direction: "replica-of" as const,
      targetRegion: l.sourceRegion,
      declaredBy: l.declaredBy,
      rpoSeconds: 0,
      basis: `fed from the topic in ${l.sourceRegion}, whose own cluster loads the same batches`,
    }));
  return [...outbound, ...inbound];
}

function queueAgeAlarmSeconds(queue: RenderedResource, all: readonly RenderedStack[]): number | null {
  const queueName = queue.outputs.name ?? queue.name;
  const alarm = all
    .flatMap((s) => s.resources)
    .find(
      (r) =>
        r.type === "aws:cloudwatch/metricAlarm:MetricAlarm" &&
        r.inputs.metricName === "ApproximateAgeOfOldestMessage" &&
        (r.inputs.dimensions as Record<string, unknown> | undefined)?.QueueName === queueName,
    );
  const threshold = Number(alarm?.inputs.threshold);
  return Number.isFinite(threshold) ? threshold : null;
}

export function storePosture(
  store: RenderedResource,
  stack: RenderedStack,
  links: CrossRegionLink[],
  all: readonly RenderedStack[],
  target: number,
): StorePosture {
  const mechanisms: MechanismPosture[] = [];
  for (const link of links) {
    if (link.source.urn === store.urn) {
      mechanisms.push({
        kind: link.kind,
        direction: "outbound",
        targetRegion: link.targetRegion,
        declaredBy: link.declaredBy,
        ...mechanismRpo(link, stack),
      });
    } else if (link.target?.urn === store.urn && REPLICA_KINDS.has(link.kind)) {
      mechanisms.push({
        kind: link.kind,
        direction: "replica-of",
        targetRegion: link.sourceRegion,
        declaredBy: link.declaredBy,
        rpoSeconds: 0,
        basis: `a replica: the authoritative copy is the source in ${link.sourceRegion}`,
      });
    }
  }
  mechanisms.push(...dualIngest(store, links, all));
  const bounded = mechanisms.map((m) => m.rpoSeconds).filter((s): s is number => s !== null);
  const rpoSeconds = bounded.length > 0 ? Math.min(...bounded) : null;
  return {
    urn: store.urn,
    type: store.type,
    name: store.name,
    region: String(store.region),
    mechanisms,
    rpoSeconds,
    meetsRpoTarget: rpoSeconds !== null && rpoSeconds <= target,
  };
}

/**
 * The stack's own data stores: every store it declares except the replica buckets its S3
 * replication writes to, which are copies rather than stores. (A dr read replica stays: it is a
 * store in its own right, DESIGN.md principle 4.)
 */
export function ownStores(stack: RenderedStack, links: readonly CrossRegionLink[]): RenderedResource[] {
  const copies = new Set(
    links
      .filter((l) => l.kind === "s3-replication" && l.declaredBy === stack.stack)
      .map((l) => l.target?.urn),
  );
  return stack.resources.filter((r) => STORE_TYPES.has(r.type) && !copies.has(r.urn));
}

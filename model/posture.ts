/**
 * The DR posture of rendered stacks: for each data store, its cross-Region mechanisms and the
 * estimated RPO of the best one against the stack's target; for the dr stack, the estimated RTO
 * of the failover's critical path against its target.
 *
 * These are MODELLED figures: documented service bounds plus settings read from the rendering
 * (RTC minutes, backup schedules, health-check intervals, alarm periods, lag thresholds). The
 * failover controller measures the real RTO of a real failover and reports it separately.
 */
import { CrossRegionLink, findCrossRegionLinks, LinkKind } from "./links";
import { RenderedResource, RenderedStack } from "./rendered";

/** A figure the model uses, with where it comes from. */
export interface Figure {
  readonly seconds: number;
  readonly basis: string;
}

/** Documented or modelled figures; README's posture table lists the same rows. */
export const FIGURES = {
  s3RtcSeconds: {
    seconds: 900,
    basis:
      "S3 RTC replicates 99.99% of objects within 15 minutes (docs.aws.amazon.com/AmazonS3/latest/userguide/replication-time-control.html)",
  },
  rdsLogUploadSeconds: {
    seconds: 300,
    basis:
      "RDS uploads transaction logs to S3 every 5 minutes; replication starts when they are ready (AmazonRDS/latest/UserGuide/USER_PIT.html, USER_ReplicateBackups.html)",
  },
  crossRegionCopySeconds: {
    seconds: 300,
    basis: "modelled transfer time of one cross-Region copy of incremental data (not an AWS bound)",
  },
  globalDatastoreLagSeconds: {
    seconds: 1,
    basis:
      "Global Datastore cross-Region replication latency is typically under one second (aws.amazon.com/elasticache/redis/global-datastore)",
  },
  dynamodbGlobalTableSeconds: {
    seconds: 1,
    basis:
      "global tables propagate changes to replicas typically within a second (amazondynamodb/latest/developerguide/V2globaltables_HowItWorks.html)",
  },
  redshiftAutomatedSnapshotSeconds: {
    seconds: 28800,
    basis:
      "Redshift takes automated snapshots about every 8 hours or 5 GB per node of changes (redshift/latest/mgmt/working-with-snapshots.html)",
  },
  rdsPromotionSeconds: {
    seconds: 300,
    basis:
      "read-replica promotion takes a few minutes (AmazonRDS/latest/UserGuide/USER_ReadRepl.Promote.html); modelled at 5 minutes",
  },
  globalDatastoreFailoverSeconds: {
    seconds: 120,
    basis:
      "modelled: promoting a Global Datastore secondary (FailoverGlobalReplicationGroup) completes in minutes",
  },
  nodeScaleUpSeconds: {
    seconds: 240,
    basis: "modelled: EC2 launch, bootstrap and kubelet join for a managed node group scale-up",
  },
  pulumiUpOverheadSeconds: {
    seconds: 60,
    basis: "modelled: Pulumi preview/diff and provider start for the dr stack update",
  },
  runnerStartSeconds: {
    seconds: 60,
    basis: "modelled: CodeBuild provisioning and npm ci before the controller starts",
  },
  preflightSeconds: { seconds: 15, basis: "modelled: stack outputs, CloudWatch lag reads, lock write" },
  verifySeconds: { seconds: 30, basis: "modelled: endpoint checks and output verification" },
  aliasTtlSeconds: {
    seconds: 60,
    basis:
      "alias records to an ALB answer with the ELB's 60-second TTL (Route53/latest/DeveloperGuide/resource-record-sets-choosing-alias-non-alias.html)",
  },
} as const satisfies Record<string, Figure>;

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

export interface RtoStep {
  readonly step: string;
  readonly seconds: number;
  readonly basis: string;
}

export interface StackPosture {
  readonly modelled: true;
  readonly rpoTargetSeconds: number;
  readonly stores: StorePosture[];
  readonly meetsRpoTarget: boolean;
  /** dr stack only. */
  readonly rtoTargetSeconds?: number;
  readonly rtoSeconds?: number;
  readonly rtoCriticalPath?: RtoStep[];
  readonly meetsRtoTarget?: boolean;
}

/** Store types the posture covers: the data stores of DESIGN.md's protection matrix. */
export const STORE_TYPES = new Set([
  "aws:rds/instance:Instance",
  "aws:elasticache/replicationGroup:ReplicationGroup",
  "aws:opensearch/domain:Domain",
  "aws:redshift/cluster:Cluster",
  "aws:s3/bucket:Bucket",
  "aws:dynamodb/table:Table",
]);

const REPLICA_KINDS: ReadonlySet<LinkKind> = new Set([
  "rds-read-replica",
  "elasticache-global-datastore",
  "opensearch-cross-cluster",
]);

function section(stack: RenderedStack, key: string): Record<string, unknown> {
  const value = stack.config[`payments-dr:${key}`];
  return value && typeof value === "object" ? (value as Record<string, unknown>) : {};
}

function numberSetting(stack: RenderedStack, key: string, field: string, fallback: number): number {
  const value = Number(section(stack, key)[field]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

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

function storePosture(
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

/** The failover's critical path, from the dr stack's own rendered settings. */
export function rtoCriticalPath(dr: RenderedStack): RtoStep[] {
  const trigger = (dr.outputs.failoverTrigger ?? {}) as Record<string, unknown>;
  const alarm = dr.resources.find(
    (r) =>
      r.type === "aws:cloudwatch/metricAlarm:MetricAlarm" &&
      (r.outputs.name === trigger.alarmName || r.inputs.name === trigger.alarmName),
  );
  const period = Number(alarm?.inputs.period);
  const evaluations = Number(alarm?.inputs.evaluationPeriods);
  const detection = Number.isFinite(period * evaluations)
    ? {
        seconds: period * evaluations,
        basis: `probe alarm: ${evaluations} evaluation periods of ${period} s`,
      }
    : { seconds: 180, basis: "no probe alarm rendered: modelled 3 minutes" };
  const healthCheck = dr.resources.find(
    (r) => r.type === "aws:route53/healthCheck:HealthCheck" && r.inputs.type === "HTTPS",
  );
  const interval = Number(healthCheck?.inputs.requestInterval ?? 30);
  const failures = Number(healthCheck?.inputs.failureThreshold ?? 3);
  const dnsSeconds = interval * failures + FIGURES.aliasTtlSeconds.seconds;
  const up =
    FIGURES.pulumiUpOverheadSeconds.seconds +
    Math.max(FIGURES.rdsPromotionSeconds.seconds, FIGURES.nodeScaleUpSeconds.seconds);
  const parallel = Math.max(dnsSeconds, FIGURES.globalDatastoreFailoverSeconds.seconds, up);
  return [
    { step: "detect (dr-Region probe alarm)", ...detection },
    { step: "start the controller", ...FIGURES.runnerStartSeconds },
    { step: "preflight and lock", ...FIGURES.preflightSeconds },
    {
      step: "in parallel: DNS lever + propagation, Global Datastore failover, dr stack up (replica promotion, node-group scale-up)",
      seconds: parallel,
      basis:
        `max of DNS ${dnsSeconds} s (health check ${failures} x ${interval} s + ${FIGURES.aliasTtlSeconds.seconds} s TTL), ` +
        `Global Datastore ${FIGURES.globalDatastoreFailoverSeconds.seconds} s, up ${up} s (overhead + max(promotion ${FIGURES.rdsPromotionSeconds.seconds} s, scale-up ${FIGURES.nodeScaleUpSeconds.seconds} s))`,
    },
    { step: "verify", ...FIGURES.verifySeconds },
  ];
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

export function stackPosture(
  stack: RenderedStack,
  all: readonly RenderedStack[],
  links = findCrossRegionLinks(all),
): StackPosture {
  const rpoTargetSeconds = numberSetting(stack, "targets", "rpoSeconds", 900);
  const stores = ownStores(stack, links).map((store) =>
    storePosture(store, stack, links, all, rpoTargetSeconds),
  );
  const posture: StackPosture = {
    modelled: true,
    rpoTargetSeconds,
    stores,
    meetsRpoTarget: stores.every((s) => s.meetsRpoTarget),
  };
  if (stack.config["payments-dr:role"] !== "dr") return posture;
  const rtoTargetSeconds = numberSetting(stack, "targets", "rtoSeconds", 1800);
  const path = rtoCriticalPath(stack);
  const rtoSeconds = path.reduce((sum, step) => sum + step.seconds, 0);
  return {
    ...posture,
    rtoTargetSeconds,
    rtoSeconds,
    rtoCriticalPath: path,
    meetsRtoTarget: rtoSeconds <= rtoTargetSeconds,
  };
}

export function formatPosture(stack: string, posture: StackPosture): string[] {
  const lines = [`  DR posture (modelled, not measured; the failover report gives the measured RTO)`];
  for (const store of posture.stores) {
    const verdict = store.meetsRpoTarget ? "meets" : "MISSES";
    lines.push(
      `    ${store.name.padEnd(34)} RPO ${store.rpoSeconds === null ? "unbounded" : `${store.rpoSeconds} s`} ${verdict} target ${posture.rpoTargetSeconds} s`,
    );
    for (const m of store.mechanisms) {
      lines.push(
        `      ${m.direction === "outbound" ? "->" : "<-"} ${m.kind} ${m.targetRegion} (declared by ${m.declaredBy}): ${m.rpoSeconds ?? "unbounded"}${m.rpoSeconds === null ? "" : " s"}`,
      );
    }
    if (store.mechanisms.length === 0) lines.push("      no cross-Region mechanism");
  }
  if (posture.rtoSeconds !== undefined) {
    lines.push(
      `    RTO estimate ${posture.rtoSeconds} s ${posture.meetsRtoTarget ? "meets" : "MISSES"} target ${posture.rtoTargetSeconds} s (stack ${stack}):`,
    );
    for (const step of posture.rtoCriticalPath ?? [])
      lines.push(`      ${String(step.seconds).padStart(5)} s  ${step.step}`);
  }
  return lines;
}

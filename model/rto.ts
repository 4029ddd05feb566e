/**
 * The RTO estimate of a failover: its critical path from detection to verification, read from the
 * dr stack's rendered settings (probe alarm, health check) and FIGURES. MODELLED, not measured:
 * the failover report measures the real RTO.
 */
import { FIGURES } from "./figures";
import { RenderedStack } from "./rendered";

export interface RtoStep {
  readonly step: string;
  readonly seconds: number;
  readonly basis: string;
}

/** Detection: the dr-Region probe alarm's evaluation window. */
function detectionStep(dr: RenderedStack): RtoStep {
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
  return { step: "detect (dr-Region probe alarm)", ...detection };
}

/** DNS lever and propagation: health-check failures plus the alias TTL. */
function dnsLever(dr: RenderedStack): { seconds: number; basis: string } {
  const healthCheck = dr.resources.find(
    (r) => r.type === "aws:route53/healthCheck:HealthCheck" && r.inputs.type === "HTTPS",
  );
  const interval = Number(healthCheck?.inputs.requestInterval ?? 30);
  const failures = Number(healthCheck?.inputs.failureThreshold ?? 3);
  return {
    seconds: interval * failures + FIGURES.aliasTtlSeconds.seconds,
    basis: `health check ${failures} x ${interval} s + ${FIGURES.aliasTtlSeconds.seconds} s TTL`,
  };
}

/** The failover's critical path, from the dr stack's own rendered settings. */
export function rtoCriticalPath(dr: RenderedStack): RtoStep[] {
  const dns = dnsLever(dr);
  const dnsSeconds = dns.seconds;
  const pods = podReadiness(dr);
  // Pods beyond the standby count schedule only on the new nodes; `up` waits for the Deployment's
  // rollout, so the scale-up path is the nodes, then the pods' start and readiness.
  const scaleUp = FIGURES.nodeScaleUpSeconds.seconds + FIGURES.podStartSeconds.seconds + pods.seconds;
  const up = FIGURES.pulumiUpOverheadSeconds.seconds + Math.max(FIGURES.rdsPromotionSeconds.seconds, scaleUp);
  const parallel = Math.max(dnsSeconds, FIGURES.globalDatastoreFailoverSeconds.seconds, up);
  return [
    detectionStep(dr),
    { step: "start the controller", ...FIGURES.runnerStartSeconds },
    { step: "preflight and lock", ...FIGURES.preflightSeconds },
    {
      step: "in parallel: DNS lever + propagation, Global Datastore failover, dr stack up (replica promotion, node-group then pod scale-up and readiness)",
      seconds: parallel,
      basis:
        `max of DNS ${dnsSeconds} s (${dns.basis}), ` +
        `Global Datastore ${FIGURES.globalDatastoreFailoverSeconds.seconds} s, up ${up} s (overhead + max(promotion ${FIGURES.rdsPromotionSeconds.seconds} s, ` +
        `scale-up ${scaleUp} s: nodes ${FIGURES.nodeScaleUpSeconds.seconds} s + pod start ${FIGURES.podStartSeconds.seconds} s + ${pods.basis}))`,
    },
    { step: "verify", ...FIGURES.verifySeconds },
  ];
}

/**
 * From a started container to a registered, healthy target: the Deployment's readiness probe
 * (period × success threshold) and the target group's healthy checks (threshold × interval).
 */
export function podReadiness(dr: RenderedStack): { seconds: number; basis: string } {
  const deployment = dr.resources.find((r) => r.type === "kubernetes:apps/v1:Deployment");
  const targetGroup = dr.resources.find((r) => r.type === "aws:lb/targetGroup:TargetGroup");
  const container = (
    deployment?.inputs.spec as
      { template?: { spec?: { containers?: { readinessProbe?: Record<string, unknown> }[] } } } | undefined
  )?.template?.spec?.containers?.[0];
  const probe = container?.readinessProbe;
  const check = targetGroup?.inputs.healthCheck as Record<string, unknown> | undefined;
  const probeSeconds = Number(probe?.periodSeconds) * Number(probe?.successThreshold ?? 1);
  const checkSeconds = Number(check?.healthyThreshold) * Number(check?.interval);
  if (!Number.isFinite(probeSeconds) || !Number.isFinite(checkSeconds)) {
    return {
      seconds: FIGURES.podReadinessFallbackSeconds.seconds,
      basis: "readiness (no Deployment rendered)",
    };
  }
  return {
    seconds: probeSeconds + checkSeconds,
    basis: `readiness ${probeSeconds} s probe + ${checkSeconds} s target-group checks`,
  };
}

/** What the cluster must do before the workload serves: scale up, scale from zero, or be created. */
export function computeRecovery(dr: RenderedStack): { seconds: number; basis: string } {
  const cluster = dr.resources.find((r) => r.type === "aws:eks/cluster:Cluster");
  const groups = dr.resources.filter((r) => r.type === "aws:eks/nodeGroup:NodeGroup");
  const running = groups.reduce(
    (n, g) => n + (Number(((g.inputs.scalingConfig ?? {}) as Record<string, unknown>).desiredSize) || 0),
    0,
  );
  if (!cluster) {
    const seconds =
      FIGURES.eksClusterCreateSeconds.seconds +
      FIGURES.nodeScaleUpSeconds.seconds +
      FIGURES.clusterBootstrapSeconds.seconds;
    return {
      seconds,
      basis: `no cluster: create it (${FIGURES.eksClusterCreateSeconds.seconds} s) + nodes (${FIGURES.nodeScaleUpSeconds.seconds} s) + add-ons and workload (${FIGURES.clusterBootstrapSeconds.seconds} s)`,
    };
  }
  if (running === 0)
    return {
      seconds: FIGURES.nodeScaleUpSeconds.seconds + FIGURES.workloadStartSeconds.seconds,
      basis: `cluster with no running capacity: scale up from zero (${FIGURES.nodeScaleUpSeconds.seconds} s) + workload start (${FIGURES.workloadStartSeconds.seconds} s)`,
    };
  const pods = podReadiness(dr);
  const seconds = FIGURES.nodeScaleUpSeconds.seconds + FIGURES.podStartSeconds.seconds + pods.seconds;
  return {
    seconds,
    basis: `${running} node(s) running the workload: scale up (nodes ${FIGURES.nodeScaleUpSeconds.seconds} s + pod start ${FIGURES.podStartSeconds.seconds} s + ${pods.basis})`,
  };
}

/** What recoveryCriticalPath needs of each store (model/recovery.ts's StoreRecovery). */
export interface RecoveryOnPath {
  readonly name: string;
  readonly recoverySeconds: number | null;
  readonly step?: "promote" | "global-datastore-failover" | "restore";
}

/**
 * The failover's critical path for whatever the dr stack renders: stores that are promoted or
 * restored from their copies and the cluster's compute join the dr stack update; a Global
 * Datastore failover runs beside it. For today's warm standby it equals rtoCriticalPath.
 * A store with no modelled recovery (null) makes the path unbounded: the caller reports it.
 */
export function recoveryCriticalPath(dr: RenderedStack, stores: readonly RecoveryOnPath[]): RtoStep[] {
  const dns = dnsLever(dr);
  const compute = computeRecovery(dr);
  const inUp = stores.filter((s) => s.step === "promote" || s.step === "restore");
  const slowest = inUp.reduce<RecoveryOnPath | undefined>(
    (a, s) => ((s.recoverySeconds ?? 0) > (a?.recoverySeconds ?? -1) ? s : a),
    undefined,
  );
  const storeSeconds = slowest?.recoverySeconds ?? 0;
  const up = FIGURES.pulumiUpOverheadSeconds.seconds + Math.max(storeSeconds, compute.seconds);
  const datastore = stores.some((s) => s.step === "global-datastore-failover")
    ? FIGURES.globalDatastoreFailoverSeconds.seconds
    : 0;
  const restores = stores.filter((s) => s.step === "restore");
  return [
    detectionStep(dr),
    { step: "start the controller", ...FIGURES.runnerStartSeconds },
    { step: "preflight and lock", ...FIGURES.preflightSeconds },
    ...(restores.length > 0
      ? [
          {
            step: `find the latest copied recovery points (${restores.map((s) => s.name).join(", ")}) and set them in config`,
            ...FIGURES.recoveryPointLookupSeconds,
          },
        ]
      : []),
    {
      step: "in parallel: DNS lever + propagation, Global Datastore failover, dr stack up (stores, compute)",
      seconds: Math.max(dns.seconds, datastore, up),
      basis:
        `max of DNS ${dns.seconds} s (${dns.basis}), Global Datastore ${datastore} s, ` +
        `up ${up} s (overhead ${FIGURES.pulumiUpOverheadSeconds.seconds} s + max(stores ${storeSeconds} s` +
        `${slowest ? ` (${slowest.name})` : ""}, compute ${compute.seconds} s: ${compute.basis}))`,
    },
    { step: "verify", ...FIGURES.verifySeconds },
  ];
}

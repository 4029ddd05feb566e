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
  const pods = podReadiness(dr);
  // Pods beyond the standby count schedule only on the new nodes; `up` waits for the Deployment's
  // rollout, so the scale-up path is the nodes, then the pods' start and readiness.
  const scaleUp = FIGURES.nodeScaleUpSeconds.seconds + FIGURES.podStartSeconds.seconds + pods.seconds;
  const up = FIGURES.pulumiUpOverheadSeconds.seconds + Math.max(FIGURES.rdsPromotionSeconds.seconds, scaleUp);
  const parallel = Math.max(dnsSeconds, FIGURES.globalDatastoreFailoverSeconds.seconds, up);
  return [
    { step: "detect (dr-Region probe alarm)", ...detection },
    { step: "start the controller", ...FIGURES.runnerStartSeconds },
    { step: "preflight and lock", ...FIGURES.preflightSeconds },
    {
      step: "in parallel: DNS lever + propagation, Global Datastore failover, dr stack up (replica promotion, node-group then pod scale-up and readiness)",
      seconds: parallel,
      basis:
        `max of DNS ${dnsSeconds} s (health check ${failures} x ${interval} s + ${FIGURES.aliasTtlSeconds.seconds} s TTL), ` +
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

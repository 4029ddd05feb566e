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

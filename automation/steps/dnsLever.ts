/**
 * The `dns-lever` step. `UpdateHealthCheck` is served by Route 53's control plane in us-east-1, the
 * primary's usual Region: when that Region is impaired the lever may not answer, and the failover
 * must not hang on it. Route 53's data plane keeps working there, so a lever that cannot be pulled
 * is safe to skip only when the PRIMARY record's health check is already failing: we read the
 * probe the failover trigger publishes in the dr Region (functions/probe/handler.ts) to know. A
 * primary that still serves (or no probe data) stops the run: promoting dr then would split writes.
 */
import { CloudWatchClient, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { Route53Client, UpdateHealthCheckCommand } from "@aws-sdk/client-route-53";
import { PROBE_HEALTHY_METRIC, PROBE_NAMESPACE } from "../../components/failover/failoverTrigger";
import { AccessDeniedError, awsCall, RetryPolicy } from "../aws/awsCall";
import { DEFAULT_PEER_TIMEOUT_MS, withDeadline } from "../aws/deadline";
import { FailoverError } from "../errors";
import { StepContext } from "../run/runner";

export interface DnsLeverInput {
  readonly route53: Route53Client;
  /** CloudWatch in the dr Region, where the probe publishes. */
  readonly cloudWatch: CloudWatchClient;
  readonly controlHealthCheckId: string;
  /** The public endpoint host name: the probe's `Endpoint` dimension. */
  readonly endpointHostName: string;
  /** Consecutive failed probes that make the primary DOWN (dns.healthCheckFailureThreshold). */
  readonly downDatapoints: number;
  /** `--force dns-lever`: the operator took primary out of service another way. @default false */
  readonly forced?: boolean;
  /** Deadline of the lever call, retries included (--peer-timeout-seconds). @default 10000 */
  readonly timeoutMs?: number;
  readonly retry?: RetryPolicy;
  readonly now?: () => Date;
}

/** Probe datapoints read back, newest first: enough for the threshold plus the probe's delay. */
export const PROBE_LOOKBACK_MINUTES = 5;

const describe = (error: unknown) =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);

/** The probe query, exported so tests assert exactly what is asked of CloudWatch. */
export function probeQuery(endpointHostName: string) {
  return {
    Id: "primaryHealthy",
    MetricStat: {
      Metric: {
        Namespace: PROBE_NAMESPACE,
        MetricName: PROBE_HEALTHY_METRIC,
        Dimensions: [{ Name: "Endpoint", Value: endpointHostName }],
      },
      Period: 60,
      Stat: "Maximum",
    },
    ReturnData: true,
  };
}

export type ProbeState = { readonly state: "down" | "up" | "unknown"; readonly detail: string };

/** DOWN only when the newest `downDatapoints` probes (1 = healthy, 0 = not) all failed. */
export function probeState(values: readonly number[], downDatapoints: number): ProbeState {
  const recent = values.slice(0, downDatapoints);
  const shown = `newest first: ${values.join(", ") || "none"}`;
  if (recent.length < downDatapoints) {
    return {
      state: "unknown",
      detail: `only ${values.length} probe datapoint(s) in the last ${PROBE_LOOKBACK_MINUTES} minutes (need ${downDatapoints}; ${shown})`,
    };
  }
  return recent.every((v) => v < 1)
    ? { state: "down", detail: `the last ${downDatapoints} probes of the primary endpoint failed (${shown})` }
    : {
        state: "up",
        detail: `the primary endpoint answered a probe in the last ${downDatapoints} minutes (${shown})`,
      };
}

async function readProbe(input: DnsLeverInput): Promise<ProbeState> {
  const now = (input.now ?? (() => new Date()))();
  try {
    const result = await awsCall(
      "cloudwatch:GetMetricData",
      () =>
        input.cloudWatch.send(
          new GetMetricDataCommand({
            MetricDataQueries: [probeQuery(input.endpointHostName)],
            StartTime: new Date(now.getTime() - PROBE_LOOKBACK_MINUTES * 60_000),
            EndTime: now,
            ScanBy: "TimestampDescending",
          }),
        ),
      input.retry,
    );
    const values = result.MetricDataResults?.find((r) => r.Id === "primaryHealthy")?.Values ?? [];
    return probeState(values, input.downDatapoints);
  } catch (error) {
    return { state: "unknown", detail: `the probe metric could not be read (${describe(error)})` };
  }
}

export async function pullDnsLever(input: DnsLeverInput, ctx: StepContext): Promise<string> {
  const id = input.controlHealthCheckId;
  try {
    // The deadline aborts the request itself, so the probe fallback gets its turn within it.
    await withDeadline(
      input.timeoutMs ?? DEFAULT_PEER_TIMEOUT_MS,
      ctx.signal,
      "route53:UpdateHealthCheck",
      (signal) =>
        awsCall(
          "route53:UpdateHealthCheck",
          () =>
            input.route53.send(new UpdateHealthCheckCommand({ HealthCheckId: id, Inverted: true }), {
              abortSignal: signal,
            }),
          input.retry,
        ),
    );
    return `control health check ${id} inverted: Route 53 now answers with the dr record`;
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    const failure = `route53:UpdateHealthCheck on control health check ${id} failed (${describe(error)})`;
    if (input.forced) {
      ctx.log(`WARNING: ${failure}; continuing because of --force dns-lever`);
      return `${failure}; overridden with --force dns-lever (primary taken out of service by the operator)`;
    }
    // A missing permission is not an impaired Region: the fix is the role's policy and a rerun.
    if (error instanceof AccessDeniedError) throw error;
    const probe = await readProbe(input);
    if (probe.state === "down") {
      ctx.log(`WARNING: ${failure}; continuing: ${probe.detail}`);
      return (
        `${failure}; continuing: ${probe.detail}, so the PRIMARY record's health check fails and ` +
        "Route 53's data plane answers with the dr record"
      );
    }
    throw new FailoverError(
      `${failure}, and the dr-Region probe (${PROBE_NAMESPACE} ${PROBE_HEALTHY_METRIC}, Endpoint=${input.endpointHostName}) ` +
        `does not show primary down: ${probe.detail}. Stopped before promoting anything: promoting dr while ` +
        "primary still serves would split writes. Retry later (Route 53's control plane is in us-east-1), or, only " +
        "if you have taken primary out of service another way, rerun with --force dns-lever.",
    );
  }
}

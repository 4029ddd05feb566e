/**
 * Probe: runs every minute in the dr Region, requests the primary Region's health-check path and
 * publishes the result as CloudWatch metrics in the dr Region (1 = healthy, 0 = not), so detection
 * keeps working when the primary Region, and Route 53's us-east-1 metrics, are gone.
 *
 * It connects to the primary load balancer itself, not the failover record: once Route 53 moves
 * the record to dr, probing the record would report dr's health and clear the alarm. TLS still
 * uses the public name (SNI, Host header and certificate check), as a client would.
 */
import * as https from "https";
import { CloudWatchClient, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";

export const METRIC_NAMESPACE = "PaymentsDr/Probe";
export const HEALTHY_METRIC = "PrimaryEndpointHealthy";
export const LATENCY_METRIC = "PrimaryEndpointLatency";

export interface ProbeConfig {
  /** Host to connect to: the primary Region's load balancer DNS name. */
  readonly targetHost: string;
  /** Public name of the endpoint: SNI, Host header and the name the certificate must match. */
  readonly hostName: string;
  readonly path: string;
  readonly timeoutMs: number;
}

export interface ProbeResult {
  readonly healthy: boolean;
  readonly latencyMs: number;
  readonly detail: string;
}

/** GETs the health path; resolves with the status code or rejects on network/TLS errors. */
export type GetStatus = (config: ProbeConfig) => Promise<number>;

export function readConfig(env: NodeJS.ProcessEnv): ProbeConfig {
  const required = (key: string): string => {
    const value = env[key];
    if (!value)
      throw new Error(`Environment variable ${key} is missing: the probe was deployed incompletely.`);
    return value;
  };
  const timeoutMs = Number(env.TIMEOUT_MS ?? "5000");
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
    throw new Error(`Environment variable TIMEOUT_MS = "${env.TIMEOUT_MS}": expected a positive integer.`);
  }
  return {
    targetHost: required("TARGET_HOST"),
    hostName: required("HOST_NAME"),
    path: required("HEALTH_PATH"),
    timeoutMs,
  };
}

export const httpsGetStatus: GetStatus = (config) =>
  new Promise((resolve, reject) => {
    const request = https.request(
      {
        host: config.targetHost,
        servername: config.hostName,
        path: config.path,
        method: "GET",
        headers: { Host: config.hostName, "User-Agent": "payments-dr-probe" },
        timeout: config.timeoutMs,
      },
      (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      },
    );
    request.on("timeout", () => request.destroy(new Error(`no response within ${config.timeoutMs} ms`)));
    request.on("error", reject);
    request.end();
  });

export async function probeOnce(
  config: ProbeConfig,
  getStatus: GetStatus,
  now: () => number = Date.now,
): Promise<ProbeResult> {
  const started = now();
  try {
    const status = await getStatus(config);
    const healthy = status >= 200 && status < 300;
    return { healthy, latencyMs: now() - started, detail: `HTTP ${status}` };
  } catch (error) {
    return {
      healthy: false,
      latencyMs: now() - started,
      detail: error instanceof Error ? error.message : String(error),
    };
  }
}

export function metricData(config: ProbeConfig, result: ProbeResult) {
  const dimensions = [{ Name: "Endpoint", Value: config.hostName }];
  return {
    Namespace: METRIC_NAMESPACE,
    MetricData: [
      {
        MetricName: HEALTHY_METRIC,
        Dimensions: dimensions,
        Value: result.healthy ? 1 : 0,
        Unit: "Count" as const,
      },
      {
        MetricName: LATENCY_METRIC,
        Dimensions: dimensions,
        Value: result.latencyMs,
        Unit: "Milliseconds" as const,
      },
    ],
  };
}

export function createHandler(deps: {
  cloudwatch: CloudWatchClient;
  config: ProbeConfig;
  getStatus?: GetStatus;
  log?: (line: string) => void;
}) {
  const log = deps.log ?? ((line: string) => console.log(line));
  return async (): Promise<ProbeResult> => {
    const result = await probeOnce(deps.config, deps.getStatus ?? httpsGetStatus);
    log(
      `${deps.config.hostName} via ${deps.config.targetHost}: ${result.healthy ? "healthy" : "UNHEALTHY"} (${result.detail}, ${result.latencyMs} ms)`,
    );
    await deps.cloudwatch.send(new PutMetricDataCommand(metricData(deps.config, result)));
    return result;
  };
}

let cached: (() => Promise<ProbeResult>) | undefined;

export async function handler(): Promise<ProbeResult> {
  cached ??= createHandler({ cloudwatch: new CloudWatchClient({}), config: readConfig(process.env) });
  return cached();
}

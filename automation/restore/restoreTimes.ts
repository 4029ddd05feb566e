/**
 * `npm run failover -- restore-times`: reads back the restore durations the restore-test validator
 * records (model/restoreTime.ts, RESTORE_DURATION_METRIC) and writes the measurements file
 * `npm run plan -- --restore-measurements <file>` shows next to the modelled restore times.
 */
import {
  CloudWatchClient,
  GetMetricStatisticsCommand,
  ListMetricsCommand,
  type Metric,
} from "@aws-sdk/client-cloudwatch";
import { RESTORE_DURATION_METRIC, RestoreMeasurement } from "../../model/restoreTime";

/** Hourly datapoints: CloudWatch returns at most 1,440 per request, so 60 days at most. */
export const RESTORE_TIMES_PERIOD_SECONDS = 3600;
export const MAX_RESTORE_TIMES_DAYS = 60;

export interface RestoreTimesFile {
  readonly source: string;
  readonly region: string;
  readonly from: string;
  readonly to: string;
  readonly measurements: RestoreMeasurement[];
}

async function listRestoreMetrics(cloudwatch: CloudWatchClient): Promise<Metric[]> {
  const metrics: Metric[] = [];
  let NextToken: string | undefined;
  do {
    const page = await cloudwatch.send(
      new ListMetricsCommand({
        Namespace: RESTORE_DURATION_METRIC.namespace,
        MetricName: RESTORE_DURATION_METRIC.name,
        ...(NextToken ? { NextToken } : {}),
      }),
    );
    metrics.push(...(page.Metrics ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return metrics;
}

/**
 * The longest restore, the number of restores and the latest one per (resource type, store) over
 * the last `days` days. A store with no datapoint in the window is left out.
 */
export async function readRestoreTimes(
  cloudwatch: CloudWatchClient,
  region: string,
  now: Date,
  days: number,
): Promise<RestoreTimesFile> {
  const from = new Date(now.getTime() - days * 86_400_000);
  const measurements: RestoreMeasurement[] = [];
  for (const metric of await listRestoreMetrics(cloudwatch)) {
    const dims = Object.fromEntries((metric.Dimensions ?? []).map((d) => [d.Name, d.Value]));
    if (!dims.ResourceType || !dims.Store) continue;
    const stats = await cloudwatch.send(
      new GetMetricStatisticsCommand({
        Namespace: RESTORE_DURATION_METRIC.namespace,
        MetricName: RESTORE_DURATION_METRIC.name,
        Dimensions: metric.Dimensions,
        StartTime: from,
        EndTime: now,
        Period: RESTORE_TIMES_PERIOD_SECONDS,
        Statistics: ["Maximum", "SampleCount"],
        Unit: "Seconds",
      }),
    );
    const points = (stats.Datapoints ?? []).filter((p) => p.Timestamp && p.Maximum !== undefined);
    if (points.length === 0) continue;
    const latest = points.reduce((a, b) => ((a.Timestamp as Date) > (b.Timestamp as Date) ? a : b));
    measurements.push({
      resourceType: dims.ResourceType,
      store: dims.Store,
      seconds: Math.max(...points.map((p) => p.Maximum as number)),
      samples: points.reduce((sum, p) => sum + (p.SampleCount ?? 0), 0),
      latestAt: (latest.Timestamp as Date).toISOString(),
    });
  }
  measurements.sort((a, b) => `${a.resourceType} ${a.store}`.localeCompare(`${b.resourceType} ${b.store}`));
  return {
    source: `CloudWatch ${RESTORE_DURATION_METRIC.namespace} ${RESTORE_DURATION_METRIC.name} (hourly Maximum, SampleCount)`,
    region,
    from: from.toISOString(),
    to: now.toISOString(),
    measurements,
  };
}

export function formatRestoreTimes(file: RestoreTimesFile): string {
  const lines = [`Measured restore times in ${file.region}, ${file.from} .. ${file.to} (${file.source}):`];
  if (file.measurements.length === 0) lines.push("  none: no restore test has completed in the window");
  for (const m of file.measurements)
    lines.push(
      `  ${m.resourceType.padEnd(9)} ${m.store.padEnd(44)} max ${m.seconds} s over ${m.samples} restore(s), latest hour ${m.latestAt}`,
    );
  return `${lines.join("\n")}\n`;
}

/**
 * Each run's measured RTO, kept as plain attributes on its record in the state table (`rtoSeconds`,
 * `rtoTargetSeconds`, `withinRto`, next to the full report) so the trend over the last runs is one
 * small query, shown at the end of every report: drills should show the RTO holding, not drifting.
 */
import { AttributeValue, QueryCommandInput } from "@aws-sdk/client-dynamodb";

export interface RtoPoint {
  readonly runId: string;
  readonly status: string;
  readonly finishedAt: string;
  /** Absent for a run that did not complete (no RTO was achieved). */
  readonly rtoSeconds?: number;
  readonly rtoTargetSeconds?: number;
  readonly withinRto?: boolean;
}

/** Runs shown in the trend. */
export const RTO_TREND_RUNS = 5;

type Item = Record<string, AttributeValue>;

interface ReportLike {
  readonly status?: string;
  readonly totalSeconds?: number;
  readonly rtoTargetSeconds?: number;
  readonly withinRto?: boolean;
}

/** The attributes a final report adds to its run's item; only a completed run has an RTO. */
export function rtoAttributes(report: unknown): Item {
  const r = (report ?? {}) as ReportLike;
  if (r.status !== "succeeded" || typeof r.totalSeconds !== "number") return {};
  return {
    rtoSeconds: { N: String(r.totalSeconds) },
    ...(typeof r.rtoTargetSeconds === "number"
      ? { rtoTargetSeconds: { N: String(r.rtoTargetSeconds) } }
      : {}),
    ...(typeof r.withinRto === "boolean" ? { withinRto: { BOOL: r.withinRto } } : {}),
  };
}

/** The newest `limit` runs of one partition, reading only the trend's attributes. */
export function rtoTrendQuery(tableName: string, pk: string, limit: number): QueryCommandInput {
  return {
    TableName: tableName,
    KeyConditionExpression: "pk = :pk AND begins_with(sk, :run)",
    ExpressionAttributeValues: { ":pk": { S: pk }, ":run": { S: "run#" } },
    ProjectionExpression: "runId, #status, updatedAt, rtoSeconds, rtoTargetSeconds, withinRto",
    // STATUS is a DynamoDB reserved word.
    ExpressionAttributeNames: { "#status": "status" },
    ScanIndexForward: false,
    Limit: limit,
  };
}

export function rtoPoint(item: Item): RtoPoint {
  return {
    runId: item.runId?.S ?? "",
    status: item.status?.S ?? "",
    finishedAt: item.updatedAt?.S ?? "",
    ...(item.rtoSeconds?.N !== undefined ? { rtoSeconds: Number(item.rtoSeconds.N) } : {}),
    ...(item.rtoTargetSeconds?.N !== undefined ? { rtoTargetSeconds: Number(item.rtoTargetSeconds.N) } : {}),
    ...(item.withinRto?.BOOL !== undefined ? { withinRto: item.withinRto.BOOL } : {}),
  };
}

/** One line per run, newest first. */
export function formatRtoTrend(points: readonly RtoPoint[]): string[] {
  if (points.length === 0) return [];
  const lines = [`  RTO trend (last ${points.length} run(s), newest first):`];
  for (const p of points) {
    const measured =
      p.rtoSeconds === undefined
        ? `${p.status}, no RTO`
        : `${p.rtoSeconds.toFixed(1)} s${p.rtoTargetSeconds !== undefined ? ` of ${p.rtoTargetSeconds} s` : ""}` +
          (p.withinRto === false ? " OVER target" : p.withinRto ? " within target" : "");
    lines.push(`    ${p.runId}  ${measured}`);
  }
  return lines;
}

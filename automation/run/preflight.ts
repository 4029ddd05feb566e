/**
 * Preflight: each check is one pass/fail line. A failed check stops the failover unless the
 * operator overrides it with `--force <check>` (or `--force` for every overridable check); each
 * override is named in the report. Checks that make a failover impossible (missing outputs, a lock
 * a live run holds) cannot be overridden.
 */
import { CloudWatchClient, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { awsCall, RetryPolicy } from "../aws/awsCall";
import { DrView, missingOutputs } from "../stack/drOutputs";

export type CheckId =
  "outputs-present" | "stack-standby" | "database-lag" | "cache-lag" | "lock" | "dns-lever";

/**
 * Checks `--force` may name. `dns-lever` is not a preflight check: it lets the dns-lever step go on
 * when Route 53's control plane does not answer and the probe cannot show primary down.
 */
export const FORCEABLE_CHECKS: readonly CheckId[] = [
  "stack-standby",
  "database-lag",
  "cache-lag",
  "lock",
  "dns-lever",
];

/** Overrides a bare `--force` never includes: each can hide a live primary or run, so it must be named. */
export const NAMED_ONLY_CHECKS: readonly CheckId[] = ["lock", "dns-lever"];

export interface CheckResult {
  readonly id: CheckId;
  readonly ok: boolean;
  readonly detail: string;
  /** Failed, but the operator overrode it. */
  readonly forced?: boolean;
  /** False for a failure no override may pass (a lock a live run holds). @default true */
  readonly overridable?: boolean;
}

export type ForceSelection = "all" | ReadonlySet<string>;

export function isForced(id: CheckId, force: ForceSelection): boolean {
  if (!FORCEABLE_CHECKS.includes(id)) return false;
  // A bare --force never takes a stale lock or skips the DNS lever: those must be named.
  return force === "all" ? !NAMED_ONLY_CHECKS.includes(id) : force.has(id);
}

export function applyForce(result: CheckResult, force: ForceSelection): CheckResult {
  const allowed = result.overridable !== false && isForced(result.id, force);
  return !result.ok && allowed ? { ...result, forced: true } : result;
}

export function checkOutputs(outputs: Record<string, unknown>, strategy?: string): CheckResult {
  const missing = missingOutputs(outputs, strategy);
  return missing.length === 0
    ? { id: "outputs-present", ok: true, detail: "every output the controller needs is present" }
    : {
        id: "outputs-present",
        ok: false,
        detail:
          `the dr stack has no output ${missing.join(", ")} (stacks/outputs.ts). ` +
          "Run `pulumi up --stack dr` with the current program first.",
      };
}

export function checkStandby(view: DrView): CheckResult {
  return view.mode === "standby"
    ? { id: "stack-standby", ok: true, detail: "dr stack mode is standby" }
    : {
        id: "stack-standby",
        ok: false,
        detail: `dr stack mode is "${view.mode}", expected "standby" (was it failed over without this controller?)`,
      };
}

export interface LagCheckInput {
  readonly cloudWatch: CloudWatchClient;
  readonly view: DrView;
  readonly maxLagSeconds: number;
  readonly now: Date;
  readonly retry?: RetryPolicy;
}

const LOOKBACK_MS = 10 * 60 * 1000;

/** The metric queries, exported so tests assert exactly what is asked of CloudWatch. */
export function lagQueries(view: DrView) {
  return [
    {
      Id: "databaseLag",
      MetricStat: {
        Metric: {
          Namespace: "AWS/RDS",
          MetricName: "ReplicaLag",
          Dimensions: [{ Name: "DBInstanceIdentifier", Value: view.database.instanceIdentifier }],
        },
        Period: 60,
        Stat: "Maximum",
      },
      ReturnData: true,
    },
    {
      // Published per node of the secondary replication group: take the worst node.
      Id: "cacheLag",
      Expression:
        `MAX(SEARCH('{AWS/ElastiCache,CacheClusterId} MetricName="GlobalDatastoreReplicationLag" ` +
        `"${view.cache.replicationGroupId}"', 'Maximum', 60))`,
      ReturnData: true,
    },
  ];
}

/** Replica lag of the RDS read replica and the Global Datastore secondary, from CloudWatch (dr Region). */
export async function checkReplicaLag(input: LagCheckInput): Promise<CheckResult[]> {
  const result = await awsCall(
    "cloudwatch:GetMetricData",
    () =>
      input.cloudWatch.send(
        new GetMetricDataCommand({
          MetricDataQueries: lagQueries(input.view),
          StartTime: new Date(input.now.getTime() - LOOKBACK_MS),
          EndTime: input.now,
          ScanBy: "TimestampDescending",
        }),
      ),
    input.retry,
  );
  const latest = (id: string) => result.MetricDataResults?.find((r) => r.Id === id)?.Values?.[0];
  const check = (id: "database-lag" | "cache-lag", queryId: string, what: string): CheckResult => {
    const value = latest(queryId);
    if (value === undefined) {
      return {
        id,
        ok: false,
        detail: `no ${what} datapoint in the last 10 minutes: replication may be broken, or the metric is delayed`,
      };
    }
    return {
      id,
      ok: value <= input.maxLagSeconds,
      detail: `${what} ${value} s (limit ${input.maxLagSeconds} s, failover.maxReplicaLagSeconds)`,
    };
  };
  return [
    check("database-lag", "databaseLag", "RDS ReplicaLag"),
    check("cache-lag", "cacheLag", "ElastiCache GlobalDatastoreReplicationLag"),
  ];
}

export function formatCheck(result: CheckResult): string {
  const mark = result.ok ? "PASS  " : result.forced ? "FORCED" : "FAIL  ";
  return `  ${mark} ${result.id.padEnd(16)} ${result.detail}`;
}

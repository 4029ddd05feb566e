/**
 * `npm run failover -- readiness`: would a failover work now? Read-only: it changes nothing, takes
 * no lock and writes no progress. Each check is one line (pass/fail, what was measured, the fix);
 * the command exits 0 only when every check passes, so a scheduler can page on it.
 */
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { EC2Client } from "@aws-sdk/client-ec2";
import { IAMClient } from "@aws-sdk/client-iam";
import { GetHealthCheckStatusCommand } from "@aws-sdk/client-route-53";
import { StackConfig } from "../../stacks/config";
import { awsCall, RetryPolicy } from "../aws/awsCall";
import { AwsClients } from "../aws/clients";
import { checkReplicaLag } from "../run/preflight";
import { DrView, outputAt } from "../stack/drOutputs";
import { RunRecord } from "../state/stateStore";
import { checkNodeCapacity } from "./capacity";
import { deniedActions, leverActions } from "./permissions";

/** A drill older than this fails the check: runbooks and people drift. @default 90 days */
export const MAX_DRILL_AGE_DAYS = 90;

export interface ReadinessCheck {
  readonly id: string;
  readonly ok: boolean;
  readonly detail: string;
  /** What to do when it fails. */
  readonly fix?: string;
}

export interface ReadinessReport {
  readonly stack: string;
  readonly ready: boolean;
  readonly checks: readonly ReadinessCheck[];
}

/** What a stack was last deployed from (its update's `git.head`), from `pulumi stack history`. */
export interface Deployment {
  readonly stack: string;
  readonly version?: number;
  readonly commit?: string;
  readonly dirty?: boolean;
}

export interface ReadinessClients {
  readonly iam: IAMClient;
  readonly ec2: EC2Client;
  /** CloudWatch in the dr Region (vCPU usage and quota). */
  readonly cloudWatch: CloudWatchClient;
}

export interface ReadinessInput {
  readonly stack: string;
  readonly config: StackConfig;
  readonly view: DrView;
  readonly outputs: Record<string, unknown>;
  readonly clients: AwsClients;
  readonly readinessClients: ReadinessClients;
  readonly deployments: () => Promise<readonly [Deployment, Deployment]>;
  readonly latestFailover: () => Promise<RunRecord | undefined>;
  /** The role the controller runs as (`--role-arn`). */
  readonly roleArn?: string;
  readonly now: Date;
  readonly retry?: RetryPolicy;
}

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Runs `check`; an AWS error is that check's failure, never the end of the report. */
async function guarded(id: string, fix: string, check: () => Promise<ReadinessCheck | ReadinessCheck[]>) {
  try {
    const result = await check();
    return Array.isArray(result) ? result : [result];
  } catch (error) {
    return [{ id, ok: false, detail: `could not check: ${describe(error)}`, fix }];
  }
}

export async function runReadiness(input: ReadinessInput): Promise<ReadinessReport> {
  const { view, clients, retry, config } = input;
  const str = (path: string) => String(outputAt(input.outputs, path) ?? "");
  const checks: ReadinessCheck[] = [];
  checks.push({
    id: "dr-standby",
    ok: view.mode === "standby",
    detail: `dr stack mode is ${view.mode}`,
    ...(view.mode === "standby"
      ? {}
      : { fix: "dr is already active: fail back first (npm run failover -- failback)" }),
  });
  const lagFix = "check replication in the console; see docs/failover-runbook.md (Preflight)";
  checks.push(
    ...(await guarded("replica-lag", lagFix, async () =>
      (
        await checkReplicaLag({
          cloudWatch: clients.cloudWatch,
          view,
          maxLagSeconds: config.failover.maxReplicaLagSeconds,
          now: input.now,
          retry,
        })
      ).map((c) => ({ id: c.id, ok: c.ok, detail: c.detail, ...(c.ok ? {} : { fix: lagFix }) })),
    )),
  );
  checks.push(
    ...(await guarded("search-lag", "check the follower's replication status", async () => {
      const host = view.search.endpoint.replace(/^https?:\/\//, "").split("/")[0];
      const response = await clients.signedHttp({
        method: "GET",
        host,
        path: "/_plugins/_replication/follower_stats",
      });
      if (response.statusCode !== 200) throw new Error(`follower_stats answered ${response.statusCode}`);
      const stats = JSON.parse(response.body || "{}") as Record<string, number | undefined>;
      const bad = ["num_failed_indices", "num_paused_indices"].filter((k) => (stats[k] ?? 0) > 0);
      const syncing = stats.num_syncing_indices ?? 0;
      const ok = syncing > 0 && bad.length === 0;
      return {
        id: "search-lag",
        ok,
        detail: `${syncing} follower index(es) syncing${bad.map((k) => `, ${k} ${stats[k]}`).join("")}`,
        ...(ok
          ? {}
          : {
              fix: "GET _plugins/_replication/<index>/_status on the dr domain; resume or restart the follower",
            }),
      };
    })),
  );
  checks.push(
    ...(await guarded("dr-workload-healthy", "check the dr load balancer's targets", async () => {
      const id = str("dns.healthCheckId");
      const status = await awsCall(
        "route53:GetHealthCheckStatus",
        () => clients.route53.send(new GetHealthCheckStatusCommand({ HealthCheckId: id })),
        retry,
      );
      const observations = status.HealthCheckObservations ?? [];
      const healthy = observations.filter((o) => (o.StatusReport?.Status ?? "").startsWith("Success")).length;
      const ok = observations.length > 0 && healthy * 2 > observations.length;
      return {
        id: "dr-workload-healthy",
        ok,
        detail: `Route 53 health check ${id} of the dr endpoint: ${healthy} of ${observations.length} checkers see it healthy`,
        ...(ok
          ? {}
          : {
              fix: "kubectl get pods -n payments on the dr cluster; check the load balancer's target health",
            }),
      };
    })),
  );
  checks.push(
    ...(await guarded("node-capacity", "check the node group and the EC2 vCPU quota", async () => {
      const result = await checkNodeCapacity({
        describeNodegroup: clients.describeNodegroup,
        ec2: input.readinessClients.ec2,
        cloudWatch: input.readinessClients.cloudWatch,
        clusterName: str("eks.clusterName"),
        nodegroupName: str("eks.nodeGroupName"),
        instanceType: config.eks.nodeInstanceType,
        activeNodeCount: config.eks.activeNodeCount,
        now: input.now,
        retry,
      });
      return { id: "node-capacity", ...result };
    })),
  );
  checks.push(
    ...(await guarded("same-version", "pulumi stack history --stack <each>", async () => {
      const [dr, primary] = await input.deployments();
      const show = (d: Deployment) =>
        `${d.stack} update ${d.version ?? "?"} from ${d.commit ?? "an unknown commit"}${d.dirty ? " (dirty tree)" : ""}`;
      const ok = dr.commit !== undefined && dr.commit === primary.commit && !dr.dirty && !primary.dirty;
      return {
        id: "same-version",
        ok,
        detail: `${show(primary)}; ${show(dr)}`,
        ...(ok
          ? {}
          : { fix: `pulumi up --stack ${input.stack} from the commit primary runs (a clean checkout)` }),
      };
    })),
  );
  checks.push(
    ...(await guarded("lever-permissions", "grant the role the denied actions", async () => {
      if (!input.roleArn) {
        return {
          id: "lever-permissions",
          ok: false,
          detail: "no role to simulate",
          fix: "pass --role-arn <the role the controller runs as>",
        };
      }
      const account = str("database.instanceArn").split(":")[4] ?? "";
      const levers = leverActions(
        view,
        account,
        str("failoverState.tableArn"),
        str("search.domainArn"),
        str("database.instanceArn"),
      );
      const denied = await deniedActions(input.readinessClients.iam, input.roleArn, levers, retry);
      const count = levers.reduce((n, l) => n + l.actions.length, 0);
      return denied.length === 0
        ? {
            id: "lever-permissions",
            ok: true,
            detail: `${input.roleArn} may take all ${count} failover actions`,
          }
        : {
            id: "lever-permissions",
            ok: false,
            detail: `${input.roleArn} is denied ${denied.join("; ")}`,
            fix: "allow those actions in the role's policy (components/failover/failoverRunnerPolicy.ts)",
          };
    })),
  );
  checks.push(
    ...(await guarded("last-drill", "run a game-day drill (docs/drills.md)", async () => {
      const run = await input.latestFailover();
      if (!run)
        return {
          id: "last-drill",
          ok: false,
          detail: "no failover run recorded in the state table",
          fix: "run a game-day drill (docs/drills.md)",
        };
      const days = Math.floor((input.now.getTime() - new Date(run.startedAt).getTime()) / 86_400_000);
      const ok = run.status === "succeeded" && days <= MAX_DRILL_AGE_DAYS;
      return {
        id: "last-drill",
        ok,
        detail: `last failover run ${run.runId} ${run.status}, ${days} day(s) ago (limit ${MAX_DRILL_AGE_DAYS})`,
        ...(ok ? {} : { fix: "run a game-day drill (docs/drills.md)" }),
      };
    })),
  );
  return { stack: input.stack, ready: checks.every((c) => c.ok), checks };
}

export function formatReadiness(report: ReadinessReport): string {
  const lines = [`Readiness of stack ${report.stack} for a failover:`];
  for (const c of report.checks) {
    lines.push(
      `  ${c.ok ? "PASS" : "FAIL"}  ${c.id.padEnd(20)} ${c.detail}${c.ok || !c.fix ? "" : ` — fix: ${c.fix}`}`,
    );
  }
  lines.push(
    report.ready
      ? "Ready: a failover would work now."
      : `NOT READY: ${report.checks.filter((c) => !c.ok).length} check(s) failed.`,
  );
  return `${lines.join("\n")}\n`;
}

/** What the command prints and its exit code: 0 only when every check passed. */
export function readinessOutput(report: ReadinessReport, json: boolean): { text: string; exitCode: number } {
  return {
    text: json ? `${JSON.stringify(report, null, 2)}\n` : formatReadiness(report),
    exitCode: report.ready ? 0 : 1,
  };
}

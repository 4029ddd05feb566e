/**
 * The failover steps, in dependency order. Their ids are part of the progress records in the state
 * table (a renamed step would be re-run on resume): change them only with care.
 *
 *   dns-lever ─┬─ cache-promote ──┐
 *              ├─ search-promote ─┼─ verify ── stack-reconcile (non-critical)
 *              └─ stack-activate ─┘
 *
 * Primary leaves DNS first so nothing writes to the old primary while the dr copies are promoted
 * (no split brain); the three promotions are independent and run in parallel. `stack-activate`
 * applies only the dr stack's in-Region changes; `stack-reconcile` brings in the changes in the
 * primary's Region once the failover is verified, and may fail while that Region is down without
 * failing the run (stackUpdate.ts).
 */
import { RetryPolicy } from "../aws/awsCall";
import { memberRole, promoteCache } from "./cachePromotion";
import { AwsClients } from "../aws/clients";
import { pullDnsLever } from "./dnsLever";
import { DrView, outputAt } from "../stack/drOutputs";
import { drStateProblems } from "../state/drState";
import { FailoverError } from "../errors";
import { promoteFollower } from "./opensearchReplication";
import { StepDefinition } from "../run/runner";
import { activateInRegion, DrStackOps, reconcile, StackUpdateDeps } from "../stack/stackUpdate";

export interface StepPlan {
  readonly id: string;
  readonly title: string;
  readonly dependsOn: readonly string[];
  /**
   * Whether the run fails when this step does. A non-critical step's failure is a warning in the
   * report, and a rerun resumes it. @default true
   */
  readonly critical?: boolean;
}

export const isCritical = (step: Pick<StepPlan, "critical">) => step.critical !== false;

export const FAILOVER_PLAN: readonly StepPlan[] = [
  {
    id: "dns-lever",
    title: "Take primary out of DNS: invert the primary's control health check (Route 53)",
    dependsOn: [],
  },
  {
    id: "cache-promote",
    title:
      "Promote the Global Datastore secondary in the dr Region (ungraceful if the primary Region is down)",
    dependsOn: ["dns-lever"],
  },
  {
    id: "search-promote",
    title: "Stop OpenSearch cross-cluster replication on the follower (autofollow rule and follower indices)",
    dependsOn: ["dns-lever"],
  },
  {
    id: "stack-activate",
    title:
      "Set payments-dr:mode=active on the dr stack, preview, and up --target its in-Region changes (RDS replica promotion, node group and payments Deployment scale-up)",
    dependsOn: ["dns-lever"],
  },
  {
    id: "verify",
    title: "Verify: dr outputs show the promoted resources, the cache is writable, the endpoint is healthy",
    dependsOn: ["cache-promote", "search-promote", "stack-activate"],
  },
  {
    id: "stack-reconcile",
    title: "Full up of the dr stack: the changes in the primary's Region that stack-activate deferred",
    dependsOn: ["verify"],
    critical: false,
  },
];

export type { DrStackOps } from "../stack/stackUpdate";

export interface FailoverStepDeps {
  readonly view: DrView;
  readonly clients: AwsClients;
  readonly stack: DrStackOps;
  /** The dr stack's name as passed by the operator (for rerun hints). */
  readonly stackName: string;
  /** Regions whose changes wait for stack-reconcile. @default [view.primary.region] */
  readonly peerRegions?: readonly string[];
  readonly activeNodeCount: number;
  readonly healthCheckPath: string;
  /** Consecutive failed dr-Region probes that mean primary is down (dns.healthCheckFailureThreshold). */
  readonly probeDownDatapoints: number;
  /** `--force dns-lever`: continue when the lever call fails, without the probe. @default false */
  readonly forceDnsLever?: boolean;
  readonly retry?: RetryPolicy;
  /** Deadline of each call into the primary Region (--peer-timeout-seconds). @default 10000 */
  readonly peerTimeoutMs?: number;
  /** Wait between verification polls. @default 10 s sleep */
  readonly pollSleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

const hostOf = (endpoint: string) => endpoint.replace(/^https?:\/\//, "").split("/")[0];

export const abortableSleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    // The listener goes when the sleep ends: a polling step must not pile them up on its signal.
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });

/** Problems with the dr stack's state after the update; empty when failover is complete. */
export function verifyOutputs(outputs: Record<string, unknown>, activeNodeCount: number): string[] {
  const problems: string[] = [];
  if (outputAt(outputs, "mode") !== "active")
    problems.push(`mode is ${String(outputAt(outputs, "mode"))}, not active`);
  if (outputAt(outputs, "database.isReplica") !== false)
    problems.push("database.isReplica is not false (RDS not promoted)");
  const desired = outputAt(outputs, "eks.desiredNodeCount");
  if (desired !== undefined && Number(desired) !== activeNodeCount) {
    problems.push(`eks.desiredNodeCount is ${String(desired)}, expected ${activeNodeCount}`);
  }
  return problems;
}

/** What the in-Region stack updates need: the dr stack, its Region, and the peer Regions it must not touch. */
export function stackUpdateDeps<Stack>(
  deps: Pick<FailoverStepDeps, "stackName" | "view" | "peerRegions"> & { readonly stack: Stack },
): Omit<StackUpdateDeps, "stack"> & { readonly stack: Stack } {
  return {
    stack: deps.stack,
    stackName: deps.stackName,
    stackRegion: deps.view.region,
    peerRegions: deps.peerRegions ?? [deps.view.primary.region],
  };
}

/** The DNS lever step, the same in every strategy: invert the primary's control health check. */
export function dnsLeverRun(deps: Omit<FailoverStepDeps, "stack">): StepDefinition["run"] {
  const { view, clients, retry } = deps;
  return (ctx) =>
    pullDnsLever(
      {
        route53: clients.route53,
        cloudWatch: clients.cloudWatch,
        controlHealthCheckId: view.primary.controlHealthCheckId,
        endpointHostName: hostOf(view.primary.endpointUrl),
        downDatapoints: deps.probeDownDatapoints,
        forced: deps.forceDnsLever,
        timeoutMs: deps.peerTimeoutMs,
        retry,
      },
      ctx,
    );
}

export function failoverSteps(deps: FailoverStepDeps): StepDefinition[] {
  const { view, clients, retry } = deps;
  const sleep = deps.pollSleep ?? abortableSleep;
  const update = stackUpdateDeps(deps);
  const runs: Record<string, StepDefinition["run"]> = {
    "dns-lever": dnsLeverRun(deps),
    "cache-promote": (ctx) =>
      promoteCache(
        { dr: clients.elastiCache, primary: clients.primaryElastiCache },
        {
          globalReplicationGroupId: view.cache.globalReplicationGroupId,
          drReplicationGroupId: view.cache.replicationGroupId,
          drRegion: view.region,
        },
        { retry, log: ctx.log, signal: ctx.signal, peerTimeoutMs: deps.peerTimeoutMs },
      ),
    "search-promote": () =>
      promoteFollower(
        clients.signedHttp,
        {
          // As output: a host name, or a URL whose scheme and port must be kept.
          host: view.search.endpoint,
          connectionAlias: view.search.connectionAlias,
          followRuleName: view.search.followRuleName,
        },
        retry,
      ),
    "stack-activate": (ctx) => activateInRegion(update, ctx),
    "stack-reconcile": (ctx) => reconcile(update, ctx),
    verify: async (ctx) => {
      const outputs = await deps.stack.outputs();
      const problems = verifyOutputs(outputs, deps.activeNodeCount);
      if (problems.length)
        throw new FailoverError(`dr stack outputs after the update: ${problems.join("; ")}`);
      const url = `${view.ingressEndpointUrl.replace(/\/$/, "")}${deps.healthCheckPath}`;
      const state = {
        rds: clients.rds,
        describeNodegroup: clients.describeNodegroup,
        dbInstanceIdentifier: view.database.instanceIdentifier,
        clusterName: String(outputAt(outputs, "eks.clusterName") ?? ""),
        nodegroupName: String(outputAt(outputs, "eks.nodeGroupName") ?? ""),
        activeNodeCount: deps.activeNodeCount,
        retry,
      };
      if (!state.clusterName || !state.nodegroupName)
        throw new FailoverError("dr stack outputs have no eks.clusterName / eks.nodeGroupName to verify");
      // The real resources, not the outputs: the promotion, the scale-up and the cache failover
      // settle over minutes, and DNS answers change within the record TTL (≤ 60 s): poll until all
      // are right or the step timeout aborts. Access denied is thrown at once by awsCall.
      for (let attempt = 1; ; attempt++) {
        const actual = await drStateProblems(state);
        const role = await memberRole(
          clients.elastiCache,
          view.cache.globalReplicationGroupId,
          view.cache.replicationGroupId,
          retry,
        );
        let health: string;
        try {
          const response = await clients.httpGet(url, 10_000, ctx.signal);
          health =
            response.statusCode >= 200 && response.statusCode < 300 ? "ok" : `HTTP ${response.statusCode}`;
        } catch (error) {
          health = error instanceof Error ? error.message : String(error);
        }
        const cacheOk = role === "PRIMARY" || role === "detached";
        if (actual.length === 0 && cacheOk && health === "ok") {
          return (
            `RDS ${state.dbInstanceIdentifier} standalone and available; node group ${state.nodegroupName} ACTIVE at ` +
            `${deps.activeNodeCount} nodes; cache ${role === "PRIMARY" ? "primary" : "standalone"}; ${url} healthy`
          );
        }
        ctx.log(
          `attempt ${attempt}: ${[...actual, `cache member role ${role}`, `${url}: ${health}`].join("; ")}; retrying in 10 s`,
        );
        await sleep(10_000, ctx.signal);
      }
    },
  };
  return FAILOVER_PLAN.map((plan) => ({ ...plan, run: runs[plan.id] }));
}

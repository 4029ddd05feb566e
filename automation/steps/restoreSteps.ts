/**
 * The failover steps of a backup-restore dr stack (docs/strategies.md): there is no replica to
 * promote, so the stores are created from the copies in the dr Region. Ids are stored in the
 * state table like FAILOVER_PLAN's (a renamed step would re-run on resume).
 *
 *   find-restore-points ─┬─ dns-lever ─────────┬─ stack-activate ── verify ── stack-reconcile (non-critical)
 *                        └─ set-restore-config ┘
 *
 * The copies are found first: a missing or stale one refuses the run before DNS or the stack is
 * touched. `set-restore-config` writes `payments-dr:restore.database`, `restore.cache` and
 * `mode=active` only where they differ (a rerun changes nothing); `stack-activate` is the in-Region
 * `up` that restores the database and seeds the cache, under a timeout of at least the RTO target.
 */
import { DescribeReplicationGroupsCommand } from "@aws-sdk/client-elasticache";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { awsCall } from "../aws/awsCall";
import { outputAt } from "../stack/drOutputs";
import { drStateProblems } from "../state/drState";
import { FailoverError } from "../errors";
import { StepContext, StepDefinition } from "../run/runner";
import { applyInRegion, reconcile, StackUpdateDeps } from "../stack/stackUpdate";
import { findRestoreCopies, RestoreCopies } from "./restoreCopies";
import {
  abortableSleep,
  dnsLeverRun,
  FailoverStepDeps,
  stackUpdateDeps,
  StepPlan,
  verifyOutputs,
} from "./steps";

export const RESTORE_PLAN: readonly StepPlan[] = [
  {
    id: "find-restore-points",
    title:
      "Find the newest copies in the dr Region: the RDS recovery point in the copy vault, the exported cache .rdb in the replica bucket",
    dependsOn: [],
  },
  {
    id: "dns-lever",
    title: "Take primary out of DNS: invert the primary's control health check (Route 53)",
    dependsOn: ["find-restore-points"],
  },
  {
    id: "set-restore-config",
    title:
      "Set payments-dr:restore.database, restore.cache and mode=active on the dr stack (where they differ)",
    dependsOn: ["find-restore-points"],
  },
  {
    id: "stack-activate",
    title:
      "Preview and up --target the dr stack's in-Region changes: restore the database from its snapshot, seed the cache from its .rdb, scale up",
    dependsOn: ["dns-lever", "set-restore-config"],
  },
  {
    id: "verify",
    title: "Verify: dr outputs active, the restored database and cache available, the endpoint healthy",
    dependsOn: ["stack-activate"],
  },
  {
    id: "stack-reconcile",
    title: "Full up of the dr stack: the changes in the primary's Region that stack-activate deferred",
    dependsOn: ["verify"],
    critical: false,
  },
];

/** What the restore steps need of the dr stack beyond the update: its config, read and set. */
export interface RestoreStackOps {
  getConfigValue(key: string): Promise<string | undefined>;
  setConfigValue(key: string, value: string): Promise<void>;
  preview(onEvent: (event: EngineEvent) => void, signal?: AbortSignal): Promise<void>;
  setActiveMode(): Promise<void>;
  up: StackUpdateDeps["stack"]["up"];
  outputs(): Promise<Record<string, unknown>>;
}

export interface RestoreStepDeps extends Omit<FailoverStepDeps, "stack"> {
  readonly stack: RestoreStackOps;
  /** `targets.rpoSeconds`: the oldest copy the run accepts. */
  readonly rpoSeconds: number;
  /** stack-activate's timeout: a restore takes tens of minutes. */
  readonly activateTimeoutSeconds: number;
  readonly now: () => Date;
}

/** The config keys set-restore-config writes, in order, for the copies found. */
export function restoreConfig(copies: Pick<RestoreCopies, "database" | "cache">): [string, string][] {
  return [
    ["payments-dr:restore.database", copies.database],
    ["payments-dr:restore.cache", copies.cache],
    ["payments-dr:mode", "active"],
  ];
}

export function restoreSteps(deps: RestoreStepDeps): StepDefinition[] {
  const { view, clients, retry } = deps;
  const sleep = deps.pollSleep ?? abortableSleep;
  const update = stackUpdateDeps(deps);
  let found: RestoreCopies | undefined;
  const find = async () =>
    (found = await findRestoreCopies(
      clients,
      {
        copyVaultArn: view.primary.copyVaultArn,
        cacheSnapshotBucket: view.primary.cacheSnapshotReplicaBucketName,
        primaryCacheReplicationGroupId: view.primary.cacheReplicationGroupId,
      },
      deps.now(),
      deps.rpoSeconds,
      retry,
    ));
  const runs: Record<string, (ctx: StepContext) => Promise<string>> = {
    "find-restore-points": async () => {
      const copies = await find();
      return (
        `database ${copies.database} (${copies.databaseAgeSeconds} s old); ` +
        `cache ${copies.cache} (${copies.cacheAgeSeconds} s old); RPO target ${deps.rpoSeconds} s`
      );
    },
    "dns-lever": dnsLeverRun(deps),
    "set-restore-config": async (ctx) => {
      // Resumed after find-restore-points succeeded in an earlier attempt: find them again (as new or newer).
      const copies = found ?? (await find());
      const changed: string[] = [];
      for (const [key, value] of restoreConfig(copies)) {
        ctx.signal.throwIfAborted();
        if ((await deps.stack.getConfigValue(key)) === value) continue;
        await deps.stack.setConfigValue(key, value);
        changed.push(key);
      }
      return changed.length ? `set ${changed.join(", ")}` : "already set; nothing changed";
    },
    "stack-activate": (ctx) => applyInRegion(update, ctx),
    "stack-reconcile": (ctx) => reconcile(update, ctx),
    verify: async (ctx) => {
      const outputs = await deps.stack.outputs();
      const problems = verifyOutputs(outputs, deps.activeNodeCount);
      const cacheId = String(outputAt(outputs, "cache.replicationGroupId") ?? "");
      if (!cacheId) problems.push("cache.replicationGroupId is empty (cache not restored)");
      if (problems.length)
        throw new FailoverError(`dr stack outputs after the update: ${problems.join("; ")}`);
      const state = {
        rds: clients.rds,
        describeNodegroup: clients.describeNodegroup,
        dbInstanceIdentifier: view.database.instanceIdentifier,
        clusterName: String(outputAt(outputs, "eks.clusterName") ?? ""),
        nodegroupName: String(outputAt(outputs, "eks.nodeGroupName") ?? ""),
        activeNodeCount: deps.activeNodeCount,
        retry,
      };
      const url = `${view.ingressEndpointUrl.replace(/\/$/, "")}${deps.healthCheckPath}`;
      for (let attempt = 1; ; attempt++) {
        const actual = await drStateProblems(state);
        const group = (
          await awsCall(
            "elasticache:DescribeReplicationGroups",
            () =>
              clients.elastiCache.send(new DescribeReplicationGroupsCommand({ ReplicationGroupId: cacheId })),
            retry,
          )
        ).ReplicationGroups?.[0];
        if (group?.Status !== "available")
          actual.push(`cache ${cacheId} status is ${group?.Status ?? "unknown"}, not available`);
        let health: string;
        try {
          const response = await clients.httpGet(url, 10_000, ctx.signal);
          health =
            response.statusCode >= 200 && response.statusCode < 300 ? "ok" : `HTTP ${response.statusCode}`;
        } catch (error) {
          health = error instanceof Error ? error.message : String(error);
        }
        if (actual.length === 0 && health === "ok") {
          return (
            `RDS ${state.dbInstanceIdentifier} restored and available; cache ${cacheId} available; node group ` +
            `${state.nodegroupName} at ${deps.activeNodeCount} nodes; ${url} healthy`
          );
        }
        ctx.log(`attempt ${attempt}: ${[...actual, `${url}: ${health}`].join("; ")}; retrying in 10 s`);
        await sleep(10_000, ctx.signal);
      }
    },
  };
  return RESTORE_PLAN.map((plan) => ({
    ...plan,
    ...(plan.id === "stack-activate" ? { timeoutSeconds: deps.activateTimeoutSeconds } : {}),
    run: runs[plan.id],
  }));
}

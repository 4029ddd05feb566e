/**
 * The failover controller: preflight, lock, steps, report. CLI concerns (arguments, the approval
 * prompt, printing) stay in cli.ts; everything here takes its collaborators as arguments so tests
 * drive it with a fake Pulumi CLI and mocked AWS clients.
 */
import { AwsClients } from "../aws/clients";
import { DrView, drView } from "../stack/drOutputs";
import { DrStack } from "../stack/drStack";
import { FailoverError } from "../errors";
import { applyForce, CheckResult, checkOutputs, checkReplicaLag, formatCheck, isForced } from "./preflight";
import { executeRun, newRunId } from "./execute";
import { lagAfterPromotion } from "../state/resumePolicy";
import { assess, pendingSteps, recheckUnderLock, standbyCheck } from "./decide";
import { RunReport } from "./report";
import { LockInfo, RunRecord, StateStore } from "../state/stateStore";
import { DrStackOps, FAILOVER_PLAN, failoverSteps } from "../steps/steps";

import { ControllerOptions } from "./options";
import { RESTORE_PLAN, RestoreStackOps, restoreSteps } from "../steps/restoreSteps";

export type { ControllerOptions };
export { pendingSteps };

/** A preflight's verdict: every check as applied, and the stale lock a forced `lock` check takes over. */
export interface PreflightOutcome {
  readonly results: CheckResult[];
  readonly takeOver?: LockInfo;
}

/**
 * The end of every preflight (failover and failback): the lock check joins the others, each check
 * is printed with the run's notes, and the run is refused, with nothing changed, if a check failed
 * and was not forced.
 */
export async function concludePreflight(
  checks: CheckResult[],
  store: StateStore,
  options: Pick<ControllerOptions, "force" | "log">,
  notes: readonly string[],
  at: Date,
  refusal: (failedChecks: string) => string,
): Promise<PreflightOutcome> {
  const lock = checkLock(await store.readLock(), at);
  const results = [...checks, lock.result].map((c) => applyForce(c, options.force));
  options.log("Preflight:");
  for (const result of results) options.log(formatCheck(result));
  for (const note of notes) options.log(`  NOTE   ${note}`);
  const blocking = results.filter((r) => !r.ok && !r.forced);
  if (blocking.length) throw new FailoverError(refusal(blocking.map((b) => b.id).join(", ")), false);
  return { results, takeOver: results.find((r) => r.id === "lock")?.forced ? lock.takeOver : undefined };
}

export interface LockCheck {
  readonly result: CheckResult;
  readonly takeOver?: LockInfo;
}

export function checkLock(lock: LockInfo | undefined, now: Date): LockCheck {
  if (!lock) return { result: { id: "lock", ok: true, detail: "no other run holds the lock" } };
  const remaining = lock.expiresAt - Math.floor(now.getTime() / 1000);
  if (remaining > 0) {
    return {
      result: {
        id: "lock",
        ok: false,
        detail: `run ${lock.runId} by ${lock.owner} holds the lock (expires in ${remaining} s); it cannot be overridden while live`,
        overridable: false,
      },
    };
  }
  return {
    result: {
      id: "lock",
      ok: false,
      detail:
        `stale lock of run ${lock.runId} by ${lock.owner} (expired ${-remaining} s ago, the run probably crashed); ` +
        "take it over with --force lock",
    },
    takeOver: lock,
  };
}

interface Prepared {
  readonly stack: DrStack;
  readonly view: DrView;
  readonly clients: AwsClients;
  readonly store: StateStore;
}

async function prepare(
  options: ControllerOptions,
  kind: RunRecord["kind"],
): Promise<Prepared & { outputs: Record<string, unknown> }> {
  const stackName = options.stackName ?? options.config.stackName;
  const stack = await DrStack.select({
    workDir: options.workDir,
    stackName,
    primaryStackName: options.config.primaryStack,
    pulumiCommand: options.pulumiCommand,
  });
  const outputs = await stack.outputs();
  const outputsCheck = checkOutputs(outputs, kind === "failover" ? options.config.strategy : undefined);
  if (!outputsCheck.ok) {
    options.log(formatCheck(outputsCheck));
    throw new FailoverError(`Preflight failed: ${outputsCheck.detail}`, false);
  }
  const view = drView(outputs);
  const clients = options.clientFactory({
    drRegion: view.region,
    primaryRegion: view.primary.region,
    ...(options.peerTimeoutMs !== undefined ? { peerTimeoutMs: options.peerTimeoutMs } : {}),
  });
  const store = new StateStore(clients.dynamoDb, view.failoverStateTableName, stackName, {
    now: options.now,
    retry: options.retry,
    kind,
  });
  return { stack, view, clients, store, outputs };
}

function noop(
  kind: RunRecord["kind"],
  stackName: string,
  last: RunRecord,
  now: Date,
  rto: number,
): RunReport {
  const previous = last.report as RunReport | undefined;
  return {
    kind,
    stack: stackName,
    runId: last.runId,
    status: "noop",
    startedAt: last.startedAt,
    finishedAt: now.toISOString(),
    totalSeconds: previous?.totalSeconds ?? 0,
    wallClockSeconds: previous?.wallClockSeconds ?? previous?.totalSeconds ?? 0,
    rtoTargetSeconds: rto,
    withinRto: previous?.withinRto ?? true,
    preflight: [],
    forced: last.forced,
    steps: previous?.steps ?? [],
    warnings: [],
    message:
      `Nothing to do: run ${last.runId} already completed this ${kind} at ${last.updatedAt} ` +
      `(total ${previous?.totalSeconds ?? "?"} s). The dr stack is active.`,
  };
}

/**
 * stack-activate's timeout in a backup-restore failover: an RDS restore from a snapshot and a cache
 * seeded from an .rdb take tens of minutes, so at least the RTO target (never less than a step's).
 */
export function restoreActivateTimeout(config: ControllerOptions["config"]): number {
  return Math.max(config.failover.stepTimeoutSeconds, config.targets.rtoSeconds);
}

/** `--to dr`: the whole failover. Returns the report; throws FailoverError when preflight refuses. */
export async function runFailover(options: ControllerOptions): Promise<RunReport> {
  const now = options.now ?? (() => new Date());
  const stackName = options.stackName ?? options.config.stackName;
  const { stack, view, clients, store, outputs } = await prepare(options, "failover");
  const before = await assess(store, view, options, now());
  if (before.done && before.latest) {
    return noop("failover", stackName, before.latest, now(), options.config.targets.rtoSeconds);
  }
  const { decision, pending } = before;
  const resume = decision.resume;

  const restore = options.config.strategy === "backup-restore";
  const checks: CheckResult[] = [checkOutputs(outputs, options.config.strategy)];
  checks.push(standbyCheck(view, resume));
  // Replication may have broken since the resumed run's preflight: measure it again. A
  // backup-restore stack has no replica: its copies' age is checked by find-restore-points.
  if (!restore) {
    const lag = await checkReplicaLag({
      cloudWatch: clients.cloudWatch,
      view,
      maxLagSeconds: options.config.failover.maxReplicaLagSeconds,
      now: now(),
      retry: options.retry,
    });
    checks.push(...lagAfterPromotion(lag, resume));
  }
  const { results, takeOver } = await concludePreflight(
    checks,
    store,
    options,
    decision.notes,
    now(),
    (failed) =>
      `Preflight refused the failover: ${failed}. Nothing was changed. ` +
      "Fix the cause, or override a check you have verified by hand with --force <check> (see the runbook).",
  );
  const summary =
    resume?.status === "succeeded"
      ? `Resume run ${resume.runId} of stack ${stackName}: the failover is complete; only ${pending.join(", ")} is left (a full up bringing in the changes in ${view.primary.region}).`
      : restore
        ? `Fail over stack ${stackName} to ${view.region} (backup-restore): the newest copies are found, primary (${view.primary.region}) leaves DNS, the dr stack becomes active and restores its stores from them.`
        : `Fail over stack ${stackName} to ${view.region}: primary (${view.primary.region}) leaves DNS, data is promoted, the dr stack becomes active.`;
  if (!(await options.confirm(summary))) {
    throw new FailoverError("Failover not confirmed; nothing was changed.", false);
  }
  const runId = resume?.runId ?? newRunId(now());
  // Taken under the lock, before anything changes: the decisions above, on a fresh read.
  const underLock = async (): Promise<{ report?: RunReport; resume?: RunRecord }> => {
    const freshView = drView(await stack.outputs());
    const fresh = await assess(store, freshView, options, now());
    const recheck = recheckUnderLock(decision, fresh, freshView, options);
    if (recheck.done && fresh.latest) {
      options.log(`Run ${fresh.latest.runId} completed the failover while the approval was pending.`);
      return { report: noop("failover", stackName, fresh.latest, now(), options.config.targets.rtoSeconds) };
    }
    if (decision.supersede) {
      const superseded = fresh.decision.supersede ?? decision.supersede;
      await store.saveRun({ ...superseded, status: "superseded", supersededBy: runId });
      options.log(`Closed run ${superseded.runId} as superseded by run ${runId}.`);
    }
    return { resume: recheck.resume };
  };
  const stepDeps = {
    view,
    clients,
    stack: stack as DrStackOps,
    stackName,
    peerRegions: [...new Set([view.primary.region, options.config.peerRegion])],
    activeNodeCount: options.config.eks.activeNodeCount,
    healthCheckPath: options.config.dns.healthCheckPath,
    probeDownDatapoints: options.config.dns.healthCheckFailureThreshold,
    forceDnsLever: isForced("dns-lever", options.force),
    peerTimeoutMs: options.peerTimeoutMs,
    retry: options.retry,
    pollSleep: options.pollSleep,
  };
  const steps = restore
    ? restoreSteps({
        ...stepDeps,
        stack: stack as RestoreStackOps,
        rpoSeconds: options.config.targets.rpoSeconds,
        activateTimeoutSeconds: restoreActivateTimeout(options.config),
        now,
      })
    : failoverSteps(stepDeps);
  return executeRun(options, {
    kind: "failover",
    plan: restore ? RESTORE_PLAN : FAILOVER_PLAN,
    steps,
    store,
    stackName,
    resume,
    runId,
    preflight: results,
    takeOver,
    underLock,
  });
}

export { prepare as prepareRun };
export { executeRun };

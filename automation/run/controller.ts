/**
 * The failover controller: preflight, lock, steps, report. CLI concerns (arguments, the approval
 * prompt, printing) stay in cli.ts; everything here takes its collaborators as arguments so tests
 * drive it with a fake Pulumi CLI and mocked AWS clients.
 */
import { AwsClients } from "../aws/clients";
import { DrView, drView } from "../stack/drOutputs";
import { DrStack } from "../stack/drStack";
import { FailoverError } from "../errors";
import {
  applyForce,
  CheckResult,
  checkOutputs,
  checkReplicaLag,
  checkStandby,
  formatCheck,
  isForced,
} from "./preflight";
import { executeRun, newRunId } from "./execute";
import { decideResume, DEFAULT_RESUME_WINDOW_MINUTES, lagAfterPromotion } from "../state/resumePolicy";
import { RunReport } from "./report";
import { LockInfo, RunRecord, StateStore } from "../state/stateStore";
import { DrStackOps, FAILOVER_PLAN, failoverSteps, isCritical } from "../steps/steps";

import { ControllerOptions } from "./options";

export type { ControllerOptions };

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
  const outputsCheck = checkOutputs(outputs);
  if (!outputsCheck.ok) {
    options.log(formatCheck(outputsCheck));
    throw new FailoverError(`Preflight failed: ${outputsCheck.detail}`, false);
  }
  const view = drView(outputs);
  const clients = options.clientFactory({ drRegion: view.region, primaryRegion: view.primary.region });
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

/** Non-critical failover steps a finished run has not completed (they resume on the next run). */
export function pendingSteps(run: RunRecord): string[] {
  if (run.kind !== "failover") return [];
  // A run recorded before a step existed (its report does not list it) does not owe that step.
  const reported = new Set(((run.report as RunReport | undefined)?.steps ?? []).map((s) => s.id));
  return FAILOVER_PLAN.filter(
    (p) =>
      !isCritical(p) &&
      run.steps[p.id]?.status !== "succeeded" &&
      (run.steps[p.id] !== undefined || reported.has(p.id)),
  ).map((p) => p.id);
}

/** `--to dr`: the whole failover. Returns the report; throws FailoverError when preflight refuses. */
export async function runFailover(options: ControllerOptions): Promise<RunReport> {
  const now = options.now ?? (() => new Date());
  const stackName = options.stackName ?? options.config.stackName;
  const { stack, view, clients, store, outputs } = await prepare(options, "failover");
  const latest = await store.latestRun();
  const pending = latest ? pendingSteps(latest) : [];
  if (latest?.status === "succeeded" && view.mode === "active" && pending.length === 0) {
    return noop("failover", stackName, latest, now(), options.config.targets.rtoSeconds);
  }
  // A run that failed, crashed, or succeeded with a non-critical step left (stack-reconcile while
  // the primary Region was down) owes steps; it is resumed only if recent or named (resumePolicy.ts).
  const unfinished =
    latest && latest.status !== "superseded" && (latest.status !== "succeeded" || pending.length > 0)
      ? latest
      : undefined;
  const decision = decideResume({
    latest,
    unfinished,
    requestedRunId: options.resumeRunId,
    windowMinutes: options.resumeWindowMinutes ?? DEFAULT_RESUME_WINDOW_MINUTES,
    now: now(),
  });
  const resume = decision.resume;

  const checks: CheckResult[] = [checkOutputs(outputs)];
  checks.push(
    resume && view.mode === "active"
      ? { id: "stack-standby", ok: true, detail: `mode is active, set by run ${resume.runId} being resumed` }
      : checkStandby(view),
  );
  // Replication may have broken since the resumed run's preflight: measure it again.
  const lag = await checkReplicaLag({
    cloudWatch: clients.cloudWatch,
    view,
    maxLagSeconds: options.config.failover.maxReplicaLagSeconds,
    now: now(),
    retry: options.retry,
  });
  checks.push(...lagAfterPromotion(lag, resume));
  const lock = checkLock(await store.readLock(), now());
  checks.push(lock.result);
  const results = checks.map((c) => applyForce(c, options.force));
  options.log("Preflight:");
  for (const result of results) options.log(formatCheck(result));
  for (const note of decision.notes) options.log(`  NOTE   ${note}`);
  const blocking = results.filter((r) => !r.ok && !r.forced);
  if (blocking.length) {
    throw new FailoverError(
      `Preflight refused the failover: ${blocking.map((b) => b.id).join(", ")}. Nothing was changed. ` +
        "Fix the cause, or override a check you have verified by hand with --force <check> (see the runbook).",
      false,
    );
  }
  const summary =
    resume?.status === "succeeded"
      ? `Resume run ${resume.runId} of stack ${stackName}: the failover is complete; only ${pending.join(", ")} is left (a full up bringing in the changes in ${view.primary.region}).`
      : `Fail over stack ${stackName} to ${view.region}: primary (${view.primary.region}) leaves DNS, data is promoted, the dr stack becomes active.`;
  if (!(await options.confirm(summary))) {
    throw new FailoverError("Failover not confirmed; nothing was changed.", false);
  }
  const runId = resume?.runId ?? newRunId(now());
  if (decision.supersede) {
    await store.saveRun({ ...decision.supersede, status: "superseded", supersededBy: runId });
    options.log(`Closed run ${decision.supersede.runId} as superseded by run ${runId}.`);
  }
  const steps = failoverSteps({
    view,
    clients,
    stack: stack as DrStackOps,
    stackName,
    peerRegions: [...new Set([view.primary.region, options.config.peerRegion])],
    activeNodeCount: options.config.eks.activeNodeCount,
    healthCheckPath: options.config.dns.healthCheckPath,
    probeDownDatapoints: options.config.dns.healthCheckFailureThreshold,
    forceDnsLever: isForced("dns-lever", options.force),
    retry: options.retry,
    pollSleep: options.pollSleep,
  });
  return executeRun(options, {
    kind: "failover",
    plan: FAILOVER_PLAN,
    steps,
    store,
    stackName,
    resume,
    runId,
    preflight: results,
    takeOver: results.find((r) => r.id === "lock")?.forced ? lock.takeOver : undefined,
  });
}

export { prepare as prepareRun };
export { executeRun };

/**
 * One run's lifecycle, shared by failover and failback: take the lock (renewed while the run
 * lives), create or resume the progress record, run the steps, store the report, release the lock
 * (also when a step failed, so the rerun can resume at once).
 */
import { hostname, userInfo } from "os";
import type { ControllerOptions } from "./options";
import { LockGuard } from "../state/lockGuard";
import { CheckResult } from "./preflight";
import { buildReport, RunReport } from "./report";
import { runSteps, StepDefinition } from "./runner";
import { LockInfo, RunRecord, StateStore } from "../state/stateStore";
import { StepPlan } from "../steps/steps";
import { RTO_TREND_RUNS } from "../state/rtoHistory";

export function defaultOwner(): string {
  return `${userInfo().username}@${hostname()} pid ${process.pid}`;
}

/** Sortable: a UTC timestamp first, then random hex. */
export function newRunId(now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  return `${stamp}-${Math.random().toString(16).slice(2, 8).padEnd(6, "0")}`;
}

/** The RTO trend for the report; a failed read only costs the trend, never the run's outcome. */
async function rtoTrend(store: StateStore, log: (line: string) => void): Promise<Partial<RunReport>> {
  try {
    return { rtoTrend: await store.rtoTrend(RTO_TREND_RUNS) };
  } catch (error) {
    log(`  ! could not read the RTO trend: ${error instanceof Error ? error.message : String(error)}`);
    return {};
  }
}

export interface ExecuteInput {
  readonly kind: RunRecord["kind"];
  readonly plan: readonly StepPlan[];
  readonly steps: readonly StepDefinition[];
  readonly store: StateStore;
  readonly stackName: string;
  readonly resume?: RunRecord;
  /** Id for a new run (ignored when resuming). @default newRunId(now) */
  readonly runId?: string;
  readonly preflight: readonly CheckResult[];
  readonly takeOver?: LockInfo;
  /**
   * Runs once the lock is held, before anything changes: repeats the decisions taken before the
   * approval on a fresh read. Returns a report to stop with (nothing left to do), or the run to
   * resume as stored now; throws to refuse (the lock is released).
   */
  readonly underLock?: () => Promise<{ readonly report?: RunReport; readonly resume?: RunRecord }>;
}

/** Lock, run the steps with progress, report, unlock. The lock is released even when a step fails. */
export async function executeRun(options: ControllerOptions, input: ExecuteInput): Promise<RunReport> {
  const now = options.now ?? (() => new Date());
  const ttl = options.lockTtlSeconds ?? 300;
  const forced = [
    ...new Set([
      ...(input.resume?.forced ?? []),
      ...input.preflight.filter((c) => c.forced).map((c) => c.id),
    ]),
  ];
  const runId = input.resume?.runId ?? input.runId ?? newRunId(now());
  await input.store.acquireLock(runId, options.owner ?? defaultOwner(), ttl, input.takeOver);
  const guard = new LockGuard(input.store, runId, ttl, options.log, options.signal);
  guard.start();
  try {
    let resume = input.resume;
    if (input.underLock) {
      const fresh = await input.underLock();
      if (fresh.report) return { ...fresh.report, ...(await rtoTrend(input.store, options.log)) };
      resume = fresh.resume;
    }
    const startedAt = resume ? new Date(resume.startedAt) : now();
    let record = await input.store.saveRun({
      runId,
      kind: input.kind,
      status: "running",
      startedAt: startedAt.toISOString(),
      version: resume?.version ?? 0,
      steps: resume?.steps ?? {},
      forced,
    });
    options.log(`${resume ? "Resuming" : "Starting"} ${input.kind} run ${runId} on stack ${input.stackName}`);
    let result: Awaited<ReturnType<typeof runSteps>>;
    try {
      result = await runSteps({
        steps: input.steps,
        previous: record.steps,
        timeoutSeconds: options.config.failover.stepTimeoutSeconds,
        save: async (steps) => {
          record = await input.store.saveRun({ ...record, steps, status: "running" });
        },
        now,
        log: options.log,
        runStartedAt: startedAt,
        signal: guard.signal,
        beforeStep: () => guard.check(),
        verbose: options.verbose,
      });
    } catch (error) {
      // A progress write that failed because another run took over: the lost lock is the cause.
      throw guard.lost ?? error;
    }
    const report = buildReport({
      kind: input.kind,
      stack: input.stackName,
      runId,
      plan: input.plan,
      records: result.steps,
      skipped: result.skipped,
      startedAt,
      finishedAt: now(),
      rtoTargetSeconds: options.config.targets.rtoSeconds,
      preflight: input.preflight,
      forced,
      error: result.failed
        ? (guard.lost?.message ?? `${result.failed.id}: ${result.failed.error.message}`)
        : undefined,
    });
    const closing = input.store.saveRun({
      ...record,
      steps: result.steps,
      status: report.status === "succeeded" ? "succeeded" : "failed",
      report,
    });
    // Another run owns the record now: leave it to that run, still report why this one stopped.
    await (guard.lost
      ? closing.catch((error: unknown) => options.log(`  ! final progress not saved: ${String(error)}`))
      : closing);
    return { ...report, ...(await rtoTrend(input.store, options.log)) };
  } finally {
    guard.stop();
    // A failed release must not hide the run's own error; the lock then expires on its own.
    await input.store.releaseLock(runId).catch((error: unknown) => {
      options.log(`  ! could not release the lock (it expires in at most ${ttl} s): ${String(error)}`);
    });
  }
}

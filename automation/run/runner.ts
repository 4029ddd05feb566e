/**
 * Runs steps as a dependency graph: every step whose dependencies are done starts at once (so
 * independent steps run in parallel), each under its own timeout, with a live line when it starts
 * and ends. Progress is saved after every step, so a crash or Ctrl-C loses at most the steps that
 * were running; steps already recorded as succeeded are skipped. The first failure of a critical
 * step stops new steps from starting; steps already running finish (and are recorded) before the
 * run returns. A non-critical step's failure is recorded and logged as a warning, and the run goes on
 * (its dependents, if any, do not start).
 */
import { StepTimeoutError } from "../errors";
import { StepRecord } from "../state/stateStore";

export interface StepContext {
  /** Aborted when the step times out or the operator interrupts the run. */
  readonly signal: AbortSignal;
  /** A sub-line under the step's live line. */
  log(line: string): void;
}

export interface StepDefinition {
  readonly id: string;
  readonly title: string;
  readonly dependsOn: readonly string[];
  /** False: a failure does not stop the run (StepPlan.critical). @default true */
  readonly critical?: boolean;
  /** This step's own timeout (a restore outlasts a promotion). @default RunStepsOptions.timeoutSeconds */
  readonly timeoutSeconds?: number;
  /** Resolves with a one-line outcome for the timeline. */
  run(ctx: StepContext): Promise<string>;
}

export interface RunStepsOptions {
  readonly steps: readonly StepDefinition[];
  /** Outcomes recorded by earlier attempts of this run. */
  readonly previous: Readonly<Record<string, StepRecord>>;
  readonly timeoutSeconds: number;
  /** Persists progress; called after every step, one call at a time. */
  save(steps: Record<string, StepRecord>): Promise<void>;
  readonly now: () => Date;
  readonly log: (line: string) => void;
  /** Elapsed times in live lines count from here (the run's first start). */
  readonly runStartedAt: Date;
  /** Interrupts every running step (Ctrl-C, a lost lock). */
  readonly signal?: AbortSignal;
  /** Also log a failed step's raw detail (`FailoverError.detail`). @default false */
  readonly verbose?: boolean;
  /** Runs as each step starts (the lock ownership check); a throw fails that step. */
  readonly beforeStep?: (id: string) => Promise<void>;
}

export interface RunStepsResult {
  readonly steps: Record<string, StepRecord>;
  /** The first critical step that failed (or `interrupted`). */
  readonly failed?: { readonly id: string; readonly error: Error };
  /** Steps skipped because an earlier attempt completed them. */
  readonly skipped: string[];
}

export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.round(ms / 100)) / 10;
  const minutes = Math.floor(total / 60);
  const seconds = (total - minutes * 60).toFixed(1).padStart(4, "0");
  return `${String(minutes).padStart(2, "0")}:${seconds}`;
}

export async function runSteps(options: RunStepsOptions): Promise<RunStepsResult> {
  const { steps, now, log } = options;
  const ids = new Set(steps.map((s) => s.id));
  for (const step of steps) {
    for (const dep of step.dependsOn) {
      if (!ids.has(dep)) throw new Error(`Step ${step.id} depends on unknown step ${dep}`);
    }
  }
  const results: Record<string, StepRecord> = {};
  const skipped: string[] = [];
  for (const [id, record] of Object.entries(options.previous)) {
    if (record.status === "succeeded" && ids.has(id)) {
      results[id] = record;
      skipped.push(id);
      log(
        `  ↷ ${id}: already done in this run (${(record.durationMs / 1000).toFixed(1)} s, ${record.finishedAt}); skipped`,
      );
    }
  }

  const stamp = () => `[${formatElapsed(now().getTime() - options.runStartedAt.getTime())}]`;
  let failure: RunStepsResult["failed"];
  // A progress write that fails stops the run (we cannot promise a resume otherwise); the steps
  // already running are interrupted and the error is thrown once they have settled.
  let saveError: unknown;
  const stopAll = new AbortController();
  let saving: Promise<void> = Promise.resolve();
  const persist = () => {
    const snapshot = { ...results };
    saving = saving
      .then(() => (saveError === undefined ? options.save(snapshot) : undefined))
      .catch((error: unknown) => {
        saveError ??= error;
        stopAll.abort(error);
      });
    return saving;
  };
  const running = new Map<string, Promise<void>>();

  const execute = async (step: StepDefinition): Promise<void> => {
    const started = now();
    log(`  ▶ ${stamp()} ${step.id}: ${step.title}`);
    const controller = new AbortController();
    const onOuterAbort = () =>
      controller.abort(options.signal?.aborted ? options.signal.reason : stopAll.signal.reason);
    options.signal?.addEventListener("abort", onOuterAbort);
    stopAll.signal.addEventListener("abort", onOuterAbort);
    let timer: NodeJS.Timeout | undefined;
    const timeoutSeconds = step.timeoutSeconds ?? options.timeoutSeconds;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new StepTimeoutError(step.id, timeoutSeconds);
        controller.abort(error);
        reject(error);
      }, timeoutSeconds * 1000);
      timer.unref?.();
    });
    const interrupted = new Promise<never>((_, reject) => {
      controller.signal.addEventListener("abort", () =>
        reject(
          controller.signal.reason instanceof Error ? controller.signal.reason : new Error("interrupted"),
        ),
      );
    });
    try {
      const detail = await Promise.race([
        (async () => {
          await options.beforeStep?.(step.id);
          return step.run({ signal: controller.signal, log: (line) => log(`      ${line}`) });
        })(),
        timedOut,
        interrupted,
      ]);
      const finished = now();
      results[step.id] = {
        status: "succeeded",
        startedAt: started.toISOString(),
        finishedAt: finished.toISOString(),
        durationMs: finished.getTime() - started.getTime(),
        detail,
      };
      log(
        `  ✔ ${stamp()} ${step.id} done in ${((finished.getTime() - started.getTime()) / 1000).toFixed(1)} s: ${detail}`,
      );
    } catch (caught) {
      const error = caught instanceof Error ? caught : new Error(String(caught));
      const finished = now();
      results[step.id] = {
        status: "failed",
        startedAt: started.toISOString(),
        finishedAt: finished.toISOString(),
        durationMs: finished.getTime() - started.getTime(),
        error: error.message,
      };
      if (step.critical === false) {
        log(`  ⚠ ${stamp()} ${step.id} failed (non-critical, the run goes on): ${error.message}`);
      } else {
        failure ??= { id: step.id, error };
        log(`  ✖ ${stamp()} ${step.id} failed: ${error.message}`);
      }
      const detail = (error as { detail?: unknown }).detail;
      if (options.verbose && typeof detail === "string") log(detail.replace(/^/gm, "      │ "));
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onOuterAbort);
      stopAll.signal.removeEventListener("abort", onOuterAbort);
    }
    await persist();
  };

  const started = new Set<string>(Object.keys(results));
  for (;;) {
    if (!failure && !options.signal?.aborted && saveError === undefined) {
      for (const step of steps) {
        if (started.has(step.id)) continue;
        if (step.dependsOn.every((dep) => results[dep]?.status === "succeeded")) {
          started.add(step.id);
          const promise = execute(step).finally(() => running.delete(step.id));
          running.set(step.id, promise);
        }
      }
    }
    if (running.size === 0) break;
    await Promise.race(running.values());
  }
  await saving;
  if (saveError !== undefined) throw saveError;
  const criticalLeft = steps.some((s) => s.critical !== false && results[s.id]?.status !== "succeeded");
  if (!failure && options.signal?.aborted && criticalLeft) {
    failure = { id: "interrupted", error: new Error("interrupted by the operator before every step ran") };
  }
  return { steps: results, failed: failure, skipped };
}

/**
 * Which earlier run a failover continues. Resuming skips the steps that run recorded, so an old
 * run must never be revived silently: the world may have changed since (a failback, a manual
 * promotion, a primary that came back). Only a run that made progress within the resume window is
 * resumed on its own; an older one is resumed only when `--resume <runId>` names it, and is
 * otherwise closed as superseded when the new run starts.
 */
import { FailoverError } from "../errors";
import { CheckResult } from "../run/preflight";
import { RunRecord } from "./stateStore";

/** @default 60 minutes */
export const DEFAULT_RESUME_WINDOW_MINUTES = 60;

export interface ResumeDecision {
  /** The run to continue. */
  readonly resume?: RunRecord;
  /** An unfinished run too old to continue: closed as superseded once the new run is confirmed. */
  readonly supersede?: RunRecord;
  /** Operator-facing lines explaining the decision (printed with the preflight). */
  readonly notes: readonly string[];
}

const minutesSince = (iso: string, now: Date) =>
  Math.floor((now.getTime() - new Date(iso).getTime()) / 60_000);

/**
 * `unfinished` is the latest run when it still owes steps (failed, crashed, or a non-critical step
 * left), else undefined. Throws when `--resume` names a run that cannot be resumed.
 */
export function decideResume(input: {
  readonly latest?: RunRecord;
  readonly unfinished?: RunRecord;
  readonly requestedRunId?: string;
  readonly windowMinutes: number;
  readonly now: Date;
}): ResumeDecision {
  const { latest, unfinished, requestedRunId, windowMinutes, now } = input;
  if (requestedRunId !== undefined) {
    if (!unfinished || unfinished.runId !== requestedRunId) {
      throw new FailoverError(
        `--resume ${requestedRunId}: ${
          latest?.runId === requestedRunId
            ? `run ${requestedRunId} is ${latest.status} and owes no step`
            : `the latest failover run of this stack is ${latest ? `${latest.runId} (${latest.status})` : "none"}`
        }. Only the latest unfinished run can be resumed; run without --resume to start a new one. Nothing was changed.`,
        false,
      );
    }
    return {
      resume: unfinished,
      notes: [
        `resuming run ${unfinished.runId} as named by --resume (last progress ${minutesSince(unfinished.updatedAt, now)} min ago)`,
      ],
    };
  }
  if (!unfinished) return { notes: [] };
  const age = minutesSince(unfinished.updatedAt, now);
  const done = Object.entries(unfinished.steps)
    .filter(([, s]) => s.status === "succeeded")
    .map(([id]) => id);
  if (age < windowMinutes) {
    return {
      resume: unfinished,
      notes: [
        `resuming run ${unfinished.runId} (${unfinished.status}, last progress ${age} min ago, within the ${windowMinutes} min resume window); done: ${done.join(", ") || "nothing"}`,
      ],
    };
  }
  return {
    supersede: unfinished,
    notes: [
      `run ${unfinished.runId} (${unfinished.status}, started ${unfinished.startedAt}, last progress ${age} min ago; done: ${done.join(", ") || "nothing"}) ` +
        `is older than the ${windowMinutes} min resume window: it will be closed as superseded and a new run started. ` +
        `To continue it instead, rerun with --resume ${unfinished.runId} (or a larger --resume-window-minutes).`,
    ],
  };
}

/**
 * The replica-lag checks run again on every resume. A store the resumed run already promoted has
 * no replication left to measure: its check passes, naming the step that promoted it.
 */
export function lagAfterPromotion(
  checks: readonly CheckResult[],
  resume: RunRecord | undefined,
): CheckResult[] {
  const promotedBy: Partial<Record<CheckResult["id"], string>> = {
    "database-lag": "stack-activate",
    "cache-lag": "cache-promote",
  };
  return checks.map((check) => {
    const step = promotedBy[check.id];
    if (!resume || !step || resume.steps[step]?.status !== "succeeded") return check;
    return {
      id: check.id,
      ok: true,
      detail: `promoted by step ${step} of run ${resume.runId}: no replication left to lag`,
    };
  });
}

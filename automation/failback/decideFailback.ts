/**
 * The failback's decisions, from the state table (`failback#<stack>`) and the dr stack's mode:
 * nothing to do (the last failback succeeded and dr is a standby), resume an unfinished run,
 * supersede it, or start a new one; and whether dr is active (there is a failover to undo). They
 * are taken for the preflight the operator approves and again under the lock (`recheckFailback`):
 * an approval given minutes earlier must not start a second failback next to one that started
 * meanwhile, nor "undo" a failover another operator's failback already undid.
 */
import { FailoverError } from "../errors";
import { describeDecision } from "../run/decide";
import { ControllerOptions } from "../run/options";
import { CheckResult } from "../run/preflight";
import { DrView } from "../stack/drOutputs";
import { decideResume, ResumeDecision } from "../state/resumePolicy";
import { RunRecord, StateStore } from "../state/stateStore";

/**
 * A failback spans hours (re-seeding) inside a planned window, and every step is idempotent: an
 * unfinished run is resumed for a week unless --resume-window-minutes says otherwise.
 */
export const FAILBACK_RESUME_WINDOW_MINUTES = 7 * 24 * 60;

export interface FailbackAssessment {
  readonly latest?: RunRecord;
  /** The last failback succeeded and dr is a standby: nothing to do. */
  readonly done: boolean;
  readonly decision: ResumeDecision;
}

export async function assessFailback(
  store: StateStore,
  view: DrView,
  options: Pick<ControllerOptions, "resumeRunId" | "resumeWindowMinutes">,
  now: Date,
): Promise<FailbackAssessment> {
  const latest = await store.latestRun();
  if (latest?.status === "succeeded" && view.mode === "standby")
    return { latest, done: true, decision: { notes: [] } };
  const unfinished =
    latest && (latest.status === "failed" || latest.status === "running") ? latest : undefined;
  const decision = decideResume({
    latest,
    unfinished,
    requestedRunId: options.resumeRunId,
    windowMinutes: options.resumeWindowMinutes ?? FAILBACK_RESUME_WINDOW_MINUTES,
    now,
  });
  return { latest, done: false, decision };
}

/** dr must be active (a failover to undo), unless an unfinished failback is resumed. */
export function activeCheck(view: DrView, resume: RunRecord | undefined): CheckResult {
  if (resume) return { id: "stack-standby", ok: true, detail: `resuming run ${resume.runId}` };
  if (view.mode === "active")
    return {
      id: "stack-standby",
      ok: true,
      detail: "dr stack mode is active: there is something to fail back",
    };
  return {
    id: "stack-standby",
    ok: false,
    detail: `dr stack mode is "${view.mode}": no failover to undo`,
    overridable: false,
  };
}

/**
 * Under the lock, before anything changes: the same decisions on a fresh read. `done` when another
 * run completed the failback meanwhile; the run to resume as stored now; throws (nothing changed)
 * when the fresh decision differs from the approved one or dr is no longer active.
 */
export function recheckFailback(
  approved: ResumeDecision,
  fresh: FailbackAssessment,
  view: DrView,
): { readonly done: boolean; readonly resume?: RunRecord } {
  if (fresh.done) return { done: true };
  const stale = (what: string): never => {
    throw new FailoverError(
      `The state changed while the failback approval was pending: ${what}. Nothing was changed. ` +
        "Rerun the same command to see the new preflight and approve again.",
      false,
    );
  };
  const same =
    approved.resume?.runId === fresh.decision.resume?.runId &&
    approved.supersede?.runId === fresh.decision.supersede?.runId &&
    (approved.resume === undefined || approved.resume.status === fresh.decision.resume?.status);
  if (!same) {
    stale(
      `the approved plan was to ${describeDecision(approved)}, the state table now says ${describeDecision(fresh.decision)}` +
        (fresh.latest ? ` (latest run ${fresh.latest.runId} is ${fresh.latest.status})` : ""),
    );
  }
  const active = activeCheck(view, fresh.decision.resume);
  if (!active.ok) stale(active.detail);
  return { done: false, resume: fresh.decision.resume };
}

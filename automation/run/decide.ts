/**
 * The decisions a failover takes from the state table and the dr stack's mode: nothing to do,
 * resume an earlier run, supersede it, or start a new one; and whether the stack is a standby.
 * They are taken once for the preflight the operator approves, and again under the lock
 * (`recheckUnderLock`): an approval given minutes earlier must not act on a world that changed
 * (another run finished or started meanwhile, a failback returned the stack to standby).
 */
import { FailoverError } from "../errors";
import { DrView } from "../stack/drOutputs";
import { decideResume, DEFAULT_RESUME_WINDOW_MINUTES, ResumeDecision } from "../state/resumePolicy";
import { RunRecord, StateStore } from "../state/stateStore";
import { FAILOVER_PLAN, isCritical } from "../steps/steps";
import { ControllerOptions } from "./options";
import { checkStandby, CheckResult, applyForce } from "./preflight";
import { RunReport } from "./report";

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

export interface Assessment {
  readonly latest?: RunRecord;
  readonly pending: readonly string[];
  /** The failover is complete and the stack active: the run is a no-op. */
  readonly done: boolean;
  readonly decision: ResumeDecision;
}

export async function assess(
  store: StateStore,
  view: DrView,
  options: Pick<ControllerOptions, "resumeRunId" | "resumeWindowMinutes">,
  now: Date,
): Promise<Assessment> {
  const latest = await store.latestRun();
  const pending = latest ? pendingSteps(latest) : [];
  const done = latest?.status === "succeeded" && view.mode === "active" && pending.length === 0;
  if (done) return { latest, pending, done, decision: { notes: [] } };
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
    now,
  });
  return { latest, pending, done, decision };
}

/** The stack-standby check; a resumed run set mode=active itself, which is expected. */
export function standbyCheck(view: DrView, resume: RunRecord | undefined): CheckResult {
  return resume && view.mode === "active"
    ? { id: "stack-standby", ok: true, detail: `mode is active, set by run ${resume.runId} being resumed` }
    : checkStandby(view);
}

/** How a resume decision reads in a refusal: resume, supersede and start, or start. */
export const describeDecision = (d: ResumeDecision) =>
  d.resume
    ? `resume run ${d.resume.runId} (${d.resume.status})`
    : d.supersede
      ? `close run ${d.supersede.runId} as superseded and start a new run`
      : "start a new run";

/**
 * Under the lock, before anything changes: the same decisions on a fresh read. Returns the run to
 * resume as stored now (its version moved if it progressed), or `done` when another run completed
 * the failover meanwhile. Throws when the decision differs from the one approved.
 */
export function recheckUnderLock(
  approved: ResumeDecision,
  fresh: Assessment,
  view: DrView,
  options: Pick<ControllerOptions, "force">,
): { readonly done: boolean; readonly resume?: RunRecord } {
  if (fresh.done) return { done: true };
  const same =
    approved.resume?.runId === fresh.decision.resume?.runId &&
    approved.supersede?.runId === fresh.decision.supersede?.runId &&
    (approved.resume === undefined || approved.resume.status === fresh.decision.resume?.status);
  const stale = (what: string): never => {
    throw new FailoverError(
      `The state changed while the approval was pending: ${what}. Nothing was changed. ` +
        "Rerun the same command to see the new preflight and approve again.",
      false,
    );
  };
  if (!same) {
    stale(
      `the approved plan was to ${describeDecision(approved)}, the state table now says ${describeDecision(fresh.decision)}` +
        (fresh.latest ? ` (latest run ${fresh.latest.runId} is ${fresh.latest.status})` : ""),
    );
  }
  const standby = applyForce(standbyCheck(view, fresh.decision.resume), options.force);
  if (!standby.ok && !standby.forced) stale(standby.detail);
  return { done: false, resume: fresh.decision.resume };
}

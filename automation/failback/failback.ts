/**
 * `npm run failover -- failback`: returning to the primary Region once it is healthy, as an
 * executable, resumable run on the failover's machinery (lock, progress in the state table under
 * `failback#<stack>`, resume, report with measured durations). The steps are in plan.ts and
 * failbackSteps.ts; `--dry-run` (failbackDryRun.ts) renders every stack update offline first.
 */
import { concludePreflight, ControllerOptions, prepareRun } from "../run/controller";
import { executeRun, newRunId } from "../run/execute";
import { CheckResult } from "../run/preflight";
import { RunReport } from "../run/report";
import { RunRecord } from "../state/stateStore";
import { drView } from "../stack/drOutputs";
import { activeCheck, assessFailback, recheckFailback } from "./decideFailback";
import { FailoverError } from "../errors";
import { createFailbackClients, FailbackClientFactory } from "./failbackClients";
import { FailbackStack, FailbackStackOps } from "./failbackStacks";
import { failbackSteps } from "./failbackSteps";
import { FAILBACK_PLAN } from "./plan";

export { FAILBACK_PLAN } from "./plan";

/** Each failback step's bound, unless failover.stepTimeoutSeconds is longer: 4 h. */
export const FAILBACK_MIN_STEP_TIMEOUT_SECONDS = 4 * 60 * 60;

export { FAILBACK_RESUME_WINDOW_MINUTES } from "./decideFailback";

export interface FailbackOptions extends ControllerOptions {
  /** @default createFailbackClients */
  readonly failbackClientFactory?: FailbackClientFactory;
  /** Stacks, for tests that do not go through the Automation API. @default selected by name */
  readonly stacks?: { readonly primary: FailbackStackOps; readonly dr: FailbackStackOps };
}

export function formatFailbackPlan(): string {
  const lines = ["Failback plan (run once the primary Region is healthy):"];
  FAILBACK_PLAN.forEach((step, i) => {
    const after = step.dependsOn.length ? ` (after ${step.dependsOn.join(", ")})` : "";
    lines.push(`  ${i + 1}. ${step.id}: ${step.title}${after}`);
  });
  lines.push(
    "",
    "Preview every stack update offline: npm run failover -- failback --dry-run",
    "Run it (resumable; rerun the same command after a failure): npm run failover -- failback --execute [--yes] [--json]",
  );
  return `${lines.join("\n")}\n`;
}

function noopReport(latest: RunRecord, at: Date): RunReport {
  return {
    ...(latest.report as RunReport),
    status: "noop",
    finishedAt: at.toISOString(),
    message: `Nothing to do: failback run ${latest.runId} completed at ${latest.updatedAt}; dr is a standby again.`,
  };
}

export async function runFailback(options: FailbackOptions): Promise<RunReport> {
  const now = options.now ?? (() => new Date());
  const stackName = options.stackName ?? options.config.stackName;
  const { stack: drOutputsStack, view, clients, store, outputs } = await prepareRun(options, "failback");
  const before = await assessFailback(store, view, options, now());
  if (before.done && before.latest) return noopReport(before.latest, now());
  const { decision } = before;
  const resume = decision.resume;
  const checks: CheckResult[] = [activeCheck(view, resume)];
  const { results, takeOver } = await concludePreflight(
    checks,
    store,
    options,
    decision.notes,
    now(),
    (failed) => `Preflight refused the failback: ${failed}. Nothing was changed.`,
  );
  const summary =
    `Fail back stack ${stackName}: re-seed ${view.primary.region} from ${view.region}, stop writes on dr and drain, ` +
    `promote in ${view.primary.region}, move DNS back, and return ${view.region} to standby with new replicas.`;
  if (!(await options.confirm(summary)))
    throw new FailoverError("Failback not confirmed; nothing was changed.", false);
  const runId = resume?.runId ?? newRunId(now());
  // Taken under the lock, before anything changes: the decisions above, on a fresh read.
  const underLock = async (): Promise<{ report?: RunReport; resume?: RunRecord }> => {
    const freshView = drView(await drOutputsStack.outputs());
    const fresh = await assessFailback(store, freshView, options, now());
    const recheck = recheckFailback(decision, fresh, freshView);
    if (recheck.done && fresh.latest) {
      options.log(`Run ${fresh.latest.runId} completed the failback while the approval was pending.`);
      return { report: noopReport(fresh.latest, now()) };
    }
    if (decision.supersede) {
      const superseded = fresh.decision.supersede ?? decision.supersede;
      await store.saveRun({ ...superseded, status: "superseded", supersededBy: runId });
      options.log(`Closed run ${superseded.runId} as superseded by run ${runId}.`);
    }
    return { resume: recheck.resume };
  };
  const stacks = options.stacks ?? {
    primary: await FailbackStack.select(
      options.workDir,
      options.config.primaryStack ?? "primary",
      options.pulumiCommand,
    ),
    dr: await FailbackStack.select(options.workDir, stackName, options.pulumiCommand),
  };
  const regions = {
    drRegion: view.region,
    primaryRegion: view.primary.region,
    ...(options.peerTimeoutMs !== undefined ? { peerTimeoutMs: options.peerTimeoutMs } : {}),
  };
  const steps = failbackSteps({
    view,
    drOutputs: outputs,
    clients,
    failbackClients: (options.failbackClientFactory ?? createFailbackClients)(regions),
    primaryStack: stacks.primary,
    drStack: stacks.dr,
    runId,
    maxLagSeconds: options.config.failover.maxReplicaLagSeconds,
    peerTimeoutMs: options.peerTimeoutMs,
    retry: options.retry,
    pollSleep: options.pollSleep,
    now,
  });
  // Re-seeding copies whole databases across Regions: hours, not the failover's minutes.
  const timeout = Math.max(options.config.failover.stepTimeoutSeconds, FAILBACK_MIN_STEP_TIMEOUT_SECONDS);
  const config = { ...options.config, failover: { ...options.config.failover, stepTimeoutSeconds: timeout } };
  return executeRun(
    { ...options, config },
    {
      kind: "failback",
      plan: FAILBACK_PLAN,
      steps,
      store,
      stackName,
      resume,
      runId,
      preflight: results,
      takeOver,
      underLock,
    },
  );
}

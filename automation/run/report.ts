/**
 * The final timeline: each step's measured duration and outcome, the total against the stack's RTO
 * target, the preflight results and any overrides. The same object is printed (human or `--json`)
 * and stored on the run's record in the state table.
 */
import { CheckResult } from "./preflight";
import { formatElapsed } from "./runner";
import { isCritical, StepPlan } from "../steps/steps";
import { StepRecord } from "../state/stateStore";
import { formatRtoTrend, RtoPoint } from "../state/rtoHistory";

export interface StepTiming {
  readonly id: string;
  readonly title: string;
  readonly status: "succeeded" | "failed" | "not run";
  /** False for a step whose failure is only a warning (stack-reconcile). */
  readonly critical: boolean;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  readonly durationSeconds?: number;
  readonly detail?: string;
  readonly error?: string;
  /** Completed by an earlier attempt of this run (before a crash or failure). */
  readonly fromEarlierAttempt: boolean;
}

export interface RunReport {
  readonly kind: "failover" | "failback";
  readonly stack: string;
  readonly runId: string;
  readonly status: "succeeded" | "failed" | "noop";
  readonly startedAt: string;
  readonly finishedAt: string;
  /**
   * The RTO actually achieved: wall clock from the run's first start (crash gaps included) to the
   * end of its last critical step; to the end of the run when a critical step did not succeed.
   */
  readonly totalSeconds: number;
  /** Wall clock from the run's first start to its end, non-critical steps included. */
  readonly wallClockSeconds: number;
  readonly rtoTargetSeconds: number;
  readonly withinRto: boolean;
  readonly preflight: readonly CheckResult[];
  /** Checks that failed and were overridden with --force. */
  readonly forced: readonly string[];
  readonly steps: readonly StepTiming[];
  /** Non-critical steps that did not succeed in a run whose critical steps all did. */
  readonly warnings: readonly string[];
  readonly error?: string;
  readonly message?: string;
  /** This run and the ones before it, newest first, as recorded in the state table. */
  readonly rtoTrend?: readonly RtoPoint[];
}

export interface BuildReportInput {
  readonly kind: RunReport["kind"];
  readonly stack: string;
  readonly runId: string;
  readonly plan: readonly StepPlan[];
  readonly records: Readonly<Record<string, StepRecord>>;
  readonly skipped: readonly string[];
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly rtoTargetSeconds: number;
  readonly preflight: readonly CheckResult[];
  readonly forced: readonly string[];
  readonly error?: string;
}

const seconds = (ms: number) => Math.round(ms / 100) / 10;

export function buildReport(input: BuildReportInput): RunReport {
  const wallClockSeconds = seconds(input.finishedAt.getTime() - input.startedAt.getTime());
  const steps: StepTiming[] = input.plan.map((plan) => {
    const critical = isCritical(plan);
    const record = input.records[plan.id];
    if (!record)
      return { id: plan.id, title: plan.title, status: "not run", critical, fromEarlierAttempt: false };
    return {
      id: plan.id,
      title: plan.title,
      status: record.status,
      critical,
      startedAt: record.startedAt,
      finishedAt: record.finishedAt,
      durationSeconds: seconds(record.durationMs),
      ...(record.detail ? { detail: record.detail } : {}),
      ...(record.error ? { error: record.error } : {}),
      fromEarlierAttempt: input.skipped.includes(plan.id),
    };
  });
  const failed = input.error !== undefined || steps.some((s) => s.critical && s.status !== "succeeded");
  const criticalEnds = steps.filter((s) => s.critical).map((s) => new Date(s.finishedAt ?? 0).getTime());
  const totalSeconds =
    failed || criticalEnds.length === 0
      ? wallClockSeconds
      : seconds(Math.max(...criticalEnds) - input.startedAt.getTime());
  const warnings = failed
    ? []
    : steps
        .filter((s) => !s.critical && s.status !== "succeeded")
        .map(
          (s) => `${s.id} ${s.status === "failed" ? "failed" : "did not run"}: ${s.error ?? "interrupted"}`,
        );
  return {
    kind: input.kind,
    stack: input.stack,
    runId: input.runId,
    status: failed ? "failed" : "succeeded",
    startedAt: input.startedAt.toISOString(),
    finishedAt: input.finishedAt.toISOString(),
    totalSeconds,
    wallClockSeconds,
    rtoTargetSeconds: input.rtoTargetSeconds,
    withinRto: !failed && totalSeconds <= input.rtoTargetSeconds,
    preflight: input.preflight,
    forced: input.forced,
    steps,
    warnings,
    ...(input.error ? { error: input.error } : {}),
  };
}

export function formatReport(report: RunReport): string {
  const lines = [`\n${report.kind} timeline — stack ${report.stack}, run ${report.runId}`];
  if (report.status === "noop") {
    lines.push(`  ${report.message ?? "nothing to do"}`);
    lines.push(...formatRtoTrend(report.rtoTrend ?? []));
    return `${lines.join("\n")}\n`;
  }
  const start = new Date(report.startedAt).getTime();
  for (const step of report.steps) {
    const at = step.startedAt ? formatElapsed(new Date(step.startedAt).getTime() - start) : "--:--.-";
    const took =
      step.durationSeconds !== undefined ? `${step.durationSeconds.toFixed(1).padStart(7)} s` : "        -";
    const note = `${step.critical ? "" : " (non-critical)"}${step.fromEarlierAttempt ? " (earlier attempt)" : ""}`;
    lines.push(`  ${at}  ${took}  ${step.status.padEnd(9)} ${step.id}${note}`);
    if (step.detail) lines.push(`                               ${step.detail}`);
    if (step.error) lines.push(`                               ${step.error}`);
  }
  const verdict =
    report.status === "succeeded"
      ? report.withinRto
        ? `within the RTO target of ${report.rtoTargetSeconds} s`
        : `OVER the RTO target of ${report.rtoTargetSeconds} s`
      : "run did not complete";
  lines.push(`  total ${report.totalSeconds.toFixed(1)} s — ${verdict}`);
  if (report.wallClockSeconds > report.totalSeconds) {
    lines.push(`  (the run ended at ${report.wallClockSeconds.toFixed(1)} s, after its non-critical steps)`);
  }
  for (const warning of report.warnings) lines.push(`  WARNING: ${warning}`);
  if (report.forced.length) lines.push(`  overridden preflight checks: ${report.forced.join(", ")}`);
  if (report.error) {
    lines.push(`  stopped: ${report.error}`);
    lines.push("  Progress is recorded: fix the cause and rerun the same command to resume.");
  }
  lines.push(...formatRtoTrend(report.rtoTrend ?? []));
  return `${lines.join("\n")}\n`;
}

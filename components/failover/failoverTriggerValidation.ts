/** Validation of the failover trigger's arguments (pure, unit-tested). */
import type { FailoverMode } from "../../stacks/config";

/** Default of `FailoverTriggerArgs.armAfterHealthyMinutes`. */
export const DEFAULT_ARM_AFTER_HEALTHY_MINUTES = 30;

/**
 * Refuses an automatic trigger without a runner (it would alarm and start nothing), or one that
 * would fail over on a single failed probe.
 */
export function validateFailoverTriggerArgs(args: {
  readonly mode: FailoverMode;
  readonly runner?: unknown;
  readonly evaluationPeriods: number;
  readonly armAfterHealthyMinutes?: number;
}): void {
  if (args.mode === "automatic" && !args.runner) {
    throw new Error(
      'FailoverTrigger: failover.mode = "automatic" needs `runner` (the CodeBuild runner settings); ' +
        'pass them, or set payments-dr:failover.mode to "manual".',
    );
  }
  if (!Number.isInteger(args.evaluationPeriods) || args.evaluationPeriods < 1) {
    throw new Error(
      `FailoverTrigger: evaluationPeriods = ${args.evaluationPeriods}: expected a positive integer.`,
    );
  }
  if (args.mode === "automatic" && args.evaluationPeriods < 2) {
    throw new Error(
      `FailoverTrigger: evaluationPeriods = ${args.evaluationPeriods} with failover.mode = "automatic": expected at least 2 ` +
        "(one failed probe is not sustained evidence). Fix: pulumi config set --path payments-dr:dns.healthCheckFailureThreshold 3",
    );
  }
  const arm = args.armAfterHealthyMinutes ?? DEFAULT_ARM_AFTER_HEALTHY_MINUTES;
  if (!Number.isInteger(arm) || arm < 1 || arm > 1440) {
    throw new Error(
      `FailoverTrigger: armAfterHealthyMinutes = ${arm}: expected an integer from 1 to 1440 ` +
        "(the alarm history the trigger reads covers 30 days).",
    );
  }
}

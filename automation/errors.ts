/**
 * Errors the failover controller reports to the operator verbatim (no stack trace): each says what
 * failed, why, and what to do next, and whether rerunning resumes where the run stopped.
 */

/**
 * A problem the operator can fix; `resumable` says whether a rerun continues the same run.
 * `detail` is the raw evidence (a CLI's full output), printed only with `--verbose`.
 */
export class FailoverError extends Error {
  constructor(
    message: string,
    readonly resumable = true,
    readonly detail?: string,
  ) {
    super(message);
    this.name = "FailoverError";
  }
}

/** Bad command-line usage; the message ends with the usage text. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** A step that did not finish within `failover.stepTimeoutSeconds`. */
export class StepTimeoutError extends FailoverError {
  constructor(step: string, seconds: number) {
    super(
      `Step ${step} did not finish within ${seconds} s (failover.stepTimeoutSeconds). ` +
        "Completed steps are recorded; rerun the same command to resume from this step, or raise " +
        "payments-dr:failover.stepTimeoutSeconds in Pulumi.dr.yaml if the step is slow but healthy.",
    );
    this.name = "StepTimeoutError";
  }
}

/** This run no longer holds the failover lock: its steps were stopped; the run can be resumed. */
export class LockLostError extends FailoverError {
  constructor(message: string) {
    super(message);
    this.name = "LockLostError";
  }
}

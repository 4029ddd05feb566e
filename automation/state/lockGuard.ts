/**
 * Keeps a run honest about its lock. A heartbeat renews it every third of its lifetime; each step
 * renews it as it starts (the ownership check). If another run took it (the conditional renewal
 * fails) or renewals keep failing (the lock will expire and another run may take it), the run's
 * AbortController stops the steps in flight and no new step starts: two controllers must never
 * promote and update at once.
 */
import { LockLostError } from "../errors";
import { StateStore } from "./stateStore";

/** Consecutive failed heartbeat renewals after which the run stops (the lock is near expiry). */
export const MAX_RENEW_FAILURES = 2;

export class LockGuard {
  /** Aborted when the lock is lost or the outer signal (Ctrl-C) fires. */
  readonly signal: AbortSignal;
  private readonly run = new AbortController();
  private failures = 0;
  private timer?: NodeJS.Timeout;
  private lostError?: LockLostError;

  constructor(
    private readonly store: StateStore,
    private readonly runId: string,
    private readonly ttlSeconds: number,
    private readonly log: (line: string) => void,
    outer?: AbortSignal,
  ) {
    this.signal = this.run.signal;
    if (outer?.aborted) this.run.abort(outer.reason);
    else outer?.addEventListener("abort", () => this.run.abort(outer.reason), { once: true });
  }

  get lost(): LockLostError | undefined {
    return this.lostError;
  }

  start(): void {
    this.timer = setInterval(() => void this.heartbeat(), (this.ttlSeconds * 1000) / 3);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Before each step: renew; throws if this run no longer owns the lock. */
  async check(): Promise<void> {
    if (this.lostError) throw this.lostError;
    try {
      await this.store.renewLock(this.runId, this.ttlSeconds);
    } catch (error) {
      if (error instanceof LockLostError) this.lose(error);
      else this.log(`  ! could not renew the lock before the step (the heartbeat retries): ${String(error)}`);
    }
    if (this.lostError) throw this.lostError;
  }

  private async heartbeat(): Promise<void> {
    if (this.lostError) return;
    try {
      await this.store.renewLock(this.runId, this.ttlSeconds);
      this.failures = 0;
    } catch (error) {
      if (error instanceof LockLostError) return this.lose(error);
      this.failures++;
      this.log(`  ! could not renew the lock (${this.failures} of ${MAX_RENEW_FAILURES}): ${String(error)}`);
      if (this.failures >= MAX_RENEW_FAILURES) {
        this.lose(
          new LockLostError(
            `Run ${this.runId} could not renew its lock ${this.failures} times in a row (last error: ${String(error)}); ` +
              `it expires within ${this.ttlSeconds} s and another run could then take it, so running steps were ` +
              "stopped and no new step started. Once the failover-state table answers again, rerun the same " +
              "command to resume (after the lock expires, with --force lock).",
          ),
        );
      }
    }
  }

  private lose(error: LockLostError): void {
    if (this.lostError) return;
    this.lostError = error;
    this.log(`  ✖ ${error.message}`);
    this.run.abort(error);
  }
}

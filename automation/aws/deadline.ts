/**
 * An outer deadline for a call into the primary Region. The SDK's own timeouts bound one HTTP
 * attempt; this bounds the whole call (SDK retries and `awsCall` backoff included) and aborts the
 * request in flight, so a Region that accepts connections and never answers costs exactly one
 * deadline before the caller takes its fallback.
 */

/** `--peer-timeout-seconds` default: a Region that has not answered in 10 s is treated as down. */
export const DEFAULT_PEER_TIMEOUT_MS = 10_000;

/** The call did not finish within its deadline; the request was aborted. */
export class DeadlineError extends Error {
  constructor(
    what: string,
    readonly timeoutMs: number,
  ) {
    super(`${what}: no answer within ${timeoutMs / 1000} s (--peer-timeout-seconds)`);
    this.name = "DeadlineError";
  }
}

/**
 * Runs `call` with a signal that aborts after `timeoutMs` or when `parent` aborts; rejects at that
 * moment even if `call` ignores its signal. A parent abort rejects with the parent's reason.
 */
export async function withDeadline<T>(
  timeoutMs: number,
  parent: AbortSignal | undefined,
  what: string,
  call: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  parent?.throwIfAborted();
  const onParentAbort = () => controller.abort(parent?.reason);
  parent?.addEventListener("abort", onParentAbort, { once: true });
  const timer = setTimeout(() => controller.abort(new DeadlineError(what, timeoutMs)), timeoutMs);
  const aborted = new Promise<never>((_, reject) => {
    controller.signal.addEventListener("abort", () => reject(controller.signal.reason), { once: true });
  });
  try {
    return await Promise.race([call(controller.signal), aborted]);
  } finally {
    clearTimeout(timer);
    parent?.removeEventListener("abort", onParentAbort);
  }
}

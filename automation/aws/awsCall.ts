/**
 * One wrapper for every AWS call the controller makes: bounded retries with exponential backoff on
 * throttling and transient server errors, and an operator-readable error on access denied that
 * names the API action and the role, so the fix is a policy change and a rerun (progress is kept).
 */
import { FailoverError } from "../errors";

/** The caller's role may not perform `action`; fixing the policy and rerunning resumes the run. */
export class AccessDeniedError extends FailoverError {
  constructor(
    message: string,
    readonly action: string,
  ) {
    super(message);
    this.name = "AccessDeniedError";
  }
}

/** Throttling or server errors outlasted the retries; `cause` is the last AWS error. */
export class RetriesExhaustedError extends FailoverError {
  constructor(
    message: string,
    readonly lastError: unknown,
  ) {
    super(message);
    this.name = "RetriesExhaustedError";
  }
}

export interface RetryPolicy {
  /** Attempts including the first. @default 5 */
  readonly maxAttempts?: number;
  /** Delay before the second attempt; doubles each time. @default 200 */
  readonly baseDelayMs?: number;
  /** Cap on one delay. @default 5000 */
  readonly maxDelayMs?: number;
  /** Injected for tests. @default setTimeout-based sleep */
  readonly sleep?: (ms: number) => Promise<void>;
}

const THROTTLING_CODES = new Set([
  "Throttling",
  "ThrottlingException",
  "ThrottledException",
  "TooManyRequestsException",
  "RequestLimitExceeded",
  "RequestThrottled",
  "RequestThrottledException",
  "ProvisionedThroughputExceededException",
  "PriorRequestNotComplete",
  "SlowDown",
]);

const ACCESS_DENIED_CODES = new Set([
  "AccessDenied",
  "AccessDeniedException",
  "UnauthorizedOperation",
  "NotAuthorized",
  "AuthorizationError",
]);

interface AwsErrorShape {
  name?: string;
  Code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  $retryable?: { throttling?: boolean };
}

function shape(error: unknown): AwsErrorShape {
  return typeof error === "object" && error !== null ? (error as AwsErrorShape) : {};
}

export function isThrottling(error: unknown): boolean {
  const e = shape(error);
  return (
    THROTTLING_CODES.has(e.name ?? "") ||
    THROTTLING_CODES.has(e.Code ?? "") ||
    e.$retryable?.throttling === true ||
    e.$metadata?.httpStatusCode === 429
  );
}

export function isTransient(error: unknown): boolean {
  const status = shape(error).$metadata?.httpStatusCode;
  return status !== undefined && status >= 500;
}

export function isAccessDenied(error: unknown): boolean {
  const e = shape(error);
  return ACCESS_DENIED_CODES.has(e.name ?? "") || ACCESS_DENIED_CODES.has(e.Code ?? "");
}

/** AWS puts the caller in the message: "User: arn:aws:sts::1:assumed-role/X/s is not authorized". */
export function principalFrom(message: string): string | undefined {
  return /(arn:aws[a-z-]*:(?:sts|iam)::\d{12}:[^\s,]+)/.exec(message)?.[1];
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `call` with retries. `action` is the IAM action (`route53:UpdateHealthCheck`) used in the
 * access-denied message.
 */
export async function awsCall<T>(
  action: string,
  call: () => Promise<T>,
  policy: RetryPolicy = {},
): Promise<T> {
  const maxAttempts = policy.maxAttempts ?? 5;
  const baseDelayMs = policy.baseDelayMs ?? 200;
  const maxDelayMs = policy.maxDelayMs ?? 5000;
  const sleep = policy.sleep ?? defaultSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (isAccessDenied(error)) {
        const message = shape(error).message ?? String(error);
        const principal = principalFrom(message) ?? "the role the controller runs as";
        throw new AccessDeniedError(
          `Access denied calling ${action} as ${principal}. Allow ${action} for that role ` +
            `(AWS said: ${message}). Nothing after this call ran; completed steps are recorded, so rerunning ` +
            "the same command resumes here.",
          action,
        );
      }
      const retryable = isThrottling(error) || isTransient(error);
      if (!retryable || attempt >= maxAttempts) {
        if (retryable) {
          throw new RetriesExhaustedError(
            `${action} was still throttled or failing after ${maxAttempts} attempts ` +
              `(${shape(error).name ?? "error"}: ${shape(error).message ?? String(error)}). ` +
              "Rerun the same command to resume; completed steps are skipped.",
            error,
          );
        }
        throw error;
      }
      await sleep(Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1)));
    }
  }
}

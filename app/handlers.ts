/**
 * The service's two endpoints over injected dependencies (the adapters in ./database.ts,
 * ./cache.ts and ./aws/ in production, fakes in test/app/). `handle` takes a parsed request and
 * returns status and JSON body; ./server.ts adapts it to node:http.
 */
import type { AppConfig } from "./config";
import {
  NewPayment,
  objectBody,
  objectKey,
  parsePayment,
  pointerMessage,
  samePayment,
  StoredPayment,
} from "./payments";

export interface PaymentStore {
  /** `SELECT 1` through the pool (each new connection signs in with a fresh IAM token). */
  check(): Promise<void>;
  /** Inserts the payment, or returns the one already recorded under its idempotency key. */
  record(
    payment: NewPayment,
    id: string,
    createdAt: string,
  ): Promise<{ payment: StoredPayment; created: boolean }>;
  markObject(id: string, key: string, versionId: string): Promise<void>;
  markPublished(id: string, messageId: string): Promise<void>;
}

export type LogFields = Record<string, unknown>;
export interface Logger {
  info(message: string, fields: LogFields): void;
  warn(message: string, fields: LogFields): void;
  error(message: string, fields: LogFields): void;
}

export interface AppDeps {
  readonly config: AppConfig;
  readonly store: PaymentStore;
  /** TLS connection, IAM AUTH and PING to this Region's cache. */
  readonly cache: { ping(): Promise<void> };
  readonly topic: { check(): Promise<void>; publish(message: string): Promise<string> };
  readonly landing: { put(key: string, body: string): Promise<{ versionId: string }> };
  /** One PaymentsAccepted datapoint to each configured Region; resolves with the Regions that failed. */
  readonly metrics: { paymentAccepted(at: Date): Promise<readonly string[]> };
  readonly newId: () => string;
  readonly now: () => Date;
  readonly log: Logger;
  /** How long each health check may take. @default 2000 */
  readonly healthTimeoutMs?: number;
  /**
   * How long one health verdict answers every probe: the load balancer, the kubelet and Route 53's
   * checkers probe several times a second together, and each cache check is a new TLS + IAM AUTH
   * connection. @default 5000
   */
  readonly healthCacheMs?: number;
}

export interface Request {
  readonly method: string;
  readonly path: string;
  readonly body: string;
}

export interface Response {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly headers?: Record<string, string>;
}

type Check = { status: "pass" } | { status: "fail"; error: string };

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function timed(run: () => Promise<void>, timeoutMs: number, name: string): Promise<Check> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${name} check timed out after ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([run(), timeout]);
    return { status: "pass" };
  } catch (error) {
    return { status: "fail", error: message(error) };
  } finally {
    clearTimeout(timer);
  }
}

const verdicts = new WeakMap<AppDeps, { at: number; response: Promise<Response> }>();

/** 200 only when the database, the cache and the topic of this Region all answer. */
export function health(deps: AppDeps): Promise<Response> {
  const now = deps.now().getTime();
  const cached = verdicts.get(deps);
  if (cached && now - cached.at < (deps.healthCacheMs ?? 5000)) return cached.response;
  const response = checkHealth(deps);
  verdicts.set(deps, { at: now, response });
  return response;
}

async function checkHealth(deps: AppDeps): Promise<Response> {
  const timeoutMs = deps.healthTimeoutMs ?? 2000;
  const [database, cache, topic] = await Promise.all([
    timed(() => deps.store.check(), timeoutMs, "database"),
    timed(() => deps.cache.ping(), timeoutMs, "cache"),
    timed(() => deps.topic.check(), timeoutMs, "topic"),
  ]);
  const checks = { database, cache, topic };
  const failed = Object.entries(checks).filter(([, c]) => c.status === "fail");
  for (const [name, check] of failed) deps.log.warn("health check failed", { check: name, ...check });
  const status = failed.length === 0 ? "pass" : "fail";
  return { status: status === "pass" ? 200 : 503, body: { status, region: deps.config.region, checks } };
}

function view(payment: StoredPayment): Record<string, unknown> {
  return {
    id: payment.id,
    idempotencyKey: payment.idempotencyKey,
    amountMinor: payment.amountMinor,
    currency: payment.currency,
    createdAt: payment.createdAt,
    region: payment.region,
  };
}

/**
 * Records the payment, then writes its landing object and publishes the pointer. Each step is
 * recorded on the payment, so a retry with the same idempotency key finishes what failed and
 * re-publishes the same object version (the consumer loads a version once) instead of a new one.
 */
export async function acceptPayment(deps: AppDeps, body: string): Promise<Response> {
  const parsed = parsePayment(body);
  if (!parsed.ok) return { status: 400, body: { error: parsed.error } };
  const now = deps.now();
  let recorded: { payment: StoredPayment; created: boolean };
  try {
    recorded = await deps.store.record(parsed.payment, deps.newId(), now.toISOString());
  } catch (error) {
    deps.log.error("payment not recorded", {
      idempotencyKey: parsed.payment.idempotencyKey,
      error: message(error),
    });
    return {
      status: 503,
      body: {
        error:
          "the payment was not recorded: the database is unavailable; retry with the same idempotencyKey",
      },
    };
  }
  const { payment, created } = recorded;
  if (!samePayment(payment, parsed.payment)) {
    return {
      status: 409,
      body: {
        error: `idempotencyKey ${payment.idempotencyKey} already names a payment of ${payment.amountMinor} ${payment.currency}`,
      },
    };
  }
  if (created) {
    const failedRegions = await deps.metrics.paymentAccepted(now);
    if (failedRegions.length > 0)
      deps.log.warn("PaymentsAccepted not put", { id: payment.id, regions: failedRegions });
  }
  const bucket = deps.config.landingBucket;
  try {
    let key = payment.objectKey;
    let versionId = payment.objectVersionId;
    if (key === undefined || versionId === undefined) {
      key = objectKey(payment);
      ({ versionId } = await deps.landing.put(key, objectBody(payment)));
      await deps.store.markObject(payment.id, key, versionId);
    }
    if (payment.messageId === undefined) {
      const messageId = await deps.topic.publish(pointerMessage(bucket, key, versionId));
      await deps.store.markPublished(payment.id, messageId);
      deps.log.info("payment accepted", { id: payment.id, bucket, key, versionId, messageId });
    }
  } catch (error) {
    deps.log.error("payment recorded, ingest not published", { id: payment.id, error: message(error) });
    return {
      status: 502,
      body: {
        error:
          "the payment is recorded but its ingest message is not published; retry with the same idempotencyKey",
        payment: view(payment),
      },
    };
  }
  return { status: created ? 201 : 200, body: { payment: view(payment) } };
}

/** Routes one request. */
export async function handle(deps: AppDeps, request: Request): Promise<Response> {
  const path = request.path.split("?", 1)[0];
  if (path === deps.config.healthCheckPath) {
    if (request.method !== "GET")
      return { status: 405, headers: { allow: "GET" }, body: { error: "method not allowed" } };
    return health(deps);
  }
  if (path === "/payments") {
    if (request.method !== "POST")
      return { status: 405, headers: { allow: "POST" }, body: { error: "method not allowed" } };
    return acceptPayment(deps, request.body);
  }
  return { status: 404, body: { error: `no route for ${request.method} ${path}` } };
}

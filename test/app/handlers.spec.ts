import * as assert from "assert";
import type { AppConfig } from "../../app/config";
import { AppDeps, handle, LogFields, PaymentStore } from "../../app/handlers";
import type { NewPayment, StoredPayment } from "../../app/payments";

const CONFIG: AppConfig = {
  region: "us-east-1",
  port: 8080,
  healthCheckPath: "/healthz",
  database: { host: "db.example", port: 5432, name: "payments", user: "payments_app" },
  cache: { host: "cache.example", port: 6379, replicationGroupId: "payments-cache", user: "payments-app" },
  topicArn: "arn:aws:sns:us-east-1:123456789012:ingest-topic",
  landingBucket: "payments-landing-use1",
  metricNamespace: "PaymentsDr/Service",
  metricRegions: ["us-east-1", "us-west-2"],
};

const NOW = new Date("2026-12-05T10:00:00.000Z");

/** An in-memory store with the real one's idempotency semantics, recording every call. */
function fakeStore(calls: string[], failRecord = false): PaymentStore & { rows: Map<string, StoredPayment> } {
  const rows = new Map<string, StoredPayment>();
  return {
    rows,
    check: () => Promise.resolve(),
    record: (payment: NewPayment, id: string, createdAt: string) => {
      calls.push(`record ${payment.idempotencyKey}`);
      if (failRecord) return Promise.reject(new Error("connect ECONNREFUSED"));
      const existing = rows.get(payment.idempotencyKey);
      if (existing) return Promise.resolve({ payment: existing, created: false });
      const stored: StoredPayment = { ...payment, id, createdAt, region: "us-east-1" };
      rows.set(payment.idempotencyKey, stored);
      return Promise.resolve({ payment: stored, created: true });
    },
    markObject: (id, key, versionId) => {
      calls.push(`markObject ${id} ${key} ${versionId}`);
      for (const [k, p] of rows)
        if (p.id === id) rows.set(k, { ...p, objectKey: key, objectVersionId: versionId });
      return Promise.resolve();
    },
    markPublished: (id, messageId) => {
      calls.push(`markPublished ${id} ${messageId}`);
      for (const [k, p] of rows) if (p.id === id) rows.set(k, { ...p, messageId });
      return Promise.resolve();
    },
  };
}

function deps(overrides: Partial<AppDeps> = {}, calls: string[] = [], logs: string[] = []): AppDeps {
  let ids = 0;
  let versions = 0;
  const log = (level: string) => (message: string, fields: LogFields) =>
    logs.push(`${level} ${message} ${JSON.stringify(fields)}`);
  return {
    config: CONFIG,
    store: fakeStore(calls),
    cache: { ping: () => Promise.resolve() },
    topic: {
      check: () => Promise.resolve(),
      publish: (message) => {
        calls.push(`publish ${message}`);
        return Promise.resolve("msg-1");
      },
    },
    landing: {
      put: (key, body) => {
        calls.push(`put ${key} ${JSON.stringify(body)}`);
        return Promise.resolve({ versionId: `v${++versions}` });
      },
    },
    metrics: {
      paymentAccepted: (at) => {
        calls.push(`metric ${at.toISOString()}`);
        return Promise.resolve([]);
      },
    },
    newId: () => `pay-${++ids}`,
    now: () => NOW,
    log: { info: log("INFO"), warn: log("WARN"), error: log("ERROR") },
    ...overrides,
  };
}

const PAYMENT = JSON.stringify({ idempotencyKey: "order-42", amountMinor: 1999, currency: "EUR" });
const ROW =
  '{"id":"pay-1","idempotencyKey":"order-42","amountMinor":1999,"currency":"EUR","createdAt":"2026-12-05T10:00:00.000Z","region":"us-east-1"}\n';
const VIEW = {
  id: "pay-1",
  idempotencyKey: "order-42",
  amountMinor: 1999,
  currency: "EUR",
  createdAt: "2026-12-05T10:00:00.000Z",
  region: "us-east-1",
};

describe("app: the health endpoint", () => {
  it("answers 200 with every check passing when the database, the cache and the topic answer", async () => {
    const response = await handle(deps(), { method: "GET", path: "/healthz", body: "" });
    assert.deepStrictEqual(response, {
      status: 200,
      body: {
        status: "pass",
        region: "us-east-1",
        checks: { database: { status: "pass" }, cache: { status: "pass" }, topic: { status: "pass" } },
      },
    });
  });

  it("answers 503 naming the failing dependency and its error, and logs it", async () => {
    const logs: string[] = [];
    const d = deps(
      {
        cache: {
          ping: () => Promise.reject(new Error("AUTH refused: WRONGPASS invalid username-password pair")),
        },
      },
      [],
      logs,
    );
    const response = await handle(d, { method: "GET", path: "/healthz?probe=alb", body: "" });
    assert.deepStrictEqual(response, {
      status: 503,
      body: {
        status: "fail",
        region: "us-east-1",
        checks: {
          database: { status: "pass" },
          cache: { status: "fail", error: "AUTH refused: WRONGPASS invalid username-password pair" },
          topic: { status: "pass" },
        },
      },
    });
    assert.deepStrictEqual(logs, [
      'WARN health check failed {"check":"cache","status":"fail","error":"AUTH refused: WRONGPASS invalid username-password pair"}',
    ]);
  });

  it("fails a check that does not answer within the timeout instead of hanging the probe", async () => {
    const d = deps({
      topic: { check: () => new Promise(() => undefined), publish: () => Promise.resolve("") },
      healthTimeoutMs: 20,
    });
    const response = await handle(d, { method: "GET", path: "/healthz", body: "" });
    assert.strictEqual(response.status, 503);
    assert.deepStrictEqual((response.body.checks as Record<string, unknown>).topic, {
      status: "fail",
      error: "topic check timed out after 20 ms",
    });
  });

  it("answers every probe within 5 s from one verdict, then checks again", async () => {
    let now = NOW.getTime();
    let checks = 0;
    const d = deps({
      now: () => new Date(now),
      cache: {
        ping: () => {
          checks += 1;
          return Promise.resolve();
        },
      },
    });
    await handle(d, { method: "GET", path: "/healthz", body: "" });
    now += 4_999;
    await handle(d, { method: "GET", path: "/healthz", body: "" });
    assert.strictEqual(checks, 1);
    now += 1;
    await handle(d, { method: "GET", path: "/healthz", body: "" });
    assert.strictEqual(checks, 2);
  });

  it("serves the configured health path, not a fixed one", async () => {
    const d = deps({ config: { ...CONFIG, healthCheckPath: "/ready" } });
    assert.strictEqual((await handle(d, { method: "GET", path: "/ready", body: "" })).status, 200);
    assert.deepStrictEqual(await handle(d, { method: "GET", path: "/healthz", body: "" }), {
      status: 404,
      body: { error: "no route for GET /healthz" },
    });
  });
});

describe("app: POST /payments", () => {
  it("records the payment, writes its landing object, publishes the pointer and puts PaymentsAccepted, in that order", async () => {
    const calls: string[] = [];
    const response = await handle(deps({}, calls), { method: "POST", path: "/payments", body: PAYMENT });
    assert.deepStrictEqual(response, { status: 201, body: { payment: VIEW } });
    assert.deepStrictEqual(calls, [
      "record order-42",
      "metric 2026-12-05T10:00:00.000Z",
      `put payments/2026/12/05/pay-1.jsonl ${JSON.stringify(ROW)}`,
      "markObject pay-1 payments/2026/12/05/pay-1.jsonl v1",
      'publish {"bucket":"payments-landing-use1","key":"payments/2026/12/05/pay-1.jsonl","versionId":"v1"}',
      "markPublished pay-1 msg-1",
    ]);
  });

  it("answers a retry with the same key 200, with no second metric, object or message", async () => {
    const calls: string[] = [];
    const d = deps({}, calls);
    await handle(d, { method: "POST", path: "/payments", body: PAYMENT });
    calls.length = 0;
    const response = await handle(d, { method: "POST", path: "/payments", body: PAYMENT });
    assert.deepStrictEqual(response, { status: 200, body: { payment: VIEW } });
    assert.deepStrictEqual(calls, ["record order-42"]);
  });

  it("after a failed publish, a retry re-publishes the same object version rather than writing a new one", async () => {
    const calls: string[] = [];
    let fail = true;
    const d = deps(
      {
        topic: {
          check: () => Promise.resolve(),
          publish: (message) => {
            calls.push(`publish ${message}`);
            return fail
              ? Promise.reject(new Error("sns:Publish failed: HTTP 403 AuthorizationError"))
              : Promise.resolve("msg-2");
          },
        },
      },
      calls,
    );
    const first = await handle(d, { method: "POST", path: "/payments", body: PAYMENT });
    assert.deepStrictEqual(first, {
      status: 502,
      body: {
        error:
          "the payment is recorded but its ingest message is not published; retry with the same idempotencyKey",
        payment: VIEW,
      },
    });
    fail = false;
    calls.length = 0;
    const second = await handle(d, { method: "POST", path: "/payments", body: PAYMENT });
    assert.deepStrictEqual(second, { status: 200, body: { payment: VIEW } });
    assert.deepStrictEqual(calls, [
      "record order-42",
      'publish {"bucket":"payments-landing-use1","key":"payments/2026/12/05/pay-1.jsonl","versionId":"v1"}',
      "markPublished pay-1 msg-2",
    ]);
  });

  it("refuses a reused key naming a different amount with 409 and publishes nothing", async () => {
    const calls: string[] = [];
    const d = deps({}, calls);
    await handle(d, { method: "POST", path: "/payments", body: PAYMENT });
    calls.length = 0;
    const body = JSON.stringify({ idempotencyKey: "order-42", amountMinor: 2999, currency: "EUR" });
    assert.deepStrictEqual(await handle(d, { method: "POST", path: "/payments", body }), {
      status: 409,
      body: { error: "idempotencyKey order-42 already names a payment of 1999 EUR" },
    });
    assert.deepStrictEqual(calls, ["record order-42"]);
  });

  it("answers 503 and writes nothing when the database is unavailable", async () => {
    const calls: string[] = [];
    const response = await handle(deps({ store: fakeStore(calls, true) }, calls), {
      method: "POST",
      path: "/payments",
      body: PAYMENT,
    });
    assert.deepStrictEqual(response, {
      status: 503,
      body: {
        error:
          "the payment was not recorded: the database is unavailable; retry with the same idempotencyKey",
      },
    });
    assert.deepStrictEqual(calls, ["record order-42"]);
  });

  it("accepts the payment when a metric Region fails, and logs which one", async () => {
    const logs: string[] = [];
    const response = await handle(
      deps({ metrics: { paymentAccepted: () => Promise.resolve(["us-west-2"]) } }, [], logs),
      { method: "POST", path: "/payments", body: PAYMENT },
    );
    assert.strictEqual(response.status, 201);
    assert.strictEqual(logs[0], 'WARN PaymentsAccepted not put {"id":"pay-1","regions":["us-west-2"]}');
  });

  it("answers 400 with the field, the value and what is expected", async () => {
    const cases: [string, string][] = [
      ["not json", "body: expected a JSON object"],
      ["[1]", "body: expected a JSON object"],
      [
        '{"amountMinor":1,"currency":"EUR"}',
        "idempotencyKey = undefined: expected 1 to 64 letters, digits, _ or -",
      ],
      [
        '{"idempotencyKey":"k","amountMinor":19.99,"currency":"EUR"}',
        "amountMinor = 19.99: expected an integer from 1 to 1000000000000 (minor units)",
      ],
      [
        '{"idempotencyKey":"k","amountMinor":0,"currency":"EUR"}',
        "amountMinor = 0: expected an integer from 1 to 1000000000000 (minor units)",
      ],
      [
        '{"idempotencyKey":"k","amountMinor":5,"currency":"eur"}',
        'currency = "eur": expected an ISO 4217 code such as "EUR"',
      ],
    ];
    for (const [body, error] of cases) {
      assert.deepStrictEqual(
        await handle(deps(), { method: "POST", path: "/payments", body }),
        { status: 400, body: { error } },
        body,
      );
    }
  });

  it("answers 405 with Allow for the wrong method on either route", async () => {
    assert.deepStrictEqual(await handle(deps(), { method: "GET", path: "/payments", body: "" }), {
      status: 405,
      headers: { allow: "POST" },
      body: { error: "method not allowed" },
    });
    assert.deepStrictEqual(await handle(deps(), { method: "POST", path: "/healthz", body: "" }), {
      status: 405,
      headers: { allow: "GET" },
      body: { error: "method not allowed" },
    });
  });
});

import * as assert from "assert";
import {
  MARK_OBJECT_SQL,
  MARK_PUBLISHED_SQL,
  paymentStore,
  Queryable,
  RECORD_SQL,
  SCHEMA_SQL,
} from "../../app/database";

function fakeDb(rows: Record<string, unknown>[], failFirstSchema = false) {
  const calls: { text: string; values?: unknown[] }[] = [];
  let schemaFailures = failFirstSchema ? 1 : 0;
  const db: Queryable = {
    query: (text, values) => {
      calls.push({ text, values });
      if (text === SCHEMA_SQL && schemaFailures-- > 0)
        return Promise.reject(new Error("cannot execute CREATE TABLE in a read-only transaction"));
      return Promise.resolve({ rows: text === RECORD_SQL ? rows : [] });
    },
  };
  return { db, calls };
}

const ROW = {
  id: "pay-1",
  idempotency_key: "order-42",
  amount_minor: "1999",
  currency: "EUR",
  created_at: new Date("2026-12-05T10:00:00Z"),
  region: "us-east-1",
  object_key: "payments/2026/12/05/pay-1.jsonl",
  object_version_id: "v1",
  message_id: null,
  created: false,
};

describe("app: the payment store", () => {
  it("health-checks with SELECT 1 and creates no table (a standby replica refuses DDL)", async () => {
    const { db, calls } = fakeDb([]);
    await paymentStore(db, "us-west-2").check();
    assert.deepStrictEqual(calls, [{ text: "SELECT 1", values: undefined }]);
  });

  it("creates the table once, then inserts with the idempotency key and reads back the recorded row", async () => {
    const { db, calls } = fakeDb([ROW]);
    const store = paymentStore(db, "us-east-1");
    const payment = { idempotencyKey: "order-42", amountMinor: 1999, currency: "EUR" };
    const first = await store.record(payment, "pay-9", "2026-12-05T10:00:00.000Z");
    await store.record(payment, "pay-10", "2026-12-05T10:00:01.000Z");
    assert.deepStrictEqual(first, {
      created: false,
      payment: {
        id: "pay-1",
        idempotencyKey: "order-42",
        amountMinor: 1999,
        currency: "EUR",
        createdAt: "2026-12-05T10:00:00.000Z",
        region: "us-east-1",
        objectKey: "payments/2026/12/05/pay-1.jsonl",
        objectVersionId: "v1",
      },
    });
    assert.deepStrictEqual(
      calls.map((c) => [
        c.text === SCHEMA_SQL ? "SCHEMA" : c.text === RECORD_SQL ? "RECORD" : c.text,
        c.values,
      ]),
      [
        ["SCHEMA", undefined],
        ["RECORD", ["pay-9", "order-42", 1999, "EUR", "2026-12-05T10:00:00.000Z", "us-east-1"]],
        ["RECORD", ["pay-10", "order-42", 1999, "EUR", "2026-12-05T10:00:01.000Z", "us-east-1"]],
      ],
    );
    assert.match(RECORD_SQL, /ON CONFLICT \(idempotency_key\) DO NOTHING/);
  });

  it("retries the schema on the next write after it failed", async () => {
    const { db, calls } = fakeDb([{ ...ROW, created: true }], true);
    const store = paymentStore(db, "us-east-1");
    const payment = { idempotencyKey: "order-42", amountMinor: 1999, currency: "EUR" };
    await assert.rejects(store.record(payment, "p", "2026-12-05T10:00:00.000Z"), {
      message: "cannot execute CREATE TABLE in a read-only transaction",
    });
    assert.strictEqual((await store.record(payment, "p", "2026-12-05T10:00:00.000Z")).created, true);
    assert.strictEqual(calls.filter((c) => c.text === SCHEMA_SQL).length, 2);
  });

  it("records the landing object and the message id on the payment", async () => {
    const { db, calls } = fakeDb([]);
    const store = paymentStore(db, "us-east-1");
    await store.markObject("pay-1", "payments/k.jsonl", "v1");
    await store.markPublished("pay-1", "msg-1");
    assert.deepStrictEqual(calls, [
      { text: MARK_OBJECT_SQL, values: ["pay-1", "payments/k.jsonl", "v1"] },
      { text: MARK_PUBLISHED_SQL, values: ["pay-1", "msg-1"] },
    ]);
  });
});

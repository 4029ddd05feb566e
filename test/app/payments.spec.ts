import * as assert from "assert";
import type { SQSRecord } from "aws-lambda";
import { objectBody, objectKey, pointerMessage } from "../../app/payments";
import { parseRecord } from "../../functions/ingest/message";

describe("app: the dual-ingest object and pointer", () => {
  const payment = {
    id: "0b6d0c39-6a5e-4c8b-9d7c-2f0f5b1b6a11",
    idempotencyKey: "order-42",
    amountMinor: 1999,
    currency: "EUR",
    createdAt: "2026-12-05T23:59:59.999Z",
    region: "us-east-1",
  };

  it("lands one JSON line per payment under the UTC day it was recorded", () => {
    assert.strictEqual(objectKey(payment), "payments/2026/12/05/0b6d0c39-6a5e-4c8b-9d7c-2f0f5b1b6a11.jsonl");
    assert.strictEqual(
      objectBody({ ...payment, objectKey: "ignored", messageId: "ignored" }),
      '{"id":"0b6d0c39-6a5e-4c8b-9d7c-2f0f5b1b6a11","idempotencyKey":"order-42","amountMinor":1999,"currency":"EUR","createdAt":"2026-12-05T23:59:59.999Z","region":"us-east-1"}\n',
    );
  });

  it("publishes a pointer the ingest consumer parses, inside the SNS envelope its queues receive", () => {
    const message = pointerMessage(
      "payments-landing-use1",
      objectKey(payment),
      "3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY",
    );
    const record = {
      messageId: "m-1",
      body: JSON.stringify({ Type: "Notification", Message: message }),
      attributes: { SentTimestamp: "1764979200000" },
    } as unknown as SQSRecord;
    const parsed = parseRecord(record);
    assert.ok(parsed.ok, JSON.stringify(parsed));
    assert.deepStrictEqual(parsed.message.pointer, {
      bucket: "payments-landing-use1",
      key: "payments/2026/12/05/0b6d0c39-6a5e-4c8b-9d7c-2f0f5b1b6a11.jsonl",
      versionId: "3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY",
    });
  });
});

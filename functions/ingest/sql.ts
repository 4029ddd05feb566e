/**
 * The SQL the consumer runs, built from validated input only.
 *
 * Exactly-once load: every load runs as ONE BatchExecuteStatement (one transaction). It takes an
 * exclusive lock on `ingest_loads`, stages the object's rows in a session temp table, copies them
 * into `ingest_rows` only if `ingest_loads` has no row for the message's load key, and records the
 * load key. A redelivered or duplicate message therefore commits nothing new; two consumers racing
 * on the same key are serialised by the lock, so the second one sees the first one's record.
 *
 * Untrusted text (the JSON lines) never enters SQL as a quoted literal: each line is sent as hex
 * and decoded in Redshift (`FROM_HEX` -> `FROM_VARBYTE(..., 'utf8')` -> `JSON_PARSE`), so no quoting
 * or escaping rule can be got wrong. The load key, source URI and row count go as Data API parameters.
 */

export const ROWS_TABLE = "public.ingest_rows";
export const LOADS_TABLE = "public.ingest_loads";

/** Data API hard limits: 100 KB per SQL statement, 40 statements per BatchExecuteStatement. */
export const MAX_STATEMENT_BYTES = 100_000;
export const MAX_STATEMENTS = 40;
/** A VARCHAR, and so one decoded line, holds at most 65535 bytes. */
export const MAX_LINE_BYTES = 65_535;

/**
 * Created once per cold start (idempotent). The `public` schema is used because every database user,
 * including the `IAMR:<role>` user the Data API creates for the consumer's role, may create tables
 * in it by default: no manual grant stands between a fresh cluster and its first load.
 */
export const SCHEMA_SQLS: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS ${ROWS_TABLE} (load_key CHAR(64) NOT NULL, line_number INTEGER NOT NULL, ` +
    "payload SUPER, loaded_at TIMESTAMP NOT NULL) DISTKEY(load_key) SORTKEY(loaded_at)",
  `CREATE TABLE IF NOT EXISTS ${LOADS_TABLE} (load_key CHAR(64) NOT NULL, source_uri VARCHAR(4096) NOT NULL, ` +
    "row_count INTEGER NOT NULL, loaded_at TIMESTAMP NOT NULL, PRIMARY KEY (load_key))",
];

export interface Row {
  readonly lineNumber: number;
  /** The line exactly as it was in the object (validated JSON object text). */
  readonly json: string;
}

export type RowsResult =
  { readonly ok: true; readonly rows: Row[] } | { readonly ok: false; readonly reason: string };

/** Parses a JSON Lines object: one JSON object per non-blank line. */
export function parseJsonLines(text: string): RowsResult {
  const rows: Row[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/\r$/, "");
    if (line.trim() === "") continue;
    if (Buffer.byteLength(line) > MAX_LINE_BYTES) {
      return { ok: false, reason: `line ${i + 1} is longer than ${MAX_LINE_BYTES} bytes` };
    }
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return { ok: false, reason: `line ${i + 1} is not valid JSON` };
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      return { ok: false, reason: `line ${i + 1} is not a JSON object` };
    }
    rows.push({ lineNumber: i + 1, json: line });
  }
  return { ok: true, rows };
}

const STAGE_INSERT = "INSERT INTO ingest_stage (line_number, payload) VALUES ";

function stageValue(row: Row): string {
  const hex = Buffer.from(row.json, "utf8").toString("hex");
  return `(${row.lineNumber}, JSON_PARSE(FROM_VARBYTE(FROM_HEX('${hex}'), 'utf8')))`;
}

export interface LoadBatch {
  readonly sqls: string[];
  readonly parameters: { name: string; value: string }[];
}

export type LoadResult =
  ({ readonly ok: true } & LoadBatch) | { readonly ok: false; readonly reason: string };

/** The statements of one message's load transaction, or why the object cannot be loaded this way. */
export function buildLoad(loadKey: string, sourceUri: string, rows: readonly Row[]): LoadResult {
  if (!/^[0-9a-f]{64}$/.test(loadKey)) return { ok: false, reason: "load key is not a sha256 hex digest" };
  const stageInserts: string[] = [];
  let current: string[] = [];
  let size = STAGE_INSERT.length;
  for (const row of rows) {
    const value = stageValue(row);
    if (STAGE_INSERT.length + value.length > MAX_STATEMENT_BYTES) {
      return {
        ok: false,
        reason: `line ${row.lineNumber} does not fit one ${MAX_STATEMENT_BYTES}-byte statement`,
      };
    }
    if (current.length > 0 && size + 2 + value.length > MAX_STATEMENT_BYTES) {
      stageInserts.push(STAGE_INSERT + current.join(", "));
      current = [];
      size = STAGE_INSERT.length;
    }
    current.push(value);
    size += value.length + (current.length > 1 ? 2 : 0);
  }
  if (current.length > 0) stageInserts.push(STAGE_INSERT + current.join(", "));

  const notLoaded = `NOT EXISTS (SELECT 1 FROM ${LOADS_TABLE} l WHERE l.load_key = b.load_key)`;
  const sqls = [
    `LOCK ${LOADS_TABLE}`,
    "CREATE TEMP TABLE ingest_batch (load_key CHAR(64), source_uri VARCHAR(4096), row_count INTEGER)",
    "INSERT INTO ingest_batch (load_key, source_uri, row_count) VALUES (:load_key, :source_uri, :row_count)",
    "CREATE TEMP TABLE ingest_stage (line_number INTEGER, payload SUPER)",
    ...stageInserts,
    `INSERT INTO ${ROWS_TABLE} (load_key, line_number, payload, loaded_at) ` +
      `SELECT b.load_key, s.line_number, s.payload, GETDATE() FROM ingest_stage s CROSS JOIN ingest_batch b WHERE ${notLoaded}`,
    `INSERT INTO ${LOADS_TABLE} (load_key, source_uri, row_count, loaded_at) ` +
      `SELECT b.load_key, b.source_uri, b.row_count, GETDATE() FROM ingest_batch b WHERE ${notLoaded}`,
  ];
  if (sqls.length > MAX_STATEMENTS) {
    return {
      ok: false,
      reason: `object needs ${sqls.length} statements, more than the Data API's ${MAX_STATEMENTS}: split the batch into smaller objects`,
    };
  }
  return {
    ok: true,
    sqls,
    parameters: [
      { name: "load_key", value: loadKey },
      { name: "source_uri", value: sourceUri },
      { name: "row_count", value: String(rows.length) },
    ],
  };
}

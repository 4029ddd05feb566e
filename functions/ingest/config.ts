/**
 * The consumer's configuration, read from environment variables the `Ingest` component sets.
 * Validated once at cold start: a deployment mistake fails every invocation with one precise
 * message (key, bad value, expected value, fix) instead of corrupting loads.
 */

/** Where a bucket named in a message is read from in this Region. */
export interface IngestSource {
  /** The bucket producers wrote to and name in their messages. */
  readonly publishedBucket: string;
  /** The bucket this consumer reads: the same bucket, or its CRR replica in this Region. */
  readonly readBucket: string;
  /** True when `readBucket` is a replica: a missing object may simply not have arrived yet. */
  readonly replica: boolean;
}

export interface IngestEnv {
  readonly clusterIdentifier: string;
  readonly databaseName: string;
  readonly sources: readonly IngestSource[];
  /** How long after a message was sent a missing replica object is still retried. */
  readonly replicationWaitSeconds: number;
  /** How long one invocation polls a missing replica object before handing it back to SQS. */
  readonly replicaPollSeconds: number;
  /** How long one invocation waits for a load statement before reporting the message failed. */
  readonly statementWaitSeconds: number;
}

/** The environment variable names, shared with the component that sets them. */
export const ENV = {
  clusterIdentifier: "CLUSTER_IDENTIFIER",
  databaseName: "DATABASE_NAME",
  sources: "SOURCES",
  replicationWaitSeconds: "REPLICATION_WAIT_SECONDS",
  replicaPollSeconds: "REPLICA_POLL_SECONDS",
  statementWaitSeconds: "STATEMENT_WAIT_SECONDS",
} as const;

export class IngestConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "IngestConfigError";
  }
}

const FIX = "Fix: redeploy the stack (the Ingest component sets it); do not edit the function by hand.";

function fail(name: string, value: unknown, expected: string): never {
  const shown = value === undefined ? "(unset)" : JSON.stringify(value);
  throw new IngestConfigError(
    `Invalid environment variable ${name} = ${shown}: expected ${expected}. ${FIX}`,
  );
}

function text(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
  pattern: RegExp,
  expected: string,
) {
  const value = env[name];
  if (value === undefined || !pattern.test(value)) fail(name, value, expected);
  return value;
}

function seconds(env: Readonly<Record<string, string | undefined>>, name: string, min: number, max: number) {
  const value = env[name];
  if (value === undefined || !/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    fail(name, value, `an integer number of seconds from ${min} to ${max}`);
  }
  return Number(value);
}

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

function parseSources(raw: string | undefined): IngestSource[] {
  const expected =
    'a non-empty JSON array of {"publishedBucket": <bucket>, "readBucket": <bucket>, "replica": <boolean>}';
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw ?? "");
  } catch {
    fail(ENV.sources, raw, expected);
  }
  if (!Array.isArray(parsed) || parsed.length === 0) fail(ENV.sources, raw, expected);
  const sources = parsed.map((entry: unknown) => {
    const e = (entry ?? {}) as Record<string, unknown>;
    const valid =
      typeof e.publishedBucket === "string" &&
      BUCKET_NAME.test(e.publishedBucket) &&
      typeof e.readBucket === "string" &&
      BUCKET_NAME.test(e.readBucket) &&
      typeof e.replica === "boolean";
    if (!valid) fail(ENV.sources, raw, `${expected} with valid S3 bucket names`);
    return {
      publishedBucket: e.publishedBucket,
      readBucket: e.readBucket,
      replica: e.replica,
    } as IngestSource;
  });
  const published = sources.map((s) => s.publishedBucket);
  if (new Set(published).size !== published.length) {
    fail(ENV.sources, raw, "each publishedBucket at most once (a message must map to exactly one bucket)");
  }
  return sources;
}

/** Parses and validates the consumer's environment. @throws IngestConfigError */
export function parseIngestEnv(env: Readonly<Record<string, string | undefined>>): IngestEnv {
  return {
    clusterIdentifier: text(
      env,
      ENV.clusterIdentifier,
      /^[a-z][a-z0-9-]{0,62}$/,
      "a Redshift cluster identifier (lower-case letters, digits, hyphens; 1 to 63 characters)",
    ),
    databaseName: text(
      env,
      ENV.databaseName,
      /^[a-z_][a-z0-9_$]{0,63}$/,
      "a Redshift database name (lower-case letters, digits, _ or $; 1 to 64 characters)",
    ),
    sources: parseSources(env[ENV.sources]),
    replicationWaitSeconds: seconds(env, ENV.replicationWaitSeconds, 1, 1_209_600),
    replicaPollSeconds: seconds(env, ENV.replicaPollSeconds, 0, 300),
    statementWaitSeconds: seconds(env, ENV.statementWaitSeconds, 1, 840),
  };
}

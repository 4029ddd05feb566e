/**
 * One invocation's work: every record of an SQS batch is parsed, fetched, loaded and waited for
 * independently, and the records that did not commit are returned as `batchItemFailures`, so SQS
 * redelivers only those (the event source mapping has `ReportBatchItemFailures`). Nothing here
 * throws for a bad message: a malformed, missing or failing one is logged with its key and
 * reported failed; after `maxReceiveCount` receives SQS moves it to the dead-letter queue.
 */
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import {
  BatchExecuteStatementCommand,
  DescribeStatementCommand,
  RedshiftDataClient,
} from "@aws-sdk/client-redshift-data";
import type { SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { IngestEnv, IngestSource } from "./config";
import { ParsedMessage, parseRecord, pointerUri } from "./message";
import { buildLoad, parseJsonLines, SCHEMA_SQLS } from "./sql";

/** Objects above this size are refused before download: they could not fit 40 x 100 KB statements. */
export const MAX_OBJECT_BYTES = 4 * 1024 * 1024;

export type LogFields = Record<string, unknown>;
export interface Logger {
  info(message: string, fields: LogFields): void;
  warn(message: string, fields: LogFields): void;
  error(message: string, fields: LogFields): void;
}

export interface ConsumerDeps {
  readonly env: IngestEnv;
  readonly s3: S3Client;
  readonly redshift: RedshiftDataClient;
  /** Milliseconds since the epoch. */
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly log: Logger;
}

/** Polling cadence for DescribeStatement and for a replica object that has not arrived yet. */
export const STATEMENT_POLL_MS = [250, 500, 1000, 2000];
export const REPLICA_POLL_MS = [1000, 2000, 4000, 8000];

function backoff(schedule: readonly number[], attempt: number): number {
  return schedule[Math.min(attempt, schedule.length - 1)];
}

function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === "NoSuchKey" || e?.name === "NoSuchVersion" || e?.$metadata?.httpStatusCode === 404;
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

type Fetched = { readonly ok: true; readonly text: string } | { readonly ok: false };

/** Builds the SQS handler body; the schema check runs once per container (cold start). */
export function createConsumer(deps: ConsumerDeps): (event: SQSEvent) => Promise<SQSBatchResponse> {
  let schemaReady = false;
  return async (event) => {
    if (!schemaReady) {
      try {
        await runStatement(deps, { Sqls: [...SCHEMA_SQLS], StatementName: "ingest-schema" });
        schemaReady = true;
      } catch (error) {
        deps.log.error("Ingest tables could not be created; every message of the batch will be retried", {
          error: errorText(error),
        });
        return { batchItemFailures: event.Records.map((r) => ({ itemIdentifier: r.messageId })) };
      }
    }
    const results = await Promise.all(event.Records.map((record) => processRecord(deps, record)));
    return {
      batchItemFailures: event.Records.filter((_, i) => !results[i]).map((r) => ({
        itemIdentifier: r.messageId,
      })),
    };
  };
}

/** Loads one record; true when its rows are committed (or were already, by an earlier delivery). */
async function processRecord(deps: ConsumerDeps, record: SQSRecord): Promise<boolean> {
  const parsed = parseRecord(record);
  if (!parsed.ok) {
    deps.log.error("Malformed ingest message", { messageId: parsed.messageId, reason: parsed.reason });
    return false;
  }
  const message = parsed.message;
  const fields = {
    messageId: message.messageId,
    bucket: message.pointer.bucket,
    key: message.pointer.key,
    versionId: message.pointer.versionId,
    loadKey: message.loadKey,
  };
  const source = deps.env.sources.find((s) => s.publishedBucket === message.pointer.bucket);
  if (!source) {
    deps.log.error("Message names a bucket this consumer does not read", {
      ...fields,
      servedBuckets: deps.env.sources.map((s) => s.publishedBucket),
    });
    return false;
  }
  const fetched = await fetchObject(deps, source, message, fields);
  if (!fetched.ok) return false;
  const rows = parseJsonLines(fetched.text);
  if (!rows.ok) {
    deps.log.error("Batch object is not valid JSON Lines", { ...fields, reason: rows.reason });
    return false;
  }
  const load = buildLoad(message.loadKey, pointerUri(message.pointer), rows.rows);
  if (!load.ok) {
    deps.log.error("Batch object cannot be loaded", { ...fields, reason: load.reason });
    return false;
  }
  try {
    const id = await runStatement(deps, {
      Sqls: load.sqls,
      Parameters: load.parameters,
      StatementName: `ingest-${message.loadKey.slice(0, 16)}`,
    });
    deps.log.info("Batch loaded", { ...fields, statementId: id, rowCount: rows.rows.length });
    return true;
  } catch (error) {
    deps.log.error("Load statement did not finish", { ...fields, error: errorText(error) });
    return false;
  }
}

async function fetchObject(
  deps: ConsumerDeps,
  source: IngestSource,
  message: ParsedMessage,
  fields: Record<string, string>,
): Promise<Fetched> {
  const input = { Bucket: source.readBucket, Key: message.pointer.key, VersionId: message.pointer.versionId };
  const pollDeadline = deps.now() + deps.env.replicaPollSeconds * 1000;
  for (let attempt = 0; ; attempt++) {
    try {
      const output = await deps.s3.send(new GetObjectCommand(input));
      if ((output.ContentLength ?? 0) > MAX_OBJECT_BYTES) {
        deps.log.error("Batch object is too large for the Data API", {
          ...fields,
          contentLength: output.ContentLength,
          maxBytes: MAX_OBJECT_BYTES,
        });
        return { ok: false };
      }
      return { ok: true, text: (await output.Body?.transformToString("utf-8")) ?? "" };
    } catch (error) {
      if (!isNotFound(error)) {
        deps.log.error("Batch object could not be read", {
          ...fields,
          readBucket: source.readBucket,
          error: errorText(error),
        });
        return { ok: false };
      }
      if (!source.replica) {
        deps.log.error("Batch object does not exist", { ...fields, readBucket: source.readBucket });
        return { ok: false };
      }
      const wait = Math.min(backoff(REPLICA_POLL_MS, attempt), pollDeadline - deps.now());
      if (wait > 0) {
        await deps.sleep(wait);
        continue;
      }
      const ageSeconds = Math.floor((deps.now() - message.sentTimestampMs) / 1000);
      const replicaFields = { ...fields, readBucket: source.readBucket, ageSeconds };
      if (ageSeconds < deps.env.replicationWaitSeconds) {
        deps.log.warn("Batch object not replicated yet; SQS redelivers it after the visibility timeout", {
          ...replicaFields,
          replicationWaitSeconds: deps.env.replicationWaitSeconds,
        });
      } else {
        deps.log.error(
          "Batch object was not replicated within the replication budget; it will reach the DLQ",
          {
            ...replicaFields,
            replicationWaitSeconds: deps.env.replicationWaitSeconds,
          },
        );
      }
      return { ok: false };
    }
  }
}

/**
 * Runs statements as one transaction and waits for them, up to `statementWaitSeconds`.
 * @returns the statement id once FINISHED. @throws when it FAILED, was ABORTED or is still running.
 */
async function runStatement(
  deps: ConsumerDeps,
  input: { Sqls: string[]; Parameters?: { name: string; value: string }[]; StatementName: string },
): Promise<string> {
  const submitted = await deps.redshift.send(
    new BatchExecuteStatementCommand({
      ClusterIdentifier: deps.env.clusterIdentifier,
      Database: deps.env.databaseName,
      WithEvent: false,
      ...input,
    }),
  );
  const id = submitted.Id;
  if (!id) throw new Error("BatchExecuteStatement returned no statement Id");
  const deadline = deps.now() + deps.env.statementWaitSeconds * 1000;
  for (let attempt = 0; ; attempt++) {
    const described = await deps.redshift.send(new DescribeStatementCommand({ Id: id }));
    if (described.Status === "FINISHED") return id;
    if (described.Status === "FAILED" || described.Status === "ABORTED") {
      throw new Error(`statement ${id} ${described.Status}: ${described.Error ?? "no error text"}`);
    }
    const wait = Math.min(backoff(STATEMENT_POLL_MS, attempt), deadline - deps.now());
    if (wait <= 0) {
      throw new Error(
        `statement ${id} still ${described.Status ?? "unknown"} after ${deps.env.statementWaitSeconds} s ` +
          "(it may still commit; the redelivery is deduplicated by load key)",
      );
    }
    await deps.sleep(wait);
  }
}

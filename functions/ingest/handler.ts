/**
 * Lambda entry point of the Redshift ingest consumer (bundled by components/lambda/lambdaBundle.ts).
 * Configuration is validated here, at cold start: a bad environment fails loudly before any
 * message is touched. The work itself is in ./processor.ts.
 */
import { S3Client } from "@aws-sdk/client-s3";
import { RedshiftDataClient } from "@aws-sdk/client-redshift-data";
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import { parseIngestEnv } from "./config";
import { createConsumer, LogFields, Logger } from "./processor";

/** One JSON line per event: Lambda's JSON log format keeps it searchable by key and message id. */
const log: Logger = {
  info: (message: string, fields: LogFields) =>
    console.info(JSON.stringify({ level: "INFO", message, ...fields })),
  warn: (message: string, fields: LogFields) =>
    console.warn(JSON.stringify({ level: "WARN", message, ...fields })),
  error: (message: string, fields: LogFields) =>
    console.error(JSON.stringify({ level: "ERROR", message, ...fields })),
};

const consume = createConsumer({
  env: parseIngestEnv(process.env),
  s3: new S3Client({}),
  redshift: new RedshiftDataClient({}),
  now: () => Date.now(),
  sleep: (ms: number) => new Promise((resolve) => setTimeout(resolve, ms)),
  log,
});

export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  return consume(event);
}

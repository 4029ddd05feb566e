/**
 * Fixtures for the ingest consumer specs: SQS records as Lambda delivers them, a fake clock, a
 * recording logger and S3 bodies shaped like the SDK's streams.
 */
import type { GetObjectCommandOutput } from "@aws-sdk/client-s3";
import type { SQSEvent, SQSRecord } from "aws-lambda";
import type { IngestEnv } from "../../functions/ingest/config";
import type { Logger } from "../../functions/ingest/processor";

export const PRIMARY_LANDING = "payments-landing-us-east-1-abc";
export const REPLICA_LANDING = "payments-landing-replica-us-west-2-def";
export const DR_LANDING = "payments-landing-us-west-2-ghi";
export const START_MS = Date.UTC(2025, 0, 15, 12, 0, 0);

export const DR_ENV: IngestEnv = {
  clusterIdentifier: "payments-dr-warehouse",
  databaseName: "payments",
  sources: [
    { publishedBucket: PRIMARY_LANDING, readBucket: REPLICA_LANDING, replica: true },
    { publishedBucket: DR_LANDING, readBucket: DR_LANDING, replica: false },
  ],
  replicationWaitSeconds: 900,
  replicaPollSeconds: 20,
  statementWaitSeconds: 60,
};

export interface PointerBody {
  bucket?: unknown;
  key?: unknown;
  versionId?: unknown;
}

/** An SQS record carrying an SNS envelope (the subscriptions' delivery) or a raw body. */
export function record(
  messageId: string,
  pointer: PointerBody | string,
  options: { raw?: boolean; sentMs?: number; snsMessageId?: string } = {},
): SQSRecord {
  const message = typeof pointer === "string" ? pointer : JSON.stringify(pointer);
  const body = options.raw
    ? message
    : JSON.stringify({
        Type: "Notification",
        MessageId: options.snsMessageId ?? `sns-${messageId}`,
        TopicArn: "arn:aws:sns:us-east-1:111122223333:ingest-topic-1a2b3c4",
        Message: message,
        Timestamp: new Date(options.sentMs ?? START_MS).toISOString(),
      });
  return {
    messageId,
    receiptHandle: `handle-${messageId}`,
    body,
    attributes: {
      ApproximateReceiveCount: "1",
      SentTimestamp: String(options.sentMs ?? START_MS),
      SenderId: "AIDAEXAMPLE",
      ApproximateFirstReceiveTimestamp: String(options.sentMs ?? START_MS),
    },
    messageAttributes: {},
    md5OfBody: "",
    eventSource: "aws:sqs",
    eventSourceARN: "arn:aws:sqs:us-west-2:111122223333:ingest-queue-5d6e7f8",
    awsRegion: "us-west-2",
  };
}

export function event(...records: SQSRecord[]): SQSEvent {
  return { Records: records };
}

export function s3Body(text: string): Partial<GetObjectCommandOutput> {
  return {
    ContentLength: Buffer.byteLength(text),
    Body: { transformToString: () => Promise.resolve(text) } as unknown as GetObjectCommandOutput["Body"],
  };
}

export class FakeClock {
  ms = START_MS;
  readonly sleeps: number[] = [];
  readonly now = () => this.ms;
  readonly sleep = async (ms: number) => {
    this.sleeps.push(ms);
    this.ms += ms;
  };
}

export interface LogLine {
  readonly level: "info" | "warn" | "error";
  readonly message: string;
  readonly fields: Record<string, unknown>;
}

export function recordingLogger(): Logger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  return {
    lines,
    info: (message, fields) => lines.push({ level: "info", message, fields }),
    warn: (message, fields) => lines.push({ level: "warn", message, fields }),
    error: (message, fields) => lines.push({ level: "error", message, fields }),
  };
}

export function notFound(name = "NoSuchKey"): Error {
  const error = new Error("The specified key does not exist.") as Error & { $metadata: object };
  error.name = name;
  error.$metadata = { httpStatusCode: 404 };
  return error;
}

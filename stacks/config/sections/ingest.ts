/** The SQS-fed ingest consumer and its dead-letter queue. */
import { integerFrom, positiveInteger } from "../fields";
import { SectionConfig } from "../section";

export const ingestFields = {
  batchSize: integerFrom(1, 10).default(10),
  maxConcurrency: integerFrom(2, 1000).default(5),
  /** Receives before a message moves to the dead-letter queue. */
  maxReceiveCount: integerFrom(1, 1000).default(5),
  /** How long the dr consumer keeps retrying an object that replication has not delivered yet. */
  replicationWaitSeconds: positiveInteger().default(900),
};

export type IngestConfig = SectionConfig<typeof ingestFields>;

/**
 * Pure policy documents and settings checks for the `Ingest` component, unit-testable without the
 * Pulumi runtime. Every statement names one resource (or one key, with `kms:ViaService`): the
 * consumer can read the landing objects and load its own cluster, nothing else.
 */

export type PolicyDocument = { Version: "2012-10-17"; Statement: Record<string, unknown>[] };

const doc = (...statements: Record<string, unknown>[]): PolicyDocument => ({
  Version: "2012-10-17",
  Statement: statements,
});

function denyInsecureTransport(queueArn: string): Record<string, unknown> {
  return {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: "sqs:*",
    Resource: queueArn,
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
}

/** The ingest queue admits exactly the topics it is subscribed to, and only over TLS. */
export function queuePolicy(queueArn: string, topicArns: readonly string[]): PolicyDocument {
  return doc(
    {
      Sid: "SubscribedTopicsDeliver",
      Effect: "Allow",
      Principal: { Service: "sns.amazonaws.com" },
      Action: "sqs:SendMessage",
      Resource: queueArn,
      Condition: { ArnEquals: { "aws:SourceArn": [...topicArns] } },
    },
    denyInsecureTransport(queueArn),
  );
}

/** The dead-letter queue receives only through SQS's own redrive; clients must use TLS. */
export function deadLetterQueuePolicy(queueArn: string): PolicyDocument {
  return doc(denyInsecureTransport(queueArn));
}

/** CloudWatch alarms of this account and Region may publish to the alarm topic. */
export function alarmTopicPolicy(topicArn: string, region: string, accountId: string): PolicyDocument {
  return doc({
    Sid: "CloudWatchAlarmsPublish",
    Effect: "Allow",
    Principal: { Service: "cloudwatch.amazonaws.com" },
    Action: "sns:Publish",
    Resource: topicArn,
    Condition: {
      StringEquals: { "aws:SourceAccount": accountId },
      ArnLike: { "aws:SourceArn": `arn:aws:cloudwatch:${region}:${accountId}:alarm:*` },
    },
  });
}

export function lambdaAssumeRolePolicy(accountId: string): PolicyDocument {
  return doc({
    Effect: "Allow",
    Principal: { Service: "lambda.amazonaws.com" },
    Action: "sts:AssumeRole",
    Condition: { StringEquals: { "aws:SourceAccount": accountId } },
  });
}

export interface ConsumerPolicyInput {
  readonly region: string;
  readonly accountId: string;
  readonly queueArn: string;
  readonly queueKeyArn: string;
  /** The buckets the consumer reads and the keys that encrypt their objects. */
  readonly sources: readonly { readonly bucketArn: string; readonly kmsKeyArn: string }[];
  readonly clusterArn: string;
  readonly clusterIdentifier: string;
  readonly databaseName: string;
  readonly logGroupArn: string;
}

const unique = (values: readonly string[]) => [...new Set(values)];

/** The consumer's only permissions. */
export function consumerPolicy(a: ConsumerPolicyInput): PolicyDocument {
  return doc(
    {
      Sid: "ReceiveFromIngestQueue",
      Effect: "Allow",
      Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"],
      Resource: a.queueArn,
    },
    {
      Sid: "DecryptQueueMessages",
      Effect: "Allow",
      Action: "kms:Decrypt",
      Resource: a.queueKeyArn,
      Condition: { StringEquals: { "kms:ViaService": `sqs.${a.region}.amazonaws.com` } },
    },
    {
      // GetObjectVersion: messages name an exact version, which is what CRR preserves.
      Sid: "ReadLandingObjects",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:GetObjectVersion"],
      Resource: unique(a.sources.map((s) => `${s.bucketArn}/*`)),
    },
    {
      // Without ListBucket, S3 answers 403 for a missing key; with it, 404, which is how the
      // consumer tells "not replicated yet" from "not allowed".
      Sid: "TellMissingFromDenied",
      Effect: "Allow",
      Action: "s3:ListBucket",
      Resource: unique(a.sources.map((s) => s.bucketArn)),
    },
    {
      Sid: "DecryptLandingObjects",
      Effect: "Allow",
      Action: "kms:Decrypt",
      Resource: unique(a.sources.map((s) => s.kmsKeyArn)),
      Condition: { StringEquals: { "kms:ViaService": `s3.${a.region}.amazonaws.com` } },
    },
    {
      Sid: "LoadIntoOwnCluster",
      Effect: "Allow",
      Action: ["redshift-data:ExecuteStatement", "redshift-data:BatchExecuteStatement"],
      Resource: a.clusterArn,
    },
    {
      // DescribeStatement has no resource type; the condition limits it to this role's statements.
      Sid: "DescribeOwnStatements",
      Effect: "Allow",
      Action: "redshift-data:DescribeStatement",
      Resource: "*",
      Condition: { StringEquals: { "redshift-data:statement-owner-iam-userid": "${aws:userid}" } },
    },
    {
      // The Data API logs in as IAMR:<role> in this one database of this one cluster.
      Sid: "DatabaseLoginWithIam",
      Effect: "Allow",
      Action: "redshift:GetClusterCredentialsWithIAM",
      Resource: `arn:aws:redshift:${a.region}:${a.accountId}:dbname:${a.clusterIdentifier}/${a.databaseName}`,
    },
    {
      Sid: "WriteOwnLogs",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: `${a.logGroupArn}:*`,
    },
  );
}

export interface IngestTiming {
  readonly timeoutSeconds: number;
  readonly statementWaitSeconds: number;
  readonly replicaPollSeconds: number;
  readonly maxReceiveCount: number;
  readonly replicationWaitSeconds: number;
  /** True when the consumer reads a replica bucket and so must outlast replication. */
  readonly readsReplica: boolean;
}

/** AWS guidance for SQS event sources: visibility timeout at least 6x the function timeout. */
export const VISIBILITY_TIMEOUT_FACTOR = 6;

/**
 * Checks that the consumer's waits fit its timeout and that SQS keeps a message long enough for
 * replication before it dead-letters it. @throws Error naming the setting, value, bound and fix.
 */
export function validateIngestTiming(t: IngestTiming): void {
  const needed = 2 * t.statementWaitSeconds + t.replicaPollSeconds + 10;
  if (!Number.isInteger(t.timeoutSeconds) || t.timeoutSeconds < needed || t.timeoutSeconds > 900) {
    throw new Error(
      `Invalid Ingest timeoutSeconds = ${t.timeoutSeconds}: expected an integer from ${needed} ` +
        `(2 x statementWaitSeconds ${t.statementWaitSeconds} for the cold-start schema and the load, + replicaPollSeconds ` +
        `${t.replicaPollSeconds}, + 10 s for S3) to 900 (the Lambda maximum). Fix: raise timeoutSeconds or lower the waits.`,
    );
  }
  const visibilitySeconds = VISIBILITY_TIMEOUT_FACTOR * t.timeoutSeconds;
  const budgetSeconds = t.maxReceiveCount * visibilitySeconds;
  if (t.readsReplica && budgetSeconds < t.replicationWaitSeconds) {
    throw new Error(
      `Invalid config payments-dr:ingest.maxReceiveCount = ${t.maxReceiveCount}: with a ${visibilitySeconds} s ` +
        `visibility timeout a message reaches the DLQ after ${budgetSeconds} s, before ` +
        `payments-dr:ingest.replicationWaitSeconds (${t.replicationWaitSeconds} s) has passed. ` +
        `Fix: pulumi config set --path payments-dr:ingest.maxReceiveCount ` +
        `${Math.ceil(t.replicationWaitSeconds / visibilitySeconds)}, or lower replicationWaitSeconds.`,
    );
  }
}

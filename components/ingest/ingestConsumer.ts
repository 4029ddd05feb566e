/**
 * The consumer and alarm halves of the `Ingest` component, declared as its children (names
 * `${name}-consumer*`, `${name}-alarms*`, `${name}-*-alarm`). Split out only to keep files short.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ENV } from "../../functions/ingest/config";
import { bundleFunction, LAMBDA_RUNTIME } from "../lambda/lambdaBundle";
import * as policies from "./ingestPolicies";

export interface ConsumerInput {
  readonly region: string;
  readonly accountId: pulumi.Input<string>;
  readonly queueArn: pulumi.Output<string>;
  readonly messagingKeyArn: pulumi.Input<string>;
  readonly sources: readonly {
    readonly publishedBucketName: pulumi.Input<string>;
    readonly bucketName: pulumi.Input<string>;
    readonly bucketArn: pulumi.Input<string>;
    readonly kmsKeyArn: pulumi.Input<string>;
    readonly replica: boolean;
  }[];
  readonly warehouse: {
    readonly clusterIdentifier: pulumi.Input<string>;
    readonly clusterArn: pulumi.Input<string>;
    readonly databaseName: pulumi.Input<string>;
  };
  readonly logGroupName: string;
  readonly logRetentionDays: number;
  readonly timeoutSeconds: number;
  /** Further environment variables (the waits). */
  readonly environment: Readonly<Record<string, string>>;
  readonly batchSize: number;
  readonly maxConcurrency: number;
  readonly tags: Readonly<Record<string, string>>;
}

/** Log group, least-privilege role, bundled function and the SQS event source mapping. */
export function declareConsumer(scope: pulumi.Resource, name: string, a: ConsumerInput) {
  const { region, tags } = a;
  const logGroup = new aws.cloudwatch.LogGroup(
    `${name}-consumer-logs`,
    { name: a.logGroupName, retentionInDays: a.logRetentionDays, kmsKeyId: a.messagingKeyArn, region, tags },
    { parent: scope },
  );
  const role = new aws.iam.Role(
    `${name}-consumer-role`,
    {
      description: `Redshift ingest consumer (${region})`,
      assumeRolePolicy: pulumi
        .output(a.accountId)
        .apply((accountId) => JSON.stringify(policies.lambdaAssumeRolePolicy(accountId))),
      tags,
    },
    { parent: scope },
  );
  const rolePolicy = new aws.iam.RolePolicy(
    `${name}-consumer-policy`,
    {
      role: role.id,
      policy: pulumi
        .output({
          accountId: a.accountId,
          queueArn: a.queueArn,
          queueKeyArn: a.messagingKeyArn,
          sources: a.sources.map((s) => ({ bucketArn: s.bucketArn, kmsKeyArn: s.kmsKeyArn })),
          clusterArn: a.warehouse.clusterArn,
          clusterIdentifier: a.warehouse.clusterIdentifier,
          databaseName: a.warehouse.databaseName,
          logGroupArn: logGroup.arn,
        })
        .apply((v) => JSON.stringify(policies.consumerPolicy({ region, ...v }))),
    },
    { parent: scope },
  );
  const sources = pulumi
    .output(
      a.sources.map((s) => ({
        publishedBucket: s.publishedBucketName,
        readBucket: s.bucketName,
        replica: s.replica,
      })),
    )
    .apply((list) => JSON.stringify(list));
  const consumer = new aws.lambda.Function(
    `${name}-consumer`,
    {
      description: `Loads landed batches into Redshift (${region})`,
      runtime: LAMBDA_RUNTIME,
      architectures: ["arm64"],
      handler: "index.handler",
      code: bundleFunction("ingest"),
      role: role.arn,
      timeout: a.timeoutSeconds,
      memorySize: 512,
      environment: {
        variables: {
          [ENV.clusterIdentifier]: a.warehouse.clusterIdentifier,
          [ENV.databaseName]: a.warehouse.databaseName,
          [ENV.sources]: sources,
          ...a.environment,
        },
      },
      loggingConfig: { logFormat: "JSON", logGroup: logGroup.name },
      region,
      tags,
    },
    // The role must hold its permissions before Lambda validates the queue mapping.
    { parent: scope, dependsOn: [rolePolicy] },
  );
  new aws.lambda.EventSourceMapping(
    `${name}-consumer-events`,
    {
      eventSourceArn: a.queueArn,
      functionName: consumer.arn,
      batchSize: a.batchSize,
      scalingConfig: { maximumConcurrency: a.maxConcurrency },
      functionResponseTypes: ["ReportBatchItemFailures"],
      region,
      tags,
    },
    { parent: scope, dependsOn: [rolePolicy] },
  );
  return { functionName: consumer.name };
}

export interface AlarmsInput {
  readonly region: string;
  readonly accountId: pulumi.Input<string>;
  readonly messagingKeyArn: pulumi.Input<string>;
  readonly queueName: pulumi.Output<string>;
  readonly deadLetterQueueName: pulumi.Output<string>;
  readonly oldestMessageAlarmSeconds: number;
  readonly tags: Readonly<Record<string, string>>;
}

/** An encrypted alarm topic, the queue-lag alarm and the DLQ-depth alarm; returns the topic ARN. */
export function declareAlarms(scope: pulumi.Resource, name: string, a: AlarmsInput): pulumi.Output<string> {
  const { region, tags } = a;
  const topic = new aws.sns.Topic(
    `${name}-alarms`,
    { kmsMasterKeyId: a.messagingKeyArn, region, tags },
    { parent: scope },
  );
  new aws.sns.TopicPolicy(
    `${name}-alarms-policy`,
    {
      arn: topic.arn,
      policy: pulumi
        .all([topic.arn, a.accountId])
        .apply(([arn, accountId]) => JSON.stringify(policies.alarmTopicPolicy(arn, region, accountId))),
      region,
    },
    { parent: scope },
  );
  const alarm = (
    role: string,
    description: string,
    queueName: pulumi.Output<string>,
    metric: string,
    threshold: number,
  ) =>
    new aws.cloudwatch.MetricAlarm(
      `${name}-${role}-alarm`,
      {
        alarmDescription: description,
        namespace: "AWS/SQS",
        metricName: metric,
        dimensions: { QueueName: queueName },
        statistic: "Maximum",
        period: 60,
        evaluationPeriods: 1,
        comparisonOperator: "GreaterThanThreshold",
        threshold,
        treatMissingData: "notBreaching",
        alarmActions: [topic.arn],
        okActions: [topic.arn],
        region,
        tags,
      },
      { parent: scope },
    );
  alarm(
    "oldest-message",
    `Redshift ingest in ${region} is behind: the oldest queued batch is older than ` +
      `${a.oldestMessageAlarmSeconds} s (RPO at risk).`,
    a.queueName,
    "ApproximateAgeOfOldestMessage",
    a.oldestMessageAlarmSeconds,
  );
  alarm(
    "dlq-depth",
    `Redshift ingest in ${region} dead-lettered batches that were not loaded: read the consumer's ERROR ` +
      "logs, fix the cause, then redrive the DLQ.",
    a.deadLetterQueueName,
    "ApproximateNumberOfMessagesVisible",
    0,
  );
  return topic.arn;
}

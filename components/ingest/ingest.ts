import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ENV } from "../../functions/ingest/config";
import { declareAlarms, declareConsumer } from "./ingestConsumer";
import * as policies from "./ingestPolicies";

/** A bucket the consumer reads, and how messages name it. */
export interface IngestSourceArgs {
  /** The bucket producers wrote to and name in their messages. */
  readonly publishedBucketName: pulumi.Input<string>;
  /** The bucket read in this Region: the same bucket, or its CRR replica here. */
  readonly bucketName: pulumi.Input<string>;
  readonly bucketArn: pulumi.Input<string>;
  /** The key that encrypts the objects of `bucketName` (decrypt is granted through S3 only). */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** True for a replica: a missing object is waited for, up to `replicationWaitSeconds`. */
  readonly replica: boolean;
}

/** Another Region's ingest topic this Region's queue also subscribes to. */
export interface IngestPeerTopic {
  /** Part of the subscription's logical name (`${name}-subscription-<role>`): never rename. */
  readonly role: string;
  readonly topicArn: pulumi.Input<string>;
  /** The topic's Region: SNS only creates a subscription in the topic's own Region. */
  readonly region: string;
}

export interface IngestArgs {
  /** The Region of the topic, queues, consumer and alarms. */
  readonly region: string;
  readonly accountId: pulumi.Input<string>;
  /** Encrypts the topics, both queues and the consumer's logs (its key policy admits SNS and Logs). */
  readonly messagingKeyArn: pulumi.Input<string>;
  /**
   * Topics in other Regions to subscribe the queue to.
   *
   * @default - none: the queue receives from this Region's topic only.
   */
  readonly peerTopics?: readonly IngestPeerTopic[];
  readonly sources: readonly IngestSourceArgs[];
  readonly warehouse: {
    readonly clusterIdentifier: pulumi.Input<string>;
    readonly clusterArn: pulumi.Input<string>;
    readonly databaseName: pulumi.Input<string>;
  };
  /** Messages per invocation (1 to 10). */
  readonly batchSize: number;
  /** Concurrent consumers the event source mapping may run (2 to 1000). */
  readonly maxConcurrency: number;
  /** Receives before SQS moves a message to the dead-letter queue. */
  readonly maxReceiveCount: number;
  readonly replicationWaitSeconds: number;
  /** The age of the oldest queued message that raises the lag alarm. */
  readonly oldestMessageAlarmSeconds: number;
  /** Name of the consumer's log group, e.g. `/payments-dr/primary/ingest-consumer`. */
  readonly logGroupName: string;
  /** @default 120 (the queue's visibility timeout is 6x this: 720 s) */
  readonly timeoutSeconds?: number;
  /** How long one invocation waits for a load statement. @default 45 */
  readonly statementWaitSeconds?: number;
  /** How long one invocation waits for a replica object before handing it back to SQS. @default 20 */
  readonly replicaPollSeconds?: number;
  /** @default 30 */
  readonly logRetentionDays?: number;
  readonly tags?: Readonly<Record<string, string>>;
}

/** Queued messages live 4 days; the DLQ keeps them 14 (SQS counts from the original enqueue time). */
export const QUEUE_RETENTION_SECONDS = 4 * 24 * 3600;
export const DLQ_RETENTION_SECONDS = 14 * 24 * 3600;

/**
 * One Region's half of the Redshift dual ingest (DESIGN.md): an encrypted SNS topic, an encrypted
 * queue with a dead-letter queue subscribed to it (and to `peerTopics`, each subscription declared
 * in its topic's Region), a bundled Lambda consumer with partial batch responses that loads the
 * pointed objects into this Region's cluster through the Data API, and alarms on queue lag and
 * DLQ depth to an encrypted alarm topic.
 */
export class Ingest extends pulumi.ComponentResource {
  public readonly topicArn: pulumi.Output<string>;
  public readonly queueArn: pulumi.Output<string>;
  public readonly queueUrl: pulumi.Output<string>;
  public readonly deadLetterQueueUrl: pulumi.Output<string>;
  public readonly consumerFunctionName: pulumi.Output<string>;
  public readonly alarmTopicArn: pulumi.Output<string>;

  constructor(name: string, args: IngestArgs, opts?: pulumi.ComponentResourceOptions) {
    super("payments-dr:components:Ingest", name, {}, opts);
    const { region } = args;
    const tags = args.tags ?? {};
    const timeoutSeconds = args.timeoutSeconds ?? 120;
    const statementWaitSeconds = args.statementWaitSeconds ?? 45;
    const replicaPollSeconds = args.replicaPollSeconds ?? 20;
    policies.validateIngestTiming({
      timeoutSeconds,
      statementWaitSeconds,
      replicaPollSeconds,
      maxReceiveCount: args.maxReceiveCount,
      replicationWaitSeconds: args.replicationWaitSeconds,
      readsReplica: args.sources.some((s) => s.replica),
    });
    const encryption = { kmsMasterKeyId: args.messagingKeyArn, kmsDataKeyReusePeriodSeconds: 300 };
    const child = { parent: this };
    const json = (value: unknown) => JSON.stringify(value);

    const topic = new aws.sns.Topic(
      `${name}-topic`,
      { kmsMasterKeyId: args.messagingKeyArn, region, tags },
      child,
    );
    const dlq = new aws.sqs.Queue(
      `${name}-dlq`,
      { ...encryption, messageRetentionSeconds: DLQ_RETENTION_SECONDS, region, tags },
      child,
    );
    const queue = new aws.sqs.Queue(
      `${name}-queue`,
      {
        ...encryption,
        visibilityTimeoutSeconds: policies.VISIBILITY_TIMEOUT_FACTOR * timeoutSeconds,
        messageRetentionSeconds: QUEUE_RETENTION_SECONDS,
        receiveWaitTimeSeconds: 20,
        redrivePolicy: dlq.arn.apply((arn) =>
          json({ deadLetterTargetArn: arn, maxReceiveCount: args.maxReceiveCount }),
        ),
        region,
        tags,
      },
      child,
    );
    new aws.sqs.RedriveAllowPolicy(
      `${name}-dlq-redrive-allow`,
      {
        queueUrl: dlq.url,
        redriveAllowPolicy: queue.arn.apply((arn) =>
          json({ redrivePermission: "byQueue", sourceQueueArns: [arn] }),
        ),
        region,
      },
      child,
    );

    const peerTopics = args.peerTopics ?? [];
    const topicArns = pulumi.all([topic.arn, ...peerTopics.map((p) => p.topicArn)]);
    const queuePolicy = new aws.sqs.QueuePolicy(
      `${name}-queue-policy`,
      {
        queueUrl: queue.url,
        policy: pulumi
          .all([queue.arn, topicArns])
          .apply(([arn, arns]) => json(policies.queuePolicy(arn, arns))),
        region,
      },
      child,
    );
    new aws.sqs.QueuePolicy(
      `${name}-dlq-policy`,
      {
        queueUrl: dlq.url,
        policy: dlq.arn.apply((arn) => json(policies.deadLetterQueuePolicy(arn))),
        region,
      },
      child,
    );
    // The SNS envelope (not raw delivery) keeps the topic and message id with each message.
    const subscribe = (suffix: string, topicArn: pulumi.Input<string>, topicRegion: string) =>
      new aws.sns.TopicSubscription(
        `${name}-subscription${suffix}`,
        {
          topic: topicArn,
          protocol: "sqs",
          endpoint: queue.arn,
          rawMessageDelivery: false,
          region: topicRegion,
        },
        { parent: this, dependsOn: [queuePolicy] },
      );
    subscribe("", topic.arn, region);
    for (const peer of peerTopics) subscribe(`-${peer.role}`, peer.topicArn, peer.region);

    const consumer = declareConsumer(this, name, {
      region,
      accountId: args.accountId,
      queueArn: queue.arn,
      messagingKeyArn: args.messagingKeyArn,
      sources: args.sources,
      warehouse: args.warehouse,
      logGroupName: args.logGroupName,
      logRetentionDays: args.logRetentionDays ?? 30,
      timeoutSeconds,
      environment: {
        [ENV.replicationWaitSeconds]: String(args.replicationWaitSeconds),
        [ENV.replicaPollSeconds]: String(replicaPollSeconds),
        [ENV.statementWaitSeconds]: String(statementWaitSeconds),
      },
      batchSize: args.batchSize,
      maxConcurrency: args.maxConcurrency,
      tags,
    });
    const alarmTopicArn = declareAlarms(this, name, {
      region,
      accountId: args.accountId,
      messagingKeyArn: args.messagingKeyArn,
      queueName: queue.name,
      deadLetterQueueName: dlq.name,
      oldestMessageAlarmSeconds: args.oldestMessageAlarmSeconds,
      tags,
    });

    this.topicArn = topic.arn;
    this.queueArn = queue.arn;
    this.queueUrl = queue.url;
    this.deadLetterQueueUrl = dlq.url;
    this.consumerFunctionName = consumer.functionName;
    this.alarmTopicArn = alarmTopicArn;
    this.registerOutputs({
      topicArn: this.topicArn,
      queueUrl: this.queueUrl,
      consumerFunctionName: this.consumerFunctionName,
    });
  }
}

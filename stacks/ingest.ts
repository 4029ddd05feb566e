/**
 * The Redshift dual ingest of a stack (DESIGN.md "Redshift dual ingest"; docs/ingest.md).
 *
 * Both stacks declare their own topic, queue, consumer and alarms in their own Region. The dr
 * queue also subscribes to the primary topic (the subscription is declared by dr, in the primary
 * Region, from the primary's last outputs), and the dr consumer reads primary-landed objects from
 * the primary landing bucket's replica in the dr Region. After a failover the application publishes
 * to the dr topic, whose messages name dr's own landing bucket: nothing is created or changed at
 * failover time.
 */
import * as pulumi from "@pulumi/pulumi";
import { Ingest, IngestPeerTopic, IngestSourceArgs } from "../components/ingest/ingest";
import { StackContext } from "./context";
import { composition } from "./strategy";

export interface IngestDeps {
  /** This stack's landing bucket (in its own Region) and the key that encrypts its objects (an ObjectStore). */
  readonly landing: {
    readonly bucketName: pulumi.Input<string>;
    readonly bucketArn: pulumi.Input<string>;
    readonly keyArn: pulumi.Input<string>;
  };
  /** This stack's Redshift cluster. */
  readonly warehouse: {
    readonly clusterIdentifier: pulumi.Input<string>;
    readonly clusterArn: pulumi.Input<string>;
    readonly databaseName: pulumi.Input<string>;
  };
}

export interface ComposedIngest {
  readonly outputs: {
    readonly ingest: {
      readonly topicArn: pulumi.Output<string>;
      readonly queueUrl: pulumi.Output<string>;
      readonly consumerFunctionName: pulumi.Output<string>;
      readonly queueArn: pulumi.Output<string>;
      readonly deadLetterQueueUrl: pulumi.Output<string>;
      readonly alarmTopicArn: pulumi.Output<string>;
    };
  };
  readonly ingest: Ingest;
}

export function composeIngest(ctx: StackContext, deps: IngestDeps): ComposedIngest {
  const { config } = ctx;
  const sources: IngestSourceArgs[] = [
    {
      publishedBucketName: deps.landing.bucketName,
      bucketName: deps.landing.bucketName,
      bucketArn: deps.landing.bucketArn,
      kmsKeyArn: deps.landing.keyArn,
      replica: false,
    },
  ];
  const peerTopics: IngestPeerTopic[] = [];
  if (config.role === "dr" && composition(config).dualIngest) {
    if (!ctx.primary)
      throw new Error("The dr stack needs payments-dr:primaryStack to subscribe to the primary topic.");
    const replicaBucket = ctx.primary.require("objects.replicaBuckets.landing");
    sources.push({
      publishedBucketName: ctx.primary.require("objects.buckets.landing"),
      bucketName: replicaBucket,
      bucketArn: pulumi.interpolate`arn:aws:s3:::${replicaBucket}`,
      // The primary stack encrypts its replicas in this Region with its own peer-Region key.
      kmsKeyArn: ctx.primary.require("peerKeys.objects"),
      replica: true,
    });
    peerTopics.push({
      role: "primary",
      topicArn: ctx.primary.require("ingest.topicArn"),
      region: config.peerRegion,
    });
  }
  const ingest = new Ingest("ingest", {
    region: config.region,
    accountId: ctx.accountId,
    messagingKeyArn: ctx.keys.arns.messaging,
    peerTopics,
    sources,
    warehouse: deps.warehouse,
    batchSize: config.ingest.batchSize,
    maxConcurrency: config.ingest.maxConcurrency,
    maxReceiveCount: config.ingest.maxReceiveCount,
    replicationWaitSeconds: config.ingest.replicationWaitSeconds,
    // Half the RPO: the alarm leaves time to act before the warehouse copy breaches it.
    oldestMessageAlarmSeconds: Math.floor(config.targets.rpoSeconds / 2),
    logGroupName: `/${config.project}/${config.stackName}/ingest-consumer`,
    tags: ctx.tags,
  });
  return {
    outputs: {
      ingest: {
        topicArn: ingest.topicArn,
        queueUrl: ingest.queueUrl,
        consumerFunctionName: ingest.consumerFunctionName,
        queueArn: ingest.queueArn,
        deadLetterQueueUrl: ingest.deadLetterQueueUrl,
        alarmTopicArn: ingest.alarmTopicArn,
      },
    },
    ingest,
  };
}

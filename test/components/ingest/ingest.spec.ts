import { deepStrictEqual, strictEqual, throws } from "assert";
import { isDeepStrictEqual } from "util";
import { validateIngestTiming } from "../../../components/ingest/ingestPolicies";
import { RenderedResource, RenderedStack } from "../../../tools/render/render";
import { find, findAll, renderTestStack } from "../../helpers/stacks";

const T = {
  topic: "aws:sns/topic:Topic",
  subscription: "aws:sns/topicSubscription:TopicSubscription",
  queue: "aws:sqs/queue:Queue",
  queuePolicy: "aws:sqs/queuePolicy:QueuePolicy",
  redriveAllow: "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy",
  fn: "aws:lambda/function:Function",
  esm: "aws:lambda/eventSourceMapping:EventSourceMapping",
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  topicPolicy: "aws:sns/topicPolicy:TopicPolicy",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
};

const out = (r: RenderedResource, key: string) => String(r.outputs[key]);
const policyOf = (r: RenderedResource) => JSON.parse(String(r.inputs.policy));
const ingestOf = (stack: RenderedStack) =>
  stack.resources.filter((r) => r.urn.includes("components:Ingest$"));
const get = (o: Record<string, unknown>, path: string) =>
  path.split(".").reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], o) as string;

function parts(stack: RenderedStack) {
  return {
    topic: find(stack, T.topic, "ingest-topic"),
    queue: find(stack, T.queue, "ingest-queue"),
    dlq: find(stack, T.queue, "ingest-dlq"),
    fn: find(stack, T.fn, "ingest-consumer"),
    alarmTopic: find(stack, T.topic, "ingest-alarms"),
    logGroup: find(stack, T.logGroup, "ingest-consumer-logs"),
  };
}

describe("Redshift dual ingest (rendered)", () => {
  for (const [stackName, region] of [
    ["primary", "us-east-1"],
    ["dr", "us-west-2"],
  ] as const) {
    it(`declares the ${stackName} topic, queues, consumer, mapping and alarms in ${region}, encrypted with that Region's messaging key`, async () => {
      const stack = await renderTestStack(stackName);
      const messagingKey = get(stack.outputs, "keys.messaging");
      const regional = [
        ...[T.topic, T.queue, T.fn, T.esm, T.alarm, T.queuePolicy, T.logGroup].flatMap((t) =>
          findAll(stack, t),
        ),
      ].filter((r) => r.urn.includes("components:Ingest$"));
      deepStrictEqual(regional.map((r) => r.name).sort(), [
        "ingest-alarms",
        "ingest-consumer",
        "ingest-consumer-events",
        "ingest-consumer-logs",
        "ingest-dlq",
        "ingest-dlq-depth-alarm",
        "ingest-dlq-policy",
        "ingest-oldest-message-alarm",
        "ingest-queue",
        "ingest-queue-policy",
        "ingest-topic",
      ]);
      deepStrictEqual([...new Set(regional.map((r) => r.region))], [region]);
      const p = parts(stack);
      deepStrictEqual(
        [p.topic, p.alarmTopic, p.queue, p.dlq].map((r) => r.inputs.kmsMasterKeyId),
        [messagingKey, messagingKey, messagingKey, messagingKey],
      );
      strictEqual(p.logGroup.inputs.kmsKeyId, messagingKey);
      strictEqual(messagingKey.split(":")[3], region);
    });

    it(`publishes the ${stackName} ingest outputs from the resources`, async () => {
      const stack = await renderTestStack(stackName);
      const p = parts(stack);
      deepStrictEqual(stack.outputs.ingest, {
        topicArn: out(p.topic, "arn"),
        queueUrl: out(p.queue, "url"),
        consumerFunctionName: out(p.fn, "name"),
        queueArn: out(p.queue, "arn"),
        deadLetterQueueUrl: out(p.dlq, "url"),
        alarmTopicArn: out(p.alarmTopic, "arn"),
      });
    });
  }

  it("subscribes the primary queue to the primary topic, in the primary Region", async () => {
    const primary = await renderTestStack("primary");
    const p = parts(primary);
    deepStrictEqual(
      findAll(primary, T.subscription)
        .filter((r) => r.urn.includes("components:Ingest$"))
        .map((s) => ({ name: s.name, region: s.region, ...s.inputs })),
      [
        {
          name: "ingest-subscription",
          region: "us-east-1",
          topic: out(p.topic, "arn"),
          protocol: "sqs",
          endpoint: out(p.queue, "arn"),
          rawMessageDelivery: false,
        },
      ],
    );
  });

  it("subscribes the dr queue to its own topic and to the primary topic, each in the topic's Region", async () => {
    const primary = await renderTestStack("primary");
    const dr = await renderTestStack("dr");
    const p = parts(dr);
    const subscriptions = findAll(dr, T.subscription)
      .filter((r) => r.urn.includes("components:Ingest$"))
      .map((s) => ({ name: s.name, region: s.region, ...s.inputs }));
    deepStrictEqual(subscriptions, [
      {
        name: "ingest-subscription",
        region: "us-west-2",
        topic: out(p.topic, "arn"),
        protocol: "sqs",
        endpoint: out(p.queue, "arn"),
        rawMessageDelivery: false,
      },
      {
        name: "ingest-subscription-primary",
        region: "us-east-1",
        topic: get(primary.outputs, "ingest.topicArn"),
        protocol: "sqs",
        endpoint: out(p.queue, "arn"),
        rawMessageDelivery: false,
      },
    ]);
    strictEqual(get(primary.outputs, "ingest.topicArn").split(":")[3], "us-east-1");
  });

  it("admits only the subscribed topics to the dr queue, over TLS only", async () => {
    const primary = await renderTestStack("primary");
    const dr = await renderTestStack("dr");
    const p = parts(dr);
    const queueArn = out(p.queue, "arn");
    const policy = find(dr, T.queuePolicy, "ingest-queue-policy");
    strictEqual(policy.inputs.queueUrl, out(p.queue, "url"));
    deepStrictEqual(policyOf(policy), {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "SubscribedTopicsDeliver",
          Effect: "Allow",
          Principal: { Service: "sns.amazonaws.com" },
          Action: "sqs:SendMessage",
          Resource: queueArn,
          Condition: {
            ArnEquals: { "aws:SourceArn": [out(p.topic, "arn"), get(primary.outputs, "ingest.topicArn")] },
          },
        },
        {
          Sid: "DenyInsecureTransport",
          Effect: "Deny",
          Principal: "*",
          Action: "sqs:*",
          Resource: queueArn,
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
      ],
    });
    deepStrictEqual(
      policyOf(find(dr, T.queuePolicy, "ingest-dlq-policy")).Statement.map((s: { Sid: string }) => s.Sid),
      ["DenyInsecureTransport"],
    );
  });

  it("dead-letters after maxReceiveCount receives, with a visibility timeout of 6x the function timeout", async () => {
    const dr = await renderTestStack("dr");
    const p = parts(dr);
    deepStrictEqual(JSON.parse(String(p.queue.inputs.redrivePolicy)), {
      deadLetterTargetArn: out(p.dlq, "arn"),
      maxReceiveCount: 5,
    });
    strictEqual(p.fn.inputs.timeout, 120);
    deepStrictEqual(
      [p.queue.inputs.visibilityTimeoutSeconds, p.queue.inputs.messageRetentionSeconds],
      [720, 4 * 24 * 3600],
    );
    strictEqual(p.dlq.inputs.messageRetentionSeconds, 14 * 24 * 3600);
    const allow = find(dr, T.redriveAllow, "ingest-dlq-redrive-allow");
    strictEqual(allow.inputs.queueUrl, out(p.dlq, "url"));
    deepStrictEqual(JSON.parse(String(allow.inputs.redriveAllowPolicy)), {
      redrivePermission: "byQueue",
      sourceQueueArns: [out(p.queue, "arn")],
    });
  });

  it("maps the queue to the consumer with the configured batch size, concurrency cap and partial batch responses", async () => {
    const dr = await renderTestStack("dr");
    const p = parts(dr);
    const esm = find(dr, T.esm, "ingest-consumer-events");
    deepStrictEqual(
      {
        eventSourceArn: esm.inputs.eventSourceArn,
        functionName: esm.inputs.functionName,
        batchSize: esm.inputs.batchSize,
        scalingConfig: esm.inputs.scalingConfig,
        functionResponseTypes: esm.inputs.functionResponseTypes,
      },
      {
        eventSourceArn: out(p.queue, "arn"),
        functionName: out(p.fn, "arn"),
        batchSize: 10,
        scalingConfig: { maximumConcurrency: 5 },
        functionResponseTypes: ["ReportBatchItemFailures"],
      },
    );
  });

  it("configures the dr consumer to read its own landing bucket and the primary landing replica in us-west-2", async () => {
    const primary = await renderTestStack("primary");
    const dr = await renderTestStack("dr");
    const fn = parts(dr).fn;
    deepStrictEqual(
      {
        runtime: fn.inputs.runtime,
        handler: fn.inputs.handler,
        logFormat: get(fn.inputs, "loggingConfig.logFormat"),
      },
      { runtime: "nodejs24.x", handler: "index.handler", logFormat: "JSON" },
    );
    deepStrictEqual(Object.keys(get(fn.inputs, "code.assets") as unknown as object), ["index.js"]);
    deepStrictEqual(get(fn.inputs, "environment.variables"), {
      CLUSTER_IDENTIFIER: get(dr.outputs, "warehouse.clusterIdentifier"),
      DATABASE_NAME: "payments",
      SOURCES: JSON.stringify([
        {
          publishedBucket: get(dr.outputs, "objects.buckets.landing"),
          readBucket: get(dr.outputs, "objects.buckets.landing"),
          replica: false,
        },
        {
          publishedBucket: get(primary.outputs, "objects.buckets.landing"),
          readBucket: get(primary.outputs, "objects.replicaBuckets.landing"),
          replica: true,
        },
      ]),
      REPLICATION_WAIT_SECONDS: "900",
      REPLICA_POLL_SECONDS: "20",
      STATEMENT_WAIT_SECONDS: "45",
    });
    strictEqual(get(fn.inputs, "loggingConfig.logGroup"), "/payments-dr/dr/ingest-consumer");
  });

  it("grants the dr consumer only its queue, the landing objects and keys, its own cluster and its logs", async () => {
    const primary = await renderTestStack("primary");
    const dr = await renderTestStack("dr");
    const p = parts(dr);
    const role = find(dr, T.role, "ingest-consumer-role");
    deepStrictEqual(JSON.parse(String(role.inputs.assumeRolePolicy)), {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Service: "lambda.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "aws:SourceAccount": "111122223333" } },
        },
      ],
    });
    const drLanding = `arn:aws:s3:::${get(dr.outputs, "objects.buckets.landing")}`;
    const replica = `arn:aws:s3:::${get(primary.outputs, "objects.replicaBuckets.landing")}`;
    const clusterIdentifier = get(dr.outputs, "warehouse.clusterIdentifier");
    const policy = find(dr, T.rolePolicy, "ingest-consumer-policy");
    strictEqual(policy.inputs.role, role.outputs.id ?? role.outputs.name);
    deepStrictEqual(policyOf(policy).Statement, [
      {
        Sid: "ReceiveFromIngestQueue",
        Effect: "Allow",
        Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"],
        Resource: out(p.queue, "arn"),
      },
      {
        Sid: "DecryptQueueMessages",
        Effect: "Allow",
        Action: "kms:Decrypt",
        Resource: get(dr.outputs, "keys.messaging"),
        Condition: { StringEquals: { "kms:ViaService": "sqs.us-west-2.amazonaws.com" } },
      },
      {
        Sid: "ReadLandingObjects",
        Effect: "Allow",
        Action: ["s3:GetObject", "s3:GetObjectVersion"],
        Resource: [`${drLanding}/*`, `${replica}/*`],
      },
      {
        Sid: "TellMissingFromDenied",
        Effect: "Allow",
        Action: "s3:ListBucket",
        Resource: [drLanding, replica],
      },
      {
        Sid: "DecryptLandingObjects",
        Effect: "Allow",
        Action: "kms:Decrypt",
        Resource: [get(dr.outputs, "keys.objects"), get(primary.outputs, "peerKeys.objects")],
        Condition: { StringEquals: { "kms:ViaService": "s3.us-west-2.amazonaws.com" } },
      },
      {
        Sid: "LoadIntoOwnCluster",
        Effect: "Allow",
        Action: ["redshift-data:ExecuteStatement", "redshift-data:BatchExecuteStatement"],
        Resource: get(dr.outputs, "warehouse.clusterArn"),
      },
      {
        Sid: "DescribeOwnStatements",
        Effect: "Allow",
        Action: "redshift-data:DescribeStatement",
        Resource: "*",
        Condition: { StringEquals: { "redshift-data:statement-owner-iam-userid": "${aws:userid}" } },
      },
      {
        Sid: "DatabaseLoginWithIam",
        Effect: "Allow",
        Action: "redshift:GetClusterCredentialsWithIAM",
        Resource: `arn:aws:redshift:us-west-2:111122223333:dbname:${clusterIdentifier}/payments`,
      },
      {
        Sid: "WriteOwnLogs",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: `${out(p.logGroup, "arn")}:*`,
      },
    ]);
    // Every key and bucket the consumer touches is in the consumer's own Region.
    for (const key of [get(dr.outputs, "keys.objects"), get(primary.outputs, "peerKeys.objects")]) {
      strictEqual(key.split(":")[3], "us-west-2");
    }
    strictEqual(get(dr.outputs, "warehouse.clusterArn").split(":")[3], "us-west-2");
  });

  it("lets the primary consumer read only the primary landing bucket", async () => {
    const primary = await renderTestStack("primary");
    const statements = policyOf(find(primary, T.rolePolicy, "ingest-consumer-policy")).Statement;
    const landing = `arn:aws:s3:::${get(primary.outputs, "objects.buckets.landing")}`;
    deepStrictEqual(
      statements.filter(
        (s: { Sid: string }) => s.Sid.includes("Landing") || s.Sid === "TellMissingFromDenied",
      ),
      [
        {
          Sid: "ReadLandingObjects",
          Effect: "Allow",
          Action: ["s3:GetObject", "s3:GetObjectVersion"],
          Resource: [`${landing}/*`],
        },
        { Sid: "TellMissingFromDenied", Effect: "Allow", Action: "s3:ListBucket", Resource: [landing] },
        {
          Sid: "DecryptLandingObjects",
          Effect: "Allow",
          Action: "kms:Decrypt",
          Resource: [get(primary.outputs, "keys.objects")],
          Condition: { StringEquals: { "kms:ViaService": "s3.us-east-1.amazonaws.com" } },
        },
      ],
    );
  });

  it("alarms on queue lag at half the RPO and on any dead-lettered message, to an encrypted alarm topic", async () => {
    const dr = await renderTestStack("dr");
    const p = parts(dr);
    const alarmTopicArn = out(p.alarmTopic, "arn");
    const pick = (r: RenderedResource) => {
      const i = r.inputs;
      return [
        i.namespace,
        i.metricName,
        i.dimensions,
        i.statistic,
        i.period,
        i.evaluationPeriods,
        i.comparisonOperator,
        i.threshold,
        i.treatMissingData,
        i.alarmActions,
        i.okActions,
      ];
    };
    deepStrictEqual(pick(find(dr, T.alarm, "ingest-oldest-message-alarm")), [
      "AWS/SQS",
      "ApproximateAgeOfOldestMessage",
      { QueueName: out(p.queue, "name") },
      "Maximum",
      60,
      1,
      "GreaterThanThreshold",
      450,
      "notBreaching",
      [alarmTopicArn],
      [alarmTopicArn],
    ]);
    deepStrictEqual(pick(find(dr, T.alarm, "ingest-dlq-depth-alarm")), [
      "AWS/SQS",
      "ApproximateNumberOfMessagesVisible",
      { QueueName: out(p.dlq, "name") },
      "Maximum",
      60,
      1,
      "GreaterThanThreshold",
      0,
      "notBreaching",
      [alarmTopicArn],
      [alarmTopicArn],
    ]);
    deepStrictEqual(policyOf(find(dr, T.topicPolicy, "ingest-alarms-policy")).Statement, [
      {
        Sid: "CloudWatchAlarmsPublish",
        Effect: "Allow",
        Principal: { Service: "cloudwatch.amazonaws.com" },
        Action: "sns:Publish",
        Resource: alarmTopicArn,
        Condition: {
          StringEquals: { "aws:SourceAccount": "111122223333" },
          ArnLike: { "aws:SourceArn": "arn:aws:cloudwatch:us-west-2:111122223333:alarm:*" },
        },
      },
    ]);
  });

  it("tags every taggable ingest resource with the stack tags", async () => {
    const dr = await renderTestStack("dr");
    const expected = {
      app: "payments",
      "payments-dr:stack": "dr",
      "payments-dr:role": "dr",
      "cost-center": "payments-platform",
    };
    const taggable = [T.topic, T.queue, T.fn, T.esm, T.alarm, T.logGroup, T.role];
    const untagged = ingestOf(dr)
      .filter((r) => taggable.includes(r.type))
      .filter((r) => !isDeepStrictEqual(r.inputs.tags, expected))
      .map((r) => r.name);
    deepStrictEqual(untagged, []);
  });

  it("changes nothing about ingest when dr becomes active: the dr topic and queue are already live", async () => {
    const standby = await renderTestStack("dr");
    const active = await renderTestStack("dr", ["payments-dr:mode=active"]);
    const view = (s: RenderedStack) => ingestOf(s).map((r) => ({ urn: r.urn, inputs: r.inputs }));
    deepStrictEqual(view(active), view(standby));
  });
});

describe("ingest timing checks", () => {
  const ok = {
    timeoutSeconds: 120,
    statementWaitSeconds: 45,
    replicaPollSeconds: 20,
    maxReceiveCount: 5,
    replicationWaitSeconds: 900,
    readsReplica: true,
  };

  it("accepts the defaults", () => validateIngestTiming(ok));

  it("refuses a retry budget that dead-letters before replication could have delivered", () => {
    throws(() => validateIngestTiming({ ...ok, maxReceiveCount: 1 }), {
      message:
        "Invalid config payments-dr:ingest.maxReceiveCount = 1: with a 720 s visibility timeout a message reaches " +
        "the DLQ after 720 s, before payments-dr:ingest.replicationWaitSeconds (900 s) has passed. " +
        "Fix: pulumi config set --path payments-dr:ingest.maxReceiveCount 2, or lower replicationWaitSeconds.",
    });
    validateIngestTiming({ ...ok, maxReceiveCount: 1, readsReplica: false });
  });

  it("refuses a function timeout shorter than the waits it must outlast", () => {
    throws(
      () => validateIngestTiming({ ...ok, timeoutSeconds: 100 }),
      /Invalid Ingest timeoutSeconds = 100: expected an integer from 120/,
    );
  });
});

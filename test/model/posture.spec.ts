import * as assert from "assert";
import { buildDiagram } from "../../tools/diagram";
import { arnRegion, findCrossRegionLinks } from "../../model/links";
import { stackPosture } from "../../model/posture";
import { scheduleIntervalSeconds } from "../../model/rpo";
import { rtoCriticalPath } from "../../model/rto";
import { PROTECTED_VOLUME_TAG } from "../../model/workload";
import { RenderedResource, RenderedStack } from "../../tools/render/render";

const ACCOUNT = "111122223333";

function resource(
  stack: string,
  type: string,
  name: string,
  region: string | null,
  inputs: Record<string, unknown> = {},
  outputs: Record<string, unknown> = {},
  id: string | null = name,
): RenderedResource {
  return {
    urn: `urn:pulumi:${stack}::payments-dr::${type}::${name}`,
    id,
    type,
    name,
    custom: true,
    parent: `urn:pulumi:${stack}::payments-dr::pulumi:pulumi:Stack::payments-dr-${stack}`,
    provider: null,
    region,
    inputs,
    outputs: { ...inputs, ...outputs },
    dependencies: [],
    protect: false,
    ignoreChanges: [],
    replaceOnChanges: [],
    deleteBeforeReplace: false,
    retainOnDelete: false,
  };
}

function stack(
  name: string,
  region: string,
  role: string,
  resources: RenderedResource[],
  extra: Record<string, unknown> = {},
): RenderedStack {
  return {
    stack: name,
    project: "payments-dr",
    config: {
      "aws:region": region,
      "payments-dr:role": role,
      "payments-dr:targets": { rpoSeconds: 900, rtoSeconds: 1800 },
      "payments-dr:failover": { maxReplicaLagSeconds: 45 },
    },
    resources: [
      { ...resource(name, "pulumi:pulumi:Stack", `payments-dr-${name}`, null), custom: false, parent: null },
      ...resources,
    ],
    outputs: extra,
  };
}

const dbArn = `arn:aws:rds:us-east-1:${ACCOUNT}:db:payments`;
const primaryDb = resource(
  "primary",
  "aws:rds/instance:Instance",
  "database",
  "us-east-1",
  {},
  { arn: dbArn },
);
const backupReplication = resource(
  "primary",
  "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication",
  "database-backups",
  "us-west-2",
  { sourceDbInstanceArn: dbArn, region: "us-west-2", retentionPeriod: 14 },
);
const bucket = resource(
  "primary",
  "aws:s3/bucket:Bucket",
  "app-bucket",
  "us-east-1",
  {},
  { bucket: "app-1a2b", arn: "arn:aws:s3:::app-1a2b" },
);
const replicaBucket = resource(
  "primary",
  "aws:s3/bucket:Bucket",
  "app-replica",
  "us-west-2",
  { region: "us-west-2" },
  { bucket: "app-replica-9f8e" },
);
const replication = resource(
  "primary",
  "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
  "app-replication",
  "us-east-1",
  {
    bucket: "app-1a2b",
    rules: [
      {
        status: "Enabled",
        destination: {
          bucket: "arn:aws:s3:::app-replica-9f8e",
          replicationTime: { status: "Enabled", time: { minutes: 15 } },
        },
      },
    ],
  },
);
const lonelyBucket = resource(
  "primary",
  "aws:s3/bucket:Bucket",
  "scratch",
  "us-east-1",
  {},
  { bucket: "scratch-77", arn: "arn:aws:s3:::scratch-77" },
);
const vaultArn = `arn:aws:backup:us-west-2:${ACCOUNT}:backup-vault:copies`;
const plan = resource(
  "primary",
  "aws:backup/plan:Plan",
  "plan",
  "us-east-1",
  { rules: [{ schedule: "cron(0 */2 ? * * *)", copyActions: [{ destinationVaultArn: vaultArn }] }] },
  {},
  "plan-id-1",
);
const selection = resource("primary", "aws:backup/selection:Selection", "selection", "us-east-1", {
  planId: "plan-id-1",
  resources: ["arn:aws:s3:::scratch-77"],
});
const drDb = resource("dr", "aws:rds/instance:Instance", "database", "us-west-2", {
  replicateSourceDb: dbArn,
});
const alarm = resource(
  "dr",
  "aws:cloudwatch/metricAlarm:MetricAlarm",
  "probe-alarm",
  "us-west-2",
  {
    period: 60,
    evaluationPeriods: 2,
    metricName: "PrimaryEndpointHealthy",
  },
  { name: "probe-alarm-1" },
);
const healthCheck = resource("dr", "aws:route53/healthCheck:HealthCheck", "health", null, {
  type: "HTTPS",
  requestInterval: 10,
  failureThreshold: 3,
});

const primary = stack("primary", "us-east-1", "primary", [
  primaryDb,
  backupReplication,
  bucket,
  replicaBucket,
  replication,
  lonelyBucket,
  plan,
  selection,
]);
const dr = stack("dr", "us-west-2", "dr", [drDb, alarm, healthCheck], {
  failoverTrigger: { alarmName: "probe-alarm-1" },
});

describe("DR posture, cross-Region links and diagram", () => {
  it("reads the Region out of an ARN and none out of a global one", () => {
    assert.strictEqual(arnRegion(`arn:aws:kms:eu-west-1:${ACCOUNT}:key/abc`), "eu-west-1");
    assert.strictEqual(arnRegion("arn:aws:s3:::bucket"), undefined);
    assert.strictEqual(arnRegion("not-an-arn"), undefined);
  });

  it("finds each cross-Region mechanism with its source, Regions and declaring stack", () => {
    const links = findCrossRegionLinks([primary, dr]).map((l) => [
      l.kind,
      l.source.name,
      l.sourceRegion,
      l.targetRegion,
      l.declaredBy,
      l.target?.name,
    ]);
    assert.deepStrictEqual(links, [
      ["rds-backup-replication", "database", "us-east-1", "us-west-2", "primary", "database-backups"],
      ["s3-replication", "app-bucket", "us-east-1", "us-west-2", "primary", "app-replica"],
      ["backup-copy", "scratch", "us-east-1", "us-west-2", "primary", undefined],
      ["rds-read-replica", "database", "us-east-1", "us-west-2", "dr", "database"],
    ]);
  });

  it("ignores a copy whose destination is in the same Region", () => {
    const sameRegionPlan = {
      ...plan,
      inputs: {
        rules: [
          {
            schedule: "cron(0 * ? * * *)",
            copyActions: [{ destinationVaultArn: vaultArn.replace("us-west-2", "us-east-1") }],
          },
        ],
      },
    };
    const links = findCrossRegionLinks([
      stack("primary", "us-east-1", "primary", [lonelyBucket, sameRegionPlan, selection]),
    ]);
    assert.deepStrictEqual(links, []);
  });

  it("links a DLM policy's encrypted cross-Region copy to the tagged volumes and the clusters whose StorageClass writes its tag", () => {
    const tag = { [PROTECTED_VOLUME_TAG.key]: PROTECTED_VOLUME_TAG.value };
    const dlm = (state: string, copy: Record<string, unknown>) =>
      resource("primary", "aws:dlm/lifecyclePolicy:LifecyclePolicy", `dlm-${state}`, "us-east-1", {
        state,
        policyDetails: {
          resourceTypes: ["VOLUME"],
          targetTags: tag,
          schedules: [{ createRule: { interval: 4, intervalUnit: "HOURS" }, crossRegionCopyRules: [copy] }],
        },
      });
    const p = stack("primary", "us-east-1", "primary", [
      resource("primary", "aws:eks/cluster:Cluster", "cluster", "us-east-1"),
      resource("primary", "aws:ebs/volume:Volume", "tagged", "us-east-1", { tags: tag }),
      resource("primary", "aws:ebs/volume:Volume", "untagged", "us-east-1", { tags: { other: "x" } }),
      dlm("ENABLED", { target: "us-west-2", encrypted: true, cmkArn: "k" }),
      dlm("DISABLED", { target: "us-west-2", encrypted: true, cmkArn: "k" }),
      resource("primary", "aws:dlm/lifecyclePolicy:LifecyclePolicy", "unencrypted", "us-east-1", {
        policyDetails: {
          resourceTypes: ["VOLUME"],
          targetTags: tag,
          schedules: [{ createRule: { interval: 1 }, crossRegionCopyRules: [{ target: "us-west-2" }] }],
        },
      }),
    ]);
    const links = findCrossRegionLinks([p]).filter((l) => l.kind === "dlm-snapshot-copy");
    assert.deepStrictEqual(
      links.map((l) => [
        l.source.name,
        l.sourceRegion,
        l.targetRegion,
        l.detail.policy,
        l.detail.intervalHours,
      ]),
      [
        ["cluster", "us-east-1", "us-west-2", "dlm-ENABLED", 4],
        ["tagged", "us-east-1", "us-west-2", "dlm-ENABLED", 4],
      ],
    );
    assert.deepStrictEqual(
      stackPosture(p, [p]).stores.map((s) => [
        s.name,
        s.rpoSeconds,
        s.mechanisms.map((m) => `${m.kind}:${m.rpoSeconds}`),
      ]),
      [
        ["cluster", 14700, ["dlm-snapshot-copy:14700"]],
        ["tagged", 14700, ["dlm-snapshot-copy:14700"]],
        ["untagged", null, []],
      ],
    );
  });

  it("links an EKS cluster selected by AWS Backup to the copy vault's Region", () => {
    const clusterArn = `arn:aws:eks:us-east-1:${ACCOUNT}:cluster/payments`;
    const p = stack("primary", "us-east-1", "primary", [
      resource("primary", "aws:eks/cluster:Cluster", "cluster", "us-east-1", {}, { arn: clusterArn }),
      resource("primary", "aws:backup/plan:Plan", "plan", "us-east-1", {
        rules: [
          {
            schedule: "cron(0 * * * ? *)",
            copyActions: [{ destinationVaultArn: `arn:aws:backup:us-west-2:${ACCOUNT}:backup-vault:copies` }],
          },
        ],
      }),
      resource("primary", "aws:backup/selection:Selection", "cluster-selection", "us-east-1", {
        planId: "plan",
        resources: [clusterArn],
      }),
    ]);
    assert.deepStrictEqual(
      findCrossRegionLinks([p]).map((l) => [l.kind, l.source.name, l.targetRegion]),
      [["backup-copy", "cluster", "us-west-2"]],
    );
  });

  it("derives backup intervals from schedule expressions", () => {
    assert.strictEqual(scheduleIntervalSeconds("cron(0 * ? * * *)"), 3600);
    assert.strictEqual(scheduleIntervalSeconds("cron(0 */2 ? * * *)"), 7200);
    assert.strictEqual(scheduleIntervalSeconds("cron(0 5 ? * * *)"), 86400);
    assert.strictEqual(scheduleIntervalSeconds("rate(12 hours)"), 43200);
    assert.strictEqual(scheduleIntervalSeconds("whenever"), null);
  });

  it("estimates each store's RPO from its best mechanism and judges it against the target", () => {
    const posture = stackPosture(primary, [primary, dr]);
    assert.deepStrictEqual(
      posture.stores.map((s) => [
        s.name,
        s.rpoSeconds,
        s.meetsRpoTarget,
        s.mechanisms.map((m) => `${m.kind}:${m.rpoSeconds}`),
      ]),
      [
        ["database", 45, true, ["rds-backup-replication:600", "rds-read-replica:45"]],
        ["app-bucket", 900, true, ["s3-replication:900"]],
        ["scratch", 7500, false, ["backup-copy:7500"]],
      ],
    );
    assert.strictEqual(posture.meetsRpoTarget, false);
    assert.strictEqual(posture.rtoSeconds, undefined);
  });

  it("counts a replica's source as its copy and estimates the dr RTO from rendered settings", () => {
    const posture = stackPosture(dr, [primary, dr]);
    assert.deepStrictEqual(
      posture.stores.map((s) => [s.name, s.rpoSeconds, s.mechanisms.map((m) => `${m.direction}:${m.kind}`)]),
      [["database", 0, ["replica-of:rds-read-replica"]]],
    );
    assert.deepStrictEqual(
      rtoCriticalPath(dr).map((s) => s.seconds),
      [120, 60, 15, 360, 30],
    );
    assert.strictEqual(posture.rtoSeconds, 585);
    assert.strictEqual(posture.meetsRtoTarget, true);
    assert.strictEqual(posture.modelled, true);
  });

  it("counts dual ingest: the peer lags by the queue's age alarm, the fed cluster copies the source", () => {
    const topicArn = `arn:aws:sns:us-east-1:${ACCOUNT}:ingest`;
    const queueArn = `arn:aws:sqs:us-west-2:${ACCOUNT}:dr-ingest`;
    const p = stack("primary", "us-east-1", "primary", [
      resource("primary", "aws:redshift/cluster:Cluster", "warehouse", "us-east-1"),
      resource("primary", "aws:sns/topic:Topic", "topic", "us-east-1", {}, { arn: topicArn }),
    ]);
    const d = stack("dr", "us-west-2", "dr", [
      resource("dr", "aws:redshift/cluster:Cluster", "warehouse", "us-west-2"),
      resource("dr", "aws:sqs/queue:Queue", "queue", "us-west-2", {}, { arn: queueArn, name: "dr-ingest" }),
      resource("dr", "aws:sns/topicSubscription:TopicSubscription", "sub", "us-east-1", {
        topic: topicArn,
        endpoint: queueArn,
        protocol: "sqs",
      }),
      resource("dr", "aws:cloudwatch/metricAlarm:MetricAlarm", "age", "us-west-2", {
        metricName: "ApproximateAgeOfOldestMessage",
        dimensions: { QueueName: "dr-ingest" },
        threshold: 300,
      }),
    ]);
    const summary = (s: RenderedStack) =>
      stackPosture(s, [p, d]).stores.map((store) => [
        store.name,
        store.rpoSeconds,
        store.mechanisms.map((m) => `${m.direction}:${m.kind}:${m.targetRegion}`),
      ]);
    assert.deepStrictEqual(summary(p), [["warehouse", 300, ["outbound:dual-ingest:us-west-2"]]]);
    assert.deepStrictEqual(summary(d), [["warehouse", 0, ["replica-of:dual-ingest:us-east-1"]]]);
  });

  it("reports an RTO target it cannot meet", () => {
    const tight = {
      ...dr,
      config: { ...dr.config, "payments-dr:targets": { rpoSeconds: 900, rtoSeconds: 300 } },
    };
    const posture = stackPosture(tight, [primary, tight]);
    assert.deepStrictEqual(
      [posture.rtoSeconds, posture.rtoTargetSeconds, posture.meetsRtoTarget],
      [585, 300, false],
    );
  });

  it("draws both Regions with every cross-Region link as a labelled arrow", () => {
    const diagram = buildDiagram([primary, dr]);
    assert.match(diagram, /^flowchart LR\n/);
    assert.match(diagram, /subgraph us_east_1\["us-east-1 · primary stack"\]/);
    assert.match(diagram, /subgraph us_west_2\["us-west-2 · dr stack"\]/);
    const arrows = diagram.split("\n").filter((l) => l.includes("-->"));
    assert.deepStrictEqual(
      arrows.map((a) => /-- "([^"]+)" -->/.exec(a)?.[1]),
      ["automated backups", "S3 replication (RTC 15 min)", "AWS Backup copy", "read replica"],
    );
  });
});

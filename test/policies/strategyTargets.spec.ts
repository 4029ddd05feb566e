import * as assert from "assert";
import { policies } from "../../policies/policies";
import { validatePackConfig } from "../../tools/policyConfig";
import { ACCOUNT, PEER, PRIMARY, reported, resource } from "./fixtures";

const POLICY = "payments-dr-strategy-targets";
const opts = { providerRegion: PEER };

const secondaryRecord = resource(
  "aws:route53/record:Record",
  "dns-record",
  { name: "api.payments.example.com", type: "A", failoverRoutingPolicies: [{ type: "SECONDARY" }] },
  opts,
);
const primaryRecord = resource(
  "aws:route53/record:Record",
  "dns-record",
  { name: "api.payments.example.com", type: "A", failoverRoutingPolicies: [{ type: "PRIMARY" }] },
  { providerRegion: PRIMARY },
);
const queueArn = `arn:aws:sqs:${PEER}:${ACCOUNT}:ingest-queue`;
const warmStandby = [
  secondaryRecord,
  resource(
    "aws:rds/instance:Instance",
    "database",
    { replicateSourceDb: `arn:aws:rds:${PRIMARY}:${ACCOUNT}:db:payments-dr-primary` },
    opts,
  ),
  resource(
    "aws:elasticache/replicationGroup:ReplicationGroup",
    "cache",
    { globalReplicationGroupId: "ldgnf-payments-dr" },
    opts,
  ),
  resource("aws:opensearch/domain:Domain", "search", { domainName: "payments-dr-dr" }, opts),
  resource(
    "aws:opensearch/outboundConnection:OutboundConnection",
    "search-follow",
    {
      localDomainInfo: { domainName: "payments-dr-dr" },
      remoteDomainInfo: { domainName: "payments-dr-primary" },
    },
    opts,
  ),
  resource("aws:redshift/cluster:Cluster", "warehouse", { clusterIdentifier: "payments-dr-dr" }, opts),
  resource(
    "aws:sqs/queue:Queue",
    "ingest-queue",
    {},
    { ...opts, outputs: { arn: queueArn, name: "ingest-queue" } },
  ),
  resource(
    "aws:sns/topicSubscription:TopicSubscription",
    "ingest-subscription-primary",
    {
      protocol: "sqs",
      topic: `arn:aws:sns:${PRIMARY}:${ACCOUNT}:ingest-topic`,
      endpoint: queueArn,
      region: PRIMARY,
    },
    opts,
  ),
  resource(
    "aws:cloudwatch/metricAlarm:MetricAlarm",
    "ingest-oldest-message",
    {
      metricName: "ApproximateAgeOfOldestMessage",
      dimensions: { QueueName: "ingest-queue" },
      threshold: 450,
    },
    opts,
  ),
  resource("aws:eks/cluster:Cluster", "cluster", {}, opts),
  resource("aws:eks/nodeGroup:NodeGroup", "nodes", { scalingConfig: { desiredSize: 1, minSize: 1 } }, opts),
];
const RESTORED = " Restored from copies at failover: database, cache, search, warehouse.";
const rpoMessage = (found: number, restored: string) =>
  `dr stack recovery: expected a modelled worst per-store RPO of at most 900 s, found ${found} s (warehouse: no ` +
  `live warehouse replica in this stack: restored from the primary's copy, assumed every ${found} s including ` +
  `copy time). Restored from copies at failover: ${restored}. A Region failure would lose more writes than the ` +
  "target allows; keep a live replica of that store in the dr stack (payments-dr:strategy pilot-light or " +
  "warm-standby), shorten its copy interval, or revisit the target (payments-dr:targets.rpoSeconds and this " +
  "policy's rpoSeconds).";

describe(`${POLICY} (mandatory, strategy recovery model)`, () => {
  it("passes a warm standby: live replicas, dual ingest and running nodes meet 900 s RPO and 1800 s RTO", () => {
    assert.deepStrictEqual(reported(warmStandby, POLICY), []);
  });

  it("does not judge a primary stack (no SECONDARY record)", () => {
    assert.deepStrictEqual(reported([primaryRecord], POLICY), []);
  });

  it("fails a backup-and-restore dr stack on both targets, naming the worst store and the critical path", () => {
    assert.deepStrictEqual(reported([secondaryRecord], POLICY), [
      [
        "",
        "dr stack recovery: expected a modelled worst per-store RPO of at most 900 s, found 29100 s (warehouse: no " +
          "live warehouse replica in this stack: restored from the primary's copy, assumed every 29100 s including " +
          `copy time).${RESTORED} A Region failure would lose more writes than the target allows; keep a live ` +
          "replica of that store in the dr stack (payments-dr:strategy pilot-light or warm-standby), shorten its " +
          "copy interval, or revisit the target (payments-dr:targets.rpoSeconds and this policy's rpoSeconds).",
      ],
      [
        "",
        // 180 + 60 + 15 + 30 + (60 + max(search 1200 + 5 x 150, no cluster 900 + 240 + 300)) + 30
        "dr stack recovery: expected a modelled failover RTO of at most 1800 s, found 2325 s (180 s detect, 60 s " +
          "start the controller, 15 s preflight and lock, 30 s find the latest copied recovery points, 2010 s in " +
          "parallel: DNS lever + propagation, Global Datastore failover, dr stack up, 30 s verify)." +
          `${RESTORED} Keep live replicas or running capacity in the dr stack (payments-dr:strategy pilot-light or ` +
          "warm-standby), or revisit the target (payments-dr:targets.rtoSeconds and this policy's rtoSeconds).",
      ],
    ]);
  });

  it("fails a pilot light without the dual-ingest warehouse on the RPO only: a cluster at zero nodes keeps the RTO", () => {
    const pilotLight = warmStandby
      .filter((r) => r.type !== "aws:redshift/cluster:Cluster")
      .map((r) =>
        r.type === "aws:eks/nodeGroup:NodeGroup"
          ? resource(r.type, r.name, { scalingConfig: { desiredSize: 0, minSize: 0 } }, opts)
          : r,
      );
    assert.deepStrictEqual(
      reported(pilotLight, POLICY).map(([, m]) => m.slice(0, 110)),
      [
        "dr stack recovery: expected a modelled worst per-store RPO of at most 900 s, found 29100 s (warehouse: no live",
      ],
    );
  });

  it("takes the targets, the stores the primary runs and the restore assumptions from its config", () => {
    const relaxed = { [POLICY]: { rpoSeconds: 86400, rtoSeconds: 3600 } };
    assert.deepStrictEqual(reported([secondaryRecord], POLICY, relaxed), []);
    const tighterCopies = {
      [POLICY]: {
        rtoSeconds: 3600,
        stores: ["database", "warehouse"],
        restore: { warehouse: { rpoSeconds: 1200 } },
      },
    };
    assert.deepStrictEqual(reported([secondaryRecord], POLICY, tighterCopies), [
      ["", rpoMessage(1200, "database, warehouse")],
    ]);
  });
});

describe(`${POLICY} after a failover`, () => {
  it("counts a promoted database (no replicateSourceDb) as serving here, not as a store to restore", () => {
    const promoted = warmStandby.map((r) =>
      r.type === "aws:rds/instance:Instance" ? resource(r.type, r.name, {}, { providerRegion: PEER }) : r,
    );
    assert.deepStrictEqual(reported(promoted, POLICY), []);
  });
});

describe(`${POLICY} config`, () => {
  it("is checked like the CLI checks --policy-pack-config: stores by kind, restore assumptions by kind", () => {
    assert.throws(
      () =>
        validatePackConfig(
          { [POLICY]: { stores: ["ledger"], restore: { database: { rpoSeconds: 0 }, queue: {} } } },
          policies,
        ),
      {
        message:
          "Invalid policy config:\n" +
          `  ${POLICY}.restore.database.rpoSeconds: expected at least 1, found 0\n` +
          `  ${POLICY}.restore.queue: not a setting of this policy\n` +
          `  ${POLICY}.stores[0]: expected one of database, cache, search, warehouse, found "ledger"`,
      },
    );
  });
});

import * as assert from "assert";
import { checkStrategyTransition, ConfigError, parseStackConfig } from "../../stacks/config";
import { composition } from "../../stacks/strategy";
import { RenderedResource, RenderedStack } from "../../tools/render/render";
import { planStackViolations } from "../../tools/policy";
import { applyOverrides, readStackConfig } from "../../tools/render/stackFiles";
import { find, findAll, renderTestStack } from "../helpers/stacks";

const dr = (overrides: string[] = []) =>
  parseStackConfig(applyOverrides(readStackConfig("dr"), overrides, "payments-dr"), "dr");
const RDS_COPY = "arn:aws:rds:us-west-2:123456789012:snapshot:awsbackup:job-0123abcd";
const RDB_COPY = "arn:aws:s3:::payments-dr-primary-cache-snapshots-replica/export-0001.rdb";
const BACKUP_RESTORE_ACTIVE = [
  "payments-dr:strategy=backup-restore",
  "payments-dr:mode=active",
  `payments-dr:restore.database=${RDS_COPY}`,
  `payments-dr:restore.cache=${RDB_COPY}`,
];

/** The policy gate's mandatory violations (the offline plan's verdict). */
const mandatory = (stack: RenderedStack) =>
  planStackViolations(stack)
    .filter((v) => v.enforcementLevel === "mandatory")
    .map((v) => `${v.policy}: ${v.message}`);
const key = (r: RenderedResource) => `${r.type} ${r.name}`;
/** The component resources (and their whole subtrees) one rendering has and the other has not. */
function missingComponents(
  from: RenderedStack,
  to: RenderedStack,
): { components: string[]; orphans: string[] } {
  const kept = new Set(to.resources.map(key));
  const missing = from.resources.filter((r) => !kept.has(key(r)));
  const missingUrns = new Set(missing.map((r) => r.urn));
  const components = missing.filter((r) => !r.custom && !missingUrns.has(r.parent ?? "")).map(key);
  // Every missing resource must sit under a missing component: no stray custom resource goes.
  const orphans = missing
    .filter((r) => r.custom && !missingUrns.has(r.parent ?? ""))
    .map(key)
    .sort();
  return { components: components.sort(), orphans };
}

describe("the dr strategy decides which parts of the dr stack exist (stacks/strategy.ts)", () => {
  it("composes each strategy and mode: stores, warehouse, dual ingest and node group", () => {
    const eks = { standbyNodeCount: 1, activeNodeCount: 3, maxNodeCount: 6 };
    const at = (strategy: "warm-standby" | "pilot-light" | "backup-restore", mode: "standby" | "active") =>
      composition({ role: "dr", mode, strategy, eks } as Parameters<typeof composition>[0]);
    assert.deepStrictEqual(at("warm-standby", "standby"), {
      database: "replica",
      cache: "replica",
      search: "replica",
      warehouse: "present",
      dualIngest: true,
      nodeGroup: { minSize: 1, desiredSize: 1, maxSize: 6 },
    });
    assert.deepStrictEqual(at("pilot-light", "standby"), {
      database: "replica",
      cache: "replica",
      search: "replica",
      warehouse: "present",
      dualIngest: true,
      nodeGroup: { minSize: 0, desiredSize: 0, maxSize: 6 },
    });
    assert.deepStrictEqual(at("pilot-light", "active"), {
      database: "source",
      cache: "replica",
      search: "replica",
      warehouse: "present",
      dualIngest: true,
      nodeGroup: { minSize: 0, desiredSize: 3, maxSize: 6 },
    });
    assert.deepStrictEqual(at("backup-restore", "standby"), {
      database: "absent",
      cache: "absent",
      search: "absent",
      warehouse: "absent",
      dualIngest: false,
      nodeGroup: { minSize: 0, desiredSize: 0, maxSize: 6 },
    });
    assert.deepStrictEqual(at("backup-restore", "active"), {
      database: "restored",
      cache: "restored",
      search: "restored",
      warehouse: "present",
      dualIngest: false,
      nodeGroup: { minSize: 0, desiredSize: 3, maxSize: 6 },
    });
  });

  it("renders pilot-light as warm-standby's resources with no running nodes", async () => {
    const warm = await renderTestStack("dr");
    const pilot = await renderTestStack("dr", ["payments-dr:strategy=pilot-light"]);
    assert.deepStrictEqual(pilot.resources.map(key).sort(), warm.resources.map(key).sort());
    const changed = pilot.resources
      .filter(
        (r) =>
          JSON.stringify(r.inputs) !== JSON.stringify(warm.resources.find((w) => w.urn === r.urn)?.inputs),
      )
      .map(key);
    assert.deepStrictEqual(changed, ["aws:eks/nodeGroup:NodeGroup eks-nodes"]);
    assert.deepStrictEqual(find(pilot, "aws:eks/nodeGroup:NodeGroup", "eks-nodes").inputs.scalingConfig, {
      minSize: 0,
      desiredSize: 0,
      maxSize: 6,
    });
    assert.deepStrictEqual(mandatory(pilot), []);
  });

  it("renders backup-restore in standby without the stores, the warehouse and its ingest", async () => {
    const warm = await renderTestStack("dr");
    const restore = await renderTestStack("dr", ["payments-dr:strategy=backup-restore"]);
    assert.deepStrictEqual(missingComponents(warm, restore), {
      components: [
        "payments-dr:components:Cache cache",
        "payments-dr:components:CacheSnapshotExport cache-snapshot-export",
        "payments-dr:components:Database database",
        "payments-dr:components:Ingest ingest",
        // The payments service and its identity wait for the stores the failover restores.
        "payments-dr:components:PaymentsWorkload payments",
        "payments-dr:components:Search search",
        "payments-dr:components:Warehouse warehouse",
        "payments-dr:components:WorkloadIdentity payments-identity",
      ],
      // Backup rules for the stores that are not there.
      orphans: [
        "aws:backup/plan:Plan backup-warehouse-plan",
        "aws:backup/selection:Selection backup-databases",
        "aws:backup/selection:Selection backup-warehouse",
      ],
    });
    // 70 resources of the stores and their ingest, 13 of the payments service and its identity.
    assert.deepStrictEqual(restore.resources.length, warm.resources.length - 83);
    assert.deepStrictEqual(
      restore.resources.filter((r) => !warm.resources.some((w) => w.urn === r.urn)),
      [],
    );
    assert.deepStrictEqual(find(restore, "aws:eks/nodeGroup:NodeGroup", "eks-nodes").inputs.scalingConfig, {
      minSize: 0,
      desiredSize: 0,
      maxSize: 6,
    });
    // Kept: the copy vaults, the buckets and their replicas, the cluster, the load balancer, DNS.
    for (const type of [
      "aws:backup/vault:Vault",
      "aws:s3/bucket:Bucket",
      "aws:eks/cluster:Cluster",
      "aws:lb/loadBalancer:LoadBalancer",
      "aws:route53/record:Record",
    ]) {
      assert.deepStrictEqual(
        findAll(restore, type).map((r) => r.name),
        findAll(warm, type).map((r) => r.name),
        type,
      );
    }
    // Every store and type proves its encryption and copies; only the targets rule objects: a
    // backup-restore dr stack misses the default 900 s RPO and 1800 s RTO (model/strategy.ts).
    assert.deepStrictEqual(
      mandatory(restore).map((v) => v.replace(/ found .*/s, "")),
      [
        "payments-dr-strategy-targets: dr stack recovery: expected a modelled worst per-store RPO of at most 900 s,",
        "payments-dr-strategy-targets: dr stack recovery: expected a modelled failover RTO of at most 1800 s,",
      ],
    );
  });

  it("restores backup-restore's stores from the configured copies when active", async () => {
    const stack = await renderTestStack("dr", BACKUP_RESTORE_ACTIVE);
    const dataKey = (stack.outputs.keys as Record<string, string>).data;
    const instance = find(stack, "aws:rds/instance:Instance", "database-instance");
    // RDS keeps a restored instance's snapshot key: the copy is first re-copied under this stack's
    // data key, in this Region, and the instance restored from that copy.
    const copy = find(stack, "aws:rds/snapshotCopy:SnapshotCopy", "database-restore-copy");
    assert.deepStrictEqual(
      [copy.inputs.sourceDbSnapshotIdentifier, copy.inputs.targetDbSnapshotIdentifier, copy.inputs.kmsKeyId],
      [RDS_COPY, "payments-dr-dr-restore-copy", dataKey],
    );
    assert.strictEqual(instance.inputs.snapshotIdentifier, copy.id);
    assert.strictEqual(instance.inputs.kmsKeyId, dataKey);
    assert.deepStrictEqual(
      [
        instance.inputs.replicateSourceDb,
        instance.inputs.username,
        instance.inputs.dbName,
        instance.inputs.manageMasterUserPassword,
      ],
      [undefined, undefined, undefined, undefined],
    );
    const group = find(
      stack,
      "aws:elasticache/replicationGroup:ReplicationGroup",
      "cache-replication-group",
    ).inputs;
    assert.deepStrictEqual(group.snapshotArns, [RDB_COPY]);
    assert.strictEqual(group.kmsKeyId, (stack.outputs.keys as Record<string, string>).data);
    assert.deepStrictEqual(
      [group.globalReplicationGroupId, group.atRestEncryptionEnabled, group.transitEncryptionEnabled],
      [undefined, true, true],
    );
    assert.deepStrictEqual(
      findAll(stack, "aws:elasticache/globalReplicationGroup:GlobalReplicationGroup"),
      [],
    );
    assert.deepStrictEqual(findAll(stack, "aws:opensearch/outboundConnection:OutboundConnection"), []);
    assert.strictEqual(findAll(stack, "aws:opensearch/domain:Domain").length, 1);
    assert.deepStrictEqual(
      findAll(stack, "aws:sns/topicSubscription:TopicSubscription").map((r) => r.name),
      // Its own queue only: no subscription to the primary topic (no dual ingest).
      ["ingest-subscription", "failover-trigger-trigger-subscription"],
    );
    assert.deepStrictEqual(find(stack, "aws:eks/nodeGroup:NodeGroup", "eks-nodes").inputs.scalingConfig, {
      minSize: 0,
      desiredSize: 3,
      maxSize: 6,
    });
    assert.deepStrictEqual(mandatory(stack), []);
  });
});

describe("payments-dr:restore is validated against the strategy, the mode and the Region", () => {
  const message = (overrides: string[]) => {
    try {
      dr(overrides);
    } catch (error) {
      return (error as Error).message;
    }
    return "no error";
  };

  it("refuses a restore on a stack that does not restore", () => {
    assert.strictEqual(
      message([`payments-dr:restore.database=${RDS_COPY}`]),
      `Invalid config payments-dr:restore.database = "${RDS_COPY}": expected no value: only a dr stack with ` +
        "payments-dr:strategy backup-restore restores its stores (this stack runs warm-standby). " +
        "Fix: pulumi config rm --path payments-dr:restore.database --stack dr",
    );
  });

  it("refuses a copy in another Region", () => {
    const elsewhere = RDS_COPY.replace("us-west-2", "us-east-1");
    assert.strictEqual(
      message(["payments-dr:strategy=backup-restore", `payments-dr:restore.database=${elsewhere}`]),
      `Invalid config payments-dr:restore.database = "${elsewhere}": expected an RDS snapshot in the dr stack's ` +
        "Region us-west-2 (a copy in us-east-1 cannot be restored here). Fix: pulumi config set --path " +
        "payments-dr:restore.database arn:aws:rds:us-west-2:111122223333:snapshot:awsbackup:job-0123abcd",
    );
  });

  it("refuses a malformed copy", () => {
    assert.match(
      message(["payments-dr:strategy=backup-restore", "payments-dr:restore.cache=s3://bucket/file.rdb"]),
      /^Invalid config payments-dr:restore\.cache = "s3:\/\/bucket\/file\.rdb": expected the ARN of an \.rdb object in S3/,
    );
  });

  it("refuses to make a backup-restore stack active without its database copy", () => {
    assert.strictEqual(
      message([
        "payments-dr:strategy=backup-restore",
        "payments-dr:mode=active",
        `payments-dr:restore.cache=${RDB_COPY}`,
      ]),
      "Missing config payments-dr:restore.database: expected the RDS snapshot in us-west-2 to restore from: a " +
        "backup-restore stack creates its database from a copy when it turns active. Fix: npm run failover -- --to dr " +
        "finds the latest copy and sets it; by hand: pulumi config set --path payments-dr:restore.database " +
        "arn:aws:rds:us-west-2:111122223333:snapshot:awsbackup:job-0123abcd",
    );
    assert.deepStrictEqual(dr(BACKUP_RESTORE_ACTIVE).restore, { database: RDS_COPY, cache: RDB_COPY });
  });
});

describe("changing the strategy of a deployed dr stack is deliberate", () => {
  it("refuses a change that deletes live replicas unless confirmed", () => {
    assert.throws(
      () => checkStrategyTransition(dr(["payments-dr:strategy=backup-restore"]), undefined, "standby"),
      (e: unknown) =>
        e instanceof ConfigError &&
        e.key === "payments-dr:strategy" &&
        e.message ===
          'Invalid config payments-dr:strategy = "backup-restore": the dr stack last ran warm-standby; moving to ' +
            "backup-restore deletes its live replicas (RDS read replica, Global Datastore member, OpenSearch follower, " +
            "Redshift cluster) and its running nodes. Fix: pulumi config set payments-dr:strategy warm-standby --stack dr; " +
            "to make the change deliberately, preview it and set payments-dr:confirmStrategyChange true (docs/strategies.md).",
    );
    assert.throws(
      () => checkStrategyTransition(dr(["payments-dr:strategy=pilot-light"]), "warm-standby", "standby"),
      /moving to pilot-light deletes its running nodes \(the node group goes to 0\)/,
    );
    assert.doesNotThrow(() =>
      checkStrategyTransition(
        dr(["payments-dr:strategy=backup-restore", "payments-dr:confirmStrategyChange=true"]),
        "warm-standby",
        "standby",
      ),
    );
  });

  it("allows adding replicas, a first deployment and an unchanged strategy", () => {
    assert.doesNotThrow(() => checkStrategyTransition(dr(), "backup-restore", "standby"));
    assert.doesNotThrow(() =>
      checkStrategyTransition(dr(["payments-dr:strategy=backup-restore"]), undefined, undefined),
    );
    assert.doesNotThrow(() =>
      checkStrategyTransition(dr(["payments-dr:strategy=pilot-light"]), "pilot-light", "standby"),
    );
  });

  it("never changes the strategy of a serving stack, confirmed or not", () => {
    assert.throws(
      () =>
        checkStrategyTransition(
          dr([
            "payments-dr:strategy=pilot-light",
            "payments-dr:mode=active",
            "payments-dr:confirmStrategyChange=true",
          ]),
          "warm-standby",
          "active",
        ),
      /serves \(its last deployment ran active\) under warm-standby; changing the strategy of a serving stack/,
    );
  });
});

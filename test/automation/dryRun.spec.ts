import * as assert from "assert";
import {
  ACTIVE_OVERRIDE,
  diffRenderings,
  dryRunFrom,
  dryRunJson,
  formatDryRun,
} from "../../automation/dry-run/dryRun";
import { renderTestStack } from "../helpers/stacks";
import { FAILOVER_PLAN } from "../../automation/steps/steps";
import { RenderedResource, RenderedStack } from "../../tools/render/render";

const DB_URN =
  "urn:pulumi:dr::payments-dr::payments-dr:components:Database$aws:rds/instance:Instance::database-db";
const NODES_URN =
  "urn:pulumi:dr::payments-dr::payments-dr:components:Eks$aws:eks/nodeGroup:NodeGroup::eks-nodes";
const BUCKET_URN = "urn:pulumi:dr::payments-dr::aws:s3/bucket:Bucket::objects-app";
const GLOBAL_URN =
  "urn:pulumi:dr::payments-dr::aws:elasticache/globalReplicationGroup:GlobalReplicationGroup::cache-global";

function resource(
  urn: string,
  type: string,
  inputs: Record<string, unknown>,
  extra: Partial<RenderedResource> = {},
): RenderedResource {
  return {
    urn,
    id: `${urn.split("::").pop()}-1a2b3c4`,
    type,
    name: urn.split("::").pop() ?? "",
    custom: true,
    parent: null,
    provider: null,
    region: "us-west-2",
    inputs,
    outputs: {},
    dependencies: [],
    protect: true,
    ignoreChanges: [],
    replaceOnChanges: [],
    deleteBeforeReplace: false,
    retainOnDelete: false,
    ...extra,
  };
}

function stack(mode: string, resources: RenderedResource[]): RenderedStack {
  return {
    stack: "dr",
    project: "payments-dr",
    config: { "payments-dr:mode": mode, "aws:region": "us-west-2" },
    resources,
    outputs: {},
  };
}

const DB_STANDBY = {
  identifier: "payments-db-dr",
  instanceClass: "db.r6g.large",
  kmsKeyId: "arn:aws:kms:us-west-2:111122223333:key/mrk-1",
  replicateSourceDb: "arn:aws:rds:us-east-1:111122223333:db:payments-db-primary",
  storageEncrypted: true,
};
const { replicateSourceDb: _source, ...DB_ACTIVE } = DB_STANDBY;
const NODES = (desiredSize: number) => ({
  clusterName: "payments-dr-eks",
  scalingConfig: { desiredSize, minSize: 1, maxSize: 6 },
});

describe("failover dry run (offline diff standby -> active)", () => {
  it("classifies in-place updates with their changed input paths", () => {
    const diff = diffRenderings(
      stack("standby", [
        resource(DB_URN, "aws:rds/instance:Instance", DB_STANDBY),
        resource(NODES_URN, "aws:eks/nodeGroup:NodeGroup", NODES(1)),
      ]),
      stack("active", [
        resource(DB_URN, "aws:rds/instance:Instance", DB_ACTIVE),
        resource(NODES_URN, "aws:eks/nodeGroup:NodeGroup", NODES(3)),
      ]),
    );
    assert.deepStrictEqual(diff, {
      updated: [
        { urn: DB_URN, type: "aws:rds/instance:Instance", paths: ["replicateSourceDb"] },
        { urn: NODES_URN, type: "aws:eks/nodeGroup:NodeGroup", paths: ["scalingConfig.desiredSize"] },
      ],
      replaced: [],
      deleted: [],
      created: [],
    });
  });

  it("fails when a data store would be replaced by a replace-only input, saying which and why", () => {
    const result = dryRunFrom(
      "dr",
      stack("standby", [resource(DB_URN, "aws:rds/instance:Instance", DB_STANDBY)]),
      stack("active", [
        resource(DB_URN, "aws:rds/instance:Instance", {
          ...DB_ACTIVE,
          kmsKeyId: "arn:aws:kms:us-west-2:111122223333:key/other",
        }),
      ]),
    );
    assert.deepStrictEqual(result.diff.replaced, [
      {
        urn: DB_URN,
        type: "aws:rds/instance:Instance",
        paths: ["kmsKeyId", "replicateSourceDb"],
        reason: "replace-only input(s) change in the provider schema: kmsKeyId",
        dataStore: true,
      },
    ]);
    assert.deepStrictEqual(result.dataStoreViolations, [
      `${DB_URN} would be REPLACED: replace-only input(s) change in the provider schema: kmsKeyId`,
    ]);
    assert.match(formatDryRun(result), /FAIL: failover would lose data:/);
    assert.strictEqual(dryRunJson(result).dataStoresSafe, false);
  });

  it("fails when a data store would be deleted, and lists created resources", () => {
    const created =
      "urn:pulumi:dr::payments-dr::aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication::database-backups";
    const result = dryRunFrom(
      "dr",
      stack("standby", [resource(BUCKET_URN, "aws:s3/bucket:Bucket", { bucket: "payments-dr-app" })]),
      stack("active", [
        resource(
          created,
          "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication",
          {},
        ),
      ]),
    );
    assert.deepStrictEqual(result.diff.deleted, [
      { urn: BUCKET_URN, type: "aws:s3/bucket:Bucket", dataStore: true },
    ]);
    assert.deepStrictEqual(
      result.diff.created.map((c) => c.urn),
      [created],
    );
    assert.deepStrictEqual(result.dataStoreViolations, [
      `${BUCKET_URN} would be DELETED: it is absent from the active rendering`,
    ]);
  });

  it("honours ignoreChanges, replaceOnChanges and deleteBeforeReplace options", () => {
    const ignored = diffRenderings(
      stack("standby", [
        resource(
          GLOBAL_URN,
          "aws:elasticache/globalReplicationGroup:GlobalReplicationGroup",
          { primaryReplicationGroupId: "a" },
          { ignoreChanges: ["primaryReplicationGroupId"] },
        ),
      ]),
      stack("active", [
        resource(
          GLOBAL_URN,
          "aws:elasticache/globalReplicationGroup:GlobalReplicationGroup",
          { primaryReplicationGroupId: "b" },
          { ignoreChanges: ["primaryReplicationGroupId"] },
        ),
      ]),
    );
    assert.deepStrictEqual(ignored, { updated: [], replaced: [], deleted: [], created: [] });

    const optioned = diffRenderings(
      stack("standby", [
        resource(NODES_URN, "aws:eks/nodeGroup:NodeGroup", NODES(1), {
          replaceOnChanges: ["scalingConfig"],
          deleteBeforeReplace: true,
        }),
      ]),
      stack("active", [
        resource(NODES_URN, "aws:eks/nodeGroup:NodeGroup", NODES(3), {
          replaceOnChanges: ["scalingConfig"],
          deleteBeforeReplace: true,
        }),
      ]),
    );
    assert.deepStrictEqual(
      optioned.replaced.map((r) => [r.reason, r.dataStore]),
      [
        [
          "the replaceOnChanges option covers: scalingConfig.desiredSize (deleteBeforeReplace: the old one is deleted before the new one exists)",
          false,
        ],
      ],
    );
  });

  it("on this project: lists the steps, the mode change, and replaces or deletes no data store", async function () {
    this.timeout(300_000);
    // The same renderings `dryRun("dr")` makes (renderProject with and without the override), shared
    // with the other specs through the render cache.
    const result = dryRunFrom(
      "dr",
      await renderTestStack("dr"),
      await renderTestStack("dr", [ACTIVE_OVERRIDE]),
    );
    assert.deepStrictEqual(
      result.steps.map((s) => s.id),
      FAILOVER_PLAN.map((s) => s.id),
    );
    assert.deepStrictEqual(result.configChanges, { "payments-dr:mode": { from: "standby", to: "active" } });
    assert.deepStrictEqual(result.diff.replaced, []);
    assert.deepStrictEqual(result.diff.deleted, []);
    assert.deepStrictEqual(result.dataStoreViolations, []);
    // the promotion and the scale-up are on the failover's clock; the us-east-1 create waits
    const BACKUPS_URN =
      "urn:pulumi:dr::payments-dr::payments-dr:components:Database$aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication::database-backups-replication";
    assert.deepStrictEqual(result.stackUpdate, {
      peerRegions: ["us-east-1"],
      critical: [
        {
          urn: "urn:pulumi:dr::payments-dr::payments-dr:components:Database$aws:rds/instance:Instance::database-instance",
          type: "aws:rds/instance:Instance",
          change: "update",
          region: "us-west-2",
        },
        { urn: NODES_URN, type: "aws:eks/nodeGroup:NodeGroup", change: "update", region: "us-west-2" },
        // The reference service scales with the nodes, in the same targeted update.
        {
          urn: "urn:pulumi:dr::payments-dr::payments-dr:components:PaymentsWorkload$kubernetes:apps/v1:Deployment::payments-deployment",
          type: "kubernetes:apps/v1:Deployment",
          change: "update",
          region: "us-west-2",
        },
        {
          urn: "urn:pulumi:dr::payments-dr::payments-dr:components:PaymentsWorkload$kubernetes:autoscaling/v2:HorizontalPodAutoscaler::payments-hpa",
          type: "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
          change: "update",
          region: "us-west-2",
        },
      ],
      deferred: [
        {
          urn: BACKUPS_URN,
          type: "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication",
          change: "create",
          region: "us-east-1",
        },
      ],
      blocked: [],
    });
    assert.match(
      formatDryRun(result),
      /stack-reconcile \(non-critical, after verify\): 1 change\(s\) deferred to a full up\n {4}\+ .*::database-backups-replication \(us-east-1\)\n/,
    );
    const json = dryRunJson(result);
    assert.deepStrictEqual(Object.keys(json.diff as object), ["updated", "replaced", "deleted", "created"]);
    assert.deepStrictEqual(Object.keys(json.stackUpdate as object), [
      "peerRegions",
      "critical",
      "deferred",
      "blocked",
    ]);
    assert.ok(Array.isArray(json.steps) && "configChanges" in json);
  });

  it("on this project with the workload: scales the Deployment and its autoscaler in place, in the critical step", async function () {
    this.timeout(300_000);
    const image = `payments-dr:workload.image=111122223333.dkr.ecr.us-west-2.amazonaws.com/payments-api@sha256:${"a".repeat(64)}`;
    const result = dryRunFrom(
      "dr",
      await renderTestStack("dr", [image]),
      await renderTestStack("dr", [image, ACTIVE_OVERRIDE]),
    );
    assert.deepStrictEqual(result.diff.replaced, []);
    assert.deepStrictEqual(result.diff.deleted, []);
    const workload = result.diff.updated.filter((r) => r.type.startsWith("kubernetes:"));
    assert.deepStrictEqual(
      workload.map((r) => [r.urn.split("::").pop(), r.paths]),
      [
        ["payments-deployment", ["spec.replicas"]],
        ["payments-hpa", ["spec.minReplicas"]],
      ],
    );
    const critical = result.stackUpdate.critical.filter((r) => r.type.startsWith("kubernetes:"));
    assert.deepStrictEqual(
      critical.map((r) => [r.urn.split("::").pop(), r.change, r.region]),
      [
        ["payments-deployment", "update", "us-west-2"],
        ["payments-hpa", "update", "us-west-2"],
      ],
    );
    assert.deepStrictEqual(result.stackUpdate.blocked, []);
  });

  it("splits the changes by Region and fails an in-Region change that depends on a deferred create", () => {
    const peerBucket = "urn:pulumi:dr::payments-dr::aws:s3/bucket:Bucket::objects-app-replica";
    const config = { "payments-dr:peerRegion": "us-east-1" };
    const result = dryRunFrom(
      "dr",
      { ...stack("standby", [resource(NODES_URN, "aws:eks/nodeGroup:NodeGroup", NODES(1))]), config },
      {
        ...stack("active", [
          resource(NODES_URN, "aws:eks/nodeGroup:NodeGroup", NODES(3), { dependencies: [peerBucket] }),
          resource(peerBucket, "aws:s3/bucket:Bucket", { bucket: "r" }, { region: "us-east-1" }),
        ]),
        config,
      },
    );
    assert.deepStrictEqual(
      result.stackUpdate.critical.map((r) => [r.urn, r.change, r.region]),
      [[NODES_URN, "update", "us-west-2"]],
    );
    assert.deepStrictEqual(
      result.stackUpdate.deferred.map((r) => [r.urn, r.change, r.region]),
      [[peerBucket, "create", "us-east-1"]],
    );
    assert.deepStrictEqual(result.stackUpdate.blocked, [
      `${NODES_URN} depends on ${peerBucket}, which only stack-reconcile creates (in us-east-1): the targeted ` +
        "update of stack-activate would refuse it. Make the in-Region resource independent of the peer-Region " +
        "one, or create the peer-Region one before a failover.",
    ]);
    assert.match(formatDryRun(result), /\n {2}FAIL: stack-activate would be refused:\n/);
  });
});

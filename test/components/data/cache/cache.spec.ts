/**
 * ElastiCache Redis in both stacks: encryption with each Region's key, TLS, IAM-authenticated
 * RBAC, the Global Datastore (primary member on primary, secondary on dr) and its failover trap.
 */
import * as assert from "assert";
import { planStackViolations } from "../../../../tools/policy";
import {
  GLOBAL_DATASTORE_IGNORE_CHANGES,
  validateReplicaCount,
} from "../../../../components/data/cache/cache";
import { RenderedResource, RenderedStack } from "../../../../tools/render/render";
import { find, findAll, renderTestStack } from "../../../helpers/stacks";

const GROUP = "aws:elasticache/replicationGroup:ReplicationGroup";
const GLOBAL = "aws:elasticache/globalReplicationGroup:GlobalReplicationGroup";
const USER = "aws:elasticache/user:User";

const regionOfArn = (arn: unknown) => String(arn).split(":")[3];
const dataKey = (stack: RenderedStack) => (stack.outputs.keys as Record<string, string>).data;
const cacheResources = (stack: RenderedStack) => stack.resources.filter((r) => /::cache(-|$)/.test(r.urn));

describe("cache (ElastiCache Redis, Global Datastore)", () => {
  let primary: RenderedStack;
  let standby: RenderedStack;
  let active: RenderedStack;
  before(async function () {
    this.timeout(180_000);
    primary = await renderTestStack("primary");
    standby = await renderTestStack("dr");
    active = await renderTestStack("dr", ["payments-dr:mode=active"]);
  });

  describe("primary", () => {
    let group: RenderedResource;
    before(() => (group = find(primary, GROUP, "cache-replication-group")));

    it("encrypts at rest with the primary Region's data key and in transit with TLS required", () => {
      assert.deepStrictEqual(
        [
          group.inputs.atRestEncryptionEnabled,
          group.inputs.kmsKeyId,
          group.inputs.transitEncryptionEnabled,
          group.inputs.transitEncryptionMode,
        ],
        [true, dataKey(primary), true, "required"],
      );
      assert.strictEqual(regionOfArn(group.inputs.kmsKeyId), "us-east-1");
      assert.strictEqual(group.region, "us-east-1");
    });

    it("uses a non-burstable node type, automatic failover and Multi-AZ with a replica", () => {
      assert.deepStrictEqual(
        {
          engine: group.inputs.engine,
          engineVersion: group.inputs.engineVersion,
          nodeType: group.inputs.nodeType,
          numCacheClusters: group.inputs.numCacheClusters,
          automaticFailoverEnabled: group.inputs.automaticFailoverEnabled,
          multiAzEnabled: group.inputs.multiAzEnabled,
        },
        {
          engine: "redis",
          engineVersion: "7.1",
          nodeType: "cache.r7g.large",
          numCacheClusters: 2,
          automaticFailoverEnabled: true,
          multiAzEnabled: true,
        },
      );
      assert.strictEqual(group.protect, true);
    });

    it("authenticates through an RBAC user group: an IAM user for the app and a disabled default user, no secret", () => {
      const users = find(primary, "aws:elasticache/userGroup:UserGroup", "cache-users");
      assert.deepStrictEqual(group.inputs.userGroupIds, [users.inputs.userGroupId]);
      const app = find(primary, USER, "cache-app-user");
      const fallback = find(primary, USER, "cache-default-user");
      assert.deepStrictEqual(users.inputs.userIds, [fallback.inputs.userId, app.inputs.userId]);
      assert.deepStrictEqual(app.inputs.authenticationMode, { type: "iam" });
      assert.strictEqual(app.inputs.userId, app.inputs.userName);
      assert.deepStrictEqual(
        [fallback.inputs.userName, fallback.inputs.accessString],
        ["default", "off -@all"],
      );
      for (const resource of [group, app, fallback]) {
        assert.strictEqual(resource.inputs.authToken, undefined);
        assert.strictEqual(resource.inputs.passwords, undefined);
      }
    });

    it("owns the Global Datastore with its replication group as primary member", () => {
      const global = find(primary, GLOBAL, "cache-global");
      assert.strictEqual(global.inputs.primaryReplicationGroupId, group.outputs.replicationGroupId);
      assert.strictEqual(global.inputs.globalReplicationGroupIdSuffix, "payments-dr");
      assert.deepStrictEqual(primary.outputs.cache, {
        replicationGroupId: "payments-dr-primary",
        globalReplicationGroupId: "ldgnf-payments-dr",
        isPrimaryMember: true,
        presence: "source",
        generation: 0,
      });
      assert.strictEqual(global.protect, true);
    });

    it("keeps the Global Datastore after a failover: the reported primary member is ignored, not replaced", () => {
      const global = find(primary, GLOBAL, "cache-global");
      assert.deepStrictEqual(global.ignoreChanges, ["primaryReplicationGroupId"]);
      assert.deepStrictEqual(GLOBAL_DATASTORE_IGNORE_CHANGES, ["primaryReplicationGroupId"]);
    });
  });

  describe("dr", () => {
    let secondary: RenderedResource;
    before(() => (secondary = find(standby, GROUP, "cache-replication-group")));

    it("joins the primary's Global Datastore as a secondary", () => {
      assert.strictEqual(
        secondary.inputs.globalReplicationGroupId,
        (primary.outputs.cache as { globalReplicationGroupId: string }).globalReplicationGroupId,
      );
      assert.deepStrictEqual(findAll(standby, GLOBAL), []);
      assert.strictEqual((standby.outputs.cache as { isPrimaryMember: boolean }).isPrimaryMember, false);
    });

    it("keeps its membership through an ungraceful failover that detaches it, instead of being replaced", () => {
      // globalReplicationGroupId forces replacement in the provider (automation/stack/replaceRules.ts).
      assert.deepStrictEqual(secondary.ignoreChanges, ["globalReplicationGroupId"]);
      assert.deepStrictEqual(find(primary, GROUP, "cache-replication-group").ignoreChanges, []);
      assert.deepStrictEqual(find(active, GROUP, "cache-replication-group").ignoreChanges, [
        "globalReplicationGroupId",
      ]);
    });

    it("encrypts the secondary with the dr Region's data key", () => {
      assert.strictEqual(secondary.inputs.kmsKeyId, dataKey(standby));
      assert.strictEqual(regionOfArn(secondary.inputs.kmsKeyId), "us-west-2");
      assert.strictEqual(secondary.region, "us-west-2");
    });

    it("leaves at-rest and in-transit encryption to the Global Datastore (the provider rejects them next to its id)", () => {
      // ConflictsWith of global_replication_group_id in the provider's schema.
      for (const rendered of [standby, active]) {
        const group = find(rendered, GROUP, "cache-replication-group");
        for (const key of ["atRestEncryptionEnabled", "transitEncryptionEnabled", "transitEncryptionMode"])
          assert.ok(!(key in group.inputs), `${key} must not be set on a secondary (${rendered.stack})`);
      }
    });

    it("is still proven encrypted at rest and in transit by the policy pack, through its Global Datastore", () => {
      for (const rendered of [standby, active]) {
        const group = find(rendered, GROUP, "cache-replication-group");
        const violations = planStackViolations(rendered).filter((v) => v.urn === group.urn);
        assert.deepStrictEqual(violations, [], rendered.stack);
      }
    });

    it("does not set what a secondary inherits from the Global Datastore", () => {
      for (const key of [
        "engine",
        "engineVersion",
        "nodeType",
        "numNodeGroups",
        "parameterGroupName",
        "authToken",
      ]) {
        assert.strictEqual(secondary.inputs[key], undefined, `${key} must not be set on a secondary`);
      }
    });

    it("is not touched by failover: every cache resource is identical in standby and active", () => {
      const byUrn = (stack: RenderedStack) =>
        Object.fromEntries(
          cacheResources(stack).map((r) => [r.urn, { inputs: r.inputs, ignoreChanges: r.ignoreChanges }]),
        );
      assert.deepStrictEqual(byUrn(active), byUrn(standby));
    });
  });

  it("refuses a group without a replica (automatic failover and Multi-AZ need one)", () => {
    assert.throws(
      () => validateReplicaCount(0),
      /payments-dr:cache\.replicasPerNodeGroup = 0: expected an integer from 1 to 5.*Fix:/,
    );
    assert.strictEqual(validateReplicaCount(2), 2);
  });
});

import * as assert from "assert";
import type { EngineEvent, OpType } from "@pulumi/pulumi/automation";
import {
  ChangeCollector,
  describeChange,
  effectiveRegion,
  splitByRegion,
  UNKNOWN_VALUE,
} from "../../automation/stack/stackChanges";

const P = "urn:pulumi:dr::payments-dr::";
const DEFAULT_PROVIDER = `${P}pulumi:providers:aws::default_7_48_0`;
const PEER_PROVIDER = `${P}pulumi:providers:aws::peer`;

let sequence = 0;
function step(
  op: OpType,
  urn: string,
  type: string,
  inputs: Record<string, unknown>,
  extra: { provider?: string; parent?: string; custom?: boolean } = {},
): EngineEvent {
  const state = {
    urn,
    type,
    custom: extra.custom ?? true,
    id: "",
    parent: extra.parent ?? "",
    provider: extra.provider ? `${extra.provider}::4d2c1b0a-0000-4000-8000-000000000001` : "",
    inputs,
    outputs: {},
  };
  return {
    sequence: sequence++,
    timestamp: 1_748_772_000,
    resourcePreEvent: {
      metadata: {
        op,
        urn,
        type,
        ...(op === "delete" ? { old: state } : { new: state }),
        provider: state.provider,
      },
      planning: true,
    },
  };
}

function collect(events: EngineEvent[]) {
  const collector = new ChangeCollector();
  collector.onEvent({ sequence: -1, timestamp: 0, preludeEvent: { config: { "aws:region": "us-west-2" } } });
  events.forEach(collector.onEvent);
  return collector;
}

describe("failover stack changes by Region", () => {
  it("places a resource by its region input, else its provider's, else the stack's aws:region", () => {
    const collector = collect([
      step("same", `${P}pulumi:pulumi:Stack::payments-dr-dr`, "pulumi:pulumi:Stack", {}, { custom: false }),
      step("same", DEFAULT_PROVIDER, "pulumi:providers:aws", { region: "us-west-2" }),
      step("same", PEER_PROVIDER, "pulumi:providers:aws", { region: "us-east-1" }),
      step(
        "update",
        `${P}aws:rds/instance:Instance::db`,
        "aws:rds/instance:Instance",
        {},
        { provider: DEFAULT_PROVIDER },
      ),
      step(
        "create",
        `${P}aws:s3/bucket:Bucket::replica`,
        "aws:s3/bucket:Bucket",
        {},
        { provider: PEER_PROVIDER },
      ),
      step(
        "create",
        `${P}aws:sqs/queue:Queue::q`,
        "aws:sqs/queue:Queue",
        { region: "us-east-1" },
        { provider: DEFAULT_PROVIDER },
      ),
      step("update", `${P}aws:iam/role:Role::runner`, "aws:iam/role:Role", {}, { provider: PEER_PROVIDER }),
      step(
        "create",
        `${P}payments-dr:components:Eks::eks`,
        "payments-dr:components:Eks",
        {},
        { custom: false },
      ),
      step("same", `${P}aws:kms/key:Key::peer`, "aws:kms/key:Key", { region: "us-east-1" }),
    ]);
    assert.strictEqual(collector.stackUrn, `${P}pulumi:pulumi:Stack::payments-dr-dr`);
    assert.deepStrictEqual(
      collector.changes("us-west-2").map((c) => [c.urn.split("::").pop(), c.region]),
      [
        ["db", "us-west-2"],
        ["replica", "us-east-1"],
        ["q", "us-east-1"],
        ["runner", null],
        ["eks", null],
      ],
    );
  });

  it("defers peer-Region changes, changes whose Region is unknown until apply, and their children", () => {
    const collector = collect([
      step("update", `${P}aws:eks/nodeGroup:NodeGroup::nodes`, "aws:eks/nodeGroup:NodeGroup", {}),
      step("create", `${P}aws:backup/vault:Vault::copy`, "aws:backup/vault:Vault", { region: UNKNOWN_VALUE }),
      step("create", `${P}aws:s3/bucket:Bucket::replica`, "aws:s3/bucket:Bucket", { region: "us-east-1" }),
      step(
        "create",
        `${P}aws:s3/bucketPolicy:BucketPolicy::child`,
        "aws:s3/bucketPolicy:BucketPolicy",
        {},
        {
          parent: `${P}aws:s3/bucket:Bucket::replica`,
        },
      ),
      step("update", `${P}aws:route53/record:Record::secondary`, "aws:route53/record:Record", {}),
    ]);
    const split = splitByRegion(collector.changes("us-west-2"), ["us-east-1"]);
    assert.deepStrictEqual(
      split.critical.map((c) => c.urn.split("::").pop()),
      ["nodes", "secondary"],
    );
    assert.deepStrictEqual(split.deferred.map(describeChange), [
      "copy (create, unknown)",
      "replica (create, us-east-1)",
      "child (create, us-west-2)",
    ]);
  });

  it("lists a replacement once with all its operations, a deletion by its old state, and no unchanged step", () => {
    const urn = `${P}aws:sqs/queue:Queue::q`;
    const collector = collect([
      step("create-replacement", urn, "aws:sqs/queue:Queue", { region: "us-east-1" }),
      step("replace", urn, "aws:sqs/queue:Queue", { region: "us-east-1" }),
      step("delete-replaced", urn, "aws:sqs/queue:Queue", { region: "us-east-1" }),
      step("delete", `${P}aws:sns/topic:Topic::old`, "aws:sns/topic:Topic", { region: "us-east-1" }),
      step("same", `${P}aws:sns/topic:Topic::kept`, "aws:sns/topic:Topic", {}),
      step("read", `${P}aws:ec2/vpc:Vpc::looked-up`, "aws:ec2/vpc:Vpc", { region: "us-east-1" }),
    ]);
    assert.deepStrictEqual(collector.changes("us-west-2").map(describeChange), [
      "q (create-replacement/replace/delete-replaced, us-east-1)",
      "old (delete, us-east-1)",
    ]);
  });

  it("falls back to the given Region when the engine sent no prelude, and places no component", () => {
    assert.strictEqual(effectiveRegion("aws:sqs/queue:Queue", true, {}, undefined, "us-west-2"), "us-west-2");
    assert.strictEqual(
      effectiveRegion("pulumi:providers:aws", true, {}, undefined, "us-west-2"),
      "us-west-2",
    );
    assert.strictEqual(
      effectiveRegion("payments-dr:components:Database", false, {}, undefined, "us-west-2"),
      null,
    );
    assert.strictEqual(
      effectiveRegion("pulumi:pulumi:StackReference", true, {}, undefined, "us-west-2"),
      null,
    );
    const bare = new ChangeCollector();
    bare.onEvent(step("update", `${P}aws:sqs/queue:Queue::q`, "aws:sqs/queue:Queue", {}));
    assert.strictEqual(bare.changes("eu-west-1")[0].region, "eu-west-1");
  });
});

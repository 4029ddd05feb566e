/**
 * Default-deny: every resource type of the installed @pulumi/aws is classified, and a data store the
 * pack cannot judge is refused unless the policy config exempts it with a reason.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { classify, UNJUDGED_STORE_TYPES } from "../../policies/inventory/storeTypes";
import { messages, resource } from "./fixtures";

const RULE = "aws-datastore-type-judged";

/** Every `__pulumiType` the installed @pulumi/aws registers. */
function installedAwsTypes(): string[] {
  const root = path.dirname(require.resolve("@pulumi/aws/package.json"));
  const types = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith(".js"))
        for (const m of fs.readFileSync(full, "utf8").matchAll(/__pulumiType = '(aws:[^']+)'/g))
          types.add(m[1]);
    }
  };
  walk(root);
  return [...types].sort();
}

describe("data store types (default deny)", () => {
  const installed = installedAwsTypes();

  it("classifies every resource type of the installed @pulumi/aws", () => {
    assert.ok(installed.length > 1500, `found only ${installed.length} types`);
    assert.deepStrictEqual(
      installed.filter((t) => classify(t) === "unclassified"),
      [],
      "classify each new type: judge it, add it to UNJUDGED_STORE_TYPES, or to nonStoreTypes.json",
    );
  });

  it("lists no type the provider does not have", () => {
    const listed = [
      ...Object.keys(UNJUDGED_STORE_TYPES),
      ...(JSON.parse(
        fs.readFileSync(path.resolve(__dirname, "../../policies/inventory/nonStoreTypes.json"), "utf8"),
      ) as string[]),
    ];
    const known = new Set(installed);
    assert.deepStrictEqual(
      listed.filter((t) => !known.has(t)),
      [],
    );
  });

  const deny = (name: string, type: string, why: string) =>
    `cannot judge this data store type: ${name} (${type}) is ${why}, and no rule of this pack proves its encryption and its copy in another Region. ` +
    `Expected a type the pack judges, or "exemptions": { "${type}": "<why it is acceptable>" } under aws-datastore-type-judged in the policy config.`;

  it("refuses a store of a type the pack cannot judge", () =>
    assert.deepStrictEqual(
      messages([resource("aws:memorydb/cluster:Cluster", "mem", { aclName: "open-access" })], RULE),
      [deny("mem", "aws:memorydb/cluster:Cluster", "a MemoryDB cluster")],
    ));

  it("accepts it when the policy config exempts its type with a reason", () =>
    assert.deepStrictEqual(
      messages([resource("aws:memorydb/cluster:Cluster", "mem", {})], RULE, {
        [RULE]: { exemptions: { "aws:memorydb/cluster:Cluster": "session cache, rebuilt from the ledger" } },
      }),
      [],
    ));

  it("refuses aws-native data stores and unclassified aws types", () =>
    assert.deepStrictEqual(
      messages(
        [
          resource("aws-native:memorydb:Cluster", "native", {}),
          resource("aws-native:iam:Role", "role", {}),
          resource("aws:newservice/vault:Vault", "new", {}),
        ],
        RULE,
      ),
      [
        deny("native", "aws-native:memorydb:Cluster", "an aws-native data store"),
        deny(
          "new",
          "aws:newservice/vault:Vault",
          "a resource type this pack has not classified (holding data or not)",
        ),
      ],
    ));

  it("refuses a CloudFormation stack that declares a store, or whose template it cannot read", () =>
    assert.deepStrictEqual(
      messages(
        [
          resource("aws:cloudformation/stack:Stack", "db", {
            templateBody: JSON.stringify({ Resources: { Db: { Type: "AWS::RDS::DBInstance" } } }),
          }),
          resource("aws:cloudformation/stack:Stack", "remote", { templateUrl: "https://example.com/t.json" }),
          resource("aws:cloudformation/stack:Stack", "topic-only", {
            templateBody: JSON.stringify({ Resources: { R: { Type: "AWS::IAM::Role" } } }),
          }),
        ],
        RULE,
      ),
      [
        deny("db", "aws:cloudformation/stack:Stack", "a CloudFormation stack declaring AWS::RDS resources"),
        deny(
          "remote",
          "aws:cloudformation/stack:Stack",
          "a CloudFormation stack whose template (templateUrl) the pack cannot read",
        ),
      ],
    ));

  it("refuses an SNS FIFO topic with a message archive and a Kinesis stream kept past 24 hours", () =>
    assert.deepStrictEqual(
      messages(
        [
          resource("aws:sns/topic:Topic", "fifo", {
            fifoTopic: true,
            archivePolicy: JSON.stringify({ MessageRetentionPeriod: "30" }),
          }),
          resource("aws:sns/topic:Topic", "plain", { fifoTopic: true }),
          resource("aws:kinesis/stream:Stream", "long", { retentionPeriod: 168 }),
          resource("aws:kinesis/stream:Stream", "short", { retentionPeriod: 24 }),
        ],
        RULE,
      ),
      [
        deny(
          "fifo",
          "aws:sns/topic:Topic",
          "an SNS FIFO topic with a message archive (archivePolicy keeps messages for up to 365 days)",
        ),
        deny(
          "long",
          "aws:kinesis/stream:Stream",
          "a Kinesis stream keeping records for 168 hours (a store, not a transient buffer)",
        ),
      ],
    ));

  it("judges EBS block devices declared inline on launch templates and instances", () => {
    const lt = "ec2-launch-template-block-device-encryption-at-rest";
    assert.deepStrictEqual(messages([resource("aws:ec2/launchTemplate:LaunchTemplate", "lt", {})], lt), [
      "EC2 launch template block device is not encrypted at rest: expected blockDeviceMappings declaring the root volume with encrypted: true, found no blockDeviceMappings (the root volume then follows the AMI and the account default, which the pack cannot see). Unencrypted storage exposes payment data through snapshots, replicas and retired media.",
    ]);
    assert.deepStrictEqual(
      messages(
        [
          resource("aws:ec2/instance:Instance", "vm", {
            rootBlockDevice: { encrypted: true, kmsKeyId: "arn:aws:kms:us-east-1:111122223333:key/k" },
            ebsBlockDevices: [{ deviceName: "/dev/sdb", encrypted: false }],
          }),
        ],
        "ec2-instance-block-device-encryption-at-rest",
      ),
      [
        "EC2 instance block device is not encrypted at rest: expected ebsBlockDevices[0].encrypted: true, found ebsBlockDevices[0].encrypted: false. Unencrypted storage exposes payment data through snapshots, replicas and retired media.",
      ],
    );
  });
});

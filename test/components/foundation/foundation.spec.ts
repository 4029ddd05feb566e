import * as assert from "assert";
import { KEY_PURPOSES, PEER_KEY_PURPOSES } from "../../../components/foundation/keys";
import { find, findAll, renderTestStack } from "../../helpers/stacks";

describe("foundation: keys and network", () => {
  it("renders both stacks with their role, mode and Region as outputs", async () => {
    const primary = await renderTestStack("primary");
    const dr = await renderTestStack("dr");
    assert.deepStrictEqual(
      [primary.outputs.role, primary.outputs.mode, primary.outputs.region, primary.outputs.peerRegion],
      ["primary", "active", "us-east-1", "us-west-2"],
    );
    assert.deepStrictEqual(
      [dr.outputs.role, dr.outputs.mode, dr.outputs.region, dr.outputs.peerRegion],
      ["dr", "standby", "us-west-2", "us-east-1"],
    );
  });

  it("places every dr resource in the dr Region unless it explicitly targets the primary Region", async () => {
    const dr = await renderTestStack("dr");
    const misplaced = dr.resources
      .filter((r) => r.region !== null && r.region !== "us-west-2")
      .filter((r) => r.inputs.region !== "us-east-1")
      .map((r) => `${r.urn} in ${r.region}`);
    assert.deepStrictEqual(misplaced, []);
  });

  it("places every primary resource in the primary Region unless it explicitly targets the dr Region", async () => {
    const primary = await renderTestStack("primary");
    const misplaced = primary.resources
      .filter((r) => r.region !== null && r.region !== "us-east-1")
      .filter((r) => r.inputs.region !== "us-west-2")
      .map((r) => `${r.urn} in ${r.region}`);
    assert.deepStrictEqual(misplaced, []);
  });

  it("creates a rotating multi-Region primary key per purpose in the primary Region", async () => {
    const primary = await renderTestStack("primary");
    for (const purpose of KEY_PURPOSES) {
      const key = find(primary, "aws:kms/key:Key", `keys-${purpose}`);
      assert.strictEqual(key.region, "us-east-1");
      assert.deepStrictEqual(
        {
          multiRegion: key.inputs.multiRegion,
          enableKeyRotation: key.inputs.enableKeyRotation,
          rotationPeriodInDays: key.inputs.rotationPeriodInDays,
          deletionWindowInDays: key.inputs.deletionWindowInDays,
        },
        { multiRegion: true, enableKeyRotation: true, rotationPeriodInDays: 365, deletionWindowInDays: 30 },
      );
      assert.match(String(key.outputs.arn), /^arn:aws:kms:us-east-1:111122223333:key\/mrk-[0-9a-f]{32}$/);
    }
    assert.strictEqual(findAll(primary, "aws:kms/replicaKey:ReplicaKey").length, 0);
  });

  it("replicates each primary key into the dr Region, pointing at the primary stack's key", async () => {
    const primary = await renderTestStack("primary");
    const dr = await renderTestStack("dr");
    const primaryKeys = primary.outputs.keys as Record<string, string>;
    for (const purpose of KEY_PURPOSES) {
      const replica = find(dr, "aws:kms/replicaKey:ReplicaKey", `keys-${purpose}`);
      const primaryKey = find(primary, "aws:kms/key:Key", `keys-${purpose}`);
      assert.strictEqual(replica.inputs.primaryKeyArn, primaryKey.outputs.arn);
      assert.strictEqual(replica.inputs.primaryKeyArn, primaryKeys[purpose]);
      assert.strictEqual(replica.region, "us-west-2");
      // Same multi-Region key id, other Region.
      assert.strictEqual(
        replica.outputs.arn,
        String(primaryKey.outputs.arn).replace("us-east-1", "us-west-2"),
      );
    }
    assert.strictEqual(findAll(dr, "aws:kms/key:Key").filter((k) => k.region === "us-west-2").length, 0);
  });

  it("protects every key, replica key and peer key: deleting one makes its data unreadable", async () => {
    for (const stack of ["primary", "dr"]) {
      const rendered = await renderTestStack(stack);
      const keys = rendered.resources.filter(
        (r) => r.type.startsWith("aws:kms/") && r.type !== "aws:kms/alias:Alias",
      );
      assert.strictEqual(keys.length, 8);
      assert.deepStrictEqual(
        keys.filter((k) => !k.protect).map((k) => k.name),
        [],
      );
    }
    const unprotected = await renderTestStack("dr", ["payments-dr:protectStatefulResources=false"]);
    assert.ok(
      unprotected.resources
        .filter((r) => r.type === "aws:kms/replicaKey:ReplicaKey")
        .every((k) => !k.protect),
    );
  });

  it("owns single-Region keys in the peer Region for its own cross-Region copies", async () => {
    for (const [stack, peer] of [
      ["primary", "us-west-2"],
      ["dr", "us-east-1"],
    ] as const) {
      const rendered = await renderTestStack(stack);
      for (const purpose of PEER_KEY_PURPOSES) {
        const key = find(rendered, "aws:kms/key:Key", `keys-${purpose}-peer`);
        assert.deepStrictEqual(
          [key.inputs.region, key.region, key.inputs.multiRegion, key.inputs.enableKeyRotation],
          [peer, peer, undefined, true],
        );
        assert.strictEqual((rendered.outputs.peerKeys as Record<string, string>)[purpose], key.outputs.arn);
      }
    }
  });

  it("lets Auto Scaling's service-linked role use the cluster key without naming it as a principal", async () => {
    // KMS rejects a key policy naming a principal that does not exist yet (a fresh account has no
    // AWSServiceRoleForAutoScaling before its first Auto Scaling group): the role is a condition.
    const slr =
      "arn:aws:iam::111122223333:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling";
    for (const [stack, type] of [
      ["primary", "aws:kms/key:Key"],
      ["dr", "aws:kms/replicaKey:ReplicaKey"],
    ] as const) {
      const rendered = await renderTestStack(stack);
      const policy = JSON.parse(String(find(rendered, type, "keys-cluster").inputs.policy));
      const asTheRole = {
        StringEquals: { "kms:CallerAccount": "111122223333" },
        ArnEquals: { "aws:PrincipalArn": slr },
      };
      assert.deepStrictEqual(policy.Statement, [
        {
          Sid: "AccountAdministersKeyThroughIam",
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::111122223333:root" },
          Action: "kms:*",
          Resource: "*",
        },
        {
          Sid: "AutoScalingUsesKeyForNodeVolumes",
          Effect: "Allow",
          Principal: { AWS: "*" },
          Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
          Resource: "*",
          Condition: asTheRole,
        },
        {
          Sid: "AutoScalingGrantsKeyToEc2",
          Effect: "Allow",
          Principal: { AWS: "*" },
          Action: "kms:CreateGrant",
          Resource: "*",
          Condition: { ...asTheRole, Bool: { "kms:GrantIsForAWSResource": true } },
        },
      ]);
      // No statement anywhere names the service-linked role (or any role) as its principal.
      for (const key of [
        ...findAll(rendered, "aws:kms/key:Key"),
        ...findAll(rendered, "aws:kms/replicaKey:ReplicaKey"),
      ])
        assert.doesNotMatch(
          JSON.stringify(
            JSON.parse(String(key.inputs.policy)).Statement.map((s: { Principal: unknown }) => s.Principal),
          ),
          /:role\//,
          key.urn,
        );
    }
    const data = JSON.parse(
      String(find(await renderTestStack("primary"), "aws:kms/key:Key", "keys-data").inputs.policy),
    );
    assert.strictEqual(data.Statement.length, 1);
  });

  it("admits CloudWatch Logs to the messaging key under the documented log-group encryption context", async () => {
    for (const [stack, type, region] of [
      ["primary", "aws:kms/key:Key", "us-east-1"],
      ["dr", "aws:kms/replicaKey:ReplicaKey", "us-west-2"],
    ] as const) {
      const policy = JSON.parse(
        String(find(await renderTestStack(stack), type, "keys-messaging").inputs.policy),
      );
      assert.deepStrictEqual(
        policy.Statement.map((s: { Sid: string; Principal: unknown; Condition: unknown }) => [
          s.Sid,
          s.Principal,
          s.Condition,
        ]),
        [
          ["AccountAdministersKeyThroughIam", { AWS: "arn:aws:iam::111122223333:root" }, undefined],
          [
            "ServicesPublishEncryptedMessages",
            {
              Service: [
                "cloudwatch.amazonaws.com",
                "sns.amazonaws.com",
                "s3.amazonaws.com",
                "events.amazonaws.com",
              ],
            },
            { StringEquals: { "aws:SourceAccount": "111122223333" } },
          ],
          [
            "CloudWatchLogsEncryptsLogGroups",
            { Service: `logs.${region}.amazonaws.com` },
            { ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:${region}:111122223333:*` } },
          ],
        ],
      );
    }
  });

  it("builds one VPC per stack across three Availability Zones with a NAT gateway per zone", async () => {
    for (const [stack, cidr] of [
      ["primary", "10.10.0.0/16"],
      ["dr", "10.20.0.0/16"],
    ] as const) {
      const rendered = await renderTestStack(stack);
      const vpc = find(rendered, "awsx:ec2:Vpc", "network-vpc");
      assert.deepStrictEqual(
        {
          cidrBlock: vpc.inputs.cidrBlock,
          numberOfAvailabilityZones: vpc.inputs.numberOfAvailabilityZones,
          natGateways: vpc.inputs.natGateways,
          subnetSpecs: vpc.inputs.subnetSpecs,
        },
        {
          cidrBlock: cidr,
          numberOfAvailabilityZones: 3,
          natGateways: { strategy: "OnePerAz" },
          subnetSpecs: [
            { type: "Private", cidrMask: 20 },
            { type: "Public", cidrMask: 22 },
          ],
        },
      );
      const network = rendered.outputs.network as { privateSubnetIds: string[] };
      assert.strictEqual(network.privateSubnetIds.length, 3);
    }
  });

  it("re-exports on dr exactly what the failover controller reads of the primary stack", async () => {
    const primary = await renderTestStack("primary");
    const dr = await renderTestStack("dr");
    const p = primary.outputs as Record<string, Record<string, unknown>>;
    assert.deepStrictEqual(dr.outputs.primary, {
      region: "us-east-1",
      controlHealthCheckId: p.dns.controlHealthCheckId,
      endpointUrl: p.ingress.endpointUrl,
      cacheReplicationGroupId: p.cache.replicationGroupId,
      databaseInstanceIdentifier: p.database.instanceIdentifier,
      // A backup-restore failover restores from the primary's copies in the dr Region.
      copyVaultArn: p.backup.copyVaultArn,
      cacheSnapshotReplicaBucketName: (p.objects.replicaBuckets as Record<string, string>).cacheSnapshots,
    });
    assert.strictEqual(primary.outputs.primary, undefined);
    for (const value of Object.values(dr.outputs.primary as Record<string, unknown>)) {
      assert.ok(typeof value === "string" && value !== "", `empty primary view value ${String(value)}`);
    }
  });

  it("tags resources with the stack, its role and the configured tags", async () => {
    const dr = await renderTestStack("dr");
    assert.deepStrictEqual(find(dr, "aws:kms/replicaKey:ReplicaKey", "keys-data").inputs.tags, {
      app: "payments",
      "payments-dr:stack": "dr",
      "payments-dr:role": "dr",
      "cost-center": "payments-platform",
    });
  });
});

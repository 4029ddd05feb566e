import * as assert from "assert";
import { AUDIT_LOG_TYPES, clusterIdentifierFor } from "../../../components/data/warehouse";
import { find, findAll, renderTestStack } from "../../helpers/stacks";

const STACKS = [
  { stack: "primary", region: "us-east-1", peer: "us-west-2", cidr: "10.10.0.0/16" },
  { stack: "dr", region: "us-west-2", peer: "us-east-1", cidr: "10.20.0.0/16" },
] as const;

const regionOf = (arn: unknown) => String(arn).split(":")[3];

describe("warehouse: Redshift clusters in both Regions", () => {
  it("derives a valid cluster identifier per stack and refuses one Redshift would reject", () => {
    assert.strictEqual(clusterIdentifierFor("payments-dr", "primary"), "payments-dr-primary");
    assert.strictEqual(clusterIdentifierFor("payments-dr", "DR_west"), "payments-dr-dr-west");
    assert.throws(
      () => clusterIdentifierFor("payments-dr", "x".repeat(60)),
      /Cannot derive a Redshift cluster identifier.*Fix: use a shorter stack name/,
    );
  });

  for (const { stack, region, peer, cidr } of STACKS) {
    describe(`${stack} stack`, () => {
      // Rendering (cached per stack) is the slow part; give it room once, not in every test.
      before(async function () {
        this.timeout(180_000);
        await renderTestStack(stack);
      });

      it("encrypts the cluster with the stack's data key, keeps it private and lets Redshift manage the master password", async () => {
        const rendered = await renderTestStack(stack);
        const keys = rendered.outputs.keys as Record<string, string>;
        const cluster = find(rendered, "aws:redshift/cluster:Cluster", "warehouse-cluster");
        const i = cluster.inputs;
        assert.deepStrictEqual(
          {
            clusterIdentifier: i.clusterIdentifier,
            encrypted: i.encrypted,
            kmsKeyId: i.kmsKeyId,
            publiclyAccessible: i.publiclyAccessible,
            enhancedVpcRouting: i.enhancedVpcRouting,
            manageMasterPassword: i.manageMasterPassword,
            masterPassword: i.masterPassword,
            masterPasswordSecretKmsKeyId: i.masterPasswordSecretKmsKeyId,
            automatedSnapshotRetentionPeriod: i.automatedSnapshotRetentionPeriod,
            skipFinalSnapshot: i.skipFinalSnapshot,
            databaseName: i.databaseName,
            region: i.region,
          },
          {
            clusterIdentifier: `payments-dr-${stack}`,
            encrypted: "true",
            kmsKeyId: keys.data,
            publiclyAccessible: false,
            enhancedVpcRouting: true,
            manageMasterPassword: true,
            masterPassword: undefined,
            masterPasswordSecretKmsKeyId: keys.data,
            automatedSnapshotRetentionPeriod: 7,
            skipFinalSnapshot: false,
            databaseName: "payments",
            region,
          },
        );
        assert.strictEqual(regionOf(i.kmsKeyId), region);
        assert.strictEqual(cluster.protect, true);
      });

      it("requires TLS and logs user activity through the cluster's parameter group", async () => {
        const rendered = await renderTestStack(stack);
        const cluster = find(rendered, "aws:redshift/cluster:Cluster", "warehouse-cluster");
        const parameters = find(
          rendered,
          "aws:redshift/parameterGroup:ParameterGroup",
          "warehouse-parameters",
        );
        assert.strictEqual(cluster.inputs.clusterParameterGroupName, parameters.outputs.name);
        assert.deepStrictEqual(parameters.inputs.parameters, [
          { name: "require_ssl", value: "true" },
          { name: "enable_user_activity_logging", value: "true" },
        ]);
      });

      it("places the cluster in the private subnets behind a security group open to the VPC only", async () => {
        const rendered = await renderTestStack(stack);
        const network = rendered.outputs.network as { privateSubnetIds: string[] };
        const cluster = find(rendered, "aws:redshift/cluster:Cluster", "warehouse-cluster");
        const subnets = find(rendered, "aws:redshift/subnetGroup:SubnetGroup", "warehouse-subnets");
        assert.strictEqual(cluster.inputs.clusterSubnetGroupName, subnets.outputs.name);
        assert.deepStrictEqual(subnets.inputs.subnetIds, network.privateSubnetIds);
        const sg = find(rendered, "aws:ec2/securityGroup:SecurityGroup", "warehouse-security-group");
        const [sgId] = cluster.inputs.vpcSecurityGroupIds as string[];
        assert.match(sgId, /^sg-[0-9a-f]{17}$/);
        assert.strictEqual(sg.outputs.arn, `arn:aws:ec2:${region}:111122223333:security-group/${sgId}`);
        assert.strictEqual((cluster.inputs.vpcSecurityGroupIds as string[]).length, 1);
        const ingress = sg.inputs.ingress as Record<string, unknown>[];
        assert.deepStrictEqual(
          ingress.map((r) => [r.protocol, r.fromPort, r.toPort, r.cidrBlocks]),
          [["tcp", 5439, 5439, [cidr]]],
        );
      });

      it("exports audit logs to CloudWatch log groups encrypted with the stack's messaging key", async () => {
        const rendered = await renderTestStack(stack);
        const keys = rendered.outputs.keys as Record<string, string>;
        const logging = find(rendered, "aws:redshift/logging:Logging", "warehouse-audit-logging");
        assert.deepStrictEqual(logging.inputs, {
          clusterIdentifier: `payments-dr-${stack}`,
          logDestinationType: "cloudwatch",
          logExports: [...AUDIT_LOG_TYPES],
          region,
        });
        for (const logType of AUDIT_LOG_TYPES) {
          const group = find(rendered, "aws:cloudwatch/logGroup:LogGroup", `warehouse-audit-${logType}`);
          assert.deepStrictEqual(
            [group.inputs.name, group.inputs.kmsKeyId, group.region, group.inputs.retentionInDays],
            [`/aws/redshift/cluster/payments-dr-${stack}/${logType}`, keys.messaging, region, 365],
          );
          assert.ok(
            logging.dependencies.includes(group.urn),
            "log groups exist before Redshift writes to them",
          );
        }
      });

      it("copies snapshots to the peer Region under a grant declared there with the peer Region's data key", async () => {
        const rendered = await renderTestStack(stack);
        const peerKeys = rendered.outputs.peerKeys as Record<string, string>;
        const grant = find(
          rendered,
          "aws:redshift/snapshotCopyGrant:SnapshotCopyGrant",
          "warehouse-copy-grant",
        );
        const copy = find(rendered, "aws:redshift/snapshotCopy:SnapshotCopy", "warehouse-snapshot-copy");
        assert.deepStrictEqual(
          [grant.region, grant.inputs.kmsKeyId, grant.inputs.snapshotCopyGrantName],
          [peer, peerKeys.data, `payments-dr-${stack}-to-${peer}`],
        );
        assert.strictEqual(regionOf(grant.inputs.kmsKeyId), peer);
        assert.deepStrictEqual(copy.inputs, {
          clusterIdentifier: `payments-dr-${stack}`,
          destinationRegion: peer,
          retentionPeriod: 7,
          snapshotCopyGrantName: `payments-dr-${stack}-to-${peer}`,
          region,
        });
        assert.strictEqual(findAll(rendered, "aws:redshift/snapshotCopy:SnapshotCopy").length, 1);
      });

      it("publishes the cluster's identifier, ARN and database name", async () => {
        const rendered = await renderTestStack(stack);
        const cluster = find(rendered, "aws:redshift/cluster:Cluster", "warehouse-cluster");
        assert.deepStrictEqual(rendered.outputs.warehouse, {
          clusterIdentifier: `payments-dr-${stack}`,
          clusterArn: cluster.outputs.arn,
          databaseName: "payments",
        });
        assert.strictEqual(
          cluster.outputs.arn,
          `arn:aws:redshift:${region}:111122223333:cluster:payments-dr-${stack}`,
        );
      });
    });
  }
});

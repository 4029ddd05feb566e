/**
 * OpenSearch in both stacks: encryption with each Region's key, HTTPS/TLS 1.2, fine-grained access
 * control mastered by the search admin function's role, VPC placement over three zones, the REST
 * resources that function manages from inside the VPC (role mappings, snapshot repository, follow
 * rule), and on dr the cross-cluster replication follower (connection, acceptance in the leader's
 * Region, follow rule).
 */
import * as assert from "assert";
import { planStackViolations } from "../../../../tools/policy";
import { validateSearchTopology } from "../../../../components/data/search/search";
import { RenderedResource, RenderedStack } from "../../../../tools/render/render";
import { find, findAll, renderTestStack } from "../../../helpers/stacks";

const DOMAIN = "aws:opensearch/domain:Domain";
const OUTBOUND = "aws:opensearch/outboundConnection:OutboundConnection";
const ACCEPTER = "aws:opensearch/inboundConnectionAccepter:InboundConnectionAccepter";
const INVOCATION = "aws:lambda/invocation:Invocation";
const ROLE = "aws:iam/role:Role";

const regionOfArn = (arn: unknown) => String(arn).split(":")[3];
const inputOf = (invocation: RenderedResource) => JSON.parse(String(invocation.inputs.input));
const ACCOUNT = "111122223333";
const dataKey = (stack: RenderedStack) => (stack.outputs.keys as Record<string, string>).data;

describe("search (OpenSearch, cross-cluster replication)", () => {
  let primary: RenderedStack;
  let standby: RenderedStack;
  let active: RenderedStack;
  before(async function () {
    this.timeout(180_000);
    primary = await renderTestStack("primary");
    standby = await renderTestStack("dr");
    active = await renderTestStack("dr", ["payments-dr:mode=active"]);
  });

  for (const [stackName, region] of [
    ["primary", "us-east-1"],
    ["dr", "us-west-2"],
  ] as const) {
    describe(`${stackName} domain`, () => {
      let stack: RenderedStack;
      let domain: RenderedResource;
      before(() => {
        stack = stackName === "primary" ? primary : standby;
        domain = find(stack, DOMAIN, "search-domain");
      });

      it(`encrypts at rest with the ${region} data key and between nodes`, () => {
        assert.deepStrictEqual(domain.inputs.encryptAtRest, { enabled: true, kmsKeyId: dataKey(stack) });
        assert.strictEqual(regionOfArn(dataKey(stack)), region);
        assert.deepStrictEqual(domain.inputs.nodeToNodeEncryption, { enabled: true });
        assert.strictEqual(domain.region, region);
      });

      it("accepts HTTPS only, with TLS 1.2 or later", () => {
        assert.deepStrictEqual(domain.inputs.domainEndpointOptions, {
          enforceHttps: true,
          tlsSecurityPolicy: "Policy-Min-TLS-1-2-PFS-2023-10",
        });
      });

      it("enforces fine-grained access control mastered by the admin function's role, with no master password", () => {
        const adminRole = find(stack, ROLE, "search-admin-role");
        assert.deepStrictEqual(domain.inputs.advancedSecurityOptions, {
          enabled: true,
          anonymousAuthEnabled: false,
          internalUserDatabaseEnabled: false,
          masterUserOptions: {
            masterUserArn: `arn:aws:iam::${ACCOUNT}:role/payments-dr-search-admin-${region}`,
          },
        });
        assert.strictEqual(
          adminRole.outputs.arn,
          `arn:aws:iam::${ACCOUNT}:role/payments-dr-search-admin-${region}`,
        );
        assert.deepStrictEqual(JSON.parse(String(adminRole.inputs.assumeRolePolicy)).Statement, [
          { Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" },
        ]);
      });

      it("lets the account in over HTTPS and grants es:ESCrossClusterGet on its bare ARN, so either domain can lead", () => {
        assert.deepStrictEqual(JSON.parse(String(domain.inputs.accessPolicies)), {
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
              Action: "es:ESHttp*",
              Resource: `${domain.outputs.arn}/*`,
            },
            {
              Effect: "Allow",
              Principal: { AWS: "*" },
              Action: "es:ESCrossClusterGet",
              Resource: domain.outputs.arn,
            },
          ],
        });
      });

      it("runs the admin function in the private subnets on nodejs24.x, bound to this domain by its environment", () => {
        const fn = find(stack, "aws:lambda/function:Function", "search-admin");
        const sg = find(stack, "aws:ec2/securityGroup:SecurityGroup", "search-admin-security-group");
        const network = stack.outputs.network as { privateSubnetIds: string[] };
        assert.deepStrictEqual(
          {
            runtime: fn.inputs.runtime,
            handler: fn.inputs.handler,
            role: fn.inputs.role,
            timeout: fn.inputs.timeout,
            vpcConfig: fn.inputs.vpcConfig,
            environment: fn.inputs.environment,
            region: fn.region,
          },
          {
            runtime: "nodejs24.x",
            handler: "index.handler",
            role: `arn:aws:iam::${ACCOUNT}:role/payments-dr-search-admin-${region}`,
            timeout: 300,
            vpcConfig: { subnetIds: network.privateSubnetIds, securityGroupIds: [sg.id] },
            environment: {
              variables: {
                DOMAIN_NAME: domain.inputs.domainName,
                DOMAIN_ENDPOINT: domain.outputs.endpoint,
                DOMAIN_REGION: region,
                SNAPSHOT_ROLE_ARN: find(stack, ROLE, "search-snapshot-role").outputs.arn,
              },
            },
            region,
          },
        );
        assert.deepStrictEqual(sg.inputs.egress, [
          {
            description: "HTTPS to the domain",
            protocol: "tcp",
            fromPort: 443,
            toPort: 443,
            cidrBlocks: [stackName === "primary" ? "10.10.0.0/16" : "10.20.0.0/16"],
          },
        ]);
      });

      it("gives the admin role signed calls to this domain and iam:PassRole on the snapshot role only", () => {
        const policy = JSON.parse(
          String(find(stack, "aws:iam/rolePolicy:RolePolicy", "search-admin-policy").inputs.policy),
        );
        const logGroup = find(stack, "aws:cloudwatch/logGroup:LogGroup", "search-admin-logs");
        assert.deepStrictEqual(policy.Statement, [
          {
            Sid: "SignedCallsToTheDomain",
            Effect: "Allow",
            Action: ["es:ESHttpGet", "es:ESHttpPut", "es:ESHttpPost", "es:ESHttpDelete"],
            Resource: `${domain.outputs.arn}/*`,
          },
          {
            Sid: "PassTheSnapshotRoleToOpenSearch",
            Effect: "Allow",
            Action: "iam:PassRole",
            Resource: find(stack, ROLE, "search-snapshot-role").outputs.arn,
          },
          {
            Sid: "VpcNetworkInterfaces",
            Effect: "Allow",
            Action: [
              "ec2:CreateNetworkInterface",
              "ec2:DescribeNetworkInterfaces",
              "ec2:DescribeSubnets",
              "ec2:DeleteNetworkInterface",
              "ec2:AssignPrivateIpAddresses",
              "ec2:UnassignPrivateIpAddresses",
            ],
            Resource: "*",
          },
          {
            Sid: "Logs",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: `${logGroup.outputs.arn}:*`,
          },
        ]);
        assert.strictEqual(
          logGroup.inputs.kmsKeyId,
          (stack.outputs.keys as Record<string, string>).messaging,
        );
      });

      it("maps operators, its own admin and the peer's admin in the security plugin, through a CRUD invocation", () => {
        const invocation = find(stack, INVOCATION, "search-role-mappings");
        const fn = find(stack, "aws:lambda/function:Function", "search-admin");
        const operators = find(stack, ROLE, "search-master-role").outputs.arn;
        const peer = stackName === "primary" ? "us-west-2" : "us-east-1";
        assert.deepStrictEqual(
          [invocation.inputs.functionName, invocation.inputs.lifecycleScope, invocation.region],
          [fn.outputs.name, "CRUD", region],
        );
        assert.deepStrictEqual(inputOf(invocation), {
          operation: "roleMappings",
          domainName: domain.inputs.domainName,
          mappings: {
            all_access: [operators],
            security_manager: [operators],
            manage_snapshots: [`arn:aws:iam::${ACCOUNT}:role/payments-dr-search-admin-${region}`],
            cross_cluster_replication_follower_full_access: [
              `arn:aws:iam::${ACCOUNT}:role/payments-dr-search-admin-${region}`,
            ],
            cross_cluster_replication_leader_full_access: [
              `arn:aws:iam::${ACCOUNT}:role/payments-dr-search-admin-${peer}`,
            ],
          },
        });
      });

      it("runs in the VPC's private subnets with zone awareness over three zones, on an engine that supports CCR", () => {
        const network = stack.outputs.network as { privateSubnetIds: string[] };
        const vpcOptions = domain.inputs.vpcOptions as { subnetIds: string[]; securityGroupIds: string[] };
        assert.deepStrictEqual(vpcOptions.subnetIds, network.privateSubnetIds);
        assert.strictEqual(vpcOptions.subnetIds.length, 3);
        assert.deepStrictEqual(domain.inputs.clusterConfig, {
          instanceType: "r6g.large.search",
          instanceCount: 3,
          zoneAwarenessEnabled: true,
          zoneAwarenessConfig: { availabilityZoneCount: 3 },
        });
        assert.strictEqual(domain.inputs.engineVersion, "OpenSearch_2.17");
        assert.strictEqual(domain.protect, true);
      });

      it("snapshots hourly into its own Region's replicated bucket through a role OpenSearch assumes, kept for the backup retention", () => {
        const repository = find(stack, INVOCATION, "search-snapshot-repository");
        const role = find(stack, ROLE, "search-snapshot-role");
        const buckets = (stack.outputs.objects as { buckets: Record<string, string> }).buckets;
        assert.deepStrictEqual(inputOf(repository), {
          operation: "snapshotRepository",
          domainName: domain.inputs.domainName,
          name: "payments-snapshots",
          bucket: buckets.searchSnapshots,
          bucketRegion: region,
          policyName: "payments-scheduled",
          cron: "0 * * * *",
          maxAgeDays: 35,
        });
        assert.deepStrictEqual([repository.inputs.lifecycleScope, repository.region], ["CRUD", region]);
        assert.ok(
          repository.dependencies.includes(find(stack, INVOCATION, "search-role-mappings").urn),
          "the repository waits for manage_snapshots to be mapped",
        );
        // The policy pack follows this tag to the bucket's cross-Region replication.
        assert.strictEqual(
          (domain.inputs.tags as Record<string, string>)["payments-dr:snapshot-bucket"],
          buckets.searchSnapshots,
        );
        assert.deepStrictEqual(JSON.parse(String(role.inputs.assumeRolePolicy)).Statement[0].Principal, {
          Service: "es.amazonaws.com",
        });
      });

      it("lets the snapshot role use the bucket's objects key through S3, so snapshots stay under SSE-KMS", () => {
        const role = find(stack, ROLE, "search-snapshot-role");
        const encryption = find(
          stack,
          "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
          "objects-search-snapshots-encryption",
        );
        const bucketKey = (
          encryption.inputs.rules as { applyServerSideEncryptionByDefault: { kmsMasterKeyId: string } }[]
        )[0].applyServerSideEncryptionByDefault.kmsMasterKeyId;
        assert.strictEqual(bucketKey, (stack.outputs.keys as Record<string, string>).objects);
        const bucketArn = `arn:aws:s3:::${(stack.outputs.objects as { buckets: Record<string, string> }).buckets.searchSnapshots}`;
        const [inline] = role.inputs.inlinePolicies as { name: string; policy: string }[];
        assert.deepStrictEqual(JSON.parse(inline.policy).Statement, [
          { Effect: "Allow", Action: ["s3:ListBucket"], Resource: bucketArn },
          {
            Effect: "Allow",
            Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
            Resource: `${bucketArn}/*`,
          },
          {
            Effect: "Allow",
            Action: ["kms:GenerateDataKey", "kms:Decrypt"],
            Resource: bucketKey,
            Condition: { StringEquals: { "kms:ViaService": `s3.${region}.amazonaws.com` } },
          },
        ]);
      });
    });
  }

  describe("dr follower", () => {
    it("requests a connection from the follower (dr Region) to the primary's domain in the primary Region", () => {
      const connection = find(standby, OUTBOUND, "search-connection");
      assert.strictEqual(connection.region, "us-west-2");
      assert.deepStrictEqual(connection.inputs.localDomainInfo, {
        domainName: "payments-dr-dr",
        region: "us-west-2",
        ownerId: "111122223333",
      });
      assert.deepStrictEqual(connection.inputs.remoteDomainInfo, {
        domainName: (primary.outputs.search as { domainName: string }).domainName,
        region: "us-east-1",
        ownerId: "111122223333",
      });
      assert.strictEqual(connection.inputs.connectionAlias, "payments-primary");
      assert.deepStrictEqual(findAll(primary, OUTBOUND), []);
    });

    it("accepts the connection in the leader's Region, declared by dr", () => {
      const connection = find(standby, OUTBOUND, "search-connection");
      const accepter = find(standby, ACCEPTER, "search-connection-accepter");
      assert.strictEqual(accepter.region, "us-east-1");
      assert.deepStrictEqual(accepter.inputs, { connectionId: connection.id, region: "us-east-1" });
    });

    it("creates the auto-follow rule on the follower through the accepted connection", () => {
      const rule = find(standby, INVOCATION, "search-follow-rule");
      const accepter = find(standby, ACCEPTER, "search-connection-accepter");
      const domain = find(standby, DOMAIN, "search-domain");
      assert.deepStrictEqual(
        [rule.region, rule.inputs.lifecycleScope, rule.inputs.functionName],
        ["us-west-2", "CRUD", find(standby, "aws:lambda/function:Function", "search-admin").outputs.name],
      );
      assert.deepStrictEqual(inputOf(rule), {
        operation: "followRule",
        domainName: "payments-dr-dr",
        leaderAlias: "payments-primary",
        ruleName: "payments-all",
        pattern: "*",
        leaderClusterRole: "cross_cluster_replication_leader_full_access",
        followerClusterRole: "cross_cluster_replication_follower_full_access",
      });
      assert.ok(rule.dependencies.includes(accepter.urn), "the rule waits for the accepted connection");
      assert.ok(
        rule.dependencies.includes(find(standby, INVOCATION, "search-role-mappings").urn),
        "the rule waits for the replication roles to be mapped",
      );
      assert.deepStrictEqual(
        findAll(primary, INVOCATION)
          .map((i) => i.name)
          .sort(),
        ["search-role-mappings", "search-snapshot-repository"],
      );
      assert.deepStrictEqual(standby.outputs.search, {
        domainName: "payments-dr-dr",
        domainArn: "arn:aws:es:us-west-2:111122223333:domain/payments-dr-dr",
        endpoint: domain.outputs.endpoint,
        connectionAlias: "payments-primary",
        followRuleName: "payments-all",
        presence: "replica",
      });
    });

    it("is proven copied to the peer Region by the policy pack through the invocations (repository, follow rule)", () => {
      for (const stack of [primary, standby, active]) {
        const domain = find(stack, DOMAIN, "search-domain");
        assert.deepStrictEqual(
          planStackViolations(stack).filter((v) => v.urn === domain.urn),
          [],
          stack.stack,
        );
      }
    });

    it("runs no REST call from the deployer's machine: no dynamic resources remain", () => {
      for (const stack of [primary, standby, active])
        assert.deepStrictEqual(
          stack.resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic")).map((r) => r.urn),
          [],
        );
    });

    it("keeps every search resource unchanged between standby and active (promotion is a REST call at failover)", () => {
      const searchResources = (stack: RenderedStack) =>
        Object.fromEntries(
          stack.resources
            .filter((r) => /::search(-|$)/.test(r.urn))
            .map((r) => [r.urn, { inputs: r.inputs, ignoreChanges: r.ignoreChanges }]),
        );
      assert.deepStrictEqual(searchResources(active), searchResources(standby));
    });
  });

  it("refuses engines without cross-cluster replication or Snapshot Management, and node counts that do not fill every zone", () => {
    assert.throws(
      () => validateSearchTopology("OpenSearch_1.0", 3, 3),
      /search\.engineVersion = "OpenSearch_1\.0": expected OpenSearch_1\.1 or later/,
    );
    assert.throws(
      () => validateSearchTopology("Elasticsearch_7.10", 3, 3),
      /expected OpenSearch_1\.1 or later/,
    );
    assert.throws(
      () => validateSearchTopology("OpenSearch_2.17", 4, 3),
      /search\.instanceCount = 4: expected a multiple of 3/,
    );
    assert.doesNotThrow(() => validateSearchTopology("OpenSearch_1.1", 6, 3));
    assert.throws(
      () => validateSearchTopology("OpenSearch_1.3", 3, 3, true),
      /expected OpenSearch_2\.1 or later \(scheduled snapshots need Snapshot Management\)/,
    );
  });
});

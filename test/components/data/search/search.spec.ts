/**
 * OpenSearch in both stacks: encryption with each Region's key, HTTPS/TLS 1.2, fine-grained access
 * control with an IAM master role, VPC placement over three zones, the snapshot repository, and
 * on dr the cross-cluster replication follower (connection, acceptance in the leader's Region,
 * follow rule).
 */
import * as assert from "assert";
import { validateSearchTopology } from "../../../../components/data/search/search";
import { RenderedResource, RenderedStack } from "../../../../tools/render/render";
import { find, findAll, renderTestStack } from "../../../helpers/stacks";

const DOMAIN = "aws:opensearch/domain:Domain";
const OUTBOUND = "aws:opensearch/outboundConnection:OutboundConnection";
const ACCEPTER = "aws:opensearch/inboundConnectionAccepter:InboundConnectionAccepter";
const FOLLOW_RULE = "pulumi-nodejs:dynamic/opensearch:FollowRule";
const SNAPSHOT_REPOSITORY = "pulumi-nodejs:dynamic/opensearch:SnapshotRepository";

const regionOfArn = (arn: unknown) => String(arn).split(":")[3];
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

      it("enforces fine-grained access control with an IAM master role and no master password", () => {
        const masterRole = find(stack, "aws:iam/role:Role", "search-master-role");
        assert.deepStrictEqual(domain.inputs.advancedSecurityOptions, {
          enabled: true,
          anonymousAuthEnabled: false,
          internalUserDatabaseEnabled: false,
          masterUserOptions: { masterUserArn: masterRole.outputs.arn },
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
        const repository = find(stack, SNAPSHOT_REPOSITORY, "search-snapshot-repository");
        const role = find(stack, "aws:iam/role:Role", "search-snapshot-role");
        const buckets = (stack.outputs.objects as { buckets: Record<string, string> }).buckets;
        assert.deepStrictEqual(
          {
            endpoint: repository.inputs.endpoint,
            region: repository.inputs.region,
            bucket: repository.inputs.bucket,
            bucketRegion: repository.inputs.bucketRegion,
            roleArn: repository.inputs.roleArn,
            policyName: repository.inputs.policyName,
            cron: repository.inputs.cron,
            maxAgeDays: repository.inputs.maxAgeDays,
          },
          {
            endpoint: domain.outputs.endpoint,
            region,
            bucket: buckets.searchSnapshots,
            bucketRegion: region,
            roleArn: role.outputs.arn,
            policyName: "payments-scheduled",
            cron: "0 * * * *",
            maxAgeDays: 35,
          },
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
      const rule = find(standby, FOLLOW_RULE, "search-follow-rule");
      const accepter = find(standby, ACCEPTER, "search-connection-accepter");
      const domain = find(standby, DOMAIN, "search-domain");
      assert.strictEqual(rule.region, "us-west-2");
      assert.deepStrictEqual(
        Object.fromEntries(Object.entries(rule.inputs).filter(([key]) => key !== "__provider")),
        {
          endpoint: domain.outputs.endpoint,
          region: "us-west-2",
          leaderAlias: "payments-primary",
          ruleName: "payments-all",
          pattern: "*",
          leaderClusterRole: "cross_cluster_replication_leader_full_access",
          followerClusterRole: "cross_cluster_replication_follower_full_access",
        },
      );
      assert.ok(rule.dependencies.includes(accepter.urn), "the rule waits for the accepted connection");
      assert.deepStrictEqual(standby.outputs.search, {
        domainName: "payments-dr-dr",
        domainArn: "arn:aws:es:us-west-2:111122223333:domain/payments-dr-dr",
        endpoint: domain.outputs.endpoint,
        connectionAlias: "payments-primary",
        followRuleName: "payments-all",
      });
    });

    it("serialises a small provider that loads its SDKs at run time", () => {
      const provider = String(find(standby, FOLLOW_RULE, "search-follow-rule").inputs.__provider);
      assert.match(provider, /createAutoFollowRule/);
      assert.ok(provider.length < 50_000, `serialised provider is ${provider.length} bytes`);
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

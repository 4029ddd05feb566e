import * as assert from "assert";
import { templateRolePolicy } from "../../../components/compute/registry";
import { findCrossRegionLinks } from "../../../model/links";
import { RenderedResource, RenderedStack } from "../../../tools/render/render";
import { MOCK_ACCOUNT_ID } from "../../../tools/render/synth";
import { find, findAll, renderTestStack } from "../../helpers/stacks";

const T = {
  repository: "aws:ecr/repository:Repository",
  replication: "aws:ecr/replicationConfiguration:ReplicationConfiguration",
  template: "aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate",
  pullThrough: "aws:ecr/pullThroughCacheRule:PullThroughCacheRule",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
};

const clusterKey = (stack: RenderedStack) => (stack.outputs.keys as Record<string, string>).cluster;
const without = (r: RenderedResource, ...keys: string[]) =>
  Object.fromEntries(Object.entries(r.inputs).filter(([k]) => !keys.includes(k) && !k.startsWith("__")));

describe("image registry (rendered)", () => {
  let primary: RenderedStack;
  let dr: RenderedStack;
  before(async function () {
    this.timeout(120_000);
    [primary, dr] = await Promise.all([renderTestStack("primary"), renderTestStack("dr")]);
  });

  it("primary: the payments repository is KMS-encrypted with its Region's cluster key, immutable, scanned on push", () => {
    const repo = find(primary, T.repository, "registry-payments");
    assert.strictEqual(repo.region, "us-east-1");
    assert.deepStrictEqual(without(repo, "tags", "tagsAll", "forceDelete"), {
      name: "payments-dr/payments-api",
      imageTagMutability: "IMMUTABLE",
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: clusterKey(primary) }],
      region: "us-east-1",
    });
    assert.ok(clusterKey(primary).startsWith("arn:aws:kms:us-east-1:"));
  });

  it("primary: the registry replicates the payments namespace to the dr Region of the same account", () => {
    const replication = find(primary, T.replication, "registry-replication");
    assert.deepStrictEqual(replication.inputs.replicationConfiguration, {
      rules: [
        {
          destinations: [{ region: "us-west-2", registryId: MOCK_ACCOUNT_ID }],
          repositoryFilters: [{ filter: "payments-dr/", filterType: "PREFIX_MATCH" }],
        },
      ],
    });
    assert.strictEqual(replication.inputs.region, "us-east-1");
  });

  it("the DR model (posture, diagram) sees the repository replicated to us-west-2", () => {
    const links = findCrossRegionLinks([primary, dr]).filter((l) => l.kind === "ecr-replication");
    assert.deepStrictEqual(
      links.map((l) => [l.declaredBy, l.source.name, l.sourceRegion, l.targetRegion]),
      [["primary", "registry-payments", "us-east-1", "us-west-2"]],
    );
  });

  it("dr: declares no repository and no replication configuration (one per registry and Region; the primary owns it)", () => {
    assert.deepStrictEqual(findAll(dr, T.repository), []);
    assert.deepStrictEqual(findAll(dr, T.replication), []);
  });

  for (const [stackName, region] of [
    ["primary", "us-east-1"],
    ["dr", "us-west-2"],
  ] as const) {
    it(`${stackName}: creation templates encrypt replicas and cached repositories with ${region}'s key, immutable, through the template role`, () => {
      const stack = stackName === "primary" ? primary : dr;
      const role = find(stack, T.role, "registry-template-role");
      const templates = findAll(stack, T.template).map((t) => ({
        name: t.name,
        ...without(t, "resourceTags"),
      }));
      assert.deepStrictEqual(templates, [
        {
          name: "registry-replication-template",
          prefix: "payments-dr",
          appliedFors: ["REPLICATION"],
          description: `Replicas of payments-dr/ repositories in ${region}`,
          imageTagMutability: "IMMUTABLE",
          encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: clusterKey(stack) }],
          customRoleArn: role.outputs.arn,
          region,
        },
        {
          name: "registry-pull-through-template",
          prefix: "ecr-public",
          appliedFors: ["PULL_THROUGH_CACHE"],
          description: `Cached public.ecr.aws images in ${region}`,
          imageTagMutability: "IMMUTABLE",
          encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: clusterKey(stack) }],
          customRoleArn: role.outputs.arn,
          region,
        },
      ]);
      assert.ok(clusterKey(stack).startsWith(`arn:aws:kms:${region}:`));
    });

    it(`${stackName}: a pull-through cache rule for public.ecr.aws under ecr-public in ${region}`, () => {
      const stack = stackName === "primary" ? primary : dr;
      const rule = find(stack, T.pullThrough, "registry-pull-through");
      assert.deepStrictEqual(without(rule), {
        ecrRepositoryPrefix: "ecr-public",
        upstreamRegistryUrl: "public.ecr.aws",
        region,
      });
    });

    it(`${stackName}: the nodes' role may import upstream images into ${region}'s ecr-public/ repositories only`, () => {
      const stack = stackName === "primary" ? primary : dr;
      const puller = find(stack, T.rolePolicy, "registry-pull-through-puller-0");
      assert.strictEqual(puller.inputs.role, find(stack, T.role, "eks-node-role").outputs.name);
      assert.deepStrictEqual(JSON.parse(String(puller.inputs.policy)), {
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "ImportUpstreamImagesIntoTheCache",
            Effect: "Allow",
            Action: ["ecr:BatchImportUpstreamImage", "ecr:CreateRepository"],
            Resource: `arn:aws:ecr:${region}:${MOCK_ACCOUNT_ID}:repository/ecr-public/*`,
          },
        ],
      });
    });

    it(`${stackName}: the template role is trusted by ECR only and limited to its namespaces and key in ${region}`, () => {
      const stack = stackName === "primary" ? primary : dr;
      assert.deepStrictEqual(
        JSON.parse(String(find(stack, T.role, "registry-template-role").inputs.assumeRolePolicy)),
        {
          Version: "2012-10-17",
          Statement: [
            { Effect: "Allow", Principal: { Service: "ecr.amazonaws.com" }, Action: "sts:AssumeRole" },
          ],
        },
      );
      const policy = find(stack, T.rolePolicy, "registry-template-role-policy");
      assert.deepStrictEqual(
        JSON.parse(String(policy.inputs.policy)),
        JSON.parse(templateRolePolicy(MOCK_ACCOUNT_ID, region, clusterKey(stack))),
      );
      assert.deepStrictEqual(
        JSON.parse(
          templateRolePolicy("111122223333", "us-west-2", "arn:aws:kms:us-west-2:111122223333:key/k"),
        ),
        {
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "CreateRepositoriesFromTemplates",
              Effect: "Allow",
              Action: ["ecr:CreateRepository", "ecr:ReplicateImage", "ecr:TagResource"],
              Resource: [
                "arn:aws:ecr:us-west-2:111122223333:repository/payments-dr/*",
                "arn:aws:ecr:us-west-2:111122223333:repository/ecr-public/*",
              ],
            },
            {
              Sid: "EncryptWithTheRegionsKey",
              Effect: "Allow",
              Action: ["kms:CreateGrant", "kms:RetireGrant", "kms:DescribeKey"],
              Resource: "arn:aws:kms:us-west-2:111122223333:key/k",
            },
          ],
        },
      );
    });
  }

  it("the images output shows the parity: each stack pulls from its own Region's registry", () => {
    assert.deepStrictEqual(primary.outputs.images, {
      registryHost: `${MOCK_ACCOUNT_ID}.dkr.ecr.us-east-1.amazonaws.com`,
      image: `${MOCK_ACCOUNT_ID}.dkr.ecr.us-east-1.amazonaws.com/ecr-public/docker/library/node:24.21.0-slim`,
      registryRegion: "us-east-1",
      digest: "none (reference service base image, tag-pinned)",
      source: "reference-service",
      repositoryUrl: `${MOCK_ACCOUNT_ID}.dkr.ecr.us-east-1.amazonaws.com/payments-dr/payments-api`,
      replicatesTo: "us-west-2",
    });
    assert.deepStrictEqual(dr.outputs.images, {
      registryHost: `${MOCK_ACCOUNT_ID}.dkr.ecr.us-west-2.amazonaws.com`,
      image: `${MOCK_ACCOUNT_ID}.dkr.ecr.us-west-2.amazonaws.com/ecr-public/docker/library/node:24.21.0-slim`,
      registryRegion: "us-west-2",
      digest: "none (reference service base image, tag-pinned)",
      source: "reference-service",
    });
  });
});

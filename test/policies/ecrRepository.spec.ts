import * as assert from "assert";
import { ACCOUNT, key, messages, PEER, PRIMARY, resource, urnOf, violations } from "./fixtures";

const REPO = "aws:ecr/repository:Repository";
const REPLICATION = "aws:ecr/replicationConfiguration:ReplicationConfiguration";
const KMS = "aws:kms/key:Key";

function stack(
  options: { encryption?: unknown[]; filter?: string; destination?: string; replicationRegion?: string } = {},
) {
  return [
    resource(
      KMS,
      "cluster-key",
      { enableKeyRotation: true, description: "cluster" },
      { outputs: { arn: key(PRIMARY) } },
    ),
    resource(
      REPO,
      "payments",
      {
        name: "payments-dr/payments-api",
        imageTagMutability: "IMMUTABLE",
        encryptionConfigurations: options.encryption ?? [{ encryptionType: "KMS", kmsKey: key(PRIMARY) }],
      },
      {
        dependencies: [urnOf(KMS, "cluster-key")],
        propertyDependencies: { encryptionConfigurations: [urnOf(KMS, "cluster-key")] },
      },
    ),
    resource(REPLICATION, "replication", {
      ...(options.replicationRegion ? { region: options.replicationRegion } : {}),
      replicationConfiguration: {
        rules: [
          {
            destinations: [{ region: options.destination ?? PEER, registryId: ACCOUNT }],
            repositoryFilters: [{ filter: options.filter ?? "payments-dr/", filterType: "PREFIX_MATCH" }],
          },
        ],
      },
    }),
  ];
}

const OFF = { "kms-key-owner-verified": { enforcementLevel: "disabled" as const } };

describe("ECR repositories: judged by the pack (encryption and registry replication)", () => {
  it("passes a repository encrypted with a customer key in its Region and replicated to the peer Region", () => {
    const found = violations(stack(), undefined, OFF).filter((v) => v.urn === urnOf(REPO, "payments"));
    assert.deepStrictEqual(found, []);
  });

  it("reports AES256 (the default) as not encrypted with a customer-managed key", () => {
    const found = messages(
      stack({ encryption: [{ encryptionType: "AES256" }] }),
      "ecr-repository-encryption-at-rest",
    );
    assert.deepStrictEqual(found, [
      "ECR repository is not encrypted with a customer-managed key: expected encryptionConfigurations[0].kmsKey set to a customer-managed KMS key, found not set, so it uses AES256 with an Amazon S3-managed key. Only a customer-managed key lets you own its policy, audit every use and revoke access.",
    ]);
  });

  it("reports a repository no replication rule selects", () => {
    const found = messages(stack({ filter: "other/" }), "aws-datastore-cross-region-copy");
    assert.deepStrictEqual(found, [
      "ECR repository payments in us-east-1 has no copy in another Region: no replication declared for it. Expected registry replication, declared in this stack and encrypted with the destination Region's key. Otherwise losing this Region loses the data.",
    ]);
  });

  it("reports replication into the repository's own Region", () => {
    const found = messages(stack({ destination: PRIMARY }), "aws-datastore-cross-region-copy");
    assert.deepStrictEqual(found, [
      "ECR repository payments in us-east-1 has no copy in another Region: ECR registry replication stays in us-east-1, the store's own Region. Expected registry replication, declared in this stack and encrypted with the destination Region's key. Otherwise losing this Region loses the data.",
    ]);
  });

  it("does not count another Region's replication configuration (each Region's registry has its own)", () => {
    const found = messages(stack({ replicationRegion: PEER }), "aws-datastore-cross-region-copy");
    assert.deepStrictEqual(found, [
      "ECR repository payments in us-east-1 has no copy in another Region: no replication declared for it. Expected registry replication, declared in this stack and encrypted with the destination Region's key. Otherwise losing this Region loses the data.",
    ]);
  });

  it("is no longer an unjudged store type", () => {
    assert.deepStrictEqual(messages(stack(), "aws-datastore-type-judged"), []);
  });
});

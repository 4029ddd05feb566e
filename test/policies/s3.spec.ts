import * as assert from "assert";
import { deniesInsecureTransport } from "../../policies/s3/s3";
import { expectViolations, key, PEER, PRIMARY, resource, urnOf, UNKNOWN_VALUE, violations } from "./fixtures";
import { bucket, replicatedBuckets, T } from "./scenarios";

const app = urnOf(T.bucket, "app");
const without = (resources: ReturnType<typeof bucket>, name: string) =>
  resources.filter((r) => r.name !== name);

describe("S3 rules", () => {
  it("pass a replicated bucket pair with SSE-KMS, versioning and TLS-only policies", () =>
    // The fixture keys are not declared in the stack: kms-key-owner-verified is tested on its own.
    assert.deepStrictEqual(
      violations(replicatedBuckets(), undefined, {
        "kms-key-owner-verified": { enforcementLevel: "disabled" },
      }),
      [],
    ));

  describe("s3-bucket-encryption-at-rest", () => {
    const policy = "s3-bucket-encryption-at-rest";
    it("reports a bucket no encryption configuration targets", () =>
      expectViolations(without(bucket("app", PRIMARY), "app-sse"), policy, [
        [app, "no BucketServerSideEncryptionConfiguration targets it"],
      ]));
    it("reports SSE-S3 (AES256) without the exemption tag", () =>
      expectViolations(
        bucket("app", PRIMARY, { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }),
        policy,
        [[app, 'its sseAlgorithm is "AES256": expected "aws:kms"']],
      ));
    it("reports the AWS-managed aws/s3 key", () =>
      expectViolations(
        bucket("app", PRIMARY, {
          applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: "alias/aws/s3" },
        }),
        policy,
        [[app, 'kmsMasterKeyId "alias/aws/s3": expected a customer-managed KMS key']],
      ));
    it("reports a key in another Region than the bucket", () =>
      expectViolations(
        bucket("app", PRIMARY, {
          applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key(PEER) },
        }),
        policy,
        [[app, `it is in ${PRIMARY} but its kmsMasterKeyId is a key in ${PEER}`]],
      ));
    it("does not judge a bucket whose encryption configuration targets an unknown bucket during preview", () => {
      const resources = bucket("app", PRIMARY).map((r) =>
        r.type === T.sse ? { ...r, inputs: { ...r.inputs, bucket: UNKNOWN_VALUE } } : r,
      );
      expectViolations(resources, policy, []);
    });
  });

  describe("a configuration whose bucket is unknown during preview", () => {
    // Each config targets an unknown bucket; only the buckets it could target go unjudged.
    const lone = (name: string, inputs: Record<string, unknown> = {}, deps: string[] = []) =>
      resource(T.bucket, name, { bucket: name, ...inputs }, { dependencies: deps });
    const configs = (options: Parameters<typeof resource>[3]) => [
      resource(
        T.sse,
        "unknown-sse",
        {
          bucket: UNKNOWN_VALUE,
          rules: [
            { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key(PRIMARY) } },
          ],
        },
        options,
      ),
      resource(T.policy, "unknown-policy", { bucket: UNKNOWN_VALUE, policy: UNKNOWN_VALUE }, options),
    ];
    const RANDOM = urnOf("random:index/randomId:RandomId", "suffix");
    const stack = (options: Parameters<typeof resource>[3]) => [
      lone("app"),
      lone("other"),
      lone("generated", { bucket: UNKNOWN_VALUE }, [RANDOM]),
      ...configs(options),
    ];
    const both = (bucketName: string): [string, string][] => [[urnOf(T.bucket, bucketName), "S3 bucket"]];
    const unproven = (bucketName: string): [string, string][] => [
      [
        urnOf(T.bucket, bucketName),
        `S3 bucket ${bucketName}: SSE-KMS with a customer-managed key in its Region cannot be proven at preview: an encryption configuration whose bucket is unknown until apply may target it, and none is proven to.`,
      ],
    ];
    it("judges every bucket the configuration cannot target, and refuses the one it may target as unproven", () => {
      // No dependency: it can only target a bucket whose own name is unknown too.
      expectViolations(stack({}), "s3-bucket-encryption-at-rest", [
        ...both("app"),
        ...both("other"),
        ...unproven("generated"),
      ]);
      expectViolations(stack({}), "s3-bucket-tls-only", [...both("app"), ...both("other")]);
    });
    it("refuses as unproven (fail closed) only the buckets among its dependencies", () => {
      const options = { dependencies: [urnOf(T.bucket, "app"), urnOf(T.bucket, "other")] };
      // A bucket with an unknown name is judged too: the configuration names its candidates.
      expectViolations(stack(options), "s3-bucket-encryption-at-rest", [
        ...unproven("app"),
        ...unproven("other"),
        ...both("generated"),
      ]);
      expectViolations([lone("third"), ...stack(options)], "s3-bucket-encryption-at-rest", [
        ...both("third"),
        ...unproven("app"),
        ...unproven("other"),
        ...both("generated"),
      ]);
    });
    it("leaves unjudged a bucket that shares the dependency its bucket name comes from", () =>
      expectViolations(
        stack({ propertyDependencies: { bucket: [RANDOM] }, dependencies: [RANDOM] }),
        "s3-bucket-tls-only",
        [...both("app"), ...both("other")],
      ));
  });

  describe("the SSE-S3 exemption (ALB access logs)", () => {
    const tagged = () => {
      const resources = bucket("logs", PRIMARY, {
        applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" },
      });
      resources[0] = resource(T.bucket, "logs", {
        bucket: "logs",
        tags: { "payments-dr:sse-s3-reason": "ALB access logs support only SSE-S3" },
      });
      return resources;
    };
    it("accepts SSE-S3 on a bucket carrying the reason tag, and reports it as advisory", () => {
      expectViolations(tagged(), "s3-bucket-encryption-at-rest", []);
      expectViolations(tagged(), "s3-bucket-sse-s3-exemption", [
        [urnOf(T.bucket, "logs"), '"ALB access logs support only SSE-S3"'],
      ]);
      assert.deepStrictEqual(
        violations(tagged(), "s3-bucket-sse-s3-exemption")[0].enforcementLevel,
        "advisory",
      );
    });
    it("refuses the exemption when allowSseS3Exemption is false", () =>
      expectViolations(tagged(), "s3-bucket-encryption-at-rest", [[urnOf(T.bucket, "logs"), '"AES256"']], {
        "s3-bucket-encryption-at-rest": { allowSseS3Exemption: false },
      }));
  });

  describe("s3-bucket-tls-only", () => {
    it("reports a bucket with no bucket policy", () =>
      expectViolations(without(bucket("app", PRIMARY), "app-policy"), "s3-bucket-tls-only", [
        [app, "found no bucket policy"],
      ]));
    it("reports a policy that does not deny insecure transport", () => {
      const resources = bucket("app", PRIMARY).map((r) =>
        r.type === T.policy ? { ...r, outputs: { ...r.outputs, policy: '{"Statement":[]}' } } : r,
      );
      expectViolations(resources, "s3-bucket-tls-only", [[app, "found a policy without it"]]);
    });
    it("recognises a deny of requests where aws:SecureTransport is false", () => {
      assert.strictEqual(
        deniesInsecureTransport({
          Statement: {
            Effect: "Deny",
            Principal: { AWS: "*" },
            Action: ["s3:*"],
            Condition: { Bool: { "aws:SecureTransport": false } },
          },
        }),
        true,
      );
      assert.strictEqual(
        deniesInsecureTransport({
          Statement: [
            {
              Effect: "Allow",
              Principal: "*",
              Action: "s3:*",
              Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
          ],
        }),
        false,
      );
    });
  });

  describe("s3-bucket-versioning-replicated", () => {
    it("reports the source and the replica of a replication without versioning", () => {
      const resources = replicatedBuckets().filter((r) => r.type !== T.versioning);
      expectViolations(resources, "s3-bucket-versioning-replicated", [
        [app, "is a replication source without versioning"],
        [urnOf(T.bucket, "app-replica"), "is a replication destination without versioning"],
      ]);
    });
    it("does not require versioning on a bucket that is not replicated", () =>
      expectViolations(
        without(bucket("app", PRIMARY), "app-versioning"),
        "s3-bucket-versioning-replicated",
        [],
      ));
  });
});

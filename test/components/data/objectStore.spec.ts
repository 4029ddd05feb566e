import * as assert from "assert";
import { OBJECT_STORE_NAMES, OBJECT_STORE_ROLES } from "../../../stacks/dataTier";
import { RenderedStack } from "../../../tools/render/render";
import { find, renderTestStack } from "../../helpers/stacks";

const STACKS = [
  { stack: "primary", region: "us-east-1", peer: "us-west-2" },
  { stack: "dr", region: "us-west-2", peer: "us-east-1" },
] as const;

const regionOf = (arn: unknown) => String(arn).split(":")[3];

/** The source bucket and its replica of one object store, with the keys each must use. */
function buckets(rendered: RenderedStack, storeName: string) {
  const keys = rendered.outputs.keys as Record<string, string>;
  const peerKeys = rendered.outputs.peerKeys as Record<string, string>;
  return [
    { prefix: storeName, key: keys.objects, own: true },
    { prefix: `${storeName}-replica`, key: peerKeys.objects, own: false },
  ].map((b) => ({ ...b, bucket: find(rendered, "aws:s3/bucket:Bucket", `${b.prefix}-bucket`) }));
}

describe("object stores: S3 buckets replicated to the peer Region", () => {
  for (const { stack, region, peer } of STACKS) {
    describe(`${stack} stack`, () => {
      // Rendering (cached per stack) is the slow part; give it room once, not in every test.
      before(async function () {
        this.timeout(180_000);
        await renderTestStack(stack);
      });

      it("places each source bucket in the stack's Region and its replica in the peer Region, both protected", async () => {
        const rendered = await renderTestStack(stack);
        for (const role of OBJECT_STORE_ROLES) {
          const [source, replica] = buckets(rendered, OBJECT_STORE_NAMES[role]);
          assert.deepStrictEqual(
            [source.bucket.region, source.bucket.protect, replica.bucket.region, replica.bucket.protect],
            [region, true, peer, true],
          );
          assert.strictEqual(source.bucket.inputs.forceDestroy, false);
          assert.strictEqual(replica.bucket.inputs.forceDestroy, false);
        }
      });

      it("blocks public access, enforces bucket ownership and versions both buckets", async () => {
        const rendered = await renderTestStack(stack);
        for (const role of OBJECT_STORE_ROLES) {
          for (const b of buckets(rendered, OBJECT_STORE_NAMES[role])) {
            const bucketRegion = b.own ? region : peer;
            const pab = find(
              rendered,
              "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
              `${b.prefix}-public-access`,
            );
            assert.deepStrictEqual(pab.inputs, {
              bucket: b.bucket.outputs.bucket,
              region: bucketRegion,
              blockPublicAcls: true,
              blockPublicPolicy: true,
              ignorePublicAcls: true,
              restrictPublicBuckets: true,
            });
            const ownership = find(
              rendered,
              "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
              `${b.prefix}-ownership`,
            );
            assert.deepStrictEqual(ownership.inputs.rule, { objectOwnership: "BucketOwnerEnforced" });
            const versioning = find(
              rendered,
              "aws:s3/bucketVersioning:BucketVersioning",
              `${b.prefix}-versioning`,
            );
            assert.deepStrictEqual(
              [versioning.inputs.bucket, versioning.region, versioning.inputs.versioningConfiguration],
              [b.bucket.outputs.bucket, bucketRegion, { status: "Enabled" }],
            );
          }
        }
      });

      it("encrypts the source with the stack's objects key and the replica with the peer Region's key, with a bucket key", async () => {
        const rendered = await renderTestStack(stack);
        for (const role of OBJECT_STORE_ROLES) {
          for (const b of buckets(rendered, OBJECT_STORE_NAMES[role])) {
            const sse = find(
              rendered,
              "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
              `${b.prefix}-encryption`,
            );
            assert.deepStrictEqual(sse.inputs.rules, [
              {
                bucketKeyEnabled: true,
                applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: b.key },
              },
            ]);
            assert.strictEqual(sse.region, b.own ? region : peer);
            assert.strictEqual(regionOf(b.key), sse.region, "the key must live in the bucket's Region");
          }
        }
      });

      it("denies every request that is not made over TLS, on the bucket and its objects", async () => {
        const rendered = await renderTestStack(stack);
        for (const role of OBJECT_STORE_ROLES) {
          for (const b of buckets(rendered, OBJECT_STORE_NAMES[role])) {
            const policy = find(rendered, "aws:s3/bucketPolicy:BucketPolicy", `${b.prefix}-policy`);
            const bucketArn = String(b.bucket.outputs.arn);
            assert.deepStrictEqual(JSON.parse(String(policy.inputs.policy)), {
              Version: "2012-10-17",
              Statement: [
                {
                  Sid: "DenyInsecureTransport",
                  Effect: "Deny",
                  Principal: "*",
                  Action: "s3:*",
                  Resource: [bucketArn, `${bucketArn}/*`],
                  Condition: { Bool: { "aws:SecureTransport": "false" } },
                },
              ],
            });
          }
        }
      });

      it("expires noncurrent versions after 90 days and aborts stale multipart uploads", async () => {
        const rendered = await renderTestStack(stack);
        for (const b of buckets(rendered, OBJECT_STORE_NAMES.app)) {
          const lifecycle = find(
            rendered,
            "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
            `${b.prefix}-lifecycle`,
          );
          assert.deepStrictEqual(lifecycle.inputs.rules, [
            {
              id: "expire-noncurrent-versions",
              status: "Enabled",
              filter: {},
              noncurrentVersionExpiration: { noncurrentDays: 90 },
              abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
            },
          ]);
        }
      });

      it("replicates every object and delete marker to the replica within 15 minutes (RTC), re-encrypted with the peer key", async () => {
        const rendered = await renderTestStack(stack);
        const peerKeys = rendered.outputs.peerKeys as Record<string, string>;
        for (const role of OBJECT_STORE_ROLES) {
          const name = OBJECT_STORE_NAMES[role];
          const [source, replica] = buckets(rendered, name);
          const replication = find(
            rendered,
            "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
            `${name}-replication`,
          );
          const roleResource = find(rendered, "aws:iam/role:Role", `${name}-replication-role`);
          assert.deepStrictEqual(replication.inputs, {
            bucket: source.bucket.outputs.bucket,
            region,
            role: roleResource.outputs.arn,
            rules: [
              {
                id: "replicate-everything-to-peer-region",
                status: "Enabled",
                priority: 0,
                filter: {},
                deleteMarkerReplication: { status: "Enabled" },
                sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
                destination: {
                  bucket: replica.bucket.outputs.arn,
                  storageClass: "STANDARD",
                  encryptionConfiguration: { replicaKmsKeyId: peerKeys.objects },
                  replicationTime: { status: "Enabled", time: { minutes: 15 } },
                  metrics: { status: "Enabled", eventThreshold: { minutes: 15 } },
                },
              },
            ],
          });
          assert.strictEqual(regionOf(peerKeys.objects), peer);
          // S3 refuses replication until both buckets are versioned.
          const versioningUrns = [name, `${name}-replica`].map(
            (p) => find(rendered, "aws:s3/bucketVersioning:BucketVersioning", `${p}-versioning`).urn,
          );
          for (const urn of versioningUrns)
            assert.ok(replication.dependencies.includes(urn), `depends on ${urn}`);
        }
      });

      it("lets the replication role use each key only through S3 in that key's Region", async () => {
        const rendered = await renderTestStack(stack);
        const keys = rendered.outputs.keys as Record<string, string>;
        const peerKeys = rendered.outputs.peerKeys as Record<string, string>;
        const [source, replica] = buckets(rendered, OBJECT_STORE_NAMES.landing);
        const policy = JSON.parse(
          String(
            find(rendered, "aws:iam/rolePolicy:RolePolicy", "objects-landing-replication-policy").inputs
              .policy,
          ),
        );
        const bySid = Object.fromEntries(policy.Statement.map((s: { Sid: string }) => [s.Sid, s]));
        const src = String(source.bucket.outputs.arn);
        const dst = String(replica.bucket.outputs.arn);
        assert.deepStrictEqual(bySid.DecryptSourceObjects, {
          Sid: "DecryptSourceObjects",
          Effect: "Allow",
          Action: "kms:Decrypt",
          Resource: keys.objects,
          Condition: {
            StringEquals: { "kms:ViaService": `s3.${region}.amazonaws.com` },
            StringLike: { "kms:EncryptionContext:aws:s3:arn": [src, `${src}/*`] },
          },
        });
        assert.deepStrictEqual(bySid.EncryptReplicas, {
          Sid: "EncryptReplicas",
          Effect: "Allow",
          Action: ["kms:Encrypt", "kms:GenerateDataKey"],
          Resource: peerKeys.objects,
          Condition: {
            StringEquals: { "kms:ViaService": `s3.${peer}.amazonaws.com` },
            StringLike: { "kms:EncryptionContext:aws:s3:arn": [dst, `${dst}/*`] },
          },
        });
        assert.deepStrictEqual(bySid.WriteReplicas.Resource, `${dst}/*`);
        assert.deepStrictEqual(bySid.ReadSourceVersions.Resource, `${src}/*`);
      });
    });
  }
});

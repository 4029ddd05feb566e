import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
  PolicyStatement,
  replicationPolicy,
  SSE_S3_REASON_TAG,
  tlsOnlyStatement,
  validateObjectStoreEncryption,
} from "./objectStorePolicies";

export type { PolicyStatement } from "./objectStorePolicies";
export { SSE_S3_REASON_TAG } from "./objectStorePolicies";

/** Builds extra bucket-policy statements once the bucket's ARN is known. */
export type PolicyStatementsFor = (bucketArn: pulumi.Output<string>) => PolicyStatement[];

export interface ObjectStoreArgs {
  /** The stack's Region: home of the source bucket. */
  readonly region: string;
  /** The other Region of the pair: home of the replica bucket. */
  readonly peerRegion: string;
  /** KMS key in `region` that encrypts the source bucket; required unless `sseS3Reason` is set. */
  readonly keyArn?: pulumi.Input<string>;
  /**
   * Why the source bucket must use SSE-S3 instead of `keyArn`: the only writer supports nothing
   * else. Tagged on the bucket as `payments-dr:sse-s3-reason`, so the policy pack accepts it and
   * reports it on every run. The replica bucket keeps SSE-KMS with `replicaKeyArn` by default.
   *
   * @default - SSE-KMS with `keyArn`
   */
  readonly sseS3Reason?: string;
  /**
   * Days after which current objects expire (become noncurrent), in both buckets.
   *
   * @default - never
   */
  readonly currentVersionExpirationDays?: number;
  /** KMS key in `peerRegion` that encrypts the replica (S3 replicates with the destination's key). */
  readonly replicaKeyArn: pulumi.Input<string>;
  /**
   * Days a noncurrent object version is kept before it expires, in both buckets.
   *
   * @default 90 (long enough to notice and undo an overwrite or a delete; versions cost storage)
   */
  readonly noncurrentVersionRetentionDays?: number;
  /**
   * Extra statements for the source bucket's policy (a log-delivery service principal, another
   * account's reader, ...). Same-account IAM roles need none: their IAM policy is enough.
   *
   * @default - only the TLS-only deny statement
   */
  readonly policyStatements?: PolicyStatementsFor;
  /**
   * Extra statements for the replica bucket's policy.
   *
   * @default - only the TLS-only deny statement
   */
  readonly replicaPolicyStatements?: PolicyStatementsFor;
  /**
   * Sets `protect` on both buckets, so a mistaken delete of the stack or the code is refused.
   *
   * @default true
   */
  readonly protect?: boolean;
  readonly tags?: Readonly<Record<string, string>>;
}

/** Replication Time Control's only supported threshold: 99.99% of objects within 15 minutes. */
export const REPLICATION_TIME_MINUTES = 15;

/**
 * An S3 bucket in the stack's Region replicated to a bucket in the peer Region, both hardened
 * alike: public access blocked, Object Ownership enforced (no ACLs), versioning, SSE-KMS with a
 * bucket key, a TLS-only policy and expiry of noncurrent versions. Replication copies every object
 * and delete marker with Replication Time Control (15 minutes) and its metrics, re-encrypting the
 * replica with the peer Region's key. Both buckets are declared by this stack (DESIGN.md
 * principle 3), so the replica exists before the source Region is ever lost.
 */
export class ObjectStore extends pulumi.ComponentResource {
  public readonly bucketName: pulumi.Output<string>;
  public readonly bucketArn: pulumi.Output<string>;
  public readonly replicaBucketName: pulumi.Output<string>;
  public readonly replicaBucketArn: pulumi.Output<string>;
  /** The key that encrypts the source bucket (readers need kms:Decrypt on it); "" when SSE-S3. */
  public readonly keyArn: pulumi.Output<string>;
  /** The key that encrypts the replica bucket. */
  public readonly replicaKeyArn: pulumi.Output<string>;
  public readonly region: string;
  public readonly replicaRegion: string;

  constructor(name: string, args: ObjectStoreArgs, opts?: pulumi.ComponentResourceOptions) {
    super("payments-dr:components:ObjectStore", name, {}, opts);
    const tags = args.tags ?? {};
    const noncurrentDays = args.noncurrentVersionRetentionDays ?? 90;
    const protect = args.protect ?? true;
    const sourceKeyArn = validateObjectStoreEncryption(name, args);
    const expirationDays = args.currentVersionExpirationDays;

    const source = this.hardenedBucket(`${name}`, {
      region: args.region,
      keyArn: sourceKeyArn,
      noncurrentDays,
      expirationDays,
      statements: args.policyStatements,
      protect,
      tags: args.sseS3Reason ? { ...tags, [SSE_S3_REASON_TAG]: args.sseS3Reason } : tags,
    });
    const replica = this.hardenedBucket(`${name}-replica`, {
      region: args.peerRegion,
      keyArn: args.replicaKeyArn,
      noncurrentDays,
      expirationDays,
      statements: args.replicaPolicyStatements,
      protect,
      tags,
    });

    const role = new aws.iam.Role(
      `${name}-replication-role`,
      {
        description: `S3 replication of ${name} from ${args.region} to ${args.peerRegion}`,
        assumeRolePolicy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            { Effect: "Allow", Principal: { Service: "s3.amazonaws.com" }, Action: "sts:AssumeRole" },
          ],
        }),
        tags,
      },
      { parent: this },
    );
    const rolePolicy = new aws.iam.RolePolicy(
      `${name}-replication-policy`,
      {
        role: role.name,
        policy: replicationPolicy({
          sourceArn: source.bucket.arn,
          replicaArn: replica.bucket.arn,
          sourceKeyArn,
          replicaKeyArn: args.replicaKeyArn,
          region: args.region,
          peerRegion: args.peerRegion,
        }),
      },
      { parent: this },
    );

    new aws.s3.BucketReplicationConfig(
      `${name}-replication`,
      {
        bucket: source.bucket.id,
        role: role.arn,
        region: args.region,
        rules: [
          {
            id: "replicate-everything-to-peer-region",
            status: "Enabled",
            priority: 0,
            // An (empty) filter selects the V2 rule schema, which RTC and delete-marker replication need.
            filter: {},
            deleteMarkerReplication: { status: "Enabled" },
            sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
            destination: {
              bucket: replica.bucket.arn,
              storageClass: "STANDARD",
              encryptionConfiguration: { replicaKmsKeyId: args.replicaKeyArn },
              replicationTime: { status: "Enabled", time: { minutes: REPLICATION_TIME_MINUTES } },
              metrics: { status: "Enabled", eventThreshold: { minutes: REPLICATION_TIME_MINUTES } },
            },
          },
        ],
      },
      // S3 refuses a replication configuration until both buckets are versioned.
      { parent: this, dependsOn: [source.versioning, replica.versioning, rolePolicy] },
    );

    this.region = args.region;
    this.replicaRegion = args.peerRegion;
    this.bucketName = source.bucket.bucket;
    this.bucketArn = source.bucket.arn;
    this.replicaBucketName = replica.bucket.bucket;
    this.replicaBucketArn = replica.bucket.arn;
    this.keyArn = pulumi.output(sourceKeyArn ?? "");
    this.replicaKeyArn = pulumi.output(args.replicaKeyArn);
    this.registerOutputs({
      bucketName: this.bucketName,
      bucketArn: this.bucketArn,
      replicaBucketName: this.replicaBucketName,
      replicaBucketArn: this.replicaBucketArn,
    });
  }

  /** A bucket and the configuration resources that harden it; `prefix` names every child. */
  private hardenedBucket(
    prefix: string,
    a: {
      region: string;
      /** Undefined: SSE-S3 (AES256). */
      keyArn: pulumi.Input<string> | undefined;
      noncurrentDays: number;
      expirationDays: number | undefined;
      statements?: PolicyStatementsFor;
      protect: boolean;
      tags: Readonly<Record<string, string>>;
    },
  ): { bucket: aws.s3.Bucket; versioning: aws.s3.BucketVersioning } {
    const parent = { parent: this };
    const region = a.region;
    const bucket = new aws.s3.Bucket(
      `${prefix}-bucket`,
      { region, forceDestroy: false, tags: a.tags },
      { parent: this, protect: a.protect },
    );
    const publicAccess = new aws.s3.BucketPublicAccessBlock(
      `${prefix}-public-access`,
      {
        bucket: bucket.id,
        region,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      },
      parent,
    );
    new aws.s3.BucketOwnershipControls(
      `${prefix}-ownership`,
      { bucket: bucket.id, region, rule: { objectOwnership: "BucketOwnerEnforced" } },
      parent,
    );
    const versioning = new aws.s3.BucketVersioning(
      `${prefix}-versioning`,
      { bucket: bucket.id, region, versioningConfiguration: { status: "Enabled" } },
      parent,
    );
    new aws.s3.BucketServerSideEncryptionConfiguration(
      `${prefix}-encryption`,
      {
        bucket: bucket.id,
        region,
        rules: [
          a.keyArn === undefined
            ? { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }
            : {
                // The bucket key cuts KMS requests (and their cost and throttling) by ~99%.
                bucketKeyEnabled: true,
                applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: a.keyArn },
              },
        ],
      },
      parent,
    );
    new aws.s3.BucketPolicy(
      `${prefix}-policy`,
      {
        bucket: bucket.id,
        region,
        policy: pulumi.jsonStringify({
          Version: "2012-10-17",
          Statement: [tlsOnlyStatement(bucket.arn), ...(a.statements?.(bucket.arn) ?? [])],
        }),
      },
      // Applying a policy while the public access block is being set races in S3.
      { parent: this, dependsOn: [publicAccess] },
    );
    new aws.s3.BucketLifecycleConfiguration(
      `${prefix}-lifecycle`,
      {
        bucket: bucket.id,
        region,
        rules: [
          {
            id: "expire-noncurrent-versions",
            status: "Enabled",
            filter: {},
            ...(a.expirationDays === undefined ? {} : { expiration: { days: a.expirationDays } }),
            noncurrentVersionExpiration: { noncurrentDays: a.noncurrentDays },
            abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
          },
        ],
      },
      { parent: this, dependsOn: [versioning] },
    );
    return { bucket, versioning };
  }
}

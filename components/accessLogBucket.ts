import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/**
 * Tag that marks the one bucket allowed to use SSE-S3 instead of a customer-managed key, with the
 * reason; the policy pack reports it as an explained exception rather than skipping it.
 */
export const SSE_S3_REASON_TAG = "payments-dr:sse-s3-reason";
export const ALB_LOGS_SSE_S3_REASON = "ALB access log delivery supports only SSE-S3 AES256 encryption";

export interface AccessLogBucketArgs {
  readonly region: string;
  /** Home of the replica: access logs are audit evidence and must survive the loss of the Region. */
  readonly peerRegion: string;
  /** KMS key in `peerRegion` for the replica bucket. */
  readonly replicaKeyArn: pulumi.Input<string>;
  readonly retentionDays: number;
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * The access-log bucket and its replica in the peer Region.
 *
 * SSE-S3, not SSE-KMS, on the source: ELB can only deliver access logs to SSE-S3 buckets (ELB user
 * guide, "Enable access logs": "The only server-side encryption option that's supported is Amazon
 * S3-managed keys"). Everything else is locked down: no public access, TLS only, writes only from
 * ELB log delivery under this account's prefix, objects owned by the bucket owner, versioning, and
 * replication to a peer-Region bucket whose default encryption is the peer Region's key.
 */
export function accessLogBucket(name: string, args: AccessLogBucketArgs, parent: pulumi.Resource) {
  const source = lockedBucket(
    `${name}-access-logs`,
    args.region,
    { sseAlgorithm: "AES256" },
    args.retentionDays,
    { ...args.tags, [SSE_S3_REASON_TAG]: ALB_LOGS_SSE_S3_REASON },
    parent,
  );
  const replica = lockedBucket(
    `${name}-access-logs-replica`,
    args.peerRegion,
    { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.replicaKeyArn },
    args.retentionDays,
    args.tags,
    parent,
  );

  const elbAccount = aws.elb.getServiceAccountOutput({ region: args.region }, { parent });
  const identity = aws.getCallerIdentityOutput({}, { parent });
  const policy = new aws.s3.BucketPolicy(
    `${name}-access-logs-policy`,
    {
      bucket: source.bucket.bucket,
      policy: pulumi
        .all([source.bucket.arn, elbAccount.arn, identity.accountId])
        .apply(([arn, elbArn, account]) => accessLogBucketPolicy(arn, elbArn, account)),
      region: args.region,
    },
    { parent, dependsOn: [source.publicAccess] },
  );
  new aws.s3.BucketPolicy(
    `${name}-access-logs-replica-policy`,
    {
      bucket: replica.bucket.bucket,
      policy: replica.bucket.arn.apply((arn) =>
        JSON.stringify({ Version: "2012-10-17", Statement: [tlsOnlyStatement(arn)] }),
      ),
      region: args.peerRegion,
    },
    { parent, dependsOn: [replica.publicAccess] },
  );

  const role = new aws.iam.Role(
    `${name}-access-logs-replication-role`,
    {
      description: `Replicates ALB access logs from ${args.region} to ${args.peerRegion}`,
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Principal: { Service: "s3.amazonaws.com" }, Action: "sts:AssumeRole" },
        ],
      }),
      tags: args.tags,
    },
    { parent },
  );
  const rolePolicy = new aws.iam.RolePolicy(
    `${name}-access-logs-replication-policy`,
    {
      role: role.name,
      policy: pulumi
        .all([source.bucket.arn, replica.bucket.arn, args.replicaKeyArn])
        .apply(([from, to, key]) => JSON.stringify(replicationPolicy(from, to, key, args.peerRegion))),
    },
    { parent },
  );
  new aws.s3.BucketReplicationConfig(
    `${name}-access-logs-replication`,
    {
      bucket: source.bucket.bucket,
      role: role.arn,
      rules: [
        {
          id: "access-logs-to-peer-region",
          status: "Enabled",
          priority: 0,
          filter: {},
          deleteMarkerReplication: { status: "Enabled" },
          // The logs are SSE-S3; the criterion is what lets S3 accept a destination key at all.
          sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
          destination: {
            bucket: replica.bucket.arn,
            storageClass: "STANDARD",
            encryptionConfiguration: { replicaKmsKeyId: args.replicaKeyArn },
          },
        },
      ],
      region: args.region,
    },
    { parent, dependsOn: [source.versioning, replica.versioning, rolePolicy] },
  );
  return { bucket: source.bucket, replicaBucket: replica.bucket, policy };
}

/** A bucket with public access blocked, owner-enforced objects, versioning, encryption and expiry. */
function lockedBucket(
  prefix: string,
  region: string,
  encryption: { sseAlgorithm: string; kmsMasterKeyId?: pulumi.Input<string> },
  retentionDays: number,
  tags: Readonly<Record<string, string>>,
  parent: pulumi.Resource,
) {
  const bucket = new aws.s3.Bucket(prefix, { region, tags }, { parent });
  new aws.s3.BucketServerSideEncryptionConfiguration(
    `${prefix}-encryption`,
    {
      bucket: bucket.bucket,
      rules: [
        {
          applyServerSideEncryptionByDefault: encryption,
          ...(encryption.kmsMasterKeyId ? { bucketKeyEnabled: true } : {}),
        },
      ],
      region,
    },
    { parent },
  );
  const publicAccess = new aws.s3.BucketPublicAccessBlock(
    `${prefix}-public-access`,
    {
      bucket: bucket.bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
      region,
    },
    { parent },
  );
  new aws.s3.BucketOwnershipControls(
    `${prefix}-ownership`,
    { bucket: bucket.bucket, rule: { objectOwnership: "BucketOwnerEnforced" }, region },
    { parent },
  );
  const versioning = new aws.s3.BucketVersioning(
    `${prefix}-versioning`,
    { bucket: bucket.bucket, versioningConfiguration: { status: "Enabled" }, region },
    { parent },
  );
  new aws.s3.BucketLifecycleConfiguration(
    `${prefix}-lifecycle`,
    {
      bucket: bucket.bucket,
      rules: [
        {
          id: "expire-access-logs",
          status: "Enabled",
          filter: {},
          expiration: { days: retentionDays },
          noncurrentVersionExpiration: { noncurrentDays: 7 },
          abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
        },
      ],
      region,
    },
    { parent, dependsOn: [versioning] },
  );
  return { bucket, publicAccess, versioning };
}

function tlsOnlyStatement(bucketArn: string) {
  return {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: [bucketArn, `${bucketArn}/*`],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
}

/**
 * Who may write: the Region's ELB account (Regions opened before August 2022) and the ELB log
 * delivery service principal (newer Regions), only under `alb/AWSLogs/<account>/`.
 */
export function accessLogBucketPolicy(bucketArn: string, elbAccountArn: string, accountId: string): string {
  const logs = `${bucketArn}/alb/AWSLogs/${accountId}/*`;
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ElbAccountWritesLogs",
        Effect: "Allow",
        Principal: { AWS: elbAccountArn },
        Action: "s3:PutObject",
        Resource: logs,
      },
      {
        Sid: "ElbLogDeliveryWritesLogs",
        Effect: "Allow",
        Principal: { Service: "logdelivery.elasticloadbalancing.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: logs,
      },
      tlsOnlyStatement(bucketArn),
    ],
  });
}

/** Read the source's versions, write replicas, use the replica key only through S3 in its Region. */
export function replicationPolicy(
  sourceArn: string,
  replicaArn: string,
  replicaKeyArn: string,
  peerRegion: string,
) {
  return {
    Version: "2012-10-17",
    Statement: [
      { Effect: "Allow", Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"], Resource: sourceArn },
      {
        Effect: "Allow",
        Action: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
        Resource: `${sourceArn}/*`,
      },
      {
        Effect: "Allow",
        Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"],
        Resource: `${replicaArn}/*`,
      },
      {
        Effect: "Allow",
        Action: ["kms:Encrypt", "kms:GenerateDataKey"],
        Resource: replicaKeyArn,
        Condition: { StringEquals: { "kms:ViaService": `s3.${peerRegion}.amazonaws.com` } },
      },
    ],
  };
}

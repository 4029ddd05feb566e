import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/**
 * Tag that marks the one bucket allowed to use SSE-S3 instead of a customer-managed key, with the
 * reason; the policy pack reports it as an explained exception rather than skipping it.
 */
export const SSE_S3_REASON_TAG = "payments-dr:sse-s3-reason";
export const ALB_LOGS_SSE_S3_REASON = "ALB access log delivery supports only SSE-S3 AES256 encryption";

/**
 * The access-log bucket. SSE-S3, not SSE-KMS: ELB can only deliver access logs to SSE-S3 buckets
 * (ELB user guide, "Enable access logs": "The only server-side encryption option that's supported
 * is Amazon S3-managed keys"). Everything else is locked down: no public access, TLS only, writes
 * only from ELB log delivery for this account's prefix, objects owned by the bucket owner.
 */
export function accessLogBucket(
  name: string,
  retentionDays: number,
  region: string | undefined,
  tags: Readonly<Record<string, string>>,
  parent: pulumi.Resource,
) {
  const bucket = new aws.s3.Bucket(
    `${name}-access-logs`,
    { region, tags: { ...tags, [SSE_S3_REASON_TAG]: ALB_LOGS_SSE_S3_REASON } },
    { parent },
  );
  new aws.s3.BucketServerSideEncryptionConfiguration(
    `${name}-access-logs-encryption`,
    {
      bucket: bucket.bucket,
      rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
      region,
    },
    { parent },
  );
  const publicAccess = new aws.s3.BucketPublicAccessBlock(
    `${name}-access-logs-public-access`,
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
    `${name}-access-logs-ownership`,
    { bucket: bucket.bucket, rule: { objectOwnership: "BucketOwnerEnforced" }, region },
    { parent },
  );
  new aws.s3.BucketLifecycleConfiguration(
    `${name}-access-logs-lifecycle`,
    {
      bucket: bucket.bucket,
      rules: [
        {
          id: "expire-access-logs",
          status: "Enabled",
          filter: {},
          expiration: { days: retentionDays },
          abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
        },
      ],
      region,
    },
    { parent },
  );
  const elbAccount = aws.elb.getServiceAccountOutput({ region }, { parent });
  const identity = aws.getCallerIdentityOutput({}, { parent });
  const policy = new aws.s3.BucketPolicy(
    `${name}-access-logs-policy`,
    {
      bucket: bucket.bucket,
      policy: pulumi
        .all([bucket.arn, elbAccount.arn, identity.accountId])
        .apply(([arn, elbArn, account]) => accessLogBucketPolicy(arn, elbArn, account)),
      region,
    },
    { parent, dependsOn: [publicAccess] },
  );
  return { bucket, policy };
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

/**
 * The policy documents of an ObjectStore, as pure functions of ARNs: the TLS-only bucket policy
 * statement and the replication role's least-privilege policy; and the check of its encryption args.
 */
import * as pulumi from "@pulumi/pulumi";

/**
 * Tag that marks a bucket allowed to use SSE-S3 instead of a customer-managed key, with the reason;
 * the policy pack reports it as an explained exception rather than skipping it.
 */
export const SSE_S3_REASON_TAG = "payments-dr:sse-s3-reason";

/** One bucket policy statement; values may be Outputs (e.g. a role ARN created elsewhere). */
export type PolicyStatement = Readonly<Record<string, pulumi.Input<unknown>>>;

/** Denies every request that does not arrive over TLS, on the bucket and its objects. */
export function tlsOnlyStatement(bucketArn: pulumi.Input<string>): PolicyStatement {
  return {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: [bucketArn, pulumi.interpolate`${bucketArn}/*`],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
}

/**
 * What S3 replication needs and nothing more: read the source's versions, write replicas, and
 * use each key only through S3 in its own Region for this bucket (bucket keys make the bucket
 * ARN the encryption context).
 */
export function replicationPolicy(a: {
  sourceArn: pulumi.Input<string>;
  replicaArn: pulumi.Input<string>;
  /** Undefined for an SSE-S3 source: S3 then needs no key to read it. */
  sourceKeyArn: pulumi.Input<string> | undefined;
  replicaKeyArn: pulumi.Input<string>;
  region: string;
  peerRegion: string;
}): pulumi.Output<string> {
  return pulumi.jsonStringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ReadSourceConfiguration",
        Effect: "Allow",
        Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"],
        Resource: a.sourceArn,
      },
      {
        Sid: "ReadSourceVersions",
        Effect: "Allow",
        Action: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
        Resource: pulumi.interpolate`${a.sourceArn}/*`,
      },
      {
        Sid: "WriteReplicas",
        Effect: "Allow",
        Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"],
        Resource: pulumi.interpolate`${a.replicaArn}/*`,
      },
      ...(a.sourceKeyArn === undefined ? [] : [decryptSource(a.sourceArn, a.sourceKeyArn, a.region)]),
      {
        Sid: "EncryptReplicas",
        Effect: "Allow",
        Action: ["kms:Encrypt", "kms:GenerateDataKey"],
        Resource: a.replicaKeyArn,
        Condition: {
          StringEquals: { "kms:ViaService": `s3.${a.peerRegion}.amazonaws.com` },
          StringLike: {
            "kms:EncryptionContext:aws:s3:arn": [a.replicaArn, pulumi.interpolate`${a.replicaArn}/*`],
          },
        },
      },
    ],
  });
}

/** Decrypt SSE-KMS source objects, only through S3 in the source Region, for this bucket. */
function decryptSource(
  sourceArn: pulumi.Input<string>,
  sourceKeyArn: pulumi.Input<string>,
  region: string,
): PolicyStatement {
  return {
    Sid: "DecryptSourceObjects",
    Effect: "Allow",
    Action: "kms:Decrypt",
    Resource: sourceKeyArn,
    Condition: {
      StringEquals: { "kms:ViaService": `s3.${region}.amazonaws.com` },
      StringLike: {
        "kms:EncryptionContext:aws:s3:arn": [sourceArn, pulumi.interpolate`${sourceArn}/*`],
      },
    },
  };
}

/** The source bucket's key, or undefined for SSE-S3; refuses a store with neither or both. */
export function validateObjectStoreEncryption(
  name: string,
  args: { keyArn?: pulumi.Input<string>; sseS3Reason?: string },
): pulumi.Input<string> | undefined {
  const reason = args.sseS3Reason?.trim();
  if (args.sseS3Reason !== undefined && !reason) {
    throw new Error(
      `ObjectStore ${name}: sseS3Reason is empty: state why the bucket cannot use SSE-KMS, or omit it.`,
    );
  }
  if (reason && args.keyArn !== undefined) {
    throw new Error(`ObjectStore ${name}: give keyArn (SSE-KMS) or sseS3Reason (SSE-S3), not both.`);
  }
  if (!reason && args.keyArn === undefined) {
    throw new Error(`ObjectStore ${name}: keyArn is missing: pass the objects key of the bucket's Region.`);
  }
  return reason ? undefined : args.keyArn;
}

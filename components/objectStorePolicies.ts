/**
 * The policy documents of an ObjectStore, as pure functions of ARNs: the TLS-only bucket policy
 * statement and the replication role's least-privilege policy.
 */
import * as pulumi from "@pulumi/pulumi";

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
  sourceKeyArn: pulumi.Input<string>;
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
      {
        Sid: "DecryptSourceObjects",
        Effect: "Allow",
        Action: "kms:Decrypt",
        Resource: a.sourceKeyArn,
        Condition: {
          StringEquals: { "kms:ViaService": `s3.${a.region}.amazonaws.com` },
          StringLike: {
            "kms:EncryptionContext:aws:s3:arn": [a.sourceArn, pulumi.interpolate`${a.sourceArn}/*`],
          },
        },
      },
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

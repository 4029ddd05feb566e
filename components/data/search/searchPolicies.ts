/**
 * IAM documents of an OpenSearch domain: its access policy, and the role OpenSearch assumes to
 * write manual snapshots.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/**
 * The domain's access policy. IAM lets the account's principals through on the domain's paths;
 * fine-grained access control decides what each may do. Cross-cluster replication also needs
 * `es:ESCrossClusterGet` on the leader's bare domain ARN (not `domain/*`): granted on both domains,
 * so after a failback the former follower can lead.
 */
export function searchAccessPolicy(
  accountId: pulumi.Input<string>,
  domainArn: pulumi.Input<string>,
): pulumi.Output<string> {
  return pulumi.all([accountId, domainArn]).apply(([account, arn]) =>
    JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { AWS: `arn:aws:iam::${account}:root` },
          Action: "es:ESHttp*",
          Resource: `${arn}/*`,
        },
        // As the OpenSearch guide's cross-cluster replication policy gives it: the follower domain
        // makes these calls, not an IAM principal of this account. Only connections this domain's
        // owner accepted can use it, and fine-grained access control still maps the caller.
        {
          Effect: "Allow",
          Principal: { AWS: "*" },
          Action: "es:ESCrossClusterGet",
          Resource: arn,
        },
      ],
    }),
  );
}

/**
 * The role OpenSearch assumes to write manual snapshots into the bucket. The bucket encrypts by
 * default with SSE-KMS (the objects key, S3 Bucket Key on): writing needs `kms:GenerateDataKey`,
 * reading (restore, listing shard metadata) `kms:Decrypt`, both only through S3 in the Region.
 */
export function searchSnapshotRole(
  name: string,
  domainName: string,
  region: string,
  bucket: {
    readonly bucketArn: pulumi.Input<string>;
    readonly kmsKeyArn: pulumi.Input<string>;
  },
  tags: Readonly<Record<string, string>>,
  parent: pulumi.Resource,
): aws.iam.Role {
  return new aws.iam.Role(
    `${name}-snapshot-role`,
    {
      description: `OpenSearch writes manual snapshots of ${domainName} to S3`,
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Principal: { Service: "es.amazonaws.com" }, Action: "sts:AssumeRole" },
        ],
      }),
      inlinePolicies: [
        {
          name: "snapshot-bucket",
          policy: pulumi.all([bucket.bucketArn, bucket.kmsKeyArn]).apply(([bucketArn, keyArn]) =>
            JSON.stringify({
              Version: "2012-10-17",
              Statement: [
                { Effect: "Allow", Action: ["s3:ListBucket"], Resource: bucketArn },
                {
                  Effect: "Allow",
                  Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
                  Resource: `${bucketArn}/*`,
                },
                {
                  Effect: "Allow",
                  Action: ["kms:GenerateDataKey", "kms:Decrypt"],
                  Resource: keyArn,
                  Condition: { StringEquals: { "kms:ViaService": `s3.${region}.amazonaws.com` } },
                },
              ],
            }),
          ),
        },
      ],
      tags,
    },
    { parent },
  );
}

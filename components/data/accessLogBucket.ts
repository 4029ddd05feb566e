import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ObjectStore, PolicyStatementsFor } from "./objectStore";

export const ALB_LOGS_SSE_S3_REASON = "ALB access log delivery supports only SSE-S3 AES256 encryption";

/** Key prefix the load balancer writes its logs under. */
export const ACCESS_LOG_PREFIX = "alb";

export interface AccessLogStoreArgs {
  readonly region: string;
  /** Home of the replica: access logs are audit evidence and must survive the loss of the Region. */
  readonly peerRegion: string;
  /** KMS key in `peerRegion`: the replica bucket's default encryption. */
  readonly replicaKeyArn: pulumi.Input<string>;
  /** Days access logs are kept, in both Regions. */
  readonly retentionDays: number;
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * The ALB access-log store: an ObjectStore (public access blocked, owner-enforced objects,
 * versioning, TLS only, replication with RTC to the peer Region) whose source bucket uses SSE-S3,
 * because ELB delivers access logs only to SSE-S3 buckets (ELB user guide, "Enable access logs").
 * The `payments-dr:sse-s3-reason` tag records why; the policy pack reports it on every run.
 * Replicated log objects keep their SSE-S3 encryption: S3 replication preserves the source
 * object's encryption, so the replica's default key covers nothing written there by replication.
 */
export function accessLogStore(name: string, args: AccessLogStoreArgs, parent: pulumi.Resource): ObjectStore {
  const elbAccount = aws.elb.getServiceAccountOutput({ region: args.region }, { parent });
  const identity = aws.getCallerIdentityOutput({}, { parent });
  return new ObjectStore(
    `${name}-access-logs`,
    {
      region: args.region,
      peerRegion: args.peerRegion,
      sseS3Reason: ALB_LOGS_SSE_S3_REASON,
      replicaKeyArn: args.replicaKeyArn,
      currentVersionExpirationDays: args.retentionDays,
      noncurrentVersionRetentionDays: 7,
      policyStatements: elbLogDelivery(elbAccount.arn, identity.accountId),
      tags: args.tags,
    },
    { parent },
  );
}

/**
 * Who may write: the Region's ELB account (Regions opened before August 2022) and the ELB log
 * delivery service principal (newer Regions), only under `alb/AWSLogs/<account>/`.
 */
export function elbLogDelivery(
  elbAccountArn: pulumi.Input<string>,
  accountId: pulumi.Input<string>,
): PolicyStatementsFor {
  return (bucketArn) => {
    const logs = pulumi.interpolate`${bucketArn}/${ACCESS_LOG_PREFIX}/AWSLogs/${accountId}/*`;
    return [
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
    ];
  };
}

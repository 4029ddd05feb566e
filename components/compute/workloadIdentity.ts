import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PAYMENTS_ACCEPTED_METRIC } from "../../model/workload";

/** Where the reference service writes landing objects (app/payments.ts): the only prefix it may put to. */
export const LANDING_PREFIX = "payments/";

/** Everything the payments pods reach, all in `region` (resolved values). */
export interface WorkloadAccess {
  readonly region: string;
  readonly accountId: string;
  readonly clusterArn: string;
  /** `db-...`, the RDS instance's resource id. */
  readonly databaseResourceId: string;
  readonly databaseUser: string;
  readonly cacheReplicationGroupId: string;
  readonly cacheUserId: string;
  readonly landingBucketArn: string;
  readonly landingKeyArn: string;
  readonly topicArn: string;
  readonly messagingKeyArn: string;
  /** Regions PaymentsAccepted is put to; the first is `region`. */
  readonly metricRegions: readonly string[];
}

/**
 * EKS Pod Identity's trust: the `pods.eks.amazonaws.com` service may assume the role (and tag the
 * session) only for this account's cluster, and only for the payments service account, by the
 * session tags Pod Identity sets.
 */
export function podIdentityTrustPolicy(args: {
  accountId: string;
  clusterArn: string;
  namespace: string;
  serviceAccount: string;
}): Record<string, unknown> {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "EksPodIdentityForThePaymentsServiceAccount",
        Effect: "Allow",
        Principal: { Service: "pods.eks.amazonaws.com" },
        Action: ["sts:AssumeRole", "sts:TagSession"],
        Condition: {
          StringEquals: {
            "aws:SourceAccount": args.accountId,
            "aws:RequestTag/kubernetes-namespace": args.namespace,
            "aws:RequestTag/kubernetes-service-account": args.serviceAccount,
          },
          ArnEquals: { "aws:SourceArn": args.clusterArn },
        },
      },
    ],
  };
}

/** The pods' permissions: each statement names only this Region's resources. */
export function workloadPolicy(a: WorkloadAccess): Record<string, unknown> {
  const arn = (service: string, resource: string) =>
    `arn:aws:${service}:${a.region}:${a.accountId}:${resource}`;
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ConnectToItsDatabaseWithIam",
        Effect: "Allow",
        Action: "rds-db:connect",
        Resource: arn("rds-db", `dbuser:${a.databaseResourceId}/${a.databaseUser}`),
      },
      {
        Sid: "ConnectToItsCacheWithIam",
        Effect: "Allow",
        Action: "elasticache:Connect",
        Resource: [
          arn("elasticache", `replicationgroup:${a.cacheReplicationGroupId}`),
          arn("elasticache", `user:${a.cacheUserId}`),
        ],
      },
      {
        Sid: "PutLandingObjects",
        Effect: "Allow",
        Action: "s3:PutObject",
        Resource: `${a.landingBucketArn}/${LANDING_PREFIX}*`,
      },
      {
        Sid: "PublishIngestPointers",
        Effect: "Allow",
        Action: ["sns:Publish", "sns:GetTopicAttributes"],
        Resource: a.topicArn,
      },
      {
        Sid: "EncryptLandingObjectsThroughS3",
        Effect: "Allow",
        Action: "kms:GenerateDataKey",
        Resource: a.landingKeyArn,
        Condition: { StringEquals: { "kms:ViaService": `s3.${a.region}.amazonaws.com` } },
      },
      {
        Sid: "EncryptIngestMessagesThroughSns",
        Effect: "Allow",
        Action: ["kms:GenerateDataKey", "kms:Decrypt"],
        Resource: a.messagingKeyArn,
        Condition: { StringEquals: { "kms:ViaService": `sns.${a.region}.amazonaws.com` } },
      },
      {
        // PutMetricData has no resource-level permission: the namespace and the Regions bound it.
        Sid: "PutPaymentsAcceptedMetric",
        Effect: "Allow",
        Action: "cloudwatch:PutMetricData",
        Resource: "*",
        Condition: {
          StringEquals: {
            "cloudwatch:namespace": PAYMENTS_ACCEPTED_METRIC.namespace,
            "aws:RequestedRegion": [...a.metricRegions],
          },
        },
      },
    ],
  };
}

type Inputs<T> = { readonly [K in keyof T]: pulumi.Input<T[K]> };

export interface WorkloadIdentityArgs extends Inputs<Omit<WorkloadAccess, "metricRegions" | "region">> {
  readonly region: string;
  readonly clusterName: pulumi.Input<string>;
  readonly namespace: string;
  readonly serviceAccount: string;
  /** @default [region] */
  readonly metricRegions?: readonly string[];
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * The payments pods' AWS identity through EKS Pod Identity: a role only Pod Identity may assume,
 * for this cluster's payments service account, with least-privilege access to this Region's
 * database (RDS IAM auth), cache (ElastiCache IAM auth), landing bucket, ingest topic, their keys
 * and the PaymentsAccepted metric; and the association that binds it to the service account.
 */
export class WorkloadIdentity extends pulumi.ComponentResource {
  public readonly roleArn: pulumi.Output<string>;
  public readonly associationId: pulumi.Output<string>;

  constructor(name: string, args: WorkloadIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
    super("payments-dr:components:WorkloadIdentity", name, {}, opts);
    const { region } = args;
    const metricRegions = args.metricRegions ?? [region];
    if (metricRegions[0] !== region) {
      throw new Error(
        `Invalid metricRegions ${JSON.stringify(metricRegions)}: expected the identity's own Region ${region} first`,
      );
    }
    const child = { parent: this };
    const tags = args.tags ?? {};
    const role = new aws.iam.Role(
      `${name}-role`,
      {
        description: `payments pods (${args.namespace}/${args.serviceAccount}) in ${region}, through EKS Pod Identity`,
        assumeRolePolicy: pulumi.all([args.accountId, args.clusterArn]).apply(([accountId, clusterArn]) =>
          JSON.stringify(
            podIdentityTrustPolicy({
              accountId,
              clusterArn,
              namespace: args.namespace,
              serviceAccount: args.serviceAccount,
            }),
          ),
        ),
        tags,
      },
      child,
    );
    const policy = new aws.iam.RolePolicy(
      `${name}-policy`,
      {
        role: role.name,
        policy: pulumi
          .all([
            args.accountId,
            args.clusterArn,
            args.databaseResourceId,
            args.databaseUser,
            args.cacheReplicationGroupId,
            args.cacheUserId,
            args.landingBucketArn,
            args.landingKeyArn,
            args.topicArn,
            args.messagingKeyArn,
          ])
          .apply(
            ([
              accountId,
              clusterArn,
              databaseResourceId,
              databaseUser,
              cacheReplicationGroupId,
              cacheUserId,
              landingBucketArn,
              landingKeyArn,
              topicArn,
              messagingKeyArn,
            ]) =>
              JSON.stringify(
                workloadPolicy({
                  region,
                  accountId,
                  clusterArn,
                  databaseResourceId,
                  databaseUser,
                  cacheReplicationGroupId,
                  cacheUserId,
                  landingBucketArn,
                  landingKeyArn,
                  topicArn,
                  messagingKeyArn,
                  metricRegions,
                }),
              ),
          ),
      },
      child,
    );
    const association = new aws.eks.PodIdentityAssociation(
      `${name}-association`,
      {
        clusterName: args.clusterName,
        namespace: args.namespace,
        serviceAccount: args.serviceAccount,
        roleArn: role.arn,
        region,
        tags,
      },
      // The pods get credentials only once the permissions exist.
      { ...child, dependsOn: [policy] },
    );
    this.roleArn = role.arn;
    this.associationId = association.associationId;
    this.registerOutputs({ roleArn: this.roleArn, associationId: this.associationId });
  }
}

/**
 * The payments pods' AWS identity in this stack's Region (components/compute/workloadIdentity.ts),
 * scoped to this Region's database, cache, landing bucket, ingest topic and their keys.
 */
import * as pulumi from "@pulumi/pulumi";
import { DEFAULT_DATABASE_USER } from "../app/config";
import { WorkloadIdentity } from "../components/compute/workloadIdentity";
import { ObjectStore } from "../components/data/objectStore";
import { PAYMENTS_NAMESPACE, PAYMENTS_SERVICE_ACCOUNT } from "../model/workload";
import { StackConfig } from "./config";
import { StackContext } from "./context";
import { DataTier } from "./dataTier";

/**
 * Where PaymentsAccepted is put: the primary's service also puts it to the dr Region, where the
 * anomaly alarm watches the primary's business (CloudWatch alarms read only their own Region);
 * the dr service puts it to its own Region only. The reference service's METRIC_REGIONS and the
 * identity's `aws:RequestedRegion` condition both come from here.
 */
export function paymentsMetricRegions(config: Pick<StackConfig, "role" | "region" | "peerRegion">): string[] {
  return config.role === "primary" ? [config.region, config.peerRegion] : [config.region];
}

export interface WorkloadIdentityDeps {
  readonly clusterName: pulumi.Input<string>;
  readonly workload: NonNullable<DataTier["workload"]>;
  readonly landing: ObjectStore;
  readonly topicArn: pulumi.Input<string>;
}

export interface WorkloadIdentityOutputs {
  readonly workloadIdentity: {
    roleArn: pulumi.Output<string>;
    associationId: pulumi.Output<string>;
    namespace: string;
    serviceAccount: string;
    metricRegions: string[];
  };
}

export function composeWorkloadIdentity(
  ctx: StackContext,
  deps: WorkloadIdentityDeps,
): { identity: WorkloadIdentity; outputs: WorkloadIdentityOutputs } {
  const { config } = ctx;
  const metricRegions = paymentsMetricRegions(config);
  const clusterArn = pulumi.interpolate`arn:aws:eks:${config.region}:${ctx.accountId}:cluster/${deps.clusterName}`;
  const identity = new WorkloadIdentity("payments-identity", {
    region: config.region,
    accountId: ctx.accountId,
    clusterName: deps.clusterName,
    clusterArn,
    namespace: PAYMENTS_NAMESPACE,
    serviceAccount: PAYMENTS_SERVICE_ACCOUNT,
    databaseResourceId: deps.workload.databaseResourceId,
    databaseUser: DEFAULT_DATABASE_USER,
    cacheReplicationGroupId: deps.workload.cacheReplicationGroupId,
    cacheUserId: deps.workload.cacheUserId,
    landingBucketArn: deps.landing.bucketArn,
    landingKeyArn: deps.landing.keyArn,
    topicArn: deps.topicArn,
    messagingKeyArn: ctx.keys.arns.messaging,
    metricRegions,
    tags: ctx.tags,
  });
  return {
    identity,
    outputs: {
      workloadIdentity: {
        roleArn: identity.roleArn,
        associationId: identity.associationId,
        namespace: PAYMENTS_NAMESPACE,
        serviceAccount: PAYMENTS_SERVICE_ACCOUNT,
        metricRegions,
      },
    },
  };
}

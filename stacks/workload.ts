/**
 * The in-cluster layer of a stack: the cluster's Kubernetes provider, its managed add-ons, the
 * default encrypted StorageClass, the AWS Load Balancer Controller and the payments service bound
 * to the load balancer's target group. Everything runs in the stack's own Region against its own
 * cluster (DESIGN.md principles 2 and 9).
 */
import * as pulumi from "@pulumi/pulumi";
import { ClusterAddons } from "../components/compute/addons";
import { clusterProvider } from "../components/compute/kubernetesProvider";
import { LoadBalancerController } from "../components/compute/lbController";
import { Application, PaymentsWorkload, ReferenceBundle } from "../components/compute/paymentsWorkload";
import { encryptedStorageClass } from "../components/compute/storageClass";
import { pullThroughImage, replicasFor } from "../components/compute/workloadSpec";
import {
  LB_CONTROLLER_NAMESPACE,
  LB_CONTROLLER_SERVICE_ACCOUNT,
  PAYMENTS_APP_NAME,
  PAYMENTS_CONTAINER_PORT,
  PAYMENTS_NAMESPACE,
  PAYMENTS_SERVICE_ACCOUNT,
  PROTECTED_VOLUME_TAG,
  PULL_THROUGH_CACHE_PREFIX,
} from "../model/workload";
import { referenceServiceBundle, referenceServiceEnvironment } from "../components/compute/referenceService";
import { ComputeParts } from "./compute";
import { StackContext } from "./context";
import { DataTier } from "./dataTier";
import { paymentsMetricRegions } from "./workloadIdentity";

/** The controller's image under public.ecr.aws, pulled through the Region's cache; tag from the chart. */
export const LB_CONTROLLER_IMAGE_PATH = "eks/aws-load-balancer-controller";

/** The reference service, when the application image is not configured (components/compute/referenceService.ts). */
export interface ReferenceService {
  readonly bundle: ReferenceBundle;
  readonly environment: Record<string, pulumi.Input<string>>;
}

export interface WorkloadOutputs {
  readonly workload: {
    namespace: string;
    deploymentName: string;
    replicas: number;
    image: pulumi.Output<string>;
    lbControllerRoleArn: pulumi.Output<string>;
  };
}

export interface WorkloadDeps {
  /** The image the stack runs, from its own Region's registry (stacks/registry.ts). */
  readonly image: pulumi.Input<string>;
  /** The reference service, run on `image` when no application image is configured. */
  readonly reference?: ReferenceService;
  /**
   * Whether the Region has the database, cache and topic the service works against; without them
   * (a backup-restore standby) the service is not deployed until the failover restores them.
   */
  readonly storesPresent: boolean;
  /** The pods' Pod Identity association (stacks/workloadIdentity.ts): pods wait for it. */
  readonly identity?: pulumi.Resource;
}

export function composeWorkload(
  ctx: StackContext,
  compute: ComputeParts,
  deps: WorkloadDeps,
): { outputs: WorkloadOutputs } {
  const { reference } = deps;
  const { config, tags } = ctx;
  const region = config.region;
  const { eks, ingress } = compute;
  const cluster = eks.cluster;

  const provider = clusterProvider(
    "kubernetes",
    {
      clusterName: cluster.name,
      endpoint: cluster.endpoint,
      certificateAuthorityData: cluster.certificateAuthority.data,
      region,
      roleArn: eks.adminRoleArn,
    },
    { dependsOn: [eks.adminAccess] },
  );

  const addons = new ClusterAddons("cluster-addons", {
    clusterName: cluster.name,
    volumeKeyArn: ctx.keys.arns.data,
    nodeGroup: eks.nodeGroup,
    region,
    tags,
  });

  encryptedStorageClass(
    "storage-class-gp3",
    {
      keyArn: ctx.keys.arns.data,
      volumeTag: PROTECTED_VOLUME_TAG,
      driver: addons.addons["aws-ebs-csi-driver"],
    },
    { provider },
  );

  const cache = (path: string) =>
    ctx.accountId.apply((account) => pullThroughImage(account, region, PULL_THROUGH_CACHE_PREFIX, path));
  const controller = new LoadBalancerController("lb-controller", {
    clusterName: cluster.name,
    vpcId: ctx.network.vpcId,
    targetGroupArn: ingress.targetGroupArn,
    loadBalancerSecurityGroupId: ingress.securityGroupId,
    clusterSecurityGroupId: cluster.vpcConfig.clusterSecurityGroupId,
    podPort: PAYMENTS_CONTAINER_PORT,
    imageRepository: cache(LB_CONTROLLER_IMAGE_PATH),
    namespace: LB_CONTROLLER_NAMESPACE,
    serviceAccount: LB_CONTROLLER_SERVICE_ACCOUNT,
    podIdentityAgent: addons.addons["eks-pod-identity-agent"],
    provider,
    region,
    tags,
  });

  const application = deps.storesPresent
    ? applicationFor(config.workload.image !== undefined, deps.image, reference)
    : undefined;
  const replicas = replicasFor(config.role, config.mode, config.workload);
  if (!application && deps.storesPresent) {
    // Pods that could only crash are not deployed: the Region stays unhealthy, visibly.
    pulumi.log.warn(
      "No payments application: payments-dr:workload.image is not set and the reference service is not wired in " +
        "(stacks/index.ts). Set a digest-pinned image: pulumi config set --path payments-dr:workload.image " +
        "<registry>/<repository>@sha256:<digest>.",
    );
  }
  const workload = application
    ? new PaymentsWorkload("payments", {
        namespace: PAYMENTS_NAMESPACE,
        serviceAccount: PAYMENTS_SERVICE_ACCOUNT,
        appName: PAYMENTS_APP_NAME,
        port: PAYMENTS_CONTAINER_PORT,
        healthCheckPath: config.dns.healthCheckPath,
        replicas,
        application,
        environment: reference?.environment,
        identity: deps.identity,
        targetGroupArn: ingress.targetGroupArn,
        controller: controller.release,
        provider,
      })
    : undefined;

  return {
    outputs: {
      workload: {
        namespace: PAYMENTS_NAMESPACE,
        deploymentName: PAYMENTS_APP_NAME,
        replicas: workload ? workload.replicas : 0,
        image: pulumi.output(imageOf(application)),
        lbControllerRoleArn: controller.roleArn,
      },
    },
  };
}

/**
 * What the Deployment runs: the configured image, else the reference service's bundle on the
 * base image; `undefined` when neither is available to the program.
 */
export function applicationFor(
  imageConfigured: boolean,
  image: pulumi.Input<string>,
  reference: ReferenceService | undefined,
): Application | undefined {
  if (imageConfigured) return { kind: "image", image };
  if (reference) return { kind: "reference", baseImage: image, bundle: reference.bundle };
  return undefined;
}

/** The image the Deployment runs, `none` when there is no application. */
function imageOf(application: Application | undefined): pulumi.Input<string> {
  if (!application) return "none";
  return application.kind === "image" ? application.image : application.baseImage;
}

/**
 * The reference service of this stack: its bundle and the environment naming its own Region's
 * database, cache, topic and landing bucket (the Region principle: no endpoint of the peer).
 */
export function referenceService(
  ctx: StackContext,
  workload: NonNullable<DataTier["workload"]>,
  landing: DataTier["landing"],
  topicArn: pulumi.Input<string>,
): ReferenceService {
  const { config } = ctx;
  return {
    bundle: referenceServiceBundle(),
    environment: referenceServiceEnvironment({
      region: config.region,
      databaseHost: workload.databaseAddress,
      databasePort: workload.databasePort,
      databaseName: workload.databaseName,
      cacheHost: workload.cachePrimaryEndpoint,
      cacheReplicationGroupId: workload.cacheReplicationGroupId,
      cacheUser: workload.cacheUserId,
      topicArn,
      landingBucket: landing.bucketName,
      metricRegions: paymentsMetricRegions(config),
      healthCheckPath: config.dns.healthCheckPath,
    }),
  };
}

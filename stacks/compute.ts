/**
 * Compute and traffic of a stack: the EKS cluster, the load balancer in front of it, this stack's
 * half of the Route 53 failover record set and, on dr, detection of a primary outage from the dr
 * Region (DESIGN.md principles 5 and 6).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Dns } from "../components/traffic/dns";
import { Eks } from "../components/compute/eks";
import { VolumeSnapshots } from "../components/data/volumeSnapshots";
import { PROTECTED_VOLUME_TAG } from "../model/workload";
import { FailoverTrigger } from "../components/failover/failoverTrigger";
import { Ingress } from "../components/traffic/ingress";
import { StackConfig } from "./config";
import { StackContext } from "./context";
import { composeDetection, composeHealthForwarder } from "./detection";
import { composition } from "./strategy";

export interface ComputeDeps {
  /** The failover state table's name (the same in both Regions: a global table). */
  readonly failoverStateTableName: pulumi.Input<string>;
  /** The stack's database instance (the dr replica the failover promotes). */
  readonly databaseInstanceArn: pulumi.Input<string>;
  /** The stack's cache replication group id (the dr member of the Global Datastore). */
  readonly cacheReplicationGroupId: pulumi.Input<string>;
}

export interface ComputeOutputs {
  readonly eks: {
    clusterName: pulumi.Output<string>;
    nodeGroupName: pulumi.Output<string>;
    desiredNodeCount: number;
  };
  readonly ingress: {
    loadBalancerArn: pulumi.Output<string>;
    loadBalancerDnsName: pulumi.Output<string>;
    endpointUrl: string;
  };
  readonly dns: {
    recordFqdn: string;
    healthCheckId: pulumi.Output<string>;
    controlHealthCheckId?: pulumi.Output<string>;
  };
  readonly failoverTrigger?: {
    alarmName: pulumi.Output<string>;
    topicArn: pulumi.Output<string>;
    operatorTopicArn: pulumi.Output<string>;
    functionName: pulumi.Output<string>;
    probeFunctionName: pulumi.Output<string>;
    runnerProjectName?: pulumi.Output<string>;
  };
  readonly healthForwarder?: ReturnType<typeof composeHealthForwarder>["healthForwarder"];
  readonly detection?: ReturnType<typeof composeDetection>["detection"];
}

/** EKS cluster name: `<project>-<stack>`, restricted to the characters EKS accepts. */
export function clusterNameFor(config: Pick<StackConfig, "project" | "stackName">): string {
  return `${config.project}-${config.stackName}`.replace(/[^A-Za-z0-9_-]/g, "-").slice(0, 100);
}

/**
 * The runner's build timeout: twice the RTO target, so a slow failover still reports its timeline,
 * within CodeBuild's 60-480 minute range.
 */
export function runnerTimeoutMinutes(rtoSeconds: number): number {
  return Math.min(480, Math.max(60, Math.ceil((2 * rtoSeconds) / 60)));
}

/** What the workload layer (stacks/workload.ts), the backup selection and the registry build on. */
export interface ComputeParts {
  readonly outputs: ComputeOutputs;
  readonly eks: Eks;
  readonly ingress: Ingress;
}

export function composeCompute(ctx: StackContext, deps: ComputeDeps): ComputeParts {
  const { config, tags } = ctx;
  const region = config.region;
  const recordFqdn = `${config.dns.recordName}.${config.dns.zoneName}`;
  // A configured zone id spares every preview a Route 53 lookup, whose control plane is in us-east-1.
  const zone = config.dns.hostedZoneId
    ? { zoneId: pulumi.output(config.dns.hostedZoneId) }
    : aws.route53.getZoneOutput({ name: config.dns.zoneName, privateZone: false });

  const eks = new Eks("eks", {
    clusterName: clusterNameFor(config),
    kubernetesVersion: config.eks.kubernetesVersion,
    accountId: ctx.accountId,
    subnetIds: ctx.network.privateSubnetIds,
    clusterKeyArn: ctx.keys.arns.cluster,
    logKeyArn: ctx.keys.arns.messaging,
    nodeInstanceType: config.eks.nodeInstanceType,
    nodeVolumeSizeGb: config.eks.nodeVolumeSizeGb,
    size: composition(config).nodeGroup,
    region,
    tags,
  });

  // The EBS volumes the cluster's default StorageClass provisions carry PROTECTED_VOLUME_TAG: DLM
  // snapshots them and copies each snapshot to the peer Region under this stack's backup-copy key.
  new VolumeSnapshots("volume-snapshots", {
    region,
    peerRegion: config.peerRegion,
    targetTags: { [PROTECTED_VOLUME_TAG.key]: PROTECTED_VOLUME_TAG.value },
    intervalHours: config.backup.volumeSnapshotIntervalHours,
    retentionCount: config.backup.volumeSnapshotRetentionCount,
    // The cluster key encrypts the nodes' and the StorageClass's volumes.
    sourceKeyArns: [ctx.keys.arns.cluster],
    peerKeyArn: ctx.keys.peerArns.backup,
    tags,
  });

  const ingress = new Ingress("ingress", {
    vpcId: ctx.network.vpcId,
    vpcCidr: config.network.vpcCidr,
    publicSubnetIds: ctx.network.publicSubnetIds,
    zoneId: zone.zoneId,
    recordFqdn,
    tlsPolicy: config.ingress.tlsPolicy,
    healthCheckPath: config.dns.healthCheckPath,
    deletionProtection: config.protectStatefulResources,
    region,
    peerRegion: config.peerRegion,
    logReplicaKeyArn: ctx.keys.peerArns.objects,
    tags,
  });

  const dns = new Dns("dns", {
    zoneId: zone.zoneId,
    recordFqdn,
    failoverRole: config.role === "primary" ? "PRIMARY" : "SECONDARY",
    setIdentifier: `${config.role}-${region}`,
    loadBalancerDnsName: ingress.loadBalancerDnsName,
    loadBalancerZoneId: ingress.loadBalancerZoneId,
    healthCheckPath: config.dns.healthCheckPath,
    failureThreshold: config.dns.healthCheckFailureThreshold,
    withControl: config.role === "primary",
    tags,
  });

  const outputs: ComputeOutputs = {
    eks: {
      clusterName: eks.clusterName,
      nodeGroupName: eks.nodeGroupName,
      desiredNodeCount: eks.desiredNodeCount,
    },
    ingress: {
      loadBalancerArn: ingress.loadBalancerArn,
      loadBalancerDnsName: ingress.loadBalancerDnsName,
      endpointUrl: ingress.endpointUrl,
    },
    dns: {
      recordFqdn: dns.recordFqdn,
      healthCheckId: dns.healthCheckId,
      ...(dns.controlHealthCheckId ? { controlHealthCheckId: dns.controlHealthCheckId } : {}),
    },
  };
  if (config.role === "primary") {
    return { outputs: { ...outputs, ...composeHealthForwarder(ctx) }, eks, ingress };
  }
  if (config.role !== "dr" || !ctx.primary) return { outputs, eks, ingress };

  const automatic = config.failover.mode === "automatic";
  const trigger = new FailoverTrigger("failover-trigger", {
    region,
    accountId: ctx.accountId,
    stackName: config.stackName,
    mode: config.failover.mode,
    primaryLoadBalancerDnsName: ctx.primary.require("ingress.loadBalancerDnsName"),
    endpointHostName: recordFqdn,
    healthCheckPath: config.dns.healthCheckPath,
    evaluationPeriods: config.dns.healthCheckFailureThreshold,
    armAfterHealthyMinutes: config.failover.armAfterHealthyMinutes,
    alarmName: `${clusterNameFor(config)}-primary-endpoint-down`,
    messagingKeyArn: ctx.keys.arns.messaging,
    operatorEmail: config.failover.operatorEmail,
    runner: automatic
      ? {
          projectName: `${clusterNameFor(config)}-failover`,
          stateTableName: deps.failoverStateTableName,
          controlHealthCheckId: ctx.primary.require("dns.controlHealthCheckId"),
          clusterName: eks.clusterName,
          objectsKeyArn: ctx.keys.arns.objects,
          peerRegion: config.peerRegion,
          replicaKeyArn: ctx.keys.peerArns.objects,
          peerDataKeyArn: ctx.keys.peerArns.data,
          databaseInstanceArn: deps.databaseInstanceArn,
          globalDatastoreArns: [
            pulumi.interpolate`arn:aws:elasticache::${ctx.accountId}:globalreplicationgroup:${ctx.primary.require("cache.globalReplicationGroupId")}`,
            pulumi.interpolate`arn:aws:elasticache:${config.region}:${ctx.accountId}:replicationgroup:${deps.cacheReplicationGroupId}`,
            pulumi.interpolate`arn:aws:elasticache:${config.peerRegion}:${ctx.accountId}:replicationgroup:${ctx.primary.require("cache.replicationGroupId")}`,
          ],
          buildTimeoutMinutes: runnerTimeoutMinutes(config.targets.rtoSeconds),
        }
      : undefined,
    tags,
  });
  return {
    eks,
    ingress,
    outputs: {
      ...outputs,
      failoverTrigger: {
        alarmName: trigger.alarmName,
        topicArn: trigger.topicArn,
        operatorTopicArn: trigger.operatorTopicArn,
        functionName: trigger.functionName,
        probeFunctionName: trigger.probeFunctionName,
        ...(trigger.runner ? { runnerProjectName: trigger.runner.projectName } : {}),
      },
      ...composeDetection(ctx, trigger, clusterNameFor(config)),
    },
  };
}

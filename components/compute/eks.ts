import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { serviceRole, trustPolicy } from "./roles";

/** Every EKS control-plane log type: audit and authenticator logs are what an incident review needs. */
export const CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"];

const CLUSTER_ADMIN_POLICY_ARN = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy";

export interface NodeGroupSize {
  readonly minSize: number;
  readonly desiredSize: number;
  readonly maxSize: number;
}

/**
 * The node group's scaling config for a role and mode.
 *
 * `minSize` is the standby size in every mode: it never exceeds the desired size (standby ≤ active
 * is validated in config), it keeps a warm node even if an autoscaler scales in, and because it does
 * not depend on mode, a failover changes `desiredSize` and nothing else.
 */
export function nodeGroupSize(
  role: "primary" | "dr",
  mode: "active" | "standby",
  counts: { standbyNodeCount: number; activeNodeCount: number; maxNodeCount: number },
): NodeGroupSize {
  const desiredSize = role === "dr" && mode === "standby" ? counts.standbyNodeCount : counts.activeNodeCount;
  if (counts.maxNodeCount < counts.activeNodeCount || counts.standbyNodeCount > counts.activeNodeCount) {
    throw new Error(
      `Invalid EKS sizes standby=${counts.standbyNodeCount} active=${counts.activeNodeCount} max=${counts.maxNodeCount}: ` +
        "expected standby ≤ active ≤ max. Fix payments-dr:eks in the stack's config.",
    );
  }
  return { minSize: counts.standbyNodeCount, desiredSize, maxSize: counts.maxNodeCount };
}

/**
 * Inputs the EKS API owns after create: the Kubernetes version of the cluster and of its managed
 * node group (see `EksArgs.kubernetesVersion`).
 */
export const VERSION_OWNED_BY_EKS = ["version"] as const;

/**
 * Graviton families (m7g, c7gn, r8g, t4g, x2gd...) need the ARM AMI; everything else is x86-64.
 * Always Amazon Linux 2023: EKS publishes no AL2 AMIs for Kubernetes 1.33 and later.
 */
export function amiTypeFor(instanceType: string): string {
  return /^[a-z]+\d+g/.test(instanceType) ? "AL2023_ARM_64_STANDARD" : "AL2023_x86_64_STANDARD";
}

export interface EksArgs {
  /** Cluster name; also names the control-plane log group `/aws/eks/<clusterName>/cluster`. */
  readonly clusterName: string;
  /**
   * Kubernetes minor version the cluster and its node group are created at. Applied on create
   * only: upgrades are made with the EKS API (docs/first-deployment.md), because EKS upgrades a
   * cluster itself at the end of standard support and a later `up` must not plan a downgrade.
   */
  readonly kubernetesVersion: string;
  readonly accountId: pulumi.Input<string>;
  /** Private subnets for the control-plane ENIs and the nodes. */
  readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** KMS key for secrets envelope encryption and node volumes (its policy admits Auto Scaling). */
  readonly clusterKeyArn: pulumi.Input<string>;
  /** KMS key for the control-plane log group (its policy admits CloudWatch Logs). */
  readonly logKeyArn: pulumi.Input<string>;
  readonly nodeInstanceType: string;
  readonly nodeVolumeSizeGb: number;
  readonly size: NodeGroupSize;
  /**
   * CIDRs allowed to reach the public API endpoint.
   *
   * @default [] - the public endpoint is off; the API is reachable only from inside the VPC.
   */
  readonly publicAccessCidrs?: string[];
  /**
   * Principal trusted to assume the cluster-admin role.
   *
   * @default - the account root: any IAM principal of the account that IAM allows sts:AssumeRole on it.
   */
  readonly adminTrustPrincipalArn?: pulumi.Input<string>;
  /** @default 365 (a year of audit logs online, PCI DSS 10.5.1) */
  readonly logRetentionDays?: number;
  readonly region?: string;
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * One EKS cluster with a managed node group: secrets encrypted with the Region's cluster key,
 * every control-plane log type to an encrypted log group, API-only authentication with an access
 * entry for an admin role, and nodes from a launch template with encrypted gp3 root volumes and
 * IMDSv2 only.
 */
export class Eks extends pulumi.ComponentResource {
  public readonly clusterName: pulumi.Output<string>;
  public readonly nodeGroupName: pulumi.Output<string>;
  public readonly desiredNodeCount: number;
  public readonly adminRoleArn: pulumi.Output<string>;
  public readonly cluster: aws.eks.Cluster;
  public readonly nodeGroup: aws.eks.NodeGroup;
  /** The nodes' role: the kubelet pulls images with it (ECR pull-through needs more than read-only). */
  public readonly nodeRoleName: pulumi.Output<string>;
  /** The admin role's cluster access: Kubernetes resources applied as that role wait for it. */
  public readonly adminAccess: aws.eks.AccessPolicyAssociation;

  constructor(name: string, args: EksArgs, opts?: pulumi.ComponentResourceOptions) {
    super("payments-dr:components:Eks", name, {}, opts);
    const tags = args.tags ?? {};
    const region = args.region;
    const publicAccessCidrs = args.publicAccessCidrs ?? [];

    const clusterRole = serviceRole(`${name}-cluster-role`, "eks.amazonaws.com", tags, this);
    const clusterPolicy = new aws.iam.RolePolicyAttachment(
      `${name}-cluster-policy`,
      { role: clusterRole.name, policyArn: "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy" },
      { parent: this },
    );

    // Declared before the cluster so EKS writes into an encrypted group with a retention, instead
    // of creating an unencrypted one that never expires.
    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-control-plane-logs`,
      {
        name: `/aws/eks/${args.clusterName}/cluster`,
        retentionInDays: args.logRetentionDays ?? 365,
        kmsKeyId: args.logKeyArn,
        region,
        tags,
      },
      { parent: this },
    );

    const cluster = new aws.eks.Cluster(
      `${name}-cluster`,
      {
        name: args.clusterName,
        version: args.kubernetesVersion,
        roleArn: clusterRole.arn,
        vpcConfig: {
          subnetIds: args.subnetIds,
          endpointPrivateAccess: true,
          endpointPublicAccess: publicAccessCidrs.length > 0,
          ...(publicAccessCidrs.length > 0 ? { publicAccessCidrs } : {}),
        },
        encryptionConfig: { provider: { keyArn: args.clusterKeyArn }, resources: ["secrets"] },
        enabledClusterLogTypes: CONTROL_PLANE_LOG_TYPES,
        // API mode: who may use the cluster is an AWS resource (access entries), not a ConfigMap,
        // and the deploying identity gets no hidden admin rights.
        accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
        upgradePolicy: { supportType: "STANDARD" },
        region,
        tags,
      },
      // `version` is set on create only. With supportType STANDARD, EKS upgrades the control plane
      // itself when standard support ends; a later `up` (the failover's reconcile runs one) would
      // otherwise plan an update back to the configured version, which EKS refuses (no downgrades).
      { parent: this, dependsOn: [clusterPolicy, logGroup], ignoreChanges: [...VERSION_OWNED_BY_EKS] },
    );

    const adminRole = new aws.iam.Role(
      `${name}-admin-role`,
      {
        description: `Cluster administrators of ${args.clusterName} (EKS access entry)`,
        assumeRolePolicy: pulumi
          .all([args.adminTrustPrincipalArn, args.accountId])
          .apply(([principal, account]) => trustPolicy({ AWS: principal ?? `arn:aws:iam::${account}:root` })),
        maxSessionDuration: 3600,
        tags,
      },
      { parent: this },
    );
    const adminEntry = new aws.eks.AccessEntry(
      `${name}-admin-access`,
      { clusterName: cluster.name, principalArn: adminRole.arn, type: "STANDARD", region, tags },
      { parent: this },
    );
    const adminAccess = new aws.eks.AccessPolicyAssociation(
      `${name}-admin-policy`,
      {
        clusterName: cluster.name,
        principalArn: adminRole.arn,
        policyArn: CLUSTER_ADMIN_POLICY_ARN,
        accessScope: { type: "cluster" },
        region,
      },
      { parent: this, dependsOn: [adminEntry] },
    );

    const nodeRole = serviceRole(`${name}-node-role`, "ec2.amazonaws.com", tags, this);
    const nodePolicies = [
      "AmazonEKSWorkerNodePolicy",
      "AmazonEKS_CNI_Policy",
      "AmazonEC2ContainerRegistryReadOnly",
    ].map(
      (policy) =>
        new aws.iam.RolePolicyAttachment(
          `${name}-node-${policy}`,
          { role: nodeRole.name, policyArn: `arn:aws:iam::aws:policy/${policy}` },
          { parent: this },
        ),
    );

    const launchTemplate = new aws.ec2.LaunchTemplate(
      `${name}-node-template`,
      {
        description: `Nodes of ${args.clusterName}: encrypted gp3 root volume, IMDSv2 only`,
        blockDeviceMappings: [
          {
            deviceName: "/dev/xvda",
            ebs: {
              volumeSize: args.nodeVolumeSizeGb,
              volumeType: "gp3",
              encrypted: "true",
              kmsKeyId: args.clusterKeyArn,
              deleteOnTermination: "true",
            },
          },
        ],
        // Hop limit 1: pods cannot reach the node's credentials through IMDS; they get their own
        // through EKS Pod Identity / IRSA.
        metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
        tagSpecifications: ["instance", "volume", "network-interface"].map((resourceType) => ({
          resourceType,
          tags,
        })),
        region,
        tags,
      },
      { parent: this },
    );

    const nodeGroup = new aws.eks.NodeGroup(
      `${name}-nodes`,
      {
        clusterName: cluster.name,
        nodeGroupNamePrefix: "app-",
        nodeRoleArn: nodeRole.arn,
        subnetIds: args.subnetIds,
        instanceTypes: [args.nodeInstanceType],
        version: args.kubernetesVersion,
        amiType: amiTypeFor(args.nodeInstanceType),
        capacityType: "ON_DEMAND",
        launchTemplate: {
          id: launchTemplate.id,
          version: pulumi.interpolate`${launchTemplate.latestVersion}`,
        },
        scalingConfig: { ...args.size },
        updateConfig: { maxUnavailable: 1 },
        region,
        tags,
      },
      // Like the cluster: the nodes start at the configured version; an upgrade made with
      // `aws eks update-nodegroup-version` is never planned back.
      {
        parent: this,
        dependsOn: nodePolicies,
        ignoreChanges: [...VERSION_OWNED_BY_EKS],
      },
    );

    this.cluster = cluster;
    this.nodeGroup = nodeGroup;
    this.adminAccess = adminAccess;
    this.clusterName = cluster.name;
    this.nodeGroupName = nodeGroup.nodeGroupName;
    this.nodeRoleName = nodeRole.name;
    this.desiredNodeCount = args.size.desiredSize;
    this.adminRoleArn = adminRole.arn;
    this.registerOutputs({
      clusterName: this.clusterName,
      nodeGroupName: this.nodeGroupName,
      desiredNodeCount: this.desiredNodeCount,
      adminRoleArn: this.adminRoleArn,
    });
  }
}

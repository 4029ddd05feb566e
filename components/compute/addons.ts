/**
 * The cluster's EKS managed add-ons: networking (VPC CNI, kube-proxy, CoreDNS), the Pod Identity
 * agent every workload identity needs, and the EBS CSI driver with its own Pod Identity role.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { podIdentityRole } from "./roles";

/**
 * Add-on versions for Kubernetes 1.35, pinned so both Regions run the same build and an `up`
 * never picks up a new default on its own. Basis: the versions `aws eks describe-addon-versions
 * --kubernetes-version 1.35` lists (docs/workload.md). EKS never upgrades a managed add-on by
 * itself, so a pin cannot later read as a downgrade; raise them with the cluster version.
 */
export const ADDON_VERSIONS = {
  "vpc-cni": "v1.21.1-eksbuild.3",
  "kube-proxy": "v1.35.0-eksbuild.2",
  coredns: "v1.13.2-eksbuild.1",
  "eks-pod-identity-agent": "v1.3.10-eksbuild.3",
  "aws-ebs-csi-driver": "v1.57.1-eksbuild.1",
} as const;

export type AddonName = keyof typeof ADDON_VERSIONS;

/** The EBS CSI driver's controller service account (created by the add-on). */
export const EBS_CSI_SERVICE_ACCOUNT = "ebs-csi-controller-sa";

export const EBS_CSI_MANAGED_POLICY_ARN = "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy";

/**
 * What the EBS CSI driver needs of a customer-managed key, as AWS documents it for encrypted
 * volumes: grants for EBS (only for AWS resources), and the data-key operations.
 */
export function ebsCsiKeyPolicy(keyArn: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "GrantsForEbs",
        Effect: "Allow",
        Action: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
        Resource: [keyArn],
        Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
      },
      {
        Sid: "DataKeys",
        Effect: "Allow",
        Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
        Resource: [keyArn],
      },
    ],
  });
}

export interface ClusterAddonsArgs {
  readonly clusterName: pulumi.Input<string>;
  /** The key the default StorageClass encrypts volumes with (the stack's data key, own Region). */
  readonly volumeKeyArn: pulumi.Input<string>;
  /**
   * What CoreDNS and the EBS CSI controller wait for: their pods need nodes, and an add-on whose
   * pods cannot schedule stays DEGRADED until the create times out.
   */
  readonly nodeGroup: pulumi.Resource;
  readonly region: string;
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * The managed add-ons. `resolveConflictsOnCreate: OVERWRITE` takes over the self-managed VPC CNI,
 * CoreDNS and kube-proxy EKS installed with the cluster (their defaults hold nothing to keep).
 * `resolveConflictsOnUpdate: OVERWRITE`: the add-ons' configuration is this code; a hand edit
 * with kubectl is reverted at the next `up` rather than kept in one Region only, where it would
 * make the two Regions differ silently.
 */
export class ClusterAddons extends pulumi.ComponentResource {
  public readonly addons: Readonly<Record<AddonName, aws.eks.Addon>>;
  public readonly ebsCsiRoleArn: pulumi.Output<string>;

  constructor(name: string, args: ClusterAddonsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("payments-dr:components:ClusterAddons", name, {}, opts);
    const tags = args.tags ?? {};
    const region = args.region;

    const ebsRole = podIdentityRole(
      `${name}-ebs-csi-role`,
      "EBS CSI driver controller (EKS Pod Identity): creates and attaches encrypted volumes",
      tags,
      this,
    );
    const ebsManaged = new aws.iam.RolePolicyAttachment(
      `${name}-ebs-csi-policy`,
      { role: ebsRole.name, policyArn: EBS_CSI_MANAGED_POLICY_ARN },
      { parent: this },
    );
    const ebsKey = new aws.iam.RolePolicy(
      `${name}-ebs-csi-key`,
      { role: ebsRole.name, policy: pulumi.output(args.volumeKeyArn).apply(ebsCsiKeyPolicy) },
      { parent: this },
    );

    const addon = (
      addonName: AddonName,
      extra: Partial<aws.eks.AddonArgs>,
      dependsOn: pulumi.Input<pulumi.Resource>[] = [],
    ) =>
      new aws.eks.Addon(
        `${name}-${addonName}`,
        {
          clusterName: args.clusterName,
          addonName,
          addonVersion: ADDON_VERSIONS[addonName],
          resolveConflictsOnCreate: "OVERWRITE",
          resolveConflictsOnUpdate: "OVERWRITE",
          ...extra,
          region,
          tags,
        },
        { parent: this, dependsOn },
      );

    const podIdentityAgent = addon("eks-pod-identity-agent", {});
    this.addons = {
      "vpc-cni": addon("vpc-cni", {}),
      "kube-proxy": addon("kube-proxy", {}),
      coredns: addon("coredns", {}, [args.nodeGroup]),
      "eks-pod-identity-agent": podIdentityAgent,
      "aws-ebs-csi-driver": addon(
        "aws-ebs-csi-driver",
        { podIdentityAssociations: [{ roleArn: ebsRole.arn, serviceAccount: EBS_CSI_SERVICE_ACCOUNT }] },
        // The driver's pods get credentials only once the agent runs and the role can use the key.
        [args.nodeGroup, podIdentityAgent, ebsManaged, ebsKey],
      ),
    };
    this.ebsCsiRoleArn = ebsRole.arn;
    this.registerOutputs({ ebsCsiRoleArn: this.ebsCsiRoleArn });
  }
}

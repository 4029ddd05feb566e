/**
 * The AWS Load Balancer Controller, installed only to fill the load balancer's existing IP target
 * group (TargetGroupBinding): it creates no load balancer, so its role can do nothing else.
 */
import * as aws from "@pulumi/aws";
import type * as k8s from "@pulumi/kubernetes";
import { Release } from "./k8sResources";
import * as pulumi from "@pulumi/pulumi";
import { podIdentityRole } from "./roles";

export const LB_CONTROLLER_CHART = {
  chart: "aws-load-balancer-controller",
  /** eks-charts; the chart's version is the controller's (v3.4.2, July 2026). */
  version: "3.4.2",
  repo: "https://aws.github.io/eks-charts",
} as const;

/**
 * Least privilege for TargetGroupBinding into one IP target group, security-group rules declared
 * by this program (the binding has no `networking` section, so the controller edits none):
 * Describe calls (no resource-level permissions exist for them) held to the cluster's own Region,
 * and target registration on that one target group's ARN.
 */
export function lbControllerPolicy(targetGroupArn: string, region: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "DescribeInOwnRegion",
        Effect: "Allow",
        Action: [
          "elasticloadbalancing:DescribeTargetGroups",
          "elasticloadbalancing:DescribeTargetGroupAttributes",
          "elasticloadbalancing:DescribeTargetHealth",
          "elasticloadbalancing:DescribeLoadBalancers",
          "elasticloadbalancing:DescribeListeners",
          "elasticloadbalancing:DescribeTags",
          "ec2:DescribeVpcs",
          "ec2:DescribeSubnets",
          "ec2:DescribeSecurityGroups",
          "ec2:DescribeInstances",
          "ec2:DescribeNetworkInterfaces",
          "ec2:DescribeAvailabilityZones",
        ],
        Resource: "*",
        Condition: { StringEquals: { "aws:RequestedRegion": region } },
      },
      {
        Sid: "RegisterPodsInTheTargetGroup",
        Effect: "Allow",
        Action: ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"],
        Resource: targetGroupArn,
      },
    ],
  });
}

export interface LoadBalancerControllerArgs {
  readonly clusterName: pulumi.Input<string>;
  readonly vpcId: pulumi.Input<string>;
  /** The only target group the controller may register pods in. */
  readonly targetGroupArn: pulumi.Input<string>;
  /** The load balancer's security group and the nodes' (EKS cluster) security group. */
  readonly loadBalancerSecurityGroupId: pulumi.Input<string>;
  readonly clusterSecurityGroupId: pulumi.Input<string>;
  /** Port the pods listen on; the load balancer reaches them on it. */
  readonly podPort: number;
  /** The controller's image repository (the Region's pull-through cache of `public.ecr.aws`). */
  readonly imageRepository: pulumi.Input<string>;
  readonly namespace: string;
  readonly serviceAccount: string;
  /** The Pod Identity agent add-on: the controller's pods get credentials only through it. */
  readonly podIdentityAgent: pulumi.Resource;
  readonly provider: k8s.Provider;
  readonly region: string;
  readonly tags?: Readonly<Record<string, string>>;
}

export class LoadBalancerController extends pulumi.ComponentResource {
  public readonly roleArn: pulumi.Output<string>;
  public readonly release: k8s.helm.v3.Release;

  constructor(name: string, args: LoadBalancerControllerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("payments-dr:components:LoadBalancerController", name, {}, opts);
    const tags = args.tags ?? {};
    const region = args.region;

    const role = podIdentityRole(
      `${name}-role`,
      "AWS Load Balancer Controller (EKS Pod Identity): registers pods in the application target group",
      tags,
      this,
    );
    const policy = new aws.iam.RolePolicy(
      `${name}-policy`,
      {
        role: role.name,
        policy: pulumi.output(args.targetGroupArn).apply((arn) => lbControllerPolicy(arn, region)),
      },
      { parent: this },
    );
    const association = new aws.eks.PodIdentityAssociation(
      `${name}-identity`,
      {
        clusterName: args.clusterName,
        namespace: args.namespace,
        serviceAccount: args.serviceAccount,
        roleArn: role.arn,
        region,
        tags,
      },
      { parent: this, dependsOn: [args.podIdentityAgent] },
    );

    // The load balancer reaches pod IPs on the pod port: out of its group, into the nodes' group
    // (managed nodes without their own groups in the launch template use the cluster's).
    new aws.vpc.SecurityGroupEgressRule(
      `${name}-alb-to-pods`,
      {
        securityGroupId: args.loadBalancerSecurityGroupId,
        referencedSecurityGroupId: args.clusterSecurityGroupId,
        ipProtocol: "tcp",
        fromPort: args.podPort,
        toPort: args.podPort,
        region,
        tags,
      },
      { parent: this },
    );
    new aws.vpc.SecurityGroupIngressRule(
      `${name}-pods-from-alb`,
      {
        securityGroupId: args.clusterSecurityGroupId,
        referencedSecurityGroupId: args.loadBalancerSecurityGroupId,
        ipProtocol: "tcp",
        fromPort: args.podPort,
        toPort: args.podPort,
        region,
        tags,
      },
      { parent: this },
    );

    this.release = new Release(
      `${name}-release`,
      {
        name: "aws-load-balancer-controller",
        chart: LB_CONTROLLER_CHART.chart,
        version: LB_CONTROLLER_CHART.version,
        repositoryOpts: { repo: LB_CONTROLLER_CHART.repo },
        namespace: args.namespace,
        values: {
          clusterName: args.clusterName,
          // Given, not discovered: IMDS is out of the pods' reach (hop limit 1).
          region,
          vpcId: args.vpcId,
          image: { repository: args.imageRepository },
          serviceAccount: { create: true, name: args.serviceAccount },
          // Features that need permissions this role does not have, for load balancers it does
          // not manage.
          enableShield: false,
          enableWaf: false,
          enableWafv2: false,
          enableServiceMutatorWebhook: false,
        },
        // Helm waits for the controller's webhook to serve: a TargetGroupBinding sent earlier is
        // refused by the API server.
        atomic: true,
        timeout: 600,
      },
      { parent: this, provider: args.provider, dependsOn: [association, policy] },
    );
    this.roleArn = role.arn;
    this.registerOutputs({ roleArn: this.roleArn });
  }
}

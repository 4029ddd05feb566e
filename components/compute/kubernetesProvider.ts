/**
 * The Kubernetes provider of one cluster, built from the cluster's own outputs: no kubeconfig on
 * disk, no context from the deployer's machine, nothing from the other Region.
 */
import type * as k8s from "@pulumi/kubernetes";
import { Provider } from "./k8sResources";
import * as pulumi from "@pulumi/pulumi";

export interface KubeconfigArgs {
  readonly clusterName: string;
  /** The API server's URL (`aws.eks.Cluster.endpoint`). */
  readonly endpoint: string;
  /** Base64 PEM of the cluster CA (`certificateAuthority.data`). */
  readonly certificateAuthorityData: string;
  /** The cluster's Region: the token is signed by that Region's STS endpoint. */
  readonly region: string;
  /**
   * Role `aws eks get-token` assumes: the cluster-admin role of the cluster's access entry. The
   * cluster grants the deploying identity nothing itself (`bootstrapClusterCreatorAdminPermissions`
   * is off), so the provider acts as that role.
   */
  readonly roleArn: string;
}

/**
 * A kubeconfig (as JSON text, which the provider accepts as YAML) whose only user authenticates
 * with `aws eks get-token` for this cluster in its own Region.
 */
export function kubeconfigFor(args: KubeconfigArgs): string {
  const name = args.clusterName;
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      {
        name,
        cluster: { server: args.endpoint, "certificate-authority-data": args.certificateAuthorityData },
      },
    ],
    contexts: [{ name, context: { cluster: name, user: name } }],
    "current-context": name,
    users: [
      {
        name,
        user: {
          exec: {
            apiVersion: "client.authentication.k8s.io/v1beta1",
            command: "aws",
            args: [
              "eks",
              "get-token",
              "--cluster-name",
              name,
              "--region",
              args.region,
              "--role-arn",
              args.roleArn,
              "--output",
              "json",
            ],
            interactiveMode: "Never",
          },
        },
      },
    ],
  });
}

export interface ClusterProviderArgs {
  readonly clusterName: pulumi.Input<string>;
  readonly endpoint: pulumi.Input<string>;
  readonly certificateAuthorityData: pulumi.Input<string>;
  readonly region: string;
  readonly roleArn: pulumi.Input<string>;
}

/**
 * The provider every Kubernetes resource of the cluster uses. `dependsOn` should hold the admin
 * role's access policy association: until it exists the API answers 401 to that role.
 */
export function clusterProvider(
  name: string,
  args: ClusterProviderArgs,
  opts?: pulumi.CustomResourceOptions,
): k8s.Provider {
  const kubeconfig = pulumi
    .all([args.clusterName, args.endpoint, args.certificateAuthorityData, args.roleArn])
    .apply(([clusterName, endpoint, certificateAuthorityData, roleArn]) =>
      kubeconfigFor({ clusterName, endpoint, certificateAuthorityData, region: args.region, roleArn }),
    );
  // No default namespace: every resource names its own, so nothing lands in `default` by omission.
  return new Provider(name, { kubeconfig, enableServerSideApply: true }, opts);
}

/** IAM roles of the cluster: service roles (cluster, nodes) and Pod Identity roles (add-ons, workloads). */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/**
 * The trust policy AWS documents for EKS Pod Identity: the agent's service principal assumes the
 * role and tags the session (cluster, namespace, service account). Which pods get the role is
 * decided by the association (one cluster, one namespace, one service account), not here.
 */
export const POD_IDENTITY_TRUST_POLICY = JSON.stringify({
  Version: "2012-10-17",
  Statement: [
    {
      Effect: "Allow",
      Principal: { Service: "pods.eks.amazonaws.com" },
      Action: ["sts:AssumeRole", "sts:TagSession"],
    },
  ],
});

export function podIdentityRole(
  name: string,
  description: string,
  tags: Readonly<Record<string, string>>,
  parent: pulumi.Resource,
): aws.iam.Role {
  return new aws.iam.Role(
    name,
    { description, assumeRolePolicy: POD_IDENTITY_TRUST_POLICY, maxSessionDuration: 3600, tags },
    { parent },
  );
}

export function trustPolicy(principal: Record<string, string>): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: principal, Action: "sts:AssumeRole" }],
  });
}

export function serviceRole(
  name: string,
  service: string,
  tags: Readonly<Record<string, string>>,
  parent: pulumi.Resource,
): aws.iam.Role {
  return new aws.iam.Role(name, { assumeRolePolicy: trustPolicy({ Service: service }), tags }, { parent });
}

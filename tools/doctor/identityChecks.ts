/**
 * Who is deploying, and whether the service-linked roles the stack's services need exist or may be
 * created by that identity (AWS creates each on a service's first use, which fails without
 * `iam:CreateServiceLinkedRole`).
 */
import { GetRoleCommand, NoSuchEntityException, SimulatePrincipalPolicyCommand } from "@aws-sdk/client-iam";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { Check, DoctorContext, fail, Identity, pass } from "./types";

export const identityCheck: Check = {
  id: "sts.identity",
  describe: () => "credentials resolve to an identity (STS GetCallerIdentity)",
  actions: ["sts:GetCallerIdentity"],
  async run(ctx) {
    const answer = await ctx.clients.sts.send(new GetCallerIdentityCommand({}));
    if (!answer.Account || !answer.Arn) {
      return fail("STS answered without an account or ARN", "check the AWS credentials the doctor runs with");
    }
    ctx.identity = { accountId: answer.Account, arn: answer.Arn };
    return pass(`account ${answer.Account} as ${answer.Arn}`);
  },
};

export interface ServiceLinkedRole {
  readonly roleName: string;
  readonly service: string;
  /** Which part of the stack needs it. */
  readonly usedBy: string;
}

/** Every service-linked role a first `up` of either stack relies on. */
export const SERVICE_LINKED_ROLES: readonly ServiceLinkedRole[] = [
  { roleName: "AWSServiceRoleForAmazonEKS", service: "eks.amazonaws.com", usedBy: "the EKS cluster" },
  {
    roleName: "AWSServiceRoleForAmazonEKSNodegroup",
    service: "eks-nodegroup.amazonaws.com",
    usedBy: "the managed node group",
  },
  {
    roleName: "AWSServiceRoleForAutoScaling",
    service: "autoscaling.amazonaws.com",
    usedBy: "the node group's Auto Scaling group (and the cluster key's policy)",
  },
  {
    roleName: "AWSServiceRoleForElasticLoadBalancing",
    service: "elasticloadbalancing.amazonaws.com",
    usedBy: "the load balancer",
  },
  { roleName: "AWSServiceRoleForRDS", service: "rds.amazonaws.com", usedBy: "the PostgreSQL instance" },
  { roleName: "AWSServiceRoleForElastiCache", service: "elasticache.amazonaws.com", usedBy: "the cache" },
  {
    roleName: "AWSServiceRoleForAmazonOpenSearchService",
    service: "opensearchservice.amazonaws.com",
    usedBy: "the VPC OpenSearch domain",
  },
  {
    roleName: "AWSServiceRoleForRedshift",
    service: "redshift.amazonaws.com",
    usedBy: "the Redshift cluster",
  },
  { roleName: "AWSServiceRoleForBackup", service: "backup.amazonaws.com", usedBy: "AWS Backup" },
];

export function serviceLinkedRoleCheck(role: ServiceLinkedRole): Check {
  const createFix = `aws iam create-service-linked-role --aws-service-name ${role.service} (as an administrator), or grant the deployer iam:CreateServiceLinkedRole for ${role.service}`;
  return {
    id: `iam.slr.${role.service.split(".")[0]}`,
    describe: () =>
      `service-linked role ${role.roleName} (${role.usedBy}) exists or the deployer may create it`,
    actions: ["iam:GetRole", "iam:SimulatePrincipalPolicy"],
    async run(ctx) {
      try {
        await ctx.clients.iam.send(new GetRoleCommand({ RoleName: role.roleName }));
        return pass(`${role.roleName} exists`);
      } catch (error) {
        if (!(error instanceof NoSuchEntityException)) throw error;
      }
      if (!ctx.identity) {
        return fail(
          `${role.roleName} does not exist, and with no identity the right to create it was not checked`,
          createFix,
        );
      }
      const decision = await mayCreate(ctx, ctx.identity, role);
      return decision === "allowed"
        ? pass(
            `${role.roleName} does not exist yet; ${ctx.identity.arn} may create it (AWS does on first use)`,
          )
        : fail(
            `${role.roleName} does not exist and ${ctx.identity.arn} may not create it (${decision})`,
            createFix,
          );
    },
  };
}

/** The IAM decision on `iam:CreateServiceLinkedRole` for this role, as IAM's policy simulator gives it. */
async function mayCreate(ctx: DoctorContext, identity: Identity, role: ServiceLinkedRole): Promise<string> {
  const source = await principalArn(ctx, identity);
  if (source === "root") return "allowed";
  const simulated = await ctx.clients.iam.send(
    new SimulatePrincipalPolicyCommand({
      PolicySourceArn: source,
      ActionNames: ["iam:CreateServiceLinkedRole"],
      ResourceArns: [
        `arn:aws:iam::${identity.accountId}:role/aws-service-role/${role.service}/${role.roleName}`,
      ],
      ContextEntries: [
        { ContextKeyName: "iam:AWSServiceName", ContextKeyType: "string", ContextKeyValues: [role.service] },
      ],
    }),
  );
  return simulated.EvaluationResults?.[0]?.EvalDecision ?? "no decision";
}

/**
 * The IAM principal behind an STS caller ARN: an assumed-role session names its role without the
 * role's path, so the role's own ARN is read back.
 */
async function principalArn(ctx: DoctorContext, identity: Identity): Promise<string> {
  if (/:root$/.test(identity.arn)) return "root";
  const session = /^arn:([^:]+):sts::\d+:assumed-role\/([^/]+)\//.exec(identity.arn);
  if (!session) return identity.arn;
  const role = await ctx.clients.iam.send(new GetRoleCommand({ RoleName: session[2] }));
  return role.Role?.Arn ?? `arn:${session[1]}:iam::${identity.accountId}:role/${session[2]}`;
}

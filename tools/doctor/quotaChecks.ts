/**
 * Service quotas the active-mode capacity needs in the stack's Region: on-demand vCPUs for the
 * node group at its active size, a VPC, and an Elastic IP per NAT gateway.
 */
import {
  _InstanceType,
  DescribeAddressesCommand,
  DescribeInstanceTypesCommand,
  DescribeVpcsCommand,
} from "@aws-sdk/client-ec2";
import {
  GetAWSDefaultServiceQuotaCommand,
  GetServiceQuotaCommand,
  NoSuchResourceException,
} from "@aws-sdk/client-service-quotas";
import { Check, DoctorContext, fail, pass } from "./types";

/** One NAT gateway, hence one Elastic IP, per AZ: the Network component's 3 AZs. */
export const NAT_GATEWAYS = 3;

/** On-demand vCPU quota codes by instance family letter(s) (Service Quotas, service `ec2`). */
const VCPU_QUOTAS: readonly { readonly families: RegExp; readonly code: string; readonly name: string }[] = [
  {
    families: /^[acdhimrtz]/,
    code: "L-1216C47A",
    name: "Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances",
  },
  { families: /^(g|vt)/, code: "L-DB2E81BA", name: "Running On-Demand G and VT instances" },
  { families: /^p/, code: "L-417A185B", name: "Running On-Demand P instances" },
  { families: /^x/, code: "L-7295265B", name: "Running On-Demand X instances" },
];

/** The applied quota, or AWS's default where none was applied to the account. */
async function quotaValue(ctx: DoctorContext, ServiceCode: string, QuotaCode: string): Promise<number> {
  try {
    const applied = await ctx.clients.serviceQuotas.send(
      new GetServiceQuotaCommand({ ServiceCode, QuotaCode }),
    );
    return applied.Quota?.Value ?? 0;
  } catch (error) {
    if (!(error instanceof NoSuchResourceException)) throw error;
    const fallback = await ctx.clients.serviceQuotas.send(
      new GetAWSDefaultServiceQuotaCommand({ ServiceCode, QuotaCode }),
    );
    return fallback.Quota?.Value ?? 0;
  }
}

const increase = (service: string, code: string, value: number) =>
  `aws service-quotas request-service-quota-increase --service-code ${service} --quota-code ${code} --desired-value ${value}`;

export const vcpuQuotaCheck: Check = {
  id: "quota.ec2-vcpu",
  describe: (c) =>
    `on-demand vCPU quota in ${c.region} covers ${c.eks.activeNodeCount} x ${c.eks.nodeInstanceType} (Service Quotas GetServiceQuota, EC2 DescribeInstanceTypes)`,
  actions: [
    "servicequotas:GetServiceQuota",
    "servicequotas:GetAWSDefaultServiceQuota",
    "ec2:DescribeInstanceTypes",
  ],
  async run(ctx) {
    const { nodeInstanceType, activeNodeCount } = ctx.config.eks;
    const quota = VCPU_QUOTAS.find((q) => q.families.test(nodeInstanceType));
    if (!quota) {
      return fail(
        `no vCPU quota known for the family of ${nodeInstanceType}`,
        "check the instance family's On-Demand vCPU quota in the Service Quotas console",
      );
    }
    const described = await ctx.clients.ec2.send(
      new DescribeInstanceTypesCommand({ InstanceTypes: [nodeInstanceType as _InstanceType] }),
    );
    const vcpus = described.InstanceTypes?.[0]?.VCpuInfo?.DefaultVCpus;
    if (!vcpus)
      return fail(
        `${nodeInstanceType} is not offered in ${ctx.config.region}`,
        "pulumi config set --path payments-dr:eks.nodeInstanceType m6i.large",
      );
    const needed = vcpus * activeNodeCount;
    const value = await quotaValue(ctx, "ec2", quota.code);
    return value >= needed
      ? pass(
          `${quota.name}: quota ${value} vCPUs >= ${needed} (${activeNodeCount} x ${nodeInstanceType}, ${vcpus} each; other running instances not counted)`,
        )
      : fail(
          `${quota.name}: quota ${value} vCPUs < ${needed} (${activeNodeCount} x ${nodeInstanceType})`,
          increase("ec2", quota.code, needed),
        );
  },
};

export const vpcQuotaCheck: Check = {
  id: "quota.vpc",
  describe: (c) =>
    `VPCs-per-Region quota in ${c.region} leaves room for 1 more (Service Quotas GetServiceQuota, EC2 DescribeVpcs)`,
  actions: ["servicequotas:GetServiceQuota", "ec2:DescribeVpcs"],
  async run(ctx) {
    let used = 0;
    let token: string | undefined;
    do {
      const page = await ctx.clients.ec2.send(new DescribeVpcsCommand({ NextToken: token }));
      used += (page.Vpcs ?? []).length;
      token = page.NextToken;
    } while (token);
    const value = await quotaValue(ctx, "vpc", "L-F678F1CE");
    return used + 1 <= value
      ? pass(`${used} of ${value} VPCs used; the stack adds 1`)
      : fail(
          `${used} of ${value} VPCs used; the stack needs 1 more`,
          increase("vpc", "L-F678F1CE", used + 1),
        );
  },
};

export const eipQuotaCheck: Check = {
  id: "quota.eip",
  describe: (c) =>
    `Elastic IP quota in ${c.region} leaves room for ${NAT_GATEWAYS} NAT gateways (Service Quotas GetServiceQuota, EC2 DescribeAddresses)`,
  actions: ["servicequotas:GetServiceQuota", "ec2:DescribeAddresses"],
  async run(ctx) {
    const addresses = await ctx.clients.ec2.send(new DescribeAddressesCommand({}));
    const used = (addresses.Addresses ?? []).length;
    const value = await quotaValue(ctx, "ec2", "L-0263D0A3");
    return used + NAT_GATEWAYS <= value
      ? pass(`${used} of ${value} Elastic IPs used; the stack's NAT gateways add ${NAT_GATEWAYS}`)
      : fail(
          `${used} of ${value} Elastic IPs used; the stack's NAT gateways need ${NAT_GATEWAYS}`,
          increase("ec2", "L-0263D0A3", used + NAT_GATEWAYS),
        );
  },
};

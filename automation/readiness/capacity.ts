/**
 * Can the dr node group reach the active size right now? Two limits stop a scale-up: the node
 * group's own maximum (the Auto Scaling group's), and the Region's vCPU quota for On-Demand
 * instances, read as CloudWatch's `AWS/Usage` vCPU count next to `SERVICE_QUOTA()` of it (the
 * Service Quotas value, without a Service Quotas client).
 */
import { CloudWatchClient, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeInstanceTypesCommand, EC2Client, _InstanceType } from "@aws-sdk/client-ec2";
import { awsCall, RetryPolicy } from "../aws/awsCall";
import { DescribeNodegroup } from "../state/drState";

/** Families counted in the "Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances" quota. */
const STANDARD_FAMILIES = /^[acdhimrtz]/;

export interface CapacityInput {
  readonly describeNodegroup: DescribeNodegroup;
  readonly ec2: EC2Client;
  readonly cloudWatch: CloudWatchClient;
  readonly clusterName: string;
  readonly nodegroupName: string;
  readonly instanceType: string;
  readonly activeNodeCount: number;
  readonly now: Date;
  readonly retry?: RetryPolicy;
}

export interface CapacityResult {
  readonly ok: boolean;
  readonly detail: string;
  readonly fix?: string;
}

/** The vCPU usage query and its quota, exported so tests assert what CloudWatch is asked. */
export const vcpuQueries = [
  {
    Id: "usage",
    MetricStat: {
      Metric: {
        Namespace: "AWS/Usage",
        MetricName: "ResourceCount",
        Dimensions: [
          { Name: "Service", Value: "EC2" },
          { Name: "Resource", Value: "vCPU" },
          { Name: "Type", Value: "Resource" },
          { Name: "Class", Value: "Standard/OnDemand" },
        ],
      },
      Period: 300,
      Stat: "Maximum",
    },
    ReturnData: true,
  },
  { Id: "quota", Expression: "SERVICE_QUOTA(usage)", ReturnData: true },
];

export async function checkNodeCapacity(input: CapacityInput): Promise<CapacityResult> {
  const group = await awsCall(
    "eks:DescribeNodegroup",
    () => input.describeNodegroup(input.clusterName, input.nodegroupName),
    input.retry,
  );
  const where = `node group ${input.nodegroupName}`;
  if (group.maxSize < input.activeNodeCount) {
    return {
      ok: false,
      detail: `${where} max size ${group.maxSize} is below the active size ${input.activeNodeCount}`,
      fix: `pulumi config set --path payments-dr:eks.maxNodeCount ${input.activeNodeCount} --stack dr, then pulumi up --stack dr`,
    };
  }
  const extraNodes = Math.max(0, input.activeNodeCount - group.desiredSize);
  if (!STANDARD_FAMILIES.test(input.instanceType)) {
    return {
      ok: false,
      detail: `${input.instanceType} is not counted in the Standard On-Demand vCPU quota this check reads`,
      fix: "check the quota of its family in the Service Quotas console",
    };
  }
  const types = await awsCall(
    "ec2:DescribeInstanceTypes",
    () =>
      input.ec2.send(
        new DescribeInstanceTypesCommand({ InstanceTypes: [input.instanceType as _InstanceType] }),
      ),
    input.retry,
  );
  const vcpus = types.InstanceTypes?.[0]?.VCpuInfo?.DefaultVCpus;
  if (!vcpus) {
    return {
      ok: false,
      detail: `EC2 does not describe ${input.instanceType}`,
      fix: "set payments-dr:eks.nodeInstanceType to a type offered in the Region",
    };
  }
  const metrics = await awsCall(
    "cloudwatch:GetMetricData",
    () =>
      input.cloudWatch.send(
        new GetMetricDataCommand({
          MetricDataQueries: vcpuQueries,
          StartTime: new Date(input.now.getTime() - 60 * 60_000),
          EndTime: input.now,
          ScanBy: "TimestampDescending",
        }),
      ),
    input.retry,
  );
  const latest = (id: string) => metrics.MetricDataResults?.find((r) => r.Id === id)?.Values?.[0];
  const usage = latest("usage");
  const quota = latest("quota");
  const needed = extraNodes * vcpus;
  if (usage === undefined || quota === undefined) {
    return {
      ok: false,
      detail: `no AWS/Usage vCPU datapoint (usage ${usage ?? "?"}, quota ${quota ?? "?"}) in the last hour`,
      fix: "check Running On-Demand Standard instances (L-1216C47A) in the Service Quotas console",
    };
  }
  const headroom = quota - usage;
  const sizes = `${where} ${group.desiredSize} -> ${input.activeNodeCount} (max ${group.maxSize}) needs ${needed} more vCPUs (${extraNodes} × ${vcpus}, ${input.instanceType})`;
  return headroom >= needed
    ? { ok: true, detail: `${sizes}; On-Demand Standard vCPU quota ${quota}, in use ${usage}` }
    : {
        ok: false,
        detail: `${sizes}; only ${headroom} left under the quota of ${quota} (in use ${usage})`,
        fix: `request a quota increase of L-1216C47A to at least ${usage + needed} vCPUs in this Region`,
      };
}

/**
 * What `verify` asks AWS about the dr Region, instead of trusting the stack's outputs: the outputs
 * say what the last update set, not that the database left replication or the nodes scaled.
 *
 * `describeNodegroup` is injected through the client factory like the other clients, so unit tests
 * hand in a fake and the subprocess tests reach a local EKS endpoint.
 */
import { DescribeNodegroupCommand, EKSClient } from "@aws-sdk/client-eks";
import { DescribeDBInstancesCommand, RDSClient } from "@aws-sdk/client-rds";
import { awsCall, RetryPolicy } from "../aws/awsCall";

export interface NodegroupState {
  readonly status: string;
  readonly desiredSize: number;
  readonly minSize: number;
  readonly maxSize: number;
  /** `code: message` of each health issue EKS reports. */
  readonly healthIssues: readonly string[];
}

/** `eks:DescribeNodegroup` in the dr Region. */
export type DescribeNodegroup = (clusterName: string, nodegroupName: string) => Promise<NodegroupState>;

export interface DrStateInput {
  readonly rds: RDSClient;
  readonly describeNodegroup: DescribeNodegroup;
  readonly dbInstanceIdentifier: string;
  readonly clusterName: string;
  readonly nodegroupName: string;
  readonly activeNodeCount: number;
  readonly retry?: RetryPolicy;
}

/** Problems with the real dr resources; empty when RDS is a standalone available primary and EKS is scaled. */
export async function drStateProblems(input: DrStateInput): Promise<string[]> {
  const problems: string[] = [];
  const db = (
    await awsCall(
      "rds:DescribeDBInstances",
      () =>
        input.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: input.dbInstanceIdentifier })),
      input.retry,
    )
  ).DBInstances?.[0];
  if (!db) problems.push(`RDS instance ${input.dbInstanceIdentifier} not found`);
  else {
    if (db.ReadReplicaSourceDBInstanceIdentifier)
      problems.push(
        `RDS ${input.dbInstanceIdentifier} is still a read replica of ${db.ReadReplicaSourceDBInstanceIdentifier}`,
      );
    if (db.DBInstanceStatus !== "available")
      problems.push(
        `RDS ${input.dbInstanceIdentifier} status is ${db.DBInstanceStatus ?? "unknown"}, not available`,
      );
  }
  const group = await awsCall(
    "eks:DescribeNodegroup",
    () => input.describeNodegroup(input.clusterName, input.nodegroupName),
    input.retry,
  );
  const where = `EKS node group ${input.nodegroupName} (cluster ${input.clusterName})`;
  if (group.desiredSize !== input.activeNodeCount)
    problems.push(`${where} desired size is ${group.desiredSize}, expected ${input.activeNodeCount}`);
  if (group.minSize > input.activeNodeCount || group.maxSize < input.activeNodeCount)
    problems.push(`${where} size range ${group.minSize}-${group.maxSize} excludes ${input.activeNodeCount}`);
  if (group.status !== "ACTIVE") problems.push(`${where} status is ${group.status}, not ACTIVE`);
  if (group.healthIssues.length) problems.push(`${where} health issues: ${group.healthIssues.join("; ")}`);
  return problems;
}

/** `eks:DescribeNodegroup` through the EKS SDK client (standard endpoint settings apply). */
export function createDescribeNodegroup(client: EKSClient): DescribeNodegroup {
  return async (clusterName, nodegroupName) => {
    const { nodegroup: group = {} } = await client.send(
      new DescribeNodegroupCommand({ clusterName, nodegroupName }),
    );
    return {
      status: group.status ?? "UNKNOWN",
      desiredSize: group.scalingConfig?.desiredSize ?? 0,
      minSize: group.scalingConfig?.minSize ?? 0,
      maxSize: group.scalingConfig?.maxSize ?? 0,
      healthIssues: (group.health?.issues ?? []).map((i) => `${i.code ?? "?"}: ${i.message ?? ""}`),
    };
  };
}

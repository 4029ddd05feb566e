/**
 * Would the controller's role be allowed to pull the levers? Asked of IAM's policy simulator
 * (`iam:SimulatePrincipalPolicy`) for the role's identity policies, one call per resource with the
 * actions the failover performs on it (automation/steps/*, automation/state/stateStore.ts).
 */
import { IAMClient, SimulatePrincipalPolicyCommand } from "@aws-sdk/client-iam";
import { awsCall, RetryPolicy } from "../aws/awsCall";
import { DrView } from "../stack/drOutputs";

export interface LeverAction {
  readonly resourceArn: string;
  readonly actions: readonly string[];
}

/** The actions a failover takes, by resource. */
export function leverActions(
  view: DrView,
  accountId: string,
  tableArn: string,
  domainArn: string,
  dbArn: string,
): LeverAction[] {
  return [
    {
      resourceArn: `arn:aws:route53:::healthcheck/${view.primary.controlHealthCheckId}`,
      actions: ["route53:UpdateHealthCheck"],
    },
    {
      resourceArn: `arn:aws:elasticache::${accountId}:globalreplicationgroup:${view.cache.globalReplicationGroupId}`,
      actions: [
        "elasticache:FailoverGlobalReplicationGroup",
        "elasticache:DisassociateGlobalReplicationGroup",
      ],
    },
    {
      resourceArn: tableArn,
      actions: [
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "dynamodb:DeleteItem",
        "dynamodb:Query",
      ],
    },
    { resourceArn: `${domainArn}/*`, actions: ["es:ESHttpDelete", "es:ESHttpGet", "es:ESHttpPost"] },
    { resourceArn: dbArn, actions: ["rds:DescribeDBInstances"] },
    {
      resourceArn: "*",
      actions: ["cloudwatch:GetMetricData", "elasticache:DescribeGlobalReplicationGroups"],
    },
  ];
}

/** `action on resource: decision` for every action the role may not take (empty: all allowed). */
export async function deniedActions(
  iam: IAMClient,
  roleArn: string,
  levers: readonly LeverAction[],
  retry?: RetryPolicy,
): Promise<string[]> {
  const denied: string[] = [];
  for (const lever of levers) {
    const result = await awsCall(
      "iam:SimulatePrincipalPolicy",
      () =>
        iam.send(
          new SimulatePrincipalPolicyCommand({
            PolicySourceArn: roleArn,
            ActionNames: [...lever.actions],
            ResourceArns: [lever.resourceArn],
          }),
        ),
      retry,
    );
    for (const evaluation of result.EvaluationResults ?? []) {
      if (evaluation.EvalDecision !== "allowed") {
        denied.push(
          `${evaluation.EvalActionName} on ${lever.resourceArn}: ${evaluation.EvalDecision ?? "unknown"}`,
        );
      }
    }
  }
  return denied;
}

/**
 * Restore automation: invoked by EventBridge on `Restore Job State Change` COMPLETED for restores
 * that are NOT restore tests (those are scratch resources AWS Backup deletes after validation; an
 * OpsItem per weekly test would bury the real ones). It re-integrates a real restore into
 * operations:
 * 1. reads the job (DescribeRestoreJob): what was restored, from which recovery point, to where;
 * 2. reads the original resource's tags from the recovery point (ListTags);
 * 3. records an OpsItem in Systems Manager OpsCenter with that, the created resource as a related
 *    resource (`/aws/resources`) and the measured duration;
 * 4. notifies the operators' SNS topic with the OpsItem id and the next steps.
 *
 * Environment: OPERATOR_TOPIC_ARN, STACK_NAME.
 */
import { BackupClient, DescribeRestoreJobCommand, ListTagsCommand } from "@aws-sdk/client-backup";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { CreateOpsItemCommand, SSMClient } from "@aws-sdk/client-ssm";
import type { EventBridgeEvent } from "aws-lambda";
import { storeOfResourceArn } from "../../model/restoreTime";
import { restoreDurationSeconds } from "../restoreValidation/duration";

export interface RestoreCompletedConfig {
  readonly operatorTopicArn: string;
  readonly stackName: string;
}

export interface RestoreCompletedClients {
  readonly backup: BackupClient;
  readonly ssm: SSMClient;
  readonly sns: SNSClient;
}

export type RestoreCompletedResult =
  { readonly skipped: string } | { readonly restoreJobId: string; readonly opsItemId: string };

/** OpsCenter's own source names start with `aws`; ours says which project recorded it. */
export const OPS_ITEM_SOURCE = "payments-dr";

/** @throws Error naming the variable when the environment is incomplete. */
export function readRestoreCompletedConfig(env: NodeJS.ProcessEnv): RestoreCompletedConfig {
  if (!env.OPERATOR_TOPIC_ARN) throw new Error("OPERATOR_TOPIC_ARN is not set");
  if (!env.STACK_NAME) throw new Error("STACK_NAME is not set");
  return { operatorTopicArn: env.OPERATOR_TOPIC_ARN, stackName: env.STACK_NAME };
}

export async function recordRestore(
  restoreJobId: string,
  config: RestoreCompletedConfig,
  clients: RestoreCompletedClients,
): Promise<RestoreCompletedResult> {
  const job = await clients.backup.send(new DescribeRestoreJobCommand({ RestoreJobId: restoreJobId }));
  if (job.CreatedBy?.RestoreTestingPlanArn)
    return {
      skipped: `restore job ${restoreJobId} is a restore test of ${job.CreatedBy.RestoreTestingPlanArn}`,
    };
  if (job.Status !== "COMPLETED")
    return { skipped: `restore job ${restoreJobId} is ${job.Status ?? "in no state"}, not COMPLETED` };

  const recoveryPointArn = String(job.RecoveryPointArn);
  const created = String(job.CreatedResourceArn ?? "");
  const source = job.SourceResourceArn ?? recoveryPointArn;
  const store = storeOfResourceArn(source);
  const tags = (await clients.backup.send(new ListTagsCommand({ ResourceArn: recoveryPointArn }))).Tags ?? {};
  const seconds = restoreDurationSeconds(job.CreationDate, job.CompletionDate);
  const took = seconds === undefined ? "an unknown time" : `${seconds} s`;
  const what = `${job.ResourceType} ${store}`;

  const opsItem = await clients.ssm.send(
    new CreateOpsItemCommand({
      Title: `Restored ${what} from AWS Backup (${config.stackName})`.slice(0, 1024),
      Source: OPS_ITEM_SOURCE,
      Category: "Recovery",
      Severity: "3",
      Description:
        `AWS Backup restore job ${restoreJobId} restored ${what} from recovery point ${recoveryPointArn} ` +
        `to ${created} in ${took}. Re-integrate it: point the workload or its config at the restored ` +
        "resource (or copy the data back), confirm the data, then resolve this OpsItem.",
      OperationalData: {
        "/aws/resources": { Type: "SearchableString", Value: JSON.stringify([{ arn: created }]) },
        restoreJobId: { Type: "SearchableString", Value: restoreJobId },
        resourceType: { Type: "SearchableString", Value: String(job.ResourceType) },
        recoveryPointArn: { Type: "SearchableString", Value: recoveryPointArn },
        sourceResourceArn: { Type: "SearchableString", Value: source },
        createdResourceArn: { Type: "SearchableString", Value: created },
        originalTags: { Type: "String", Value: JSON.stringify(tags) },
        restoreDurationSeconds: {
          Type: "String",
          Value: seconds === undefined ? "unknown" : String(seconds),
        },
      },
    }),
  );
  const opsItemId = String(opsItem.OpsItemId);

  await clients.sns.send(
    new PublishCommand({
      TopicArn: config.operatorTopicArn,
      Subject: `payments-dr: restored ${what}`.slice(0, 100),
      Message: [
        `AWS Backup restore job ${restoreJobId} completed in ${took}.`,
        `Restored: ${what} (original ${source})`,
        `From recovery point: ${recoveryPointArn}`,
        `Created: ${created}`,
        `Original tags: ${JSON.stringify(tags)}`,
        `OpsItem: ${opsItemId} (Systems Manager > OpsCenter). Re-integrate the resource, then resolve it.`,
      ].join("\n"),
    }),
  );
  console.log(JSON.stringify({ restoreJobId, opsItemId, created }));
  return { restoreJobId, opsItemId };
}

let cached: RestoreCompletedClients | undefined;

export async function handler(
  event: EventBridgeEvent<"Restore Job State Change", { restoreJobId: string }>,
): Promise<RestoreCompletedResult> {
  cached ??= { backup: new BackupClient({}), ssm: new SSMClient({}), sns: new SNSClient({}) };
  return recordRestore(event.detail.restoreJobId, readRestoreCompletedConfig(process.env), cached);
}

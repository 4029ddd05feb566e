/**
 * Restore-test validation: invoked by EventBridge on `Restore Job State Change` COMPLETED for a
 * job of this stack's restore testing plan. It reads the job (DescribeRestoreJob), checks that the
 * restored resource holds the data (./checks.ts), records the measured restore duration as a
 * CloudWatch metric (./duration.ts) and reports the verdict with PutRestoreValidationResult, which
 * AWS Backup shows on the job and after which it deletes the restored resource.
 *
 * Environment: RESTORE_TESTING_PLAN_ARN (only its jobs are validated), MARKER_OBJECT_KEY,
 * MARKER_ITEM_KEY (JSON of the marker item's key), DB_SUBNET_GROUP_NAME.
 */
import {
  BackupClient,
  DescribeRestoreJobCommand,
  PutRestoreValidationResultCommand,
} from "@aws-sdk/client-backup";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { EC2Client } from "@aws-sdk/client-ec2";
import { RDSClient } from "@aws-sdk/client-rds";
import { S3Client } from "@aws-sdk/client-s3";
import type { EventBridgeEvent } from "aws-lambda";
import { ValidationClients, ValidationExpectations, validateRestoredResource } from "./checks";
import { putRestoreDuration, restoreDurationSeconds, restoredResourceOf, storeOfRestore } from "./duration";

export interface RestoreJobEventDetail {
  readonly restoreJobId: string;
  readonly status?: string;
}

export interface ValidatorConfig {
  readonly restoreTestingPlanArn: string;
  readonly expectations: ValidationExpectations;
}

export interface ValidatorClients extends ValidationClients {
  readonly backup: BackupClient;
  readonly cloudwatch: CloudWatchClient;
}

export type ValidatorResult =
  | { readonly skipped: string }
  | {
      readonly restoreJobId: string;
      readonly status: string;
      readonly message: string;
      readonly seconds?: number;
    };

/** @throws Error naming the variable when the environment is incomplete. */
export function readValidatorConfig(env: NodeJS.ProcessEnv): ValidatorConfig {
  const plan = env.RESTORE_TESTING_PLAN_ARN;
  if (!plan) throw new Error("RESTORE_TESTING_PLAN_ARN is not set");
  let markerItemKey: ValidationExpectations["markerItemKey"];
  if (env.MARKER_ITEM_KEY) {
    try {
      markerItemKey = JSON.parse(env.MARKER_ITEM_KEY);
    } catch {
      throw new Error(`MARKER_ITEM_KEY is not JSON: ${env.MARKER_ITEM_KEY}`);
    }
  }
  return {
    restoreTestingPlanArn: plan,
    expectations: {
      ...(env.MARKER_OBJECT_KEY ? { markerObjectKey: env.MARKER_OBJECT_KEY } : {}),
      ...(markerItemKey ? { markerItemKey } : {}),
      ...(env.DB_SUBNET_GROUP_NAME ? { dbSubnetGroupName: env.DB_SUBNET_GROUP_NAME } : {}),
    },
  };
}

export async function validateRestoreJob(
  detail: RestoreJobEventDetail,
  config: ValidatorConfig,
  clients: ValidatorClients,
): Promise<ValidatorResult> {
  const job = await clients.backup.send(new DescribeRestoreJobCommand({ RestoreJobId: detail.restoreJobId }));
  // The rule matches this plan already; the job itself is the authority (a replayed or hand-sent
  // event must not validate someone else's restore).
  if (job.CreatedBy?.RestoreTestingPlanArn !== config.restoreTestingPlanArn)
    return { skipped: `restore job ${detail.restoreJobId} is not a test of ${config.restoreTestingPlanArn}` };
  if (job.Status !== "COMPLETED")
    return { skipped: `restore job ${detail.restoreJobId} is ${job.Status ?? "in no state"}, not COMPLETED` };

  const restored = restoredResourceOf(job);
  const outcome = await validateRestoredResource(restored, clients, config.expectations);
  const seconds = restoreDurationSeconds(job.CreationDate, job.CompletionDate);
  let measured = "restore duration unknown (no creation or completion date)";
  if (seconds !== undefined && job.CompletionDate) {
    measured = `restore took ${seconds} s (${restored.resourceType} ${storeOfRestore(restored)})`;
    try {
      await putRestoreDuration(clients.cloudwatch, restored, seconds, job.CompletionDate);
    } catch (error) {
      // The verdict still reaches AWS Backup; the missing datapoint is said in it.
      measured += `; metric not recorded: ${(error as Error).message}`;
    }
  }
  const message = `${outcome.message}; ${measured}`.slice(0, 1000);
  await clients.backup.send(
    new PutRestoreValidationResultCommand({
      RestoreJobId: restored.restoreJobId,
      ValidationStatus: outcome.status,
      ValidationStatusMessage: message,
    }),
  );
  console.log(JSON.stringify({ restoreJobId: restored.restoreJobId, status: outcome.status, message }));
  return {
    restoreJobId: restored.restoreJobId,
    status: outcome.status,
    message,
    ...(seconds !== undefined ? { seconds } : {}),
  };
}

let cached: ValidatorClients | undefined;

export async function handler(
  event: EventBridgeEvent<"Restore Job State Change", RestoreJobEventDetail>,
): Promise<ValidatorResult> {
  cached ??= {
    backup: new BackupClient({}),
    cloudwatch: new CloudWatchClient({}),
    s3: new S3Client({}),
    dynamodb: new DynamoDBClient({}),
    rds: new RDSClient({}),
    ec2: new EC2Client({}),
  };
  return validateRestoreJob(event.detail, readValidatorConfig(process.env), cached);
}

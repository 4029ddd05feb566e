/**
 * A restore job's measured duration (CreationDate -> CompletionDate, as AWS Backup reports them)
 * and the CloudWatch datapoint that records it, per resource type and store
 * (model/restoreTime.ts names the metric; `npm run failover -- restore-times` reads it back).
 */
import { CloudWatchClient, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import type { DescribeRestoreJobCommandOutput } from "@aws-sdk/client-backup";
import { RESTORE_DURATION_METRIC, storeOfResourceArn } from "../../model/restoreTime";
import { RestoredResource } from "./checks";

/** Whole seconds from creation to completion; undefined when AWS has not given both dates. */
export function restoreDurationSeconds(creation?: Date, completion?: Date): number | undefined {
  if (!creation || !completion) return undefined;
  const seconds = Math.round((completion.getTime() - creation.getTime()) / 1000);
  return seconds >= 0 ? seconds : undefined;
}

/** The restore job's facts the checks and the metric read. */
export function restoredResourceOf(job: DescribeRestoreJobCommandOutput): RestoredResource {
  return {
    restoreJobId: String(job.RestoreJobId),
    resourceType: String(job.ResourceType),
    createdResourceArn: String(job.CreatedResourceArn ?? ""),
    recoveryPointArn: String(job.RecoveryPointArn ?? ""),
    ...(job.SourceResourceArn ? { sourceResourceArn: job.SourceResourceArn } : {}),
    ...(job.BackupSizeInBytes !== undefined ? { backupSizeInBytes: job.BackupSizeInBytes } : {}),
  };
}

/** The store a restore measures: the source resource (copies keep its ARN), else the recovery point. */
export function storeOfRestore(job: RestoredResource): string {
  const arn = job.sourceResourceArn ?? job.recoveryPointArn;
  // A CloudWatch dimension value may not be empty.
  return (arn ? storeOfResourceArn(arn) : "") || "unknown";
}

/** Records one restore's duration: one datapoint at its completion time. */
export async function putRestoreDuration(
  cloudwatch: CloudWatchClient,
  job: RestoredResource,
  seconds: number,
  completedAt: Date,
): Promise<void> {
  await cloudwatch.send(
    new PutMetricDataCommand({
      Namespace: RESTORE_DURATION_METRIC.namespace,
      MetricData: [
        {
          MetricName: RESTORE_DURATION_METRIC.name,
          Dimensions: [
            { Name: "ResourceType", Value: job.resourceType },
            { Name: "Store", Value: storeOfRestore(job) },
          ],
          Timestamp: completedAt,
          Value: seconds,
          Unit: "Seconds",
        },
      ],
    }),
  );
}

/**
 * The EventBridge pattern both restore functions listen on: every AWS Backup restore job that
 * COMPLETED in the Region. Neither rule filters on the restore testing plan in the pattern: the
 * functions read the job (DescribeRestoreJob) and keep or leave it by its `CreatedBy`, which is
 * authoritative where an event field might be absent.
 */
export function restoreJobCompletedPattern(): Record<string, unknown> {
  return {
    source: ["aws.backup"],
    "detail-type": ["Restore Job State Change"],
    detail: { status: ["COMPLETED"] },
  };
}

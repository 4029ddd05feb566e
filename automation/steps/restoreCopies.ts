/**
 * Finds the copies a backup-restore failover restores from, in the dr Region:
 *
 * - the database: the newest COMPLETED RDS recovery point in the primary's AWS Backup copy vault
 *   (ListRecoveryPointsByBackupVault, filtered by resource type, every page; restorePoints.ts picks);
 * - the cache: the newest exported snapshot in the replica of the primary's cache snapshot bucket.
 *   The exporter (functions/cacheSnapshotExport) writes `<replicationGroupId>-export-<yyyymmddhhmm>-<node>.rdb`;
 *   the newest by LastModified is taken (ListObjectsV2 with that prefix, every page).
 *
 * Either one missing, or older than `targets.rpoSeconds`, refuses the run before anything changes.
 */
import { ListRecoveryPointsByBackupVaultCommand } from "@aws-sdk/client-backup";
import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import { AwsClients } from "../aws/clients";
import { awsCall, RetryPolicy } from "../aws/awsCall";
import { FailoverError } from "../errors";
import { latestRecoveryPoint, RecoveryPointSummary, RESTORE_RESOURCE_TYPES } from "./restorePoints";

export interface RestoreCopies {
  /** `payments-dr:restore.database`: the RDS snapshot ARN. */
  readonly database: string;
  /** `payments-dr:restore.cache`: `arn:aws:s3:::<bucket>/<key>.rdb`. */
  readonly cache: string;
  readonly databaseAgeSeconds: number;
  readonly cacheAgeSeconds: number;
}

export interface CopySources {
  /** The primary's copy vault in the dr Region (`primary.copyVaultArn`). */
  readonly copyVaultArn: string;
  /** The replica bucket of the primary's exported cache snapshots (`primary.cacheSnapshotReplicaBucketName`). */
  readonly cacheSnapshotBucket: string;
  /** The primary's cache replication group: the exporter's snapshot prefix is `<id>-export`. */
  readonly primaryCacheReplicationGroupId: string;
}

/** `arn:aws:backup:<region>:<account>:backup-vault:<name>` → `<name>`. */
export function vaultNameOf(arn: string): string {
  const match = /:backup-vault:([^:/]+)$/.exec(arn);
  if (!match) throw new FailoverError(`primary.copyVaultArn ${arn} is not an AWS Backup vault ARN`, false);
  return match[1];
}

/** The exporter's object key prefix (components/data/cache/cacheSnapshotExport.ts: `<id>-export`). */
export const exportPrefix = (primaryCacheReplicationGroupId: string) =>
  `${primaryCacheReplicationGroupId}-export-`.toLowerCase();

export async function listRecoveryPoints(
  clients: Pick<AwsClients, "backup">,
  vaultName: string,
  retry?: RetryPolicy,
): Promise<RecoveryPointSummary[]> {
  const points: RecoveryPointSummary[] = [];
  let token: string | undefined;
  do {
    const page = await awsCall(
      "backup:ListRecoveryPointsByBackupVault",
      () =>
        clients.backup.send(
          new ListRecoveryPointsByBackupVaultCommand({
            BackupVaultName: vaultName,
            ByResourceType: RESTORE_RESOURCE_TYPES.database,
            ...(token ? { NextToken: token } : {}),
          }),
        ),
      retry,
    );
    points.push(...(page.RecoveryPoints ?? []));
    token = page.NextToken;
  } while (token);
  return points;
}

/** The newest exported `.rdb` object in the replica bucket, refused when none or too old. */
export async function latestCacheExport(
  clients: Pick<AwsClients, "s3">,
  sources: CopySources,
  now: Date,
  rpoSeconds: number,
  retry?: RetryPolicy,
): Promise<{ arn: string; ageSeconds: number }> {
  const bucket = sources.cacheSnapshotBucket;
  const prefix = exportPrefix(sources.primaryCacheReplicationGroupId);
  let newest: { key: string; at: Date } | undefined;
  let token: string | undefined;
  do {
    const page = await awsCall(
      "s3:ListObjectsV2",
      () =>
        clients.s3.send(
          new ListObjectsV2Command({
            Bucket: bucket,
            Prefix: prefix,
            ...(token ? { ContinuationToken: token } : {}),
          }),
        ),
      retry,
    );
    for (const object of page.Contents ?? []) {
      if (!object.Key || !/-\d+\.rdb$/.test(object.Key) || !object.LastModified) continue;
      if (!newest || object.LastModified > newest.at) newest = { key: object.Key, at: object.LastModified };
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  if (!newest) {
    throw new FailoverError(
      `No exported cache snapshot (${prefix}*.rdb) in bucket ${bucket}: nothing to seed the cache from. Fix: check ` +
        "the primary's cache snapshot export and the bucket's replication (docs/strategies.md), or set one by hand: " +
        "pulumi config set --path payments-dr:restore.cache arn:aws:s3:::<bucket>/<key>.rdb.",
      false,
    );
  }
  const arn = `arn:aws:s3:::${bucket}/${newest.key}`;
  const ageSeconds = Math.floor((now.getTime() - newest.at.getTime()) / 1000);
  if (ageSeconds > rpoSeconds) {
    throw new FailoverError(
      `The newest exported cache snapshot in bucket ${bucket} (${newest.key}, written ${newest.at.toISOString()}) ` +
        `is ${ageSeconds} s old: expected at most payments-dr:targets.rpoSeconds (${rpoSeconds} s). Restoring it loses ` +
        "more data than the target allows. Fix: wait for a newer export, or accept the loss and set it by hand: " +
        `pulumi config set --path payments-dr:restore.cache ${arn}.`,
      false,
    );
  }
  return { arn, ageSeconds };
}

/** Both copies, or a refusal naming the one that is missing or stale. */
export async function findRestoreCopies(
  clients: Pick<AwsClients, "backup" | "s3">,
  sources: CopySources,
  now: Date,
  rpoSeconds: number,
  retry?: RetryPolicy,
): Promise<RestoreCopies> {
  const vaultName = vaultNameOf(sources.copyVaultArn);
  const points = await listRecoveryPoints(clients, vaultName, retry);
  const database = latestRecoveryPoint("database", vaultName, points, now, rpoSeconds);
  const cache = await latestCacheExport(clients, sources, now, rpoSeconds, retry);
  return {
    database: database.recoveryPointArn,
    databaseAgeSeconds: database.ageSeconds,
    cache: cache.arn,
    cacheAgeSeconds: cache.ageSeconds,
  };
}

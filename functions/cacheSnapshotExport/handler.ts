/**
 * Cache snapshot exporter: runs every few minutes in the cache's own Region and keeps a recent
 * copy of the replication group's data in an S3 bucket that replicates to the peer Region.
 *
 * Each run reconciles, so a retry or an overlapping run repeats nothing:
 * 1. exports (CopySnapshot with TargetBucket) every manual snapshot of its own that is available
 *    and not yet in the bucket, so an export starts at most one run after its snapshot is ready;
 * 2. creates (CreateSnapshot) a snapshot named after the scheduled time when its newest one is
 *    `intervalMinutes` old, unless one is still being created;
 * 3. deletes its own exported snapshots beyond the newest `keepSnapshots` (never the automatic or
 *    final snapshots, never one not yet exported);
 * 4. fails when the newest export is older than `staleAfterMinutes`.
 * Any problem is logged and thrown, so the function's Errors metric (and its alarm) reports it.
 */
import {
  CopySnapshotCommand,
  CreateSnapshotCommand,
  DeleteSnapshotCommand,
  ElastiCacheClient,
} from "@aws-sdk/client-elasticache";
import { S3Client } from "@aws-sdk/client-s3";
import type { ScheduledEvent } from "aws-lambda";
import {
  Clients,
  describe,
  errorName,
  ExportConfig,
  exportsInBucket,
  ownSnapshots,
  readConfig,
  snapshotNameFor,
  timeOfSnapshot,
} from "./inventory";

export { readConfig, snapshotNameFor, timeOfSnapshot } from "./inventory";
export type { Clients, ExportConfig } from "./inventory";

export interface ExportResult {
  readonly created?: string;
  readonly exported: string[];
  readonly deleted: string[];
  readonly deferred: string[];
  readonly newestExportAt?: string;
  readonly problems: string[];
}

export async function exportOnce(
  config: ExportConfig,
  clients: Clients,
  scheduled: Date,
): Promise<ExportResult> {
  const problems: string[] = [];
  const exported: string[] = [];
  const deleted: string[] = [];
  const deferred: string[] = [];
  const snapshots = await ownSnapshots(config, clients);
  const inBucket = await exportsInBucket(config, clients);

  // 1. Export what is ready. A snapshot already in the bucket (or being exported) is left alone.
  for (const snapshot of snapshots) {
    const name = String(snapshot.SnapshotName);
    if (snapshot.SnapshotStatus !== "available" || inBucket.names.has(name)) continue;
    try {
      await clients.elasticache.send(
        new CopySnapshotCommand({
          SourceSnapshotName: name,
          TargetSnapshotName: name,
          TargetBucket: config.bucketName,
        }),
      );
      exported.push(name);
    } catch (error) {
      if (errorName(error) === "SnapshotAlreadyExistsFault") exported.push(name);
      else if (errorName(error) === "InvalidSnapshotStateFault")
        deferred.push(`export of ${name}: ${describe(error)}`);
      else problems.push(`export of ${name} to s3://${config.bucketName} failed: ${describe(error)}`);
    }
  }
  for (const snapshot of snapshots.filter((s) => s.SnapshotStatus === "failed")) {
    problems.push(`snapshot ${String(snapshot.SnapshotName)} failed in ElastiCache`);
  }

  // 2. A new snapshot once the newest is an interval old, named after the scheduled time.
  const name = snapshotNameFor(config.snapshotPrefix, scheduled);
  const newest = snapshots
    .map((s) => timeOfSnapshot(String(s.SnapshotName)))
    .filter((d): d is Date => d !== undefined)
    .sort((a, b) => b.getTime() - a.getTime())[0];
  const creating = snapshots.find((s) => s.SnapshotStatus === "creating");
  let created: string | undefined;
  if (newest && scheduled.getTime() - newest.getTime() < config.intervalMinutes * 60_000) {
    // Not due yet (this also makes a retry of the run that created it a no-op).
  } else if (creating) {
    deferred.push(`snapshot ${name}: ${String(creating.SnapshotName)} is still being created`);
  } else {
    try {
      await clients.elasticache.send(
        new CreateSnapshotCommand({ ReplicationGroupId: config.replicationGroupId, SnapshotName: name }),
      );
      created = name;
    } catch (error) {
      if (errorName(error) === "SnapshotAlreadyExistsFault") created = name;
      // Another backup (the automatic one, an operator's) is running: the next run takes it.
      else if (errorName(error) === "InvalidReplicationGroupStateFault")
        deferred.push(`snapshot ${name}: ${describe(error)}`);
      else
        problems.push(
          `snapshot ${name} of ${config.replicationGroupId} could not be created: ${describe(error)}`,
        );
    }
  }

  // 3. Cleanup: only this exporter's snapshots, only once exported (or failed), newest kept.
  const done = snapshots
    .filter((s) => s.SnapshotStatus === "available" && inBucket.names.has(String(s.SnapshotName)))
    .map((s) => String(s.SnapshotName))
    .sort()
    .reverse();
  const doomed = [
    ...done.slice(config.keepSnapshots),
    ...snapshots.filter((s) => s.SnapshotStatus === "failed").map((s) => String(s.SnapshotName)),
  ];
  for (const old of doomed) {
    try {
      await clients.elasticache.send(new DeleteSnapshotCommand({ SnapshotName: old }));
      deleted.push(old);
    } catch (error) {
      if (errorName(error) === "SnapshotNotFoundFault") deleted.push(old);
      else problems.push(`deleting snapshot ${old} failed: ${describe(error)}`);
    }
  }

  // 4. Freshness: since the newest export, or since the exporter's oldest unexported snapshot.
  const since =
    inBucket.newest ??
    snapshots
      .map((s) => timeOfSnapshot(String(s.SnapshotName)))
      .filter((d): d is Date => d !== undefined)
      .sort((a, b) => a.getTime() - b.getTime())[0];
  if (since && scheduled.getTime() - since.getTime() > config.staleAfterMinutes * 60_000) {
    problems.push(
      `the newest export in s3://${config.bucketName} is ${inBucket.newest ? `from ${inBucket.newest.toISOString()}` : "missing"}: ` +
        `expected one within ${config.staleAfterMinutes} minutes of ${scheduled.toISOString()}`,
    );
  }

  return {
    created,
    exported,
    deleted,
    deferred,
    newestExportAt: inBucket.newest?.toISOString(),
    problems,
  };
}

/** Runs once, logs the outcome as one JSON line and throws when anything went wrong. */
export async function runExport(
  config: ExportConfig,
  clients: Clients,
  scheduled: Date,
  log: (line: string) => void = console.log,
): Promise<ExportResult> {
  let result: ExportResult;
  try {
    result = await exportOnce(config, clients, scheduled);
  } catch (error) {
    result = { exported: [], deleted: [], deferred: [], problems: [describe(error)] };
  }
  log(
    JSON.stringify({ replicationGroupId: config.replicationGroupId, bucket: config.bucketName, ...result }),
  );
  if (result.problems.length > 0) {
    throw new Error(
      `Cache snapshot export of ${config.replicationGroupId} failed: ${result.problems.join("; ")}`,
    );
  }
  return result;
}

let clients: Clients | undefined;

export const handler = async (event: Partial<ScheduledEvent>): Promise<ExportResult> => {
  clients ??= { elasticache: new ElastiCacheClient({}), s3: new S3Client({}) };
  const scheduled = event.time ? new Date(event.time) : new Date();
  return runExport(
    readConfig(process.env),
    clients,
    Number.isNaN(scheduled.getTime()) ? new Date() : scheduled,
  );
};

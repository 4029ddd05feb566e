/**
 * What the exporter knows at the start of a run: its configuration, its own manual snapshots in
 * ElastiCache and the exports already in the bucket, and the naming that ties them together.
 */
import { DescribeSnapshotsCommand, ElastiCacheClient, Snapshot } from "@aws-sdk/client-elasticache";
import { ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";

export interface ExportConfig {
  readonly replicationGroupId: string;
  /** Same-Region bucket ElastiCache exports into (the service requires it). */
  readonly bucketName: string;
  /** Names of this exporter's snapshots: `<prefix>-<yyyymmddhhmm>`; exports are `<name>-<node>.rdb`. */
  readonly snapshotPrefix: string;
  /** Minutes between this exporter's snapshots (ElastiCache allows 20 manual backups per node a day). */
  readonly intervalMinutes: number;
  /** Exported manual snapshots kept in ElastiCache for a fast in-Region restore. */
  readonly keepSnapshots: number;
  /** Age of the newest export beyond which a run fails. */
  readonly staleAfterMinutes: number;
}

export interface Clients {
  readonly elasticache: Pick<ElastiCacheClient, "send">;
  readonly s3: Pick<S3Client, "send">;
}

const NAME_TIME = /-(\d{12})$/;

export function readConfig(env: NodeJS.ProcessEnv): ExportConfig {
  const required = (key: string): string => {
    const value = env[key];
    if (!value)
      throw new Error(`Environment variable ${key} is missing: the exporter was deployed incompletely.`);
    return value;
  };
  const positive = (key: string): number => {
    const value = Number(required(key));
    if (!Number.isInteger(value) || value < 1)
      throw new Error(`Environment variable ${key} = "${env[key]}": expected a positive integer.`);
    return value;
  };
  return {
    replicationGroupId: required("REPLICATION_GROUP_ID"),
    bucketName: required("TARGET_BUCKET"),
    snapshotPrefix: required("SNAPSHOT_PREFIX"),
    intervalMinutes: positive("INTERVAL_MINUTES"),
    keepSnapshots: positive("KEEP_SNAPSHOTS"),
    staleAfterMinutes: positive("STALE_AFTER_MINUTES"),
  };
}

/** `<prefix>-yyyymmddhhmm` of the scheduled time (UTC): the same name on every retry of a run. */
export function snapshotNameFor(prefix: string, scheduled: Date): string {
  const stamp = scheduled.toISOString().replace(/[-:T]/g, "").slice(0, 12);
  return `${prefix}-${stamp}`.toLowerCase();
}

/** The scheduled time encoded in one of this exporter's snapshot names. */
export function timeOfSnapshot(name: string): Date | undefined {
  const match = NAME_TIME.exec(name);
  if (!match) return undefined;
  const s = match[1];
  const date = new Date(
    `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(8, 10)}:${s.slice(10, 12)}:00Z`,
  );
  return Number.isNaN(date.getTime()) ? undefined : date;
}

export function errorName(error: unknown): string {
  return error instanceof Error ? error.name : "Error";
}

export function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

export async function ownSnapshots(config: ExportConfig, clients: Clients): Promise<Snapshot[]> {
  const found: Snapshot[] = [];
  let marker: string | undefined;
  do {
    const page = await clients.elasticache.send(
      new DescribeSnapshotsCommand({
        ReplicationGroupId: config.replicationGroupId,
        // "user": manual snapshots only ("system" are the automatic ones).
        SnapshotSource: "user",
        MaxRecords: 50,
        Marker: marker,
      }),
    );
    found.push(...(page.Snapshots ?? []));
    marker = page.Marker;
  } while (marker);
  return found.filter((s) => s.SnapshotName?.startsWith(`${config.snapshotPrefix}-`));
}

/** Exported snapshot names (from `<name>-<node>.rdb` keys) and the newest export time. */
export async function exportsInBucket(
  config: ExportConfig,
  clients: Clients,
): Promise<{ names: Set<string>; newest?: Date }> {
  const names = new Set<string>();
  let newest: Date | undefined;
  let token: string | undefined;
  do {
    const page = await clients.s3.send(
      new ListObjectsV2Command({
        Bucket: config.bucketName,
        Prefix: `${config.snapshotPrefix}-`,
        ContinuationToken: token,
      }),
    );
    for (const object of page.Contents ?? []) {
      const match = /^(.*)-\d+\.rdb$/.exec(object.Key ?? "");
      if (!match) continue;
      names.add(match[1]);
      if (object.LastModified && (!newest || object.LastModified > newest)) newest = object.LastModified;
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return { names, newest };
}

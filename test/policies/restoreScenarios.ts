/**
 * Stores restored from snapshots, backups and points in time, and the declared snapshot copies that
 * prove them: shared by the restore spec and the mutation corpus.
 */
import { EngineResource } from "../../tools/policyEngine";
import { ACCOUNT, key, PEER, PRIMARY, resource, urnOf } from "./fixtures";

export const RESTORE = "aws-datastore-restore-encryption-proven";

export const R = {
  db: "aws:rds/instance:Instance",
  cluster: "aws:rds/cluster:Cluster",
  docdb: "aws:docdb/cluster:Cluster",
  neptune: "aws:neptune/cluster:Cluster",
  volume: "aws:ebs/volume:Volume",
  redshift: "aws:redshift/cluster:Cluster",
  group: "aws:elasticache/replicationGroup:ReplicationGroup",
  cacheCluster: "aws:elasticache/cluster:Cluster",
  table: "aws:dynamodb/table:Table",
  windows: "aws:fsx/windowsFileSystem:WindowsFileSystem",
  snapshotCopy: "aws:rds/snapshotCopy:SnapshotCopy",
  clusterSnapshotCopy: "aws:rds/clusterSnapshotCopy:ClusterSnapshotCopy",
  ebsSnapshotCopy: "aws:ebs/snapshotCopy:SnapshotCopy",
  key: "aws:kms/key:Key",
} as const;

/** A snapshot in the primary's account that this stack does not declare (e.g. from a StackReference). */
export const FOREIGN_SNAPSHOT = `arn:aws:rds:${PRIMARY}:${ACCOUNT}:snapshot:payments-2026-12-05`;
export const COPY_ARN = `arn:aws:rds:${PRIMARY}:${ACCOUNT}:snapshot:payments-restore`;

/** An RDS snapshot copy into this stack under `kmsKeyId`. */
export const snapshotCopy = (kmsKeyId: unknown, inputs: Record<string, unknown> = {}) =>
  resource(
    R.snapshotCopy,
    "restore-copy",
    {
      sourceDbSnapshotIdentifier: FOREIGN_SNAPSHOT,
      targetDbSnapshotIdentifier: "payments-restore",
      ...(kmsKeyId === undefined ? {} : { kmsKeyId }),
      ...inputs,
    },
    { outputs: { id: "payments-restore", dbSnapshotArn: COPY_ARN } },
  );

/** An RDS instance restored from `snapshotIdentifier`, encrypted with `kmsKeyId` as the at-rest rule asks. */
export const restoredDb = (
  snapshotIdentifier: unknown,
  inputs: Record<string, unknown> = {},
  options: Parameters<typeof resource>[3] = {},
) =>
  resource(
    R.db,
    "db",
    { snapshotIdentifier, storageEncrypted: true, kmsKeyId: key(PRIMARY), ...inputs },
    options,
  );

/** The instance restored from the declared copy, both under the same key. */
export const restoredFromCopy = (): EngineResource[] => [
  snapshotCopy(key(PRIMARY)),
  restoredDb("payments-restore"),
];

export const restoredCluster = (type: string, inputs: Record<string, unknown>) =>
  resource(type, "cluster", { storageEncrypted: true, ...inputs });

export const restoredVolume = (
  inputs: Record<string, unknown>,
  options: Parameters<typeof resource>[3] = {},
) =>
  resource(
    R.volume,
    "volume",
    {
      availabilityZone: `${PRIMARY}a`,
      size: 100,
      encrypted: true,
      snapshotId: "snap-0123456789abcdef0",
      ...inputs,
    },
    options,
  );

export const ebsSnapshotCopy = (kmsKeyId: unknown) =>
  resource(
    R.ebsSnapshotCopy,
    "volume-copy",
    {
      sourceRegion: PEER,
      sourceSnapshotId: "snap-0fedcba9876543210",
      encrypted: true,
      ...(kmsKeyId === undefined ? {} : { kmsKeyId }),
    },
    { outputs: { id: "snap-0aaaabbbbccccdddd" } },
  );

/** A KMS key declared in the stack, in `region`. */
export const kmsKey = (name: string, region = PRIMARY) =>
  resource(R.key, name, {
    description: name,
    enableKeyRotation: true,
    ...(region === PRIMARY ? {} : { region }),
  });

export { urnOf };

/**
 * Stores created from a snapshot, a backup, a point in time or an import: per type, the arguments
 * that make a create a restore, and what AWS does with the KMS key on that path. Read by
 * `aws-datastore-restore-encryption-proven` (restoreProof.ts). Only fields the installed
 * `@pulumi/aws` has; OpenSearch (snapshot restore is a REST call), EFS and every AWS Backup restore
 * job (StartRestoreJob) create nothing Pulumi declares, so there is nothing to judge here.
 *
 * The verdict per path, from the service APIs (docs/policies.md keeps the same table):
 * - re-encrypts: the create call takes a KMS key and encrypts the new store under it whatever the
 *   source used (RestoreDBClusterFromSnapshot/ToPointInTime/FromS3 for Aurora, Neptune and
 *   DocumentDB; RestoreDBInstanceFromS3; EC2 CreateVolume; Redshift RestoreFromClusterSnapshot in
 *   the same account; ElastiCache loads the RDB into new nodes under the group's key; DynamoDB's
 *   SSESpecificationOverride; FSx CreateFileSystemFromBackup). The store's own key proves it.
 *   Without one, the cluster/volume/file-system restores keep the source's key (`from` says which
 *   declared resources can prove that key); ElastiCache and DynamoDB fall back to a service key.
 * - inherits: RestoreDBInstanceFromDBSnapshot and RestoreDBInstanceToPointInTime take no KMS key:
 *   the instance keeps the snapshot's (source instance's) key and ignores `kmsKeyId`. A different
 *   key needs a snapshot copy under that key first; only the declared copy (or source) proves it.
 */

/** A declared resource a restore can come from, and where its key is. */
export interface RestoreSourceType {
  readonly type: string;
  readonly label: string;
  /** Outputs a restore argument may name it by (identifier, id, ARN, resource id). */
  readonly ids: readonly string[];
  /** Its KMS key: the key the restored data is encrypted with when the store gives none. */
  readonly keyArg: string;
  /** For a copy: the argument naming what it copies (how to fix a restore from a foreign snapshot). */
  readonly copyOf?: string;
}

export interface RestorePath {
  /** Top-level argument that makes the create a restore (the engine records dependencies per it). */
  readonly arg: string;
  /** Sub-paths naming the source inside `arg` (first set wins); none: `arg` itself names it. */
  readonly refs?: readonly string[];
  /** What the store is restored from, for messages. */
  readonly what: string;
  /** True when the service encrypts the restored data under the store's own key argument. */
  readonly reencrypts: boolean;
  /** Declared resources whose key the store inherits when it gives none (or always, if it inherits). */
  readonly from: readonly RestoreSourceType[];
  /** The AWS behaviour, for messages and docs. */
  readonly why: string;
}

export interface RestoreType {
  readonly type: string;
  readonly label: string;
  /** The store's key argument (dotted), if the type has one. */
  readonly keyArg?: string;
  readonly paths: readonly RestorePath[];
}

const RDS_SNAPSHOT_COPY: RestoreSourceType = {
  type: "aws:rds/snapshotCopy:SnapshotCopy",
  label: "RDS snapshot copy",
  ids: ["id", "targetDbSnapshotIdentifier", "dbSnapshotArn"],
  keyArg: "kmsKeyId",
  copyOf: "sourceDbSnapshotIdentifier",
};
const RDS_CLUSTER_SNAPSHOT_COPY: RestoreSourceType = {
  type: "aws:rds/clusterSnapshotCopy:ClusterSnapshotCopy",
  label: "RDS cluster snapshot copy",
  ids: ["id", "targetDbClusterSnapshotIdentifier", "dbClusterSnapshotArn"],
  keyArg: "kmsKeyId",
  copyOf: "sourceDbClusterSnapshotIdentifier",
};
const RDS_INSTANCE: RestoreSourceType = {
  type: "aws:rds/instance:Instance",
  label: "RDS DB instance",
  ids: ["identifier", "id", "arn", "resourceId"],
  keyArg: "kmsKeyId",
};
const RDS_BACKUP_REPLICATION: RestoreSourceType = {
  type: "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication",
  label: "RDS automated backups replication",
  ids: ["id"],
  keyArg: "kmsKeyId",
};
const RDS_CLUSTER: RestoreSourceType = {
  type: "aws:rds/cluster:Cluster",
  label: "RDS/Aurora cluster",
  ids: ["clusterIdentifier", "id", "arn", "clusterResourceId"],
  keyArg: "kmsKeyId",
};
const DOCDB_CLUSTER: RestoreSourceType = {
  type: "aws:docdb/cluster:Cluster",
  label: "DocumentDB cluster",
  ids: ["clusterIdentifier", "id", "arn"],
  keyArg: "kmsKeyId",
};
const EBS_SNAPSHOT_COPY: RestoreSourceType = {
  type: "aws:ebs/snapshotCopy:SnapshotCopy",
  label: "EBS snapshot copy",
  ids: ["id", "arn"],
  keyArg: "kmsKeyId",
  copyOf: "sourceSnapshotId",
};

const CLUSTER_RESTORE =
  "the cluster restore encrypts the new cluster under the KMS key it is given, and keeps the source's key when given none";
const INSTANCE_SNAPSHOT =
  "RestoreDBInstanceFromDBSnapshot takes no KMS key: the instance keeps the snapshot's key and kmsKeyId is not used; a different key needs a snapshot copy under that key first";
const INSTANCE_PITR =
  "RestoreDBInstanceToPointInTime takes no KMS key: the instance keeps the source instance's (or replicated backup's) key and kmsKeyId is not used";
const FSX_BACKUP =
  "CreateFileSystemFromBackup encrypts the new file system under the KMS key it is given, and keeps the backed-up file system's key when given none";
const fsx = (type: string, label: string): RestoreType => ({
  type,
  label,
  keyArg: "kmsKeyId",
  paths: [{ arg: "backupId", what: "an FSx backup", reencrypts: true, from: [], why: FSX_BACKUP }],
});
const dynamo = (arg: string, what: string): RestorePath => ({
  arg,
  what,
  reencrypts: true,
  from: [],
  why: "the restore or import encrypts the new table as serverSideEncryption says (SSESpecificationOverride); without a customer-managed key there it is not under a key you own",
});
const elasticache = (arg: string): RestorePath => ({
  arg,
  what: arg === "snapshotName" ? "an ElastiCache snapshot" : "RDB files in S3",
  reencrypts: true,
  from: [],
  why: "ElastiCache loads the snapshot into new nodes encrypted as the new cache says; without a customer-managed key there it is not under a key you own",
});

/** Aurora/RDS, DocumentDB and Neptune clusters (Neptune has no point-in-time argument in v7). */
function cluster(type: string, label: string, keyArg: string, self?: RestoreSourceType): RestoreType {
  const rds = self === RDS_CLUSTER;
  const paths: RestorePath[] = [
    {
      arg: "snapshotIdentifier",
      what: "a cluster snapshot",
      reencrypts: true,
      from: rds ? [RDS_CLUSTER_SNAPSHOT_COPY, RDS_SNAPSHOT_COPY] : [],
      why: CLUSTER_RESTORE,
    },
  ];
  if (self)
    paths.push({
      arg: "restoreToPointInTime",
      refs: rds ? ["sourceClusterIdentifier", "sourceClusterResourceId"] : ["sourceClusterIdentifier"],
      what: "a point in time of a cluster",
      reencrypts: true,
      from: [self],
      why: CLUSTER_RESTORE,
    });
  if (rds)
    paths.push({
      arg: "s3Import",
      refs: ["bucketName"],
      what: "backup files in S3",
      reencrypts: true,
      from: [],
      why: "RestoreDBClusterFromS3 encrypts the new cluster under the KMS key it is given",
    });
  return { type, label, keyArg, paths };
}

/** One entry per type with a restore argument in the installed provider. */
export const RESTORE_TYPES: readonly RestoreType[] = [
  {
    type: "aws:rds/instance:Instance",
    label: "RDS DB instance",
    keyArg: "kmsKeyId",
    paths: [
      {
        arg: "snapshotIdentifier",
        what: "a DB snapshot",
        reencrypts: false,
        from: [RDS_SNAPSHOT_COPY],
        why: INSTANCE_SNAPSHOT,
      },
      {
        arg: "restoreToPointInTime",
        refs: ["sourceDbInstanceIdentifier", "sourceDbiResourceId", "sourceDbInstanceAutomatedBackupsArn"],
        what: "a point in time of a DB instance",
        reencrypts: false,
        from: [RDS_INSTANCE, RDS_BACKUP_REPLICATION],
        why: INSTANCE_PITR,
      },
      {
        arg: "s3Import",
        refs: ["bucketName"],
        what: "backup files in S3",
        reencrypts: true,
        from: [],
        why: "RestoreDBInstanceFromS3 encrypts the new instance under the KMS key it is given",
      },
    ],
  },
  cluster("aws:rds/cluster:Cluster", "RDS/Aurora cluster", "kmsKeyId", RDS_CLUSTER),
  cluster("aws:docdb/cluster:Cluster", "DocumentDB cluster", "kmsKeyId", DOCDB_CLUSTER),
  cluster("aws:neptune/cluster:Cluster", "Neptune cluster", "kmsKeyArn"),
  {
    type: "aws:ebs/volume:Volume",
    label: "EBS volume",
    keyArg: "kmsKeyId",
    paths: [
      {
        arg: "snapshotId",
        what: "an EBS snapshot",
        reencrypts: true,
        from: [EBS_SNAPSHOT_COPY],
        why: "CreateVolume encrypts the volume under the KMS key it is given, and keeps an encrypted snapshot's key when given none",
      },
    ],
  },
  {
    type: "aws:redshift/cluster:Cluster",
    label: "Redshift cluster",
    keyArg: "kmsKeyId",
    paths: ["snapshotIdentifier", "snapshotArn"].map((arg) => ({
      arg,
      what: "a cluster snapshot",
      reencrypts: true,
      from: [],
      why: "RestoreFromClusterSnapshot encrypts the cluster under the KMS key it is given, and keeps the snapshot's key when given none",
    })),
  },
  {
    type: "aws:elasticache/replicationGroup:ReplicationGroup",
    label: "ElastiCache replication group",
    keyArg: "kmsKeyId",
    paths: [elasticache("snapshotName"), elasticache("snapshotArns")],
  },
  {
    // A node-based cluster outside a replication group has no at-rest encryption or key argument.
    type: "aws:elasticache/cluster:Cluster",
    label: "ElastiCache cluster",
    paths: [elasticache("snapshotName"), elasticache("snapshotArns")],
  },
  {
    type: "aws:elasticache/serverlessCache:ServerlessCache",
    label: "ElastiCache serverless cache",
    keyArg: "kmsKeyId",
    paths: [elasticache("snapshotArnsToRestores")],
  },
  {
    type: "aws:dynamodb/table:Table",
    label: "DynamoDB table",
    keyArg: "serverSideEncryption.kmsKeyArn",
    paths: [
      dynamo("restoreSourceName", "a point in time of a table"),
      dynamo("restoreSourceTableArn", "a point in time of a table"),
      dynamo("restoreBackupArn", "a DynamoDB backup"),
      { ...dynamo("importTable", "data imported from S3"), refs: ["s3BucketSource.bucket"] },
    ],
  },
  fsx("aws:fsx/lustreFileSystem:LustreFileSystem", "FSx for Lustre file system"),
  fsx("aws:fsx/windowsFileSystem:WindowsFileSystem", "FSx for Windows file system"),
  fsx("aws:fsx/openZfsFileSystem:OpenZfsFileSystem", "FSx for OpenZFS file system"),
];

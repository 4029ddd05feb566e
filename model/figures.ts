/**
 * The figures the DR model uses: documented AWS bounds and typical values, and modelled durations,
 * each with its basis. docs/dr-posture.md lists the same rows; a change here changes every posture.
 */
/** A figure the model uses, with where it comes from. */
export interface Figure {
  readonly seconds: number;
  readonly basis: string;
}

/** Documented or modelled figures; docs/dr-posture.md's table lists the same rows. */
export const FIGURES = {
  s3RtcSeconds: {
    seconds: 900,
    basis:
      "S3 RTC replicates 99.99% of objects within 15 minutes (docs.aws.amazon.com/AmazonS3/latest/userguide/replication-time-control.html)",
  },
  rdsLogUploadSeconds: {
    seconds: 300,
    basis:
      "RDS uploads transaction logs to S3 every 5 minutes; replication starts when they are ready (AmazonRDS/latest/UserGuide/USER_PIT.html, USER_ReplicateBackups.html)",
  },
  crossRegionCopySeconds: {
    seconds: 300,
    basis: "modelled transfer time of one cross-Region copy of incremental data (not an AWS bound)",
  },
  globalDatastoreLagSeconds: {
    seconds: 1,
    basis:
      "Global Datastore cross-Region replication latency is typically under one second (aws.amazon.com/elasticache/redis/global-datastore)",
  },
  dynamodbGlobalTableSeconds: {
    seconds: 1,
    basis:
      "global tables propagate changes to replicas typically within a second (amazondynamodb/latest/developerguide/V2globaltables_HowItWorks.html)",
  },
  redshiftAutomatedSnapshotSeconds: {
    seconds: 28800,
    basis:
      "Redshift takes automated snapshots about every 8 hours or 5 GB per node of changes (redshift/latest/mgmt/working-with-snapshots.html)",
  },
  rdsPromotionSeconds: {
    seconds: 300,
    basis:
      "read-replica promotion takes a few minutes (AmazonRDS/latest/UserGuide/USER_ReadRepl.Promote.html); modelled at 5 minutes",
  },
  globalDatastoreFailoverSeconds: {
    seconds: 120,
    basis:
      "modelled: promoting a Global Datastore secondary (FailoverGlobalReplicationGroup) completes in minutes",
  },
  nodeScaleUpSeconds: {
    seconds: 240,
    basis: "modelled: EC2 launch, bootstrap and kubelet join for a managed node group scale-up",
  },
  podStartSeconds: {
    seconds: 30,
    basis:
      "modelled: scheduling on a joined node, pulling the image from the Region's own registry (cached base image) and starting the process",
  },
  podReadinessFallbackSeconds: {
    seconds: 30,
    basis:
      "modelled when no Deployment is rendered: one readiness period plus the target group's healthy checks",
  },
  pulumiUpOverheadSeconds: {
    seconds: 60,
    basis: "modelled: Pulumi preview/diff and provider start for the dr stack update",
  },
  runnerStartSeconds: {
    seconds: 60,
    basis: "modelled: CodeBuild provisioning and npm ci before the controller starts",
  },
  preflightSeconds: { seconds: 15, basis: "modelled: stack outputs, CloudWatch lag reads, lock write" },
  verifySeconds: { seconds: 30, basis: "modelled: endpoint checks and output verification" },
  rdsSnapshotRestoreSeconds: {
    seconds: 1800,
    basis:
      "modelled: a restore from a snapshot creates a new instance; AWS gives no bound, it grows with storage size (AmazonRDS/latest/UserGuide/USER_RestoreFromSnapshot.html)",
  },
  s3BackupRestoreSeconds: {
    seconds: 3600,
    basis:
      "modelled: AWS Backup restores a bucket object by object into a new bucket; it grows with the object count (aws-backup/latest/devguide/restoring-s3.html)",
  },
  dynamodbBackupRestoreSeconds: {
    seconds: 1800,
    basis:
      "modelled: a table restore creates a new table; AWS gives no bound, it grows with table size (amazondynamodb/latest/developerguide/Restore.Tutorial.html)",
  },
  recoveryPointLookupSeconds: {
    seconds: 30,
    basis: "modelled: list the latest copied recovery points and set them in the dr stack's config",
  },
  rdsRestoreSeconds: {
    seconds: 900,
    basis:
      "modelled: RestoreDBInstanceFromDBSnapshot creates a new instance (about 15 minutes before it is available), plus rdsRestoreSecondsPerGb; AWS publishes no bound (AmazonRDS/latest/UserGuide/USER_RestoreFromSnapshot.html)",
  },
  rdsRestoreSecondsPerGb: {
    seconds: 6,
    basis: "modelled: per GB of allocated storage (storage hydrates lazily from S3, so size weighs little)",
  },
  elasticacheRestoreSeconds: {
    seconds: 900,
    basis:
      "modelled: a replication group created from an RDB file in S3 (snapshotArns) creates its nodes, then loads the file; plus elasticacheRestoreSecondsPerGb",
  },
  elasticacheRestoreSecondsPerGb: {
    seconds: 20,
    basis: "modelled: per GB of node memory loaded from the RDB file",
  },
  opensearchCreateSeconds: {
    seconds: 1200,
    basis:
      "modelled: a new OpenSearch domain takes roughly 15-25 minutes to provision (observed figure, no AWS bound); plus opensearchRestoreSecondsPerGb for the snapshot restore",
  },
  opensearchRestoreSecondsPerGb: {
    seconds: 5,
    basis: "modelled: per GB of provisioned volume restored from the replicated snapshot repository",
  },
  redshiftRestoreSeconds: {
    seconds: 900,
    basis:
      "modelled: restoring an RA3 cluster from a snapshot makes it available once metadata is restored, data hydrating in the background (redshift/latest/mgmt/working-with-snapshot-restore-cluster-from-snapshot.html); plus redshiftRestoreSecondsPerGb",
  },
  redshiftRestoreSecondsPerGb: {
    seconds: 2,
    basis: "modelled: per GB of the estimated warehouse size (cost assumptions)",
  },
  eksClusterCreateSeconds: {
    seconds: 900,
    basis:
      "EKS control plane provisioning averages 15 minutes (github.com/aws/containers-roadmap/issues/1227); CreateCluster: 'in most cases, it takes several minutes'",
  },
  clusterBootstrapSeconds: {
    seconds: 300,
    basis:
      "modelled: add-ons, the load balancer controller and the payments workload deployed onto a new cluster",
  },
  workloadStartSeconds: {
    seconds: 60,
    basis: "modelled: image pull and readiness of the payments pods on nodes scaled up from zero",
  },
  aliasTtlSeconds: {
    seconds: 60,
    basis:
      "alias records to an ALB answer with the ELB's 60-second TTL (Route53/latest/DeveloperGuide/resource-record-sets-choosing-alias-non-alias.html)",
  },
} as const satisfies Record<string, Figure>;

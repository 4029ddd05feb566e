/**
 * The cache snapshot export's pure parts: the snapshot interval derived from the RPO, the export
 * bucket's reason for SSE-S3 and its policy statement for ElastiCache, and the exporter's
 * least-privilege statements.
 */
import * as pulumi from "@pulumi/pulumi";
import type { PolicyStatement } from "../objectStorePolicies";

/**
 * ElastiCache allows 20 manual backups per node in any 24 hours. The exporter takes at most 16
 * (one every 90 minutes), leaving 4 for operators and the final snapshot of a deletion.
 */
export const MIN_EXPORT_INTERVAL_MINUTES = 90;

/** How often the exporter runs: an export starts at most this long after its snapshot is ready. */
export const EXPORT_POLL_MINUTES = 15;

/**
 * Why the export bucket uses SSE-S3 (S3 tag values allow letters, digits, spaces and `+-=._:/@`).
 * "Customer managed CMKs cannot be used when exporting backups" and a cluster is seeded only from
 * an SSE-S3 .rdb (ElastiCache user guide); S3 replication keeps a replica's source encryption.
 */
export const CACHE_SNAPSHOTS_SSE_S3_REASON =
  "ElastiCache exports snapshots to S3 only with SSE-S3 and seeds clusters only from SSE-S3 rdb files - " +
  "replicas in the peer Region keep SSE-S3 as S3 replication preserves object encryption";

/**
 * Minutes between snapshots for a recovery point objective: the RPO itself, but never more often
 * than ElastiCache's manual-backup limit allows. The export path's worst-case data age in the peer
 * Region is then interval + snapshot and export time + one poll + 15 minutes of replication (RTC);
 * the Global Datastore, replicating in about a second, is what meets a tighter RPO.
 */
export function exportIntervalMinutes(rpoSeconds: number): number {
  if (!Number.isInteger(rpoSeconds) || rpoSeconds <= 0) {
    throw new Error(
      `Invalid config payments-dr:targets.rpoSeconds = ${JSON.stringify(rpoSeconds)}: expected a positive integer ` +
        "(seconds). Fix: pulumi config set --path payments-dr:targets.rpoSeconds 900",
    );
  }
  return Math.max(Math.ceil(rpoSeconds / 60), MIN_EXPORT_INTERVAL_MINUTES);
}

/**
 * ElastiCache's canonical user, the grantee the ElastiCache user guide gives for Regions enabled by
 * default ("Grant ElastiCache access to your Amazon S3 bucket"); GovCloud has its own.
 */
export function elastiCacheCanonicalUser(region: string): string {
  return region.startsWith("us-gov-")
    ? "40fa568277ad703bd160f66ae4f83fc9dfdfd06c2f1b5060ca22442ac3ef8be6"
    : "540804c33a284a299d2547575ce1010f2312ef3da9b3a053c8bc45bf233e4353";
}

/**
 * Lets ElastiCache write exports into a bucket whose ACLs are disabled (BucketOwnerEnforced), with
 * the actions the ElastiCache user guide lists. The guide documents two grantees: for Regions
 * enabled by default (us-east-1, us-west-2) an ACL grant to ElastiCache's canonical user, for opt-in
 * Regions the Region's `elasticache-snapshot` service principal in the bucket policy. ACLs are off,
 * so the canonical user is granted through the bucket policy (S3 accepts `CanonicalUser` principals
 * there), next to the service principal: either form ElastiCache presents is allowed. ElastiCache
 * itself refuses to export into a bucket the calling account does not own.
 */
export function elastiCacheExportStatement(bucketArn: pulumi.Input<string>, region: string): PolicyStatement {
  return {
    Sid: "ElastiCacheWritesSnapshotExports",
    Effect: "Allow",
    Principal: {
      Service: `${region}.elasticache-snapshot.amazonaws.com`,
      CanonicalUser: elastiCacheCanonicalUser(region),
    },
    Action: [
      "s3:PutObject",
      "s3:GetObject",
      "s3:ListBucket",
      "s3:GetBucketAcl",
      "s3:ListMultipartUploadParts",
      "s3:ListBucketMultipartUploads",
    ],
    Resource: [bucketArn, pulumi.interpolate`${bucketArn}/*`],
  };
}

/**
 * Lets ElastiCache in the replica's Region read an exported snapshot to seed a new replication group
 * from it (a backup-restore failover, `ReplicationGroup.snapshotArns`): the read actions the
 * seeding guide lists, to the same two grantees as the export (see `elastiCacheExportStatement`).
 */
export function elastiCacheSeedStatement(bucketArn: pulumi.Input<string>, region: string): PolicyStatement {
  return {
    Sid: "ElastiCacheReadsSnapshotsToSeed",
    Effect: "Allow",
    Principal: {
      Service: `${region}.elasticache-snapshot.amazonaws.com`,
      CanonicalUser: elastiCacheCanonicalUser(region),
    },
    Action: ["s3:GetObject", "s3:ListBucket", "s3:GetBucketAcl"],
    Resource: [bucketArn, pulumi.interpolate`${bucketArn}/*`],
  };
}

/** The exporter's permissions: its own snapshots of one replication group, one bucket, one key. */
export function exporterStatements(a: {
  region: string;
  accountId: pulumi.Input<string>;
  replicationGroupId: pulumi.Input<string>;
  snapshotPrefix: pulumi.Input<string>;
  bucketArn: pulumi.Input<string>;
  kmsKeyArn: pulumi.Input<string>;
}): Record<string, unknown>[] {
  const arn = (resource: pulumi.Input<string>) =>
    pulumi.interpolate`arn:aws:elasticache:${a.region}:${a.accountId}:${resource}`;
  const ownSnapshots = arn(pulumi.interpolate`snapshot:${a.snapshotPrefix}-*`);
  return [
    {
      Sid: "SnapshotTheReplicationGroup",
      Effect: "Allow",
      Action: "elasticache:CreateSnapshot",
      // The snapshot is taken from one of the group's nodes (clusters `<group>-00N`).
      Resource: [
        arn(pulumi.interpolate`replicationgroup:${a.replicationGroupId}`),
        arn(pulumi.interpolate`cluster:${a.replicationGroupId}-*`),
        ownSnapshots,
      ],
    },
    {
      Sid: "ExportAndDeleteOwnSnapshots",
      Effect: "Allow",
      Action: ["elasticache:CopySnapshot", "elasticache:DeleteSnapshot"],
      Resource: ownSnapshots,
    },
    {
      Sid: "ListSnapshots",
      Effect: "Allow",
      Action: "elasticache:DescribeSnapshots",
      Resource: arn("snapshot:*"),
    },
    {
      // CopySnapshot with a TargetBucket checks the caller can reach the bucket; ListAllMyBuckets
      // takes no resource other than "*" (ElastiCache user guide, "Exporting a backup").
      Sid: "FindTheExportBucket",
      Effect: "Allow",
      Action: ["s3:ListAllMyBuckets", "s3:GetBucketLocation"],
      Resource: "*",
    },
    { Sid: "ListExports", Effect: "Allow", Action: "s3:ListBucket", Resource: a.bucketArn },
    {
      Sid: "ExportIntoTheBucket",
      Effect: "Allow",
      Action: ["s3:PutObject", "s3:GetObject"],
      Resource: pulumi.interpolate`${a.bucketArn}/*`,
    },
    // The group's snapshots are encrypted with its key; ElastiCache takes a grant per backup (and
    // does not support kms:ViaService, so grants are limited to AWS resources instead).
    { Sid: "DescribeTheCacheKey", Effect: "Allow", Action: "kms:DescribeKey", Resource: a.kmsKeyArn },
    {
      Sid: "GrantTheCacheKeyToElastiCache",
      Effect: "Allow",
      Action: "kms:CreateGrant",
      Resource: a.kmsKeyArn,
      Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
    },
  ];
}

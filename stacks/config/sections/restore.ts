/**
 * Restore as configuration (docs/strategies.md): the cross-Region copies a `backup-restore` dr
 * stack creates its stores from when it turns active. The failover controller finds the latest
 * copies and sets these keys; an operator may set them by hand. Formats are checked here; that
 * they are in the stack's Region, and when they are needed, are top-level rules (../rules.ts).
 */
import { matching } from "../fields";
import { SectionConfig } from "../section";

/** An RDS DB snapshot ARN, e.g. an AWS Backup recovery point `…:snapshot:awsbackup:job-…`. Group 1: its Region. */
export const RDS_SNAPSHOT_ARN =
  /^arn:aws[a-z-]*:rds:([a-z0-9-]+):(\d{12}):snapshot:[A-Za-z][A-Za-z0-9:-]{0,254}$/;

/** A Redis RDB file in S3 (ElastiCache seeds a new replication group from it). Group 1: the bucket. */
export const RDB_OBJECT_ARN = /^arn:aws[a-z-]*:s3:::([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/(\S+\.rdb)$/;

export const restoreFields = {
  /**
   * The RDS snapshot in this stack's Region the database is restored from: a recovery point the
   * primary's AWS Backup plan copied into its copy vault here.
   */
  database: matching(RDS_SNAPSHOT_ARN, {
    expected: "the ARN of an RDS DB snapshot in the dr Region (arn:aws:rds:<region>:<account>:snapshot:<id>)",
    example: "arn:aws:rds:us-west-2:111122223333:snapshot:awsbackup:job-0123abcd",
  }).optional(),
  /**
   * The exported cache snapshot (an RDB file) in the primary's cache snapshot replica bucket in this
   * Region, which ElastiCache seeds the new replication group from.
   */
  cache: matching(RDB_OBJECT_ARN, {
    expected: "the ARN of an .rdb object in S3 (arn:aws:s3:::<bucket>/<key>.rdb)",
    example: "arn:aws:s3:::payments-dr-primary-cache-snapshots-replica/payments-dr-primary-0001.rdb",
  }).optional(),
};

export type RestoreConfig = SectionConfig<typeof restoreFields>;

/** The persistent data store types the cross-Region rule judges, with the mechanisms it accepts. */

export interface StoreType {
  readonly label: string;
  /** AWS Backup can back it up (and so copy it across Regions). */
  readonly backup: boolean;
  /** The native mechanisms the rule recognises, for the message. */
  readonly native: string;
}

/**
 * Persistent data stores. Transient ones (SQS, SNS, Kinesis) must be encrypted but are not
 * copied; global clusters and table replicas are covered through their member clusters/tables.
 */
export const STORE_TYPES: Readonly<Record<string, StoreType>> = {
  "aws:rds/instance:Instance": {
    label: "RDS DB instance",
    backup: true,
    native: "automated-backups replication or a cross-Region read replica",
  },
  "aws:rds/cluster:Cluster": {
    label: "RDS/Aurora cluster",
    backup: true,
    native: "a global cluster member in another Region",
  },
  "aws:dynamodb/table:Table": {
    label: "DynamoDB table",
    backup: true,
    native: "a replica in another Region",
  },
  "aws:s3/bucket:Bucket": {
    label: "S3 bucket",
    backup: true,
    native: "replication to a bucket in another Region",
  },
  "aws:s3/bucketV2:BucketV2": {
    label: "S3 bucket",
    backup: true,
    native: "replication to a bucket in another Region",
  },
  "aws:ebs/volume:Volume": {
    label: "EBS volume",
    backup: true,
    native:
      "an enabled Data Lifecycle Manager policy targeting one of its tags whose schedule copies each snapshot to another Region",
  },
  "aws:ecr/repository:Repository": { label: "ECR repository", backup: false, native: "registry replication" },
  "aws:efs/fileSystem:FileSystem": {
    label: "EFS file system",
    backup: true,
    native: "EFS replication to another Region",
  },
  "aws:elasticache/replicationGroup:ReplicationGroup": {
    label: "ElastiCache replication group",
    backup: false,
    native: "Global Datastore membership or snapshots exported to a replicated bucket",
  },
  "aws:elasticache/cluster:Cluster": {
    label: "ElastiCache cluster",
    backup: false,
    native: "snapshots exported to a replicated bucket",
  },
  "aws:elasticache/serverlessCache:ServerlessCache": {
    label: "ElastiCache serverless cache",
    backup: false,
    native: "snapshots exported to a replicated bucket",
  },
  "aws:opensearch/domain:Domain": {
    label: "OpenSearch domain",
    backup: false,
    native: "a cross-cluster connection to another Region or snapshots to a replicated bucket",
  },
  "aws:elasticsearch/domain:Domain": {
    label: "Elasticsearch domain",
    backup: false,
    native: "a cross-cluster connection to another Region or snapshots to a replicated bucket",
  },
  "aws:redshift/cluster:Cluster": {
    label: "Redshift cluster",
    backup: true,
    native: "a cross-Region snapshot copy",
  },
  "aws:redshiftserverless/namespace:Namespace": {
    label: "Redshift Serverless namespace",
    backup: true,
    native: "snapshots exported to a replicated bucket",
  },
  "aws:neptune/cluster:Cluster": {
    label: "Neptune cluster",
    backup: true,
    native: "a global cluster member in another Region",
  },
  "aws:docdb/cluster:Cluster": {
    label: "DocumentDB cluster",
    backup: true,
    native: "a global cluster member in another Region",
  },
  "aws:fsx/lustreFileSystem:LustreFileSystem": {
    label: "FSx for Lustre file system",
    backup: true,
    native: "none (use AWS Backup)",
  },
  "aws:fsx/windowsFileSystem:WindowsFileSystem": {
    label: "FSx for Windows file system",
    backup: true,
    native: "none (use AWS Backup)",
  },
  "aws:fsx/ontapFileSystem:OntapFileSystem": {
    label: "FSx for ONTAP file system",
    backup: true,
    native: "none (use AWS Backup)",
  },
  "aws:fsx/openZfsFileSystem:OpenZfsFileSystem": {
    label: "FSx for OpenZFS file system",
    backup: true,
    native: "none (use AWS Backup)",
  },
};

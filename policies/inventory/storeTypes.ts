/**
 * Default-deny for data stores. Every `@pulumi/aws` resource type is classified: judged by the pack
 * (an at-rest rule and/or the cross-Region rule), a data store the pack cannot judge (denied unless
 * the policy config exempts it with a reason), or holding no data (`nonStoreTypes.json`). A test
 * enumerates the installed provider's types and fails on any type in none of these lists, so a
 * provider upgrade cannot open a hole silently.
 */
import { STORE_TYPES } from "../cross-region/crossRegion";
import { STORAGE_CLASS } from "../cross-region/storageClasses";
import { AT_REST_TYPES } from "../encryption/encryptionTypes";
import { BUCKET_TYPES } from "../s3/s3Model";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const NON_STORE_TYPES: readonly string[] = require("./nonStoreTypes.json");

/** Data stores (or resources holding data) no rule of this pack can judge: each is denied. */
export const UNJUDGED_STORE_TYPES: Readonly<Record<string, string>> = {
  "aws:memorydb/cluster:Cluster": "MemoryDB cluster",
  "aws:memorydb/multiRegionCluster:MultiRegionCluster": "MemoryDB multi-Region cluster",
  "aws:memorydb/snapshot:Snapshot": "MemoryDB snapshot",
  "aws:msk/cluster:Cluster": "MSK cluster",
  "aws:msk/serverlessCluster:ServerlessCluster": "MSK Serverless cluster",
  "aws:msk/topic:Topic": "MSK topic",
  "aws:docdb/elasticCluster:ElasticCluster": "DocumentDB Elastic cluster",
  "aws:timestreamwrite/database:Database": "Timestream database",
  "aws:timestreamwrite/table:Table": "Timestream table",
  "aws:timestreaminfluxdb/dbInstance:DbInstance": "Timestream for InfluxDB instance",
  "aws:timestreaminfluxdb/dbCluster:DbCluster": "Timestream for InfluxDB cluster",
  "aws:keyspaces/keyspace:Keyspace": "Keyspaces keyspace",
  "aws:keyspaces/table:Table": "Keyspaces table",
  "aws:opensearch/serverlessCollection:ServerlessCollection": "OpenSearch Serverless collection",
  "aws:s3/directoryBucket:DirectoryBucket": "S3 directory bucket",
  "aws:s3control/bucket:Bucket": "S3 on Outposts bucket",
  "aws:s3tables/tableBucket:TableBucket": "S3 table bucket",
  "aws:s3tables/table:Table": "S3 table",
  "aws:glacier/vault:Vault": "S3 Glacier vault",
  "aws:dax/cluster:Cluster": "DAX cluster",
  "aws:qldb/ledger:Ledger": "QLDB ledger",
  "aws:dsql/cluster:Cluster": "Aurora DSQL cluster",
  "aws:rds/shardGroup:ShardGroup": "Aurora Limitless shard group",
  "aws:neptunegraph/graph:Graph": "Neptune Analytics graph",
  "aws:dynamodb/tableExport:TableExport": "DynamoDB table export",
  "aws:rds/snapshot:Snapshot": "RDS snapshot",
  "aws:rds/clusterSnapshot:ClusterSnapshot": "RDS cluster snapshot",
  "aws:docdb/clusterSnapshot:ClusterSnapshot": "DocumentDB cluster snapshot",
  "aws:neptune/clusterSnapshot:ClusterSnapshot": "Neptune cluster snapshot",
  "aws:redshift/clusterSnapshot:ClusterSnapshot": "Redshift cluster snapshot",
  "aws:ebs/snapshot:Snapshot": "EBS snapshot",
  "aws:ebs/snapshotImport:SnapshotImport": "EBS snapshot import",
  "aws:fsx/backup:Backup": "FSx backup",
  "aws:fsx/ontapVolume:OntapVolume": "FSx for ONTAP volume",
  "aws:fsx/openZfsVolume:OpenZfsVolume": "FSx for OpenZFS volume",
  "aws:fsx/openZfsSnapshot:OpenZfsSnapshot": "FSx for OpenZFS snapshot",
  "aws:fsx/fileCache:FileCache": "FSx File Cache",
  "aws:lightsail/database:Database": "Lightsail database",
  "aws:lightsail/disk:Disk": "Lightsail disk",
  "aws:lightsail/bucket:Bucket": "Lightsail bucket",
  "aws:lightsail/instance:Instance": "Lightsail instance",
  "aws:ec2/launchConfiguration:LaunchConfiguration": "EC2 launch configuration (inline EBS block devices)",
  "aws:mq/broker:Broker": "Amazon MQ broker",
  "aws:kinesis/videoStream:VideoStream": "Kinesis video stream",
  "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream": "Kinesis Data Firehose delivery stream",
  "aws:cloudtrail/eventDataStore:EventDataStore": "CloudTrail Lake event data store",
  "aws:cloudsearch/domain:Domain": "CloudSearch domain",
  "aws:codecommit/repository:Repository": "CodeCommit repository",
  "aws:ecrpublic/repository:Repository": "ECR Public repository",
  "aws:workspaces/workspace:Workspace": "WorkSpaces workspace",
  "aws:storagegateway/storedIscsiVolume:StoredIscsiVolume": "Storage Gateway stored volume",
  "aws:storagegateway/cachesIscsiVolume:CachesIscsiVolume": "Storage Gateway cached volume",
  "aws:sagemaker/featureGroup:FeatureGroup": "SageMaker feature group",
  "aws:sagemaker/notebookInstance:NotebookInstance": "SageMaker notebook instance",
  "aws:sagemaker/domain:Domain": "SageMaker domain (EFS home directories)",
  "aws:finspace/kxDatabase:KxDatabase": "FinSpace kdb database",
  "aws:finspace/kxVolume:KxVolume": "FinSpace kdb volume",
  "aws:emr/cluster:Cluster": "EMR cluster (HDFS on instance storage)",
  "aws:backup/logicallyAirGappedVault:LogicallyAirGappedVault": "AWS Backup logically air-gapped vault",
  "aws:cloudformation/stack:Stack": "CloudFormation stack",
  "aws:cloudformation/stackSet:StackSet": "CloudFormation stack set",
};

/** `aws-native` modules that hold data: the pack judges none of aws-native's types. */
export const AWS_NATIVE_STORE_MODULES: ReadonlySet<string> = new Set(
  (
    "rds dynamodb s3 s3express s3tables s3outposts ebs ec2 efs fsx elasticache memorydb msk docdbelastic docdb " +
    "neptune neptunegraph timestream keyspaces cassandra opensearchservice opensearchserverless elasticsearch " +
    "redshift redshiftserverless kinesis kinesisfirehose kinesisvideo sqs sns backup glacier dax qldb dsql " +
    "lightsail mq cloudtrail ecr codecommit workspaces storagegateway sagemaker finspace emr cloudformation"
  ).split(" "),
);

export type Classification = "judged" | "unjudged-store" | "not-a-store" | "unclassified";

const judged = new Set<string>([
  ...AT_REST_TYPES.map((t) => t.type),
  ...Object.keys(STORE_TYPES),
  ...BUCKET_TYPES,
  // Covered through their members / clusters (global clusters, replicas, cluster instances).
  "aws:dynamodb/tableReplica:TableReplica",
  "aws:elasticache/globalReplicationGroup:GlobalReplicationGroup",
  // The EBS volumes an ebs.csi.aws.com class provisions (ebs-storageclass-cross-region-copy).
  STORAGE_CLASS,
]);
const nonStores = new Set(NON_STORE_TYPES);

export function classify(type: string): Classification {
  if (judged.has(type)) return "judged";
  if (UNJUDGED_STORE_TYPES[type] !== undefined) return "unjudged-store";
  if (type.startsWith("aws-native:")) {
    const module = type.split(":")[1]?.split("/")[0] ?? "";
    return AWS_NATIVE_STORE_MODULES.has(module) ? "unjudged-store" : "not-a-store";
  }
  if (!type.startsWith("aws:")) return "not-a-store";
  return nonStores.has(type) ? "not-a-store" : "unclassified";
}

/**
 * Which input changes make the provider replace a resource, for the data-store and compute types
 * this project declares. Pulumi replaces a resource when an input marked "forces replacement" in
 * the provider schema changes; @pulumi/aws is bridged from the Terraform AWS provider, so these are
 * the `ForceNew` arguments of the corresponding Terraform resources, checked against
 * hashicorp/terraform-provider-aws (internal/service/rds/instance.go, elasticache/replication_group.go,
 * elasticache/global_replication_group.go, eks/node_group.go, opensearch/domain.go). Entries for the
 * other types follow the same source but were not re-read line by line; keep this table conservative
 * (a property wrongly listed makes the dry run stricter, never laxer).
 *
 * Paths use the Pulumi input names (camelCase) and are prefixes: `encryptAtRest.kmsKeyId` matches
 * that nested field, `s3Import` matches anything under it.
 */

export const REPLACE_ON_CHANGE: Readonly<Record<string, readonly string[]>> = {
  "aws:rds/instance:Instance": [
    "availabilityZone",
    "characterSetName",
    "customIamInstanceProfile",
    "dbName",
    "engine",
    "identifier",
    "identifierPrefix",
    "kmsKeyId",
    "ncharCharacterSetName",
    "restoreToPointInTime",
    "s3Import",
    "snapshotIdentifier",
    "storageEncrypted",
    "timezone",
    "username",
  ],
  "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication": [
    "sourceDbInstanceArn",
    "kmsKeyId",
    "retentionPeriod",
    "preSignedUrl",
  ],
  "aws:elasticache/replicationGroup:ReplicationGroup": [
    "atRestEncryptionEnabled",
    "dataTieringEnabled",
    "globalReplicationGroupId",
    "kmsKeyId",
    "networkType",
    "port",
    "replicationGroupId",
    "securityGroupNames",
    "snapshotArns",
    "snapshotName",
    "subnetGroupName",
  ],
  "aws:elasticache/globalReplicationGroup:GlobalReplicationGroup": [
    "globalReplicationGroupIdSuffix",
    "primaryReplicationGroupId",
  ],
  "aws:opensearch/domain:Domain": ["domainName", "encryptAtRest.kmsKeyId"],
  "aws:redshift/cluster:Cluster": [
    "clusterIdentifier",
    "databaseName",
    "masterUsername",
    "snapshotIdentifier",
    "snapshotClusterIdentifier",
    "ownerAccount",
  ],
  "aws:s3/bucket:Bucket": ["bucket", "bucketPrefix", "objectLockEnabled"],
  "aws:s3/bucketV2:BucketV2": ["bucket", "bucketPrefix", "objectLockEnabled"],
  "aws:dynamodb/table:Table": ["name", "hashKey", "rangeKey", "localSecondaryIndexes"],
  "aws:backup/vault:Vault": ["name", "kmsKeyArn"],
  "aws:eks/cluster:Cluster": [
    "name",
    "roleArn",
    "kubernetesNetworkConfig",
    "outpostConfig",
    "bootstrapSelfManagedAddons",
  ],
  "aws:eks/nodeGroup:NodeGroup": [
    "amiType",
    "capacityType",
    "clusterName",
    "diskSize",
    "instanceTypes",
    "launchTemplate.id",
    "launchTemplate.name",
    "nodeGroupName",
    "nodeGroupNamePrefix",
    "nodeRoleArn",
    "remoteAccess",
    "subnetIds",
  ],
  "aws:kms/key:Key": ["multiRegion", "customKeyStoreId", "keySpec", "xksKeyId"],
  "aws:kms/replicaKey:ReplicaKey": ["primaryKeyArn"],
  // Kubernetes: the provider replaces an object whose name or namespace changes, and fields the
  // API server refuses to update (a Deployment's selector, a StorageClass's parameters, a
  // Service's clusterIP). A failover changes only replica counts (Deployment, autoscaler).
  "kubernetes:apps/v1:Deployment": ["metadata.name", "metadata.namespace", "spec.selector"],
  "kubernetes:autoscaling/v2:HorizontalPodAutoscaler": ["metadata.name", "metadata.namespace"],
  "kubernetes:core/v1:Service": ["metadata.name", "metadata.namespace", "spec.clusterIP"],
  "kubernetes:storage.k8s.io/v1:StorageClass": [
    "metadata.name",
    "provisioner",
    "parameters",
    "reclaimPolicy",
    "volumeBindingMode",
  ],
  "kubernetes:elbv2.k8s.aws/v1beta1:TargetGroupBinding": [
    "metadata.name",
    "metadata.namespace",
    "spec.targetGroupARN",
  ],
};

/** Types whose replacement or deletion loses data: the dry run fails if one would be. */
export const DATA_STORE_TYPES: ReadonlySet<string> = new Set([
  "aws:rds/instance:Instance",
  "aws:rds/cluster:Cluster",
  "aws:elasticache/replicationGroup:ReplicationGroup",
  "aws:elasticache/globalReplicationGroup:GlobalReplicationGroup",
  "aws:elasticache/cluster:Cluster",
  "aws:opensearch/domain:Domain",
  "aws:redshift/cluster:Cluster",
  "aws:s3/bucket:Bucket",
  "aws:s3/bucketV2:BucketV2",
  "aws:dynamodb/table:Table",
  "aws:backup/vault:Vault",
  "aws:kms/key:Key",
  "aws:kms/replicaKey:ReplicaKey",
  "aws:efs/fileSystem:FileSystem",
  "aws:sqs/queue:Queue",
]);

/** True when `path` (dotted, array indexes as numbers) is at or under `rule`. */
export function pathMatches(path: string, rule: string): boolean {
  if (rule === "*" || rule === "**") return true;
  const normalise = (p: string) =>
    p
      .replace(/\[\d+\]/g, "")
      .replace(/\.\d+(?=\.|$)/g, "")
      .replace(/\[\*\]/g, "");
  const a = normalise(path);
  const b = normalise(rule);
  return a === b || a.startsWith(`${b}.`);
}

/**
 * Per at-rest type: compliant inputs, where its key goes, and the change that disables encryption.
 * Shared by the at-rest spec and the mutation corpus.
 */
import { key, PRIMARY } from "./fixtures";

const CMK = key(PRIMARY);

/** Per type: compliant inputs, the argument holding the key, and the change that disables encryption. */
export const FIXTURES: Record<
  string,
  {
    compliant: Record<string, unknown>;
    keyPath: string[];
    unencrypted?: Record<string, unknown>;
    /** Without a key the store is not encrypted at all (SNS): the default-key cases do not apply. */
    keyIsEncryption?: boolean;
  }
> = {
  "aws:rds/instance:Instance": {
    compliant: { storageEncrypted: true, kmsKeyId: CMK },
    keyPath: ["kmsKeyId"],
    unencrypted: { storageEncrypted: false, kmsKeyId: undefined },
  },
  "aws:rds/cluster:Cluster": {
    compliant: { storageEncrypted: true, kmsKeyId: CMK },
    keyPath: ["kmsKeyId"],
    unencrypted: { storageEncrypted: false, kmsKeyId: undefined },
  },
  "aws:rds/globalCluster:GlobalCluster": {
    compliant: { storageEncrypted: true },
    keyPath: [],
    unencrypted: { storageEncrypted: false },
  },
  "aws:dynamodb/table:Table": {
    compliant: { serverSideEncryption: { enabled: true, kmsKeyArn: CMK } },
    keyPath: ["serverSideEncryption", "kmsKeyArn"],
  },
  "aws:dynamodb/tableReplica:TableReplica": { compliant: { kmsKeyArn: CMK }, keyPath: ["kmsKeyArn"] },
  "aws:ebs/volume:Volume": {
    compliant: { encrypted: true, kmsKeyId: CMK },
    keyPath: ["kmsKeyId"],
    unencrypted: { encrypted: false, kmsKeyId: undefined },
  },
  "aws:efs/fileSystem:FileSystem": {
    compliant: { encrypted: true, kmsKeyId: CMK },
    keyPath: ["kmsKeyId"],
    unencrypted: { encrypted: undefined, kmsKeyId: undefined },
  },
  "aws:elasticache/replicationGroup:ReplicationGroup": {
    compliant: { atRestEncryptionEnabled: true, kmsKeyId: CMK },
    keyPath: ["kmsKeyId"],
    unencrypted: { atRestEncryptionEnabled: false, kmsKeyId: undefined },
  },
  "aws:elasticache/cluster:Cluster": {
    compliant: { replicationGroupId: "cache-group" },
    keyPath: [],
    unencrypted: { replicationGroupId: undefined, engine: "memcached" },
  },
  "aws:elasticache/serverlessCache:ServerlessCache": { compliant: { kmsKeyId: CMK }, keyPath: ["kmsKeyId"] },
  "aws:opensearch/domain:Domain": {
    compliant: { encryptAtRest: { enabled: true, kmsKeyId: CMK } },
    keyPath: ["encryptAtRest", "kmsKeyId"],
    unencrypted: { encryptAtRest: { enabled: false } },
  },
  "aws:elasticsearch/domain:Domain": {
    compliant: { encryptAtRest: { enabled: true, kmsKeyId: CMK } },
    keyPath: ["encryptAtRest", "kmsKeyId"],
    unencrypted: { encryptAtRest: undefined },
  },
  "aws:redshift/cluster:Cluster": {
    compliant: { encrypted: "true", kmsKeyId: CMK },
    keyPath: ["kmsKeyId"],
    unencrypted: { encrypted: "false", kmsKeyId: undefined },
  },
  "aws:redshiftserverless/namespace:Namespace": { compliant: { kmsKeyId: CMK }, keyPath: ["kmsKeyId"] },
  "aws:neptune/cluster:Cluster": {
    compliant: { storageEncrypted: true, kmsKeyArn: CMK },
    keyPath: ["kmsKeyArn"],
    unencrypted: { storageEncrypted: false, kmsKeyArn: undefined },
  },
  "aws:neptune/globalCluster:GlobalCluster": {
    compliant: { storageEncrypted: true },
    keyPath: [],
    unencrypted: { storageEncrypted: undefined },
  },
  "aws:docdb/cluster:Cluster": {
    compliant: { storageEncrypted: true, kmsKeyId: CMK },
    keyPath: ["kmsKeyId"],
    unencrypted: { storageEncrypted: false, kmsKeyId: undefined },
  },
  "aws:docdb/globalCluster:GlobalCluster": {
    compliant: { storageEncrypted: true },
    keyPath: [],
    unencrypted: { storageEncrypted: false },
  },
  "aws:fsx/lustreFileSystem:LustreFileSystem": {
    compliant: { deploymentType: "PERSISTENT_2", kmsKeyId: CMK },
    keyPath: ["kmsKeyId"],
  },
  "aws:fsx/windowsFileSystem:WindowsFileSystem": { compliant: { kmsKeyId: CMK }, keyPath: ["kmsKeyId"] },
  "aws:fsx/ontapFileSystem:OntapFileSystem": { compliant: { kmsKeyId: CMK }, keyPath: ["kmsKeyId"] },
  "aws:fsx/openZfsFileSystem:OpenZfsFileSystem": { compliant: { kmsKeyId: CMK }, keyPath: ["kmsKeyId"] },
  "aws:kinesis/stream:Stream": {
    compliant: { encryptionType: "KMS", kmsKeyId: CMK },
    keyPath: ["kmsKeyId"],
    unencrypted: { encryptionType: "NONE", kmsKeyId: undefined },
  },
  "aws:sqs/queue:Queue": {
    compliant: { kmsMasterKeyId: CMK },
    keyPath: ["kmsMasterKeyId"],
    unencrypted: { kmsMasterKeyId: undefined, sqsManagedSseEnabled: false },
  },
  "aws:sns/topic:Topic": {
    compliant: { kmsMasterKeyId: CMK },
    keyPath: ["kmsMasterKeyId"],
    keyIsEncryption: true,
    unencrypted: { kmsMasterKeyId: undefined },
  },
  "aws:ecr/repository:Repository": {
    compliant: { encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: CMK }] },
    keyPath: ["encryptionConfigurations", "0", "kmsKey"],
  },
  "aws:backup/vault:Vault": { compliant: { kmsKeyArn: CMK }, keyPath: ["kmsKeyArn"] },
  "aws:ec2/instance:Instance": {
    compliant: { rootBlockDevice: { encrypted: true, kmsKeyId: CMK } },
    keyPath: ["rootBlockDevice", "kmsKeyId"],
    unencrypted: { rootBlockDevice: { encrypted: false } },
  },
  "aws:ec2/spotInstanceRequest:SpotInstanceRequest": {
    compliant: { rootBlockDevice: { encrypted: true, kmsKeyId: CMK } },
    keyPath: ["rootBlockDevice", "kmsKeyId"],
    unencrypted: { rootBlockDevice: undefined },
  },
  "aws:ec2/launchTemplate:LaunchTemplate": {
    compliant: {
      blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true", kmsKeyId: CMK } }],
    },
    keyPath: ["blockDeviceMappings", "0", "ebs", "kmsKeyId"],
    unencrypted: { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "false" } }] },
  },
  "aws:cloudwatch/logGroup:LogGroup": { compliant: { kmsKeyId: CMK }, keyPath: ["kmsKeyId"] },
};

/** A copy of `props` with the value at `path` replaced (undefined removes it). */
export function withValue(
  props: Record<string, unknown>,
  path: string[],
  value: unknown,
): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(props)) as Record<string, unknown>;
  let node = copy;
  path.slice(0, -1).forEach((k) => (node = (node[k] ??= {}) as Record<string, unknown>));
  if (value === undefined) delete node[path[path.length - 1]];
  else node[path[path.length - 1]] = value;
  return copy;
}

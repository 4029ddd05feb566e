/**
 * How each AWS data-store type is encrypted at rest, read from its inputs: one table entry per type
 * this pack knows, including types this program does not use yet. Rules are built from it in
 * `encryptionAtRest.ts`. Databases, caches, search and warehouses here; file systems, streams,
 * queues, vaults, compute volumes and logs in `encryptionTypesFiles.ts`.
 */
import { bool, get, keyRef, list, show, str, UNKNOWN } from "../lib/values";
import { AtRestType, always, clusterFlag, flag, globalCluster, isSet } from "./encryptionState";
import { AT_REST_FILE_AND_STREAM_TYPES } from "./encryptionTypesFiles";

export type { AtRestConfig, AtRestState, AtRestType } from "./encryptionState";

const DATABASE_TYPES: readonly AtRestType[] = [
  {
    type: "aws:rds/instance:Instance",
    prefix: "rds-instance",
    label: "RDS DB instance",
    state: (p) => {
      const state = flag(p, "storageEncrypted", "kmsKeyId");
      // A cross-Region replica of an encrypted source is encrypted with the kmsKeyId it is given.
      return state.encrypted === false && isSet(get(p, "replicateSourceDb")) && isSet(get(p, "kmsKeyId"))
        ? { ...state, encrypted: true }
        : state;
    },
  },
  {
    type: "aws:rds/cluster:Cluster",
    prefix: "rds-cluster",
    label: "RDS/Aurora cluster",
    state: (p) => clusterFlag(p, "kmsKeyId"),
  },
  {
    type: "aws:rds/globalCluster:GlobalCluster",
    prefix: "rds-global-cluster",
    label: "Aurora global cluster",
    state: globalCluster,
  },
  {
    type: "aws:dynamodb/table:Table",
    prefix: "dynamodb-table",
    label: "DynamoDB table",
    state: (p) => {
      const enabled = bool(p, "serverSideEncryption", "enabled");
      return {
        encrypted: true,
        expected: "",
        key:
          enabled === UNKNOWN
            ? UNKNOWN
            : enabled === true
              ? get(p, "serverSideEncryption", "kmsKeyArn")
              : undefined,
        keyArg: "serverSideEncryption.kmsKeyArn",
        cmkSupported: true,
        defaultKey:
          enabled === true
            ? "the AWS-managed key aws/dynamodb"
            : "an AWS-owned key (serverSideEncryption.enabled is not true)",
      };
    },
    extra: (p, config) => {
      const replicas = list(p, "replicas");
      if (replicas === UNKNOWN || !config.requireCustomerManagedKey) return [];
      const messages: string[] = [];
      for (const replica of replicas) {
        const region = str(replica, "regionName");
        const key = keyRef(get(replica, "kmsKeyArn"));
        if (region === UNKNOWN || key.kind === "unknown") continue;
        if (key.kind !== "customer") {
          messages.push(
            `DynamoDB replica in ${region ?? "an unnamed Region"} has replicas[].kmsKeyArn ${show(key.value)}: expected a customer-managed key in ${region}. ` +
              "Without it the replica is encrypted with a key you do not control.",
          );
        } else if (key.region && region && key.region !== region) {
          messages.push(
            `DynamoDB replica in ${region} has replicas[].kmsKeyArn in ${key.region}: expected a key in ${region}. ` +
              "A replica must be encrypted with a key in its own Region to stay readable when the other Region is lost.",
          );
        }
      }
      return messages;
    },
  },
  {
    type: "aws:dynamodb/tableReplica:TableReplica",
    prefix: "dynamodb-table-replica",
    label: "DynamoDB table replica",
    state: (p) => always(p, "kmsKeyArn"),
  },
  {
    type: "aws:ebs/volume:Volume",
    prefix: "ebs-volume",
    label: "EBS volume",
    state: (p) => flag(p, "encrypted", "kmsKeyId"),
  },
  {
    type: "aws:efs/fileSystem:FileSystem",
    prefix: "efs-file-system",
    label: "EFS file system",
    state: (p) => flag(p, "encrypted", "kmsKeyId"),
  },
  {
    type: "aws:elasticache/replicationGroup:ReplicationGroup",
    prefix: "elasticache-replication-group",
    label: "ElastiCache replication group",
    state: (p) => {
      const state = flag(p, "atRestEncryptionEnabled", "kmsKeyId");
      // A Global Datastore secondary inherits the datastore's setting, and Valkey encrypts by
      // default, but only while the flag is absent: an explicit `false` is never overridden.
      const absent = get(p, "atRestEncryptionEnabled") === undefined;
      const inherited = absent && isSet(get(p, "globalReplicationGroupId"));
      const valkeyDefault = absent && str(p, "engine") === "valkey";
      return state.encrypted === false && (inherited || valkeyDefault)
        ? { ...state, encrypted: true }
        : state;
    },
  },
  {
    type: "aws:elasticache/cluster:Cluster",
    prefix: "elasticache-cluster",
    label: "ElastiCache cluster",
    state: (p) =>
      isSet(get(p, "replicationGroupId"))
        ? undefined // a node of a replication group: the group is checked
        : {
            encrypted: false,
            expected: "a ReplicationGroup (or ServerlessCache) with atRestEncryptionEnabled: true",
            actual: "a standalone cache cluster, which cannot encrypt at rest",
            cmkSupported: false,
          },
  },
  {
    type: "aws:elasticache/serverlessCache:ServerlessCache",
    prefix: "elasticache-serverless-cache",
    label: "ElastiCache serverless cache",
    state: (p) => always(p, "kmsKeyId"),
  },
  {
    type: "aws:opensearch/domain:Domain",
    prefix: "opensearch-domain",
    label: "OpenSearch domain",
    state: (p) => flag(p, "encryptAtRest.enabled", "encryptAtRest.kmsKeyId"),
  },
  {
    type: "aws:elasticsearch/domain:Domain",
    prefix: "elasticsearch-domain",
    label: "Elasticsearch domain",
    state: (p) => flag(p, "encryptAtRest.enabled", "encryptAtRest.kmsKeyId"),
  },
  {
    type: "aws:redshift/cluster:Cluster",
    prefix: "redshift-cluster",
    label: "Redshift cluster",
    state: (p) => flag(p, "encrypted", "kmsKeyId"),
  },
  {
    type: "aws:redshiftserverless/namespace:Namespace",
    prefix: "redshiftserverless-namespace",
    label: "Redshift Serverless namespace",
    state: (p) => always(p, "kmsKeyId"),
  },
  {
    type: "aws:neptune/cluster:Cluster",
    prefix: "neptune-cluster",
    label: "Neptune cluster",
    state: (p) => clusterFlag(p, "kmsKeyArn"),
  },
  {
    type: "aws:neptune/globalCluster:GlobalCluster",
    prefix: "neptune-global-cluster",
    label: "Neptune global cluster",
    state: globalCluster,
  },
  {
    type: "aws:docdb/cluster:Cluster",
    prefix: "docdb-cluster",
    label: "DocumentDB cluster",
    state: (p) => clusterFlag(p, "kmsKeyId"),
  },
  {
    type: "aws:docdb/globalCluster:GlobalCluster",
    prefix: "docdb-global-cluster",
    label: "DocumentDB global cluster",
    state: globalCluster,
  },
];

export const AT_REST_TYPES: readonly AtRestType[] = [...DATABASE_TYPES, ...AT_REST_FILE_AND_STREAM_TYPES];

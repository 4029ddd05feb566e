/**
 * How each AWS data-store type is encrypted at rest, read from its inputs: one table entry per type
 * this pack knows, including types this program does not use yet. Rules are built from it in
 * `encryptionAtRest.ts`.
 */
import { bool, get, keyRef, list, show, str, UNKNOWN, Unknown } from "../lib/values";

export interface AtRestConfig {
  readonly requireCustomerManagedKey: boolean;
}

/** How a store is encrypted, read from its inputs. */
export interface AtRestState {
  /** false: not encrypted; UNKNOWN: cannot tell before apply. */
  readonly encrypted: boolean | Unknown;
  /** What to set to encrypt it, for the message. */
  readonly expected: string;
  readonly actual?: string;
  /** The key reference (undefined: the service's default key) and its argument name. */
  readonly key?: unknown;
  readonly keyArg?: string;
  /** False where the service offers no customer-managed key for this configuration. */
  readonly cmkSupported: boolean;
  /** What the service uses when no key is given. @default "an AWS-managed key" */
  readonly defaultKey?: string;
}

export interface AtRestType {
  readonly type: string;
  /** `<service>-<resource>` prefix of the rule name. */
  readonly prefix: string;
  /** Human name, e.g. "RDS DB instance". */
  readonly label: string;
  /** undefined: the rule does not apply to this resource (e.g. a cluster node owned by a group). */
  state(props: Record<string, unknown>): AtRestState | undefined;
  /** Additional checks (e.g. DynamoDB replica keys). */
  extra?(props: Record<string, unknown>, config: AtRestConfig): string[];
}

const isSet = (value: unknown) => value === UNKNOWN || (typeof value === "string" && value !== "");

/** A boolean switch: `arg: true` encrypts. */
function flag(props: Record<string, unknown>, arg: string, keyArg?: string): AtRestState {
  const value = bool(props, ...arg.split("."));
  return {
    encrypted: value === UNKNOWN ? UNKNOWN : value === true,
    expected: `${arg}: true`,
    actual: `${arg}: ${show(value)}`,
    key: keyArg ? get(props, ...keyArg.split(".")) : undefined,
    keyArg,
    cmkSupported: keyArg !== undefined,
  };
}

/** Services that always encrypt; only the key is a choice. */
function always(props: Record<string, unknown>, keyArg: string, defaultKey?: string): AtRestState {
  return {
    encrypted: true,
    expected: "",
    key: get(props, keyArg),
    keyArg,
    cmkSupported: true,
    defaultKey,
  };
}

/** A member of a global cluster inherits encryption from its source: encrypted if a key is given. */
function clusterFlag(props: Record<string, unknown>, keyArg: string): AtRestState {
  const state = flag(props, "storageEncrypted", keyArg);
  return state.encrypted === false && isSet(get(props, keyArg)) ? { ...state, encrypted: true } : state;
}

function globalCluster(props: Record<string, unknown>): AtRestState {
  const state = flag(props, "storageEncrypted");
  return state.encrypted === false && isSet(get(props, "sourceDbClusterIdentifier"))
    ? { ...state, encrypted: UNKNOWN } // inherits the source cluster's encryption, checked on that cluster
    : state;
}

export const AT_REST_TYPES: readonly AtRestType[] = [
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
  {
    type: "aws:fsx/lustreFileSystem:LustreFileSystem",
    prefix: "fsx-lustre-file-system",
    label: "FSx for Lustre file system",
    // Scratch deployments are encrypted with an AWS-managed key only.
    state: (p) => ({
      ...always(p, "kmsKeyId"),
      cmkSupported: !/^SCRATCH/.test(String(str(p, "deploymentType") ?? "")),
    }),
  },
  {
    type: "aws:fsx/windowsFileSystem:WindowsFileSystem",
    prefix: "fsx-windows-file-system",
    label: "FSx for Windows file system",
    state: (p) => always(p, "kmsKeyId"),
  },
  {
    type: "aws:fsx/ontapFileSystem:OntapFileSystem",
    prefix: "fsx-ontap-file-system",
    label: "FSx for ONTAP file system",
    state: (p) => always(p, "kmsKeyId"),
  },
  {
    type: "aws:fsx/openZfsFileSystem:OpenZfsFileSystem",
    prefix: "fsx-openzfs-file-system",
    label: "FSx for OpenZFS file system",
    state: (p) => always(p, "kmsKeyId"),
  },
  {
    type: "aws:kinesis/stream:Stream",
    prefix: "kinesis-stream",
    label: "Kinesis stream",
    state: (p) => {
      const type = str(p, "encryptionType");
      return {
        encrypted: type === UNKNOWN ? UNKNOWN : type === "KMS",
        expected: 'encryptionType: "KMS"',
        actual: `encryptionType: ${show(type)}`,
        key: get(p, "kmsKeyId"),
        keyArg: "kmsKeyId",
        cmkSupported: true,
      };
    },
  },
  {
    type: "aws:sqs/queue:Queue",
    prefix: "sqs-queue",
    label: "SQS queue",
    state: (p) => {
      const key = get(p, "kmsMasterKeyId");
      const managed = bool(p, "sqsManagedSseEnabled");
      return {
        encrypted: isSet(key) || managed !== false,
        expected: "kmsMasterKeyId (or sqsManagedSseEnabled: true)",
        actual: "sqsManagedSseEnabled: false and no kmsMasterKeyId",
        key,
        keyArg: "kmsMasterKeyId",
        cmkSupported: true,
        defaultKey: "SQS-managed encryption (SSE-SQS)",
      };
    },
  },
  {
    type: "aws:sns/topic:Topic",
    prefix: "sns-topic",
    label: "SNS topic",
    state: (p) => {
      const key = get(p, "kmsMasterKeyId");
      return {
        encrypted: isSet(key),
        expected: "kmsMasterKeyId set",
        actual: "kmsMasterKeyId: not set",
        key,
        keyArg: "kmsMasterKeyId",
        cmkSupported: true,
      };
    },
  },
  {
    type: "aws:backup/vault:Vault",
    prefix: "backup-vault",
    label: "AWS Backup vault",
    state: (p) => always(p, "kmsKeyArn", "the AWS-managed key aws/backup"),
  },
];

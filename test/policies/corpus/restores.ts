/**
 * Stores restored from snapshots, backups, points in time and imports whose restored data is not
 * proven to be under a customer-managed key in their Region (issue 13 §3), and the compliant
 * restores that must pass every mandatory rule.
 */
import { EngineResource } from "../../../tools/policyEngine";
import { ACCOUNT, key, PEER, PRIMARY, resource, UNKNOWN_VALUE, urnOf } from "../fixtures";
import {
  FOREIGN_SNAPSHOT,
  R,
  RESTORE,
  restoredCluster,
  restoredDb,
  restoredVolume,
  snapshotCopy,
} from "../restoreScenarios";
import type { Mutant, Variant } from "./mutant";

const store = (type: string, inputs: Record<string, unknown>, name = "store") => resource(type, name, inputs);
const mutant = (name: string, resources: EngineResource[], fragment: string): Mutant => ({
  name: `restore: ${name}`,
  resources,
  policy: RESTORE,
  urn: resources[resources.length - 1].urn,
  fragment,
});
const NOT_DECLARED = "names nothing declared in this stack";
const NO_KEY = "is not set, so the restored data is not under a customer-managed key";

export const RESTORE_MUTANTS: readonly Mutant[] = [
  mutant(
    "RDS instance from a snapshot the stack does not declare",
    [restoredDb(FOREIGN_SNAPSHOT)],
    NOT_DECLARED,
  ),
  mutant(
    "RDS instance from a snapshot copy with no kmsKeyId",
    [snapshotCopy(undefined), restoredDb("payments-restore")],
    "RDS snapshot copy restore-copy sets no kmsKeyId",
  ),
  mutant(
    "RDS instance from a snapshot copy under the peer Region's key",
    [snapshotCopy(key(PEER)), restoredDb("payments-restore")],
    `restore-copy's kmsKeyId is ${key(PEER)} in ${PEER}, not a key in ${PRIMARY}`,
  ),
  mutant(
    "RDS instance whose kmsKeyId is not the copy's key",
    [snapshotCopy(key(PRIMARY, "other")), restoredDb("payments-restore")],
    "not the key the restore uses",
  ),
  mutant(
    "RDS instance from a snapshot unknown at preview that no dependency explains",
    [snapshotCopy(key(PRIMARY)), restoredDb(UNKNOWN_VALUE)],
    "snapshotIdentifier is unknown until apply and comes from no aws:rds/snapshotCopy:SnapshotCopy declared in this stack",
  ),
  mutant(
    "RDS instance restored to a point in time of an instance the stack does not declare",
    [
      restoredDb(undefined, {
        restoreToPointInTime: { sourceDbInstanceIdentifier: "payments", useLatestRestorableTime: true },
      }),
    ],
    `restoreToPointInTime.sourceDbInstanceIdentifier ${NOT_DECLARED}`,
  ),
  mutant(
    "Aurora cluster with no key from a snapshot the stack does not declare",
    [restoredCluster(R.cluster, { snapshotIdentifier: "ledger-final" })],
    `snapshotIdentifier ${NOT_DECLARED}`,
  ),
  mutant(
    "Aurora cluster restored to a point in time under an AWS-managed key",
    [
      restoredCluster(R.cluster, {
        kmsKeyId: "alias/aws/rds",
        restoreToPointInTime: { sourceClusterIdentifier: "ledger", useLatestRestorableTime: true },
      }),
    ],
    'kmsKeyId is "alias/aws/rds", an AWS-managed key',
  ),
  mutant(
    "Aurora cluster restored from a cluster snapshot copy with no kmsKeyId",
    [
      resource(
        R.clusterSnapshotCopy,
        "ledger-copy",
        {
          sourceDbClusterSnapshotIdentifier: "ledger-final",
          targetDbClusterSnapshotIdentifier: "ledger-copy",
        },
        { outputs: { id: "ledger-copy" } },
      ),
      restoredCluster(R.cluster, { snapshotIdentifier: "ledger-copy" }),
    ],
    "RDS cluster snapshot copy ledger-copy sets no kmsKeyId",
  ),
  mutant(
    "DocumentDB cluster with no key from a snapshot",
    [restoredCluster(R.docdb, { snapshotIdentifier: "docs-final" })],
    `kmsKeyId ${NO_KEY}`,
  ),
  mutant(
    "Neptune cluster with no key from a snapshot",
    [restoredCluster(R.neptune, { snapshotIdentifier: "graph-final" })],
    `kmsKeyArn ${NO_KEY}`,
  ),
  mutant(
    "EBS volume with no key from a snapshot the stack does not declare",
    [restoredVolume({})],
    NOT_DECLARED,
  ),
  mutant(
    "EBS volume from a snapshot under the peer Region's key",
    [restoredVolume({ kmsKeyId: key(PEER) })],
    `kmsKeyId is ${key(PEER)} in ${PEER}, not a key in ${PRIMARY}`,
  ),
  mutant(
    "EBS volume from a snapshot id unknown at preview with no key",
    [restoredVolume({ snapshotId: UNKNOWN_VALUE })],
    "snapshotId is unknown until apply and comes from no aws:ebs/snapshotCopy:SnapshotCopy declared in this stack",
  ),
  mutant(
    "Redshift cluster with no key from a snapshot",
    [
      store(R.redshift, {
        encrypted: "true",
        snapshotIdentifier: "dw-final",
        snapshotClusterIdentifier: "dw",
      }),
    ],
    `kmsKeyId ${NO_KEY}`,
  ),
  mutant(
    "ElastiCache replication group with no key from a snapshot",
    [
      store(R.group, {
        atRestEncryptionEnabled: true,
        transitEncryptionEnabled: true,
        snapshotName: "cache-final",
      }),
    ],
    `kmsKeyId ${NO_KEY}`,
  ),
  mutant(
    "node-based ElastiCache cluster from RDB files",
    [store(R.cacheCluster, { engine: "redis", snapshotArns: "arn:aws:s3:::exports/cache.rdb" })],
    "an ElastiCache cluster takes no KMS key",
  ),
  mutant(
    "ElastiCache serverless cache with no key from RDB files",
    [
      store("aws:elasticache/serverlessCache:ServerlessCache", {
        engine: "valkey",
        snapshotArnsToRestores: ["arn:aws:s3:::exports/cache.rdb"],
      }),
    ],
    `kmsKeyId ${NO_KEY}`,
  ),
  mutant(
    "DynamoDB table restored from another Region's table with no key",
    [
      store(R.table, {
        restoreSourceTableArn: `arn:aws:dynamodb:${PEER}:${ACCOUNT}:table/orders`,
        restoreToLatestTime: true,
      }),
    ],
    `serverSideEncryption.kmsKeyArn ${NO_KEY}`,
  ),
  mutant(
    "DynamoDB table imported from S3 with no key",
    [
      store(R.table, {
        importTable: { inputFormat: "DYNAMODB_JSON", s3BucketSource: { bucket: "exports" } },
      }),
    ],
    `serverSideEncryption.kmsKeyArn ${NO_KEY}`,
  ),
  mutant(
    "FSx for Lustre file system with no key from a backup",
    [
      store("aws:fsx/lustreFileSystem:LustreFileSystem", {
        deploymentType: "PERSISTENT_2",
        backupId: "backup-0a",
      }),
    ],
    `kmsKeyId ${NO_KEY}`,
  ),
  mutant(
    "FSx for OpenZFS file system with no key from a backup",
    [store("aws:fsx/openZfsFileSystem:OpenZfsFileSystem", { backupId: "backup-0b" })],
    `kmsKeyId ${NO_KEY}`,
  ),
];

const TLS_GROUP = (name: string, type: string, family: string, region: string) =>
  resource(type, name, {
    name,
    family,
    ...(region === PRIMARY ? {} : { region }),
    parameters: [{ name: "rds.force_ssl", value: "1" }],
  });
const AURORA_ARN = `arn:aws:rds:${PRIMARY}:${ACCOUNT}:cluster:ledger`;
const DB_ARN = `arn:aws:rds:${PRIMARY}:${ACCOUNT}:db:payments`;

export const RESTORE_COMPLIANT: readonly Variant[] = [
  {
    name: "an Aurora cluster restored from a snapshot with an explicit customer-managed key (the restore re-encrypts)",
    resources: [
      TLS_GROUP(
        `tls-${PRIMARY}`,
        "aws:rds/clusterParameterGroup:ClusterParameterGroup",
        "aurora-postgresql16",
        PRIMARY,
      ),
      TLS_GROUP(
        `tls-${PEER}`,
        "aws:rds/clusterParameterGroup:ClusterParameterGroup",
        "aurora-postgresql16",
        PEER,
      ),
      resource(
        R.cluster,
        "ledger",
        {
          engine: "aurora-postgresql",
          snapshotIdentifier: `arn:aws:rds:${PRIMARY}:${ACCOUNT}:cluster-snapshot:ledger-final`,
          storageEncrypted: true,
          kmsKeyId: key(PRIMARY),
          dbClusterParameterGroupName: `tls-${PRIMARY}`,
        },
        { outputs: { arn: AURORA_ARN } },
      ),
      resource(
        R.cluster,
        "ledger-replica",
        {
          engine: "aurora-postgresql",
          region: PEER,
          storageEncrypted: true,
          kmsKeyId: key(PEER),
          replicationSourceIdentifier: AURORA_ARN,
          dbClusterParameterGroupName: `tls-${PEER}`,
        },
        { propertyDependencies: { replicationSourceIdentifier: [urnOf(R.cluster, "ledger")] } },
      ),
    ],
  },
  {
    name: "an RDS instance restored from a snapshot copy declared under a customer-managed key in its Region",
    resources: [
      TLS_GROUP("pg", "aws:rds/parameterGroup:ParameterGroup", "postgres17", PRIMARY),
      snapshotCopy(key(PRIMARY)),
      restoredDb(
        "payments-restore",
        { engine: "postgres", parameterGroupName: "pg" },
        {
          outputs: { arn: DB_ARN },
          propertyDependencies: { snapshotIdentifier: [urnOf(R.snapshotCopy, "restore-copy")] },
        },
      ),
      resource("aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication", "pitr", {
        sourceDbInstanceArn: DB_ARN,
        region: PEER,
        kmsKeyId: key(PEER),
      }),
    ],
  },
  {
    name: "an EBS volume created from a snapshot with an explicit customer-managed key, copied by DLM",
    resources: [
      restoredVolume({ kmsKeyId: key(PRIMARY), tags: { backup: "dlm-daily" } }),
      resource("aws:dlm/lifecyclePolicy:LifecyclePolicy", "ebs-daily", {
        description: "daily EBS snapshots, copied to the peer Region",
        executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/dlm`,
        state: "ENABLED",
        policyDetails: {
          resourceTypes: ["VOLUME"],
          targetTags: { backup: "dlm-daily" },
          schedules: [
            {
              name: "daily",
              createRule: { interval: 24, intervalUnit: "HOURS" },
              retainRule: { count: 7 },
              crossRegionCopyRules: [
                {
                  target: PEER,
                  encrypted: true,
                  cmkArn: key(PEER),
                  retainRule: { interval: 7, intervalUnit: "DAYS" },
                },
              ],
            },
          ],
        },
      }),
    ],
  },
];

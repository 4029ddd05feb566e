/**
 * Compliant variants the issue names: each must pass every mandatory rule (no mandatory violation
 * at all). `read` names resources the program reads with `Resource.get` (external in a stack
 * export, a `read` step in a preview; the engine never sends them to the pack).
 */
import { ACCOUNT, key, PEER, PRIMARY, resource, urnOf } from "../fixtures";
import { replicatedBuckets, T } from "../scenarios";
import type { Variant } from "./mutant";
import { RESTORE_COMPLIANT } from "./restores";
import { backedUpLustre } from "./verifiedCopies";
import { COMPLIANT_WORKLOAD } from "./workloads";
import { VOLUME_VARIANTS } from "./volumes";

export type { Variant } from "./mutant";

const TABLE = "aws:dynamodb/table:Table";
const CLUSTER = "aws:rds/cluster:Cluster";

const legacyTable = (name: string, region: string) =>
  resource(
    TABLE,
    name,
    {
      name: "orders",
      ...(region === PRIMARY ? {} : { region }),
      streamEnabled: true,
      streamViewType: "NEW_AND_OLD_IMAGES",
      serverSideEncryption: { enabled: true, kmsKeyArn: key(region) },
    },
    {},
  );

const tlsParameters = (region: string) =>
  resource("aws:rds/clusterParameterGroup:ClusterParameterGroup", `tls-${region}`, {
    name: `tls-${region}`,
    family: "aurora-postgresql16",
    ...(region === PRIMARY ? {} : { region }),
    parameters: [{ name: "rds.force_ssl", value: "1" }],
  });

const auroraArn = `arn:aws:rds:${PRIMARY}:${ACCOUNT}:cluster:ledger`;

export const COMPLIANT: readonly Variant[] = [
  {
    name: "a Deployment pulling from its own Region's ECR and a claim on an encrypted EBS StorageClass",
    resources: COMPLIANT_WORKLOAD,
  },
  {
    name: "a persistent FSx for Lustre file system copied by AWS Backup",
    resources: backedUpLustre("PERSISTENT_2"),
  },
  {
    name: "a legacy (2017) global table over same-named tables in two Regions",
    resources: [
      legacyTable("orders-east", PRIMARY),
      legacyTable("orders-west", PEER),
      resource("aws:dynamodb/globalTable:GlobalTable", "orders", {
        name: "orders",
        replicas: [{ regionName: PRIMARY }, { regionName: PEER }],
      }),
    ],
  },
  {
    name: "EBS snapshots copied to the peer Region by a DLM policy",
    resources: [
      resource("aws:ebs/volume:Volume", "data", {
        availabilityZone: `${PRIMARY}a`,
        size: 100,
        encrypted: true,
        kmsKeyId: key(PRIMARY),
        tags: { backup: "dlm-daily" },
      }),
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
  {
    name: "an Aurora cluster with a cross-Region read replica cluster",
    resources: [
      tlsParameters(PRIMARY),
      tlsParameters(PEER),
      resource(
        CLUSTER,
        "ledger",
        {
          engine: "aurora-postgresql",
          storageEncrypted: true,
          kmsKeyId: key(PRIMARY),
          dbClusterParameterGroupName: `tls-${PRIMARY}`,
        },
        { outputs: { arn: auroraArn } },
      ),
      resource(
        CLUSTER,
        "ledger-replica",
        {
          engine: "aurora-postgresql",
          region: PEER,
          storageEncrypted: true,
          kmsKeyId: key(PEER),
          replicationSourceIdentifier: auroraArn,
          dbClusterParameterGroupName: `tls-${PEER}`,
        },
        { propertyDependencies: { replicationSourceIdentifier: [urnOf(CLUSTER, "ledger")] } },
      ),
    ],
  },
  {
    name: "a bucket read with Bucket.get beside a compliant replicated pair",
    resources: [
      ...replicatedBuckets(),
      resource(
        T.bucket,
        "partner-drop",
        { bucket: "partner-drop" },
        { outputs: { arn: "arn:aws:s3:::partner-drop" } },
      ),
    ],
    read: [urnOf(T.bucket, "partner-drop")],
  },
  ...RESTORE_COMPLIANT,
  ...VOLUME_VARIANTS,
];

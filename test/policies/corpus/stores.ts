/**
 * The mutation corpus: adversarial data stores, each with the one mandatory violation it must
 * produce (policy, the store's URN, a fragment of the message). Generated per at-rest type from its
 * compliant fixture (key moved to the peer Region; key unknown at preview and from no declared key;
 * encryption switched off), plus the default-deny and cross-Region families.
 */
import { AT_REST_TYPES } from "../../../policies/encryption/encryptionTypes";
import { EngineResource } from "../../../tools/policyEngine";
import { FIXTURES, withValue } from "../atRestFixtures";
import { key, PEER, PRIMARY, resource, UNKNOWN_VALUE, urnOf } from "../fixtures";
import type { Mutant } from "./mutant";
import { RESTORE_MUTANTS } from "./restores";
import { TWO_CONFIGS } from "./twoConfigs";
import { VERIFIED_COPIES } from "./verifiedCopies";
import { WORKLOADS } from "./workloads";
import { VOLUME_MUTANTS } from "./volumes";
import { backedUpDatabase, bucket, plan, replication, T, vaultArn } from "../scenarios";

export type { Mutant } from "./mutant";

const atRest: Mutant[] = AT_REST_TYPES.flatMap((entry) => {
  const fixture = FIXTURES[entry.type];
  const store = (props: Record<string, unknown>) => [resource(entry.type, "store", props)];
  const urn = urnOf(entry.type, "store");
  const policy = `${entry.prefix}-encryption-at-rest`;
  const out: Mutant[] = [];
  if (fixture.keyPath.length > 0) {
    out.push({
      name: `${entry.type}: key in another Region`,
      resources: store(withValue(fixture.compliant, fixture.keyPath, key(PEER))),
      policy,
      urn,
      fragment: `is encrypted with a key in ${PEER}`,
    });
    out.push({
      name: `${entry.type}: key unknown at preview, from no declared key`,
      resources: store(withValue(fixture.compliant, fixture.keyPath, UNKNOWN_VALUE)),
      policy: "aws-datastore-encryption-key-proven",
      urn,
      fragment: `${entry.label} store: its key cannot be proven at preview`,
    });
  }
  if (fixture.unencrypted) {
    const props = { ...fixture.compliant, ...fixture.unencrypted };
    for (const k of Object.keys(props)) if (props[k] === undefined) delete props[k];
    out.push({
      name: `${entry.type}: not encrypted`,
      resources: store(props),
      policy,
      urn,
      fragment: `${entry.label} is not encrypted at rest`,
    });
  }
  return out;
});

const deny = (type: string, inputs: Record<string, unknown> = {}): Mutant => ({
  name: `${type}: a store the pack cannot judge`,
  resources: [resource(type, "store", inputs)],
  policy: "aws-datastore-type-judged",
  urn: urnOf(type, "store"),
  fragment: "cannot judge this data store type",
});

const defaultDeny: Mutant[] = [
  deny("aws:memorydb/cluster:Cluster"),
  deny("aws:msk/cluster:Cluster"),
  deny("aws:msk/serverlessCluster:ServerlessCluster"),
  deny("aws:docdb/elasticCluster:ElasticCluster"),
  deny("aws:timestreamwrite/table:Table"),
  deny("aws:keyspaces/table:Table"),
  deny("aws:opensearch/serverlessCollection:ServerlessCollection"),
  deny("aws:s3/directoryBucket:DirectoryBucket"),
  deny("aws:s3tables/tableBucket:TableBucket"),
  deny("aws:dax/cluster:Cluster"),
  deny("aws:qldb/ledger:Ledger"),
  deny("aws:dsql/cluster:Cluster"),
  deny("aws-native:rds:DbInstance"),
  deny("aws-native:s3:Bucket"),
  deny("aws:cloudformation/stack:Stack", {
    templateBody: JSON.stringify({ Resources: { T: { Type: "AWS::DynamoDB::Table" } } }),
  }),
  deny("aws:sns/topic:Topic", {
    fifoTopic: true,
    kmsMasterKeyId: "alias/sns",
    archivePolicy: '{"MessageRetentionPeriod":"30"}',
  }),
  deny("aws:kinesis/stream:Stream", { encryptionType: "KMS", kmsKeyId: "alias/k", retentionPeriod: 72 }),
];

const COPY = "aws-datastore-cross-region-copy";
const DB = urnOf(T.db, "db");
const replace = (resources: EngineResource[], name: string, by: EngineResource) =>
  resources.map((r) => (r.name === name ? by : r));

const copies: Mutant[] = [
  {
    name: "RDS backup copied into the store's own Region",
    resources: replace(backedUpDatabase(), "plan", plan(vaultArn(PRIMARY, "local"))),
    policy: COPY,
    urn: DB,
    fragment: "the store's own Region",
  },
  {
    name: "S3 bucket replicated to a bucket in its own Region",
    resources: [...bucket("app", "us-east-1"), ...bucket("same", "us-east-1"), replication("app", "same")],
    policy: COPY,
    urn: urnOf(T.bucket, "app"),
    fragment: "stays in us-east-1, the store's own Region",
    alsoReported: [urnOf(T.bucket, "same")],
  },
  {
    name: "S3 bucket replicated with a prefix filter",
    resources: [
      ...bucket("app", "us-east-1"),
      ...bucket("app-replica", PEER),
      replication("app", "app-replica", { filter: { prefix: "a/" } }),
    ],
    policy: COPY,
    urn: urnOf(T.bucket, "app"),
    fragment: "replicates only objects matching",
    alsoReported: [urnOf(T.bucket, "app-replica")],
  },
  {
    name: "DynamoDB table with no replica or backup",
    resources: [
      resource("aws:dynamodb/table:Table", "table", {
        serverSideEncryption: { enabled: true, kmsKeyArn: key("us-east-1") },
      }),
    ],
    policy: COPY,
    urn: urnOf("aws:dynamodb/table:Table", "table"),
    fragment: "has no copy in another Region",
  },
];

export const CORPUS: readonly Mutant[] = [
  ...atRest,
  ...defaultDeny,
  ...copies,
  ...VERIFIED_COPIES,
  ...VOLUME_MUTANTS,
  ...TWO_CONFIGS,
  ...RESTORE_MUTANTS,
  ...WORKLOADS,
];

/**
 * The dr stack as the fake CLI's engine sees it: the standby -> active change set of the offline dry
 * run (RDS promotion and node-group scale-up in us-west-2, the promoted instance's backup
 * replication created in us-east-1), plus unchanged resources of each kind (root Stack, default
 * provider, components, a peer-Region replica bucket, a global Route 53 record).
 */
const P = "urn:pulumi:dr::payments-dr::";
export const STACK_URN = `${P}pulumi:pulumi:Stack::payments-dr-dr`;
const PROVIDER_URN = `${P}pulumi:providers:aws::default_7_48_0`;
export const PROVIDER_REF = `${PROVIDER_URN}::0b3c7a4e-5f1d-4c8e-9a2b-6d7e8f901234`;
const DATABASE = `${P}payments-dr:components:Database::database`;
const EKS = `${P}payments-dr:components:Eks::eks`;
export const DB_URN = `${P}payments-dr:components:Database$aws:rds/instance:Instance::database-instance`;
export const NODES_URN = `${P}payments-dr:components:Eks$aws:eks/nodeGroup:NodeGroup::eks-nodes`;
export const BACKUPS_URN = `${P}payments-dr:components:Database$aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication::database-backups-replication`;
const REPLICA_BUCKET_URN = `${P}payments-dr:components:ObjectStore$aws:s3/bucket:Bucket::objects-app-replica-bucket`;
const RECORD_URN = `${P}payments-dr:components:Dns$aws:route53/record:Record::dns-secondary`;

export interface FakeResource {
  readonly urn: string;
  readonly type: string;
  readonly parent: string;
  readonly custom: boolean;
  /** Inputs in standby (the state) and in active mode (the program); same when unchanged. */
  readonly standby: Record<string, unknown> | undefined;
  readonly active: Record<string, unknown>;
  readonly peer?: boolean;
}

const DB_STANDBY = {
  identifier: "payments-db-dr",
  instanceClass: "db.r6g.large",
  kmsKeyId: "arn:aws:kms:us-west-2:111122223333:key/mrk-1f2e3d4c5b6a",
  replicateSourceDb: "arn:aws:rds:us-east-1:111122223333:db:payments-db-primary",
  storageEncrypted: true,
};
const { replicateSourceDb: _source, ...DB_ACTIVE } = DB_STANDBY;
const NODES = (desiredSize: number) => ({
  clusterName: "payments-dr-eks",
  region: "us-west-2",
  scalingConfig: { desiredSize, maxSize: 6, minSize: 1 },
});

/** The dr stack as the fake's engine sees it, in registration order. */
export const FAKE_RESOURCES: readonly FakeResource[] = [
  { urn: STACK_URN, type: "pulumi:pulumi:Stack", parent: "", custom: false, standby: {}, active: {} },
  {
    urn: PROVIDER_URN,
    type: "pulumi:providers:aws",
    parent: "",
    custom: true,
    standby: { region: "us-west-2", version: "7.48.0" },
    active: { region: "us-west-2", version: "7.48.0" },
  },
  {
    urn: DATABASE,
    type: "payments-dr:components:Database",
    parent: STACK_URN,
    custom: false,
    standby: {},
    active: {},
  },
  {
    urn: DB_URN,
    type: "aws:rds/instance:Instance",
    parent: DATABASE,
    custom: true,
    standby: DB_STANDBY,
    active: DB_ACTIVE,
  },
  {
    urn: BACKUPS_URN,
    type: "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication",
    parent: DATABASE,
    custom: true,
    standby: undefined,
    active: {
      kmsKeyId: "arn:aws:kms:us-east-1:111122223333:key/mrk-1f2e3d4c5b6a",
      region: "us-east-1",
      retentionPeriod: 7,
      sourceDbInstanceArn: "arn:aws:rds:us-west-2:111122223333:db:payments-db-dr",
    },
    peer: true,
  },
  { urn: EKS, type: "payments-dr:components:Eks", parent: STACK_URN, custom: false, standby: {}, active: {} },
  {
    urn: NODES_URN,
    type: "aws:eks/nodeGroup:NodeGroup",
    parent: EKS,
    custom: true,
    standby: NODES(1),
    active: NODES(3),
  },
  {
    urn: REPLICA_BUCKET_URN,
    type: "aws:s3/bucket:Bucket",
    parent: `${P}payments-dr:components:ObjectStore::objects-app`,
    custom: true,
    standby: { bucket: "payments-dr-app-replica", region: "us-east-1" },
    active: { bucket: "payments-dr-app-replica", region: "us-east-1" },
    peer: true,
  },
  {
    urn: RECORD_URN,
    type: "aws:route53/record:Record",
    parent: `${P}payments-dr:components:Dns::dns`,
    custom: true,
    standby: { name: "api.payments.example.com", setIdentifier: "secondary", type: "A" },
    active: { name: "api.payments.example.com", setIdentifier: "secondary", type: "A" },
  },
];

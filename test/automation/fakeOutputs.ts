/** The dr stack's outputs (stacks/outputs.ts) as the fake CLI returns them, before and after activation. */
export const DR_OUTPUTS_STANDBY = {
  role: "dr",
  mode: "standby",
  region: "us-west-2",
  peerRegion: "us-east-1",
  primary: {
    region: "us-east-1",
    controlHealthCheckId: "3f1b7d2e-8c4a-4e6b-9a1d-5c2e7f8a9b01",
    endpointUrl: "https://api.payments.example.com",
    cacheReplicationGroupId: "payments-cache-primary",
    databaseInstanceIdentifier: "payments-db-primary",
    copyVaultArn: "arn:aws:backup:us-west-2:111122223333:backup-vault:payments-dr-primary-copies",
    cacheSnapshotReplicaBucketName: "payments-dr-primary-cache-snapshots-replica",
  },
  failoverState: {
    tableName: "payments-dr-failover-state",
    tableArn: "arn:aws:dynamodb:us-west-2:111122223333:table/payments-dr-failover-state",
  },
  cache: {
    replicationGroupId: "payments-cache-dr",
    globalReplicationGroupId: "ldgnf-payments-cache",
    isPrimaryMember: false,
  },
  search: {
    domainName: "payments-search-dr",
    domainArn: "arn:aws:es:us-west-2:111122223333:domain/payments-search-dr",
    endpoint: "vpc-payments-search-dr-4kq2b7x.us-west-2.es.amazonaws.com",
    connectionAlias: "payments-leader",
    followRuleName: "payments-all-indices",
  },
  database: {
    instanceIdentifier: "payments-db-dr",
    instanceArn: "arn:aws:rds:us-west-2:111122223333:db:payments-db-dr",
    endpoint: "payments-db-dr.c9akciq32.us-west-2.rds.amazonaws.com",
    isReplica: true,
  },
  ingress: { endpointUrl: "https://api.payments.example.com" },
  eks: { clusterName: "payments-dr-eks", nodeGroupName: "payments-dr-nodes", desiredNodeCount: 1 },
};

export const DR_OUTPUTS_ACTIVE = {
  ...DR_OUTPUTS_STANDBY,
  mode: "active",
  database: { ...DR_OUTPUTS_STANDBY.database, isReplica: false },
  eks: { ...DR_OUTPUTS_STANDBY.eks, desiredNodeCount: 3 },
};

/**
 * A backup-restore standby: no Global Datastore membership, no follower domain, no database yet
 * (its identifier and the ARN its restore will have); after activation, the restored stores.
 */
export const DR_OUTPUTS_RESTORE_STANDBY = {
  ...DR_OUTPUTS_STANDBY,
  strategy: "backup-restore",
  cache: { replicationGroupId: "", globalReplicationGroupId: "", isPrimaryMember: false, presence: "absent" },
  search: {
    domainName: "payments-search-dr",
    domainArn: "arn:aws:es:us-west-2:111122223333:domain/payments-search-dr",
    presence: "absent",
  },
  database: {
    instanceIdentifier: "payments-db-dr",
    instanceArn: "arn:aws:rds:us-west-2:111122223333:db:payments-db-dr",
    presence: "absent",
    isReplica: false,
  },
  eks: { ...DR_OUTPUTS_STANDBY.eks, desiredNodeCount: 0 },
};

export const DR_OUTPUTS_RESTORE_ACTIVE = {
  ...DR_OUTPUTS_RESTORE_STANDBY,
  mode: "active",
  cache: {
    ...DR_OUTPUTS_RESTORE_STANDBY.cache,
    replicationGroupId: "payments-cache-dr",
    presence: "restored",
  },
  database: {
    ...DR_OUTPUTS_RESTORE_STANDBY.database,
    endpoint: "payments-db-dr.c9akciq32.us-west-2.rds.amazonaws.com",
    presence: "restored",
  },
  eks: { ...DR_OUTPUTS_STANDBY.eks, desiredNodeCount: 3 },
};

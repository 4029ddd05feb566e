/**
 * Native cross-Region replication of services other than S3: DynamoDB replicas, RDS backup
 * replication and read replicas, global clusters, ElastiCache Global Datastore, Redshift snapshot
 * copy, EFS replication and OpenSearch cross-cluster replication (searchReplication.ts). Each
 * records its verdict for the stores it protects; one pass per mechanism type.
 */
import { provenKey } from "../lib/keys";
import { StackIndex, StackNode } from "../lib/stackIndex";
import { get, isUnknown, list, show, str, UNKNOWN } from "../lib/values";
import { addCoverage, copyVerdict, CoverageMap } from "./coverage";
import { searchCoverage } from "./searchReplication";

const RDS_INSTANCE = "aws:rds/instance:Instance";
const CLUSTERS: Record<string, { global: string; key: string }> = {
  "aws:rds/cluster:Cluster": { global: "aws:rds/globalCluster:GlobalCluster", key: "kmsKeyId" },
  "aws:docdb/cluster:Cluster": { global: "aws:docdb/globalCluster:GlobalCluster", key: "kmsKeyId" },
  "aws:neptune/cluster:Cluster": { global: "aws:neptune/globalCluster:GlobalCluster", key: "kmsKeyArn" },
};
const CACHE_GROUP = "aws:elasticache/replicationGroup:ReplicationGroup";

export function serviceCoverage(
  index: StackIndex,
  map: CoverageMap,
  resolveOne: (from: StackNode, prop: string, types: readonly string[]) => StackNode[],
): void {
  // DynamoDB global tables: inline replicas and TableReplica resources.
  for (const table of index.byType("aws:dynamodb/table:Table")) {
    const replicas = list(table.props, "replicas");
    if (replicas === UNKNOWN) {
      addCoverage(map, table, { ok: UNKNOWN, detail: "DynamoDB replicas" });
      continue;
    }
    for (const [i, replica] of replicas.entries()) {
      const region = str(replica, "regionName");
      addCoverage(
        map,
        table,
        copyVerdict(
          `DynamoDB replica in ${show(region)}`,
          table.region,
          region,
          provenKey(index, table, ["replicas", i, "kmsKeyArn"]),
          false,
        ),
      );
    }
  }
  for (const replica of index.byType("aws:dynamodb/tableReplica:TableReplica")) {
    for (const table of resolveOne(replica, "globalTableArn", ["aws:dynamodb/table:Table"])) {
      addCoverage(
        map,
        table,
        copyVerdict(
          `DynamoDB table replica ${replica.name}`,
          table.region,
          replica.region,
          provenKey(index, replica, ["kmsKeyArn"]),
          false,
        ),
      );
    }
  }

  // RDS: automated-backups replication, and cross-Region read replicas declared in the same stack.
  for (const replication of index.byType(
    "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication",
  )) {
    for (const db of resolveOne(replication, "sourceDbInstanceArn", [RDS_INSTANCE])) {
      addCoverage(
        map,
        db,
        copyVerdict(
          `automated-backups replication ${replication.name}`,
          db.region,
          replication.region,
          provenKey(index, replication, ["kmsKeyId"]),
          true,
        ),
      );
    }
  }
  for (const replica of index.byType(RDS_INSTANCE)) {
    if (get(replica.props, "replicateSourceDb") === undefined) continue;
    for (const source of resolveOne(replica, "replicateSourceDb", [RDS_INSTANCE])) {
      const verdict = copyVerdict(
        `read replica ${replica.name}`,
        source.region,
        replica.region,
        provenKey(index, replica, ["kmsKeyId"]),
        false,
      );
      addCoverage(map, source, verdict);
      if (verdict.ok === true)
        addCoverage(map, replica, {
          ok: true,
          detail: `replica of ${source.name} in ${String(source.region)}`,
        });
    }
  }

  // Global clusters (Aurora, DocumentDB, Neptune): members in two Regions copy each other.
  for (const [type, { global, key }] of Object.entries(CLUSTERS)) {
    const groups = new Map<string, StackNode[]>();
    for (const cluster of index.byType(type)) {
      const id = str(cluster.props, "globalClusterIdentifier");
      if (typeof id === "string") groups.set(id, [...(groups.get(id) ?? []), cluster]);
    }
    for (const g of index.byType(global)) {
      const id = str(g.props, "globalClusterIdentifier");
      for (const source of get(g.props, "sourceDbClusterIdentifier") === undefined
        ? []
        : resolveOne(g, "sourceDbClusterIdentifier", [type])) {
        if (typeof id === "string" && !(groups.get(id) ?? []).includes(source))
          groups.set(id, [...(groups.get(id) ?? []), source]);
      }
    }
    for (const [id, members] of groups) {
      for (const member of members) {
        for (const other of members) {
          if (other === member) continue;
          addCoverage(
            map,
            member,
            copyVerdict(
              `global cluster ${id} member ${other.name}`,
              member.region,
              other.region,
              provenKey(index, other, [key]),
              false,
            ),
          );
        }
      }
    }
  }

  // ElastiCache Global Datastore: a secondary member's primary is in another Region by construction.
  // A primary's own globalReplicationGroupId (an output once it joins) is not a copy of it.
  const primaries = new Set(
    index
      .byType("aws:elasticache/globalReplicationGroup:GlobalReplicationGroup")
      .flatMap((g) => resolveOne(g, "primaryReplicationGroupId", [CACHE_GROUP]).map((p) => p.urn)),
  );
  for (const group of index.byType(CACHE_GROUP)) {
    if (primaries.has(group.urn)) continue;
    const id = str(group.props, "globalReplicationGroupId");
    if (id === UNKNOWN)
      addCoverage(map, group, {
        ok: UNKNOWN,
        detail:
          "its globalReplicationGroupId is unknown until apply, so Global Datastore membership cannot be proven",
      });
    else if (id) addCoverage(map, group, { ok: true, detail: `secondary member of Global Datastore ${id}` });
  }
  for (const globalGroup of index.byType("aws:elasticache/globalReplicationGroup:GlobalReplicationGroup")) {
    const ids = [str(globalGroup.props, "globalReplicationGroupId"), str(globalGroup.props, "id")].filter(
      (v): v is string => typeof v === "string",
    );
    const secondaries = index
      .byType(CACHE_GROUP)
      .filter((g) => ids.includes(String(str(g.props, "globalReplicationGroupId"))));
    for (const primary of resolveOne(globalGroup, "primaryReplicationGroupId", [CACHE_GROUP])) {
      for (const secondary of secondaries) {
        // An explicit `false` is not overridden by the datastore (encryptionTypes.ts): not an encrypted copy.
        if (get(secondary.props, "atRestEncryptionEnabled") === false) {
          addCoverage(map, primary, {
            ok: false,
            detail: `Global Datastore member ${secondary.name} to ${String(secondary.region)} has atRestEncryptionEnabled: false: expected it absent (inherited) or true`,
          });
          continue;
        }
        addCoverage(
          map,
          primary,
          copyVerdict(
            `Global Datastore member ${secondary.name}`,
            primary.region,
            secondary.region,
            provenKey(index, secondary, ["kmsKeyId"]),
            false,
          ),
        );
      }
    }
  }

  // Redshift cross-Region snapshot copy; a KMS-encrypted cluster needs a grant in the destination.
  for (const copy of index.byType("aws:redshift/snapshotCopy:SnapshotCopy")) {
    const destination = str(copy.props, "destinationRegion");
    for (const cluster of resolveOne(copy, "clusterIdentifier", ["aws:redshift/cluster:Cluster"])) {
      const what = `snapshot copy ${copy.name}`;
      const grantName = get(copy.props, "snapshotCopyGrantName");
      const grants =
        typeof grantName === "string"
          ? index.find(["aws:redshift/snapshotCopyGrant:SnapshotCopyGrant"], grantName)
          : [];
      const grant = grants.find((g) => g.region === destination) ?? grants[0];
      const encryptedWithKms = get(cluster.props, "kmsKeyId") !== undefined;
      if (encryptedWithKms && !grant && !isUnknown(grantName)) {
        addCoverage(map, cluster, {
          ok: false,
          detail: `${what} to ${show(destination)} has no snapshot-copy grant declared in that Region: expected snapshotCopyGrantName naming a SnapshotCopyGrant with a key in ${show(destination)}`,
        });
        continue;
      }
      if (grant && grant.region !== destination && !isUnknown(grant.region)) {
        addCoverage(map, cluster, {
          ok: false,
          detail: `${what}'s grant ${grant.name} is in ${show(grant.region)}: expected it in ${show(destination)}`,
        });
        continue;
      }
      addCoverage(
        map,
        cluster,
        copyVerdict(
          what,
          cluster.region,
          destination,
          grant ? provenKey(index, grant, ["kmsKeyId"]) : undefined,
          false,
        ),
      );
    }
  }

  // EFS replication.
  for (const replication of index.byType("aws:efs/replicationConfiguration:ReplicationConfiguration")) {
    for (const fs of resolveOne(replication, "sourceFileSystemId", ["aws:efs/fileSystem:FileSystem"])) {
      addCoverage(
        map,
        fs,
        copyVerdict(
          `EFS replication ${replication.name}`,
          fs.region,
          get(replication.props, "destination", "region"),
          provenKey(index, replication, ["destination", "kmsKeyId"]),
          false,
        ),
      );
    }
  }

  searchCoverage(index, map);
}

/**
 * The stack's databases: RDS PostgreSQL, ElastiCache Redis (Global Datastore) and OpenSearch
 * (cross-cluster replication on dr). Called by stacks/dataTier.ts.
 *
 * Roles: primary owns the sources and declares their copies in the dr Region (automated-backup
 * replication, the Global Datastore). dr declares the replicas of those sources, read from the
 * primary stack's outputs, and in `mode: active` promotes the database in place and starts its
 * own backup replication back to the peer Region (a create, never a replace).
 */
import * as pulumi from "@pulumi/pulumi";
import { APP_USER_NAME, Cache } from "../components/data/cache/cache";
import { CacheSnapshotExport, exportIntervalMinutes } from "../components/data/cache/cacheSnapshotExport";
import { Database } from "../components/data/database";
import { searchAdminRoleName } from "../components/data/search/searchAdmin";
import { Search } from "../components/data/search/search";
import { StackContext } from "./context";
import { databaseNameFor, primaryOf } from "./databaseNames";
import { storeGenerations } from "./generation";
import { workloadStores, WorkloadStores } from "./workloadStores";
import { composition, StorePresence } from "./strategy";

export interface DatabasesArgs {
  /** The search snapshot repository bucket (an ObjectStore replicated to the peer Region). */
  readonly searchSnapshotBucket: {
    readonly bucketName: pulumi.Output<string>;
    readonly bucketArn: pulumi.Output<string>;
    /** Its default SSE-KMS key (the stack's objects key). */
    readonly kmsKeyArn: pulumi.Output<string>;
  };
  /**
   * The bucket the cache's snapshots are exported to: an SSE-S3 ObjectStore in the stack's Region
   * (ElastiCache exports only there, only with SSE-S3) replicated to the peer Region.
   */
  readonly cacheSnapshotBucket: {
    readonly bucketName: pulumi.Output<string>;
    readonly bucketArn: pulumi.Output<string>;
  };
}

export interface Databases {
  /** Shaped as `database`, `cache` and `search` in stacks/outputs.ts; values may be Outputs. */
  readonly outputs: {
    readonly database: {
      readonly instanceIdentifier: pulumi.Input<string>;
      readonly instanceArn: pulumi.Input<string>;
      /** Absent while the instance is not declared (backup-restore standby). */
      readonly endpoint?: pulumi.Input<string>;
      readonly isReplica: pulumi.Input<boolean>;
      /** How the instance exists (stacks/strategy.ts); `absent`: the names are the ones a restore will use. */
      readonly presence: StorePresence;
      /** `generation.database` (stacks/generation.ts). */
      readonly generation: number;
    };
    readonly cache: {
      readonly replicationGroupId: pulumi.Input<string>;
      readonly globalReplicationGroupId: pulumi.Input<string>;
      readonly isPrimaryMember: pulumi.Input<boolean>;
      readonly presence: StorePresence;
      /** `generation.cache` (stacks/generation.ts). */
      readonly generation: number;
    };
    readonly search: {
      readonly domainName: pulumi.Input<string>;
      readonly domainArn: pulumi.Input<string>;
      readonly endpoint?: pulumi.Input<string>;
      readonly presence: StorePresence;
      readonly connectionAlias?: pulumi.Input<string>;
      readonly followRuleName?: pulumi.Input<string>;
    };
    /** Shaped as `cacheSnapshotExport` in stacks/outputs.ts, without the bucket names; none without a cache. */
    readonly cacheSnapshotExport?: {
      readonly functionName: pulumi.Input<string>;
      readonly errorAlarmName: pulumi.Input<string>;
      readonly alarmTopicArn: pulumi.Input<string>;
      readonly intervalMinutes: number;
    };
  };
  /** What the payments workload connects to (workloadStores.ts); absent without a database and cache. */
  readonly workload?: WorkloadStores;
  /** ARNs AWS Backup should select in this stack (e.g. the RDS instance). */
  readonly backupResourceArns: pulumi.Output<string>[];
}

/** The alias under which a dr follower domain knows its leader. */
export const SEARCH_LEADER_ALIAS = "payments-primary";

export { databaseNameFor };

export function composeDatabases(ctx: StackContext, args: DatabasesArgs): Databases {
  const { config } = ctx;
  const isPrimary = config.role === "primary";
  const primary = isPrimary ? undefined : primaryOf(ctx);
  const parts = composition(config);
  // dr in standby is a replica; `mode: active` drops the source, which promotes it in place.
  const isReplica = parts.database === "replica";
  const restoredDatabase = parts.database === "restored" && config.restore.database;
  const physicalName = databaseNameFor(config.project, config.stackName);
  const network = {
    vpcId: ctx.network.vpcId,
    vpcCidr: ctx.network.cidrBlock,
    subnetIds: ctx.network.privateSubnetIds,
  };

  // Generations (stacks/generation.ts): going back to being a replica is a NEW instance; earlier
  // generations stay declared as they were (promoted, standalone) until an operator retires them.
  const gen = config.generation;
  const databaseGenerations =
    parts.database === "absent"
      ? []
      : storeGenerations("database", physicalName, gen.database, gen.retiredDatabases);
  const databases = databaseGenerations.map((g) => {
    // The current generation replicates: dr in standby from the primary instance, primary during a
    // failback's re-seed from dr's promoted instance. Every other generation is a source.
    const source = !g.current
      ? undefined
      : isPrimary
        ? gen.reseedSourceArn
        : isReplica
          ? primary?.require("database.instanceArn")
          : undefined;
    return new Database(g.name, {
      identifier: g.identifier,
      instanceClass: config.database.instanceClass,
      engineVersion: config.database.engineVersion,
      allocatedStorageGb: config.database.allocatedStorageGb,
      backupRetentionDays: config.database.backupRetentionDays,
      kmsKeyArn: ctx.keys.arns.data,
      ...network,
      // Only primary's first instance was created as a source; every other one began as a replica
      // (or, in a backup-restore dr stack, as a restore of its copy).
      createdAsReplica: !restoredDatabase && (!isPrimary || g.generation > 0),
      // The copy in the primary's backup copy vault in this Region; the component re-copies it
      // under this stack's data key before restoring (a restored instance keeps its snapshot's key).
      ...(restoredDatabase && g.current ? { restoreFrom: { snapshotArn: restoredDatabase } } : {}),
      replicateSourceArn: source,
      // A read replica's backups are its source's (already replicated into this Region); once
      // promoted, the instance replicates its own backups to the peer Region.
      backupReplication: source
        ? undefined
        : {
            region: config.peerRegion,
            kmsKeyArn: ctx.keys.peerArns.data,
            retentionDays: config.database.backupRetentionDays,
          },
      stateful: ctx.stateful,
      tags: ctx.tags,
    });
  });
  const database = databases.at(-1);
  const databaseIsReplica = isPrimary ? gen.reseedSourceArn !== undefined : isReplica;

  const cacheArgs = (identifier: string, generation: number) => ({
    replicationGroupId: identifier,
    nodeType: config.cache.nodeType,
    engineVersion: config.cache.engineVersion,
    replicasPerNodeGroup: config.cache.replicasPerNodeGroup,
    kmsKeyArn: ctx.keys.arns.data,
    ...network,
    globalDatastore:
      parts.cache === "restored"
        ? { role: "none" as const }
        : primary
          ? {
              role: "secondary" as const,
              globalReplicationGroupId: primary.require("cache.globalReplicationGroupId"),
            }
          : { role: "primary" as const, idSuffix: config.project },
    ...(parts.cache === "restored" && config.restore.cache
      ? { seedSnapshotArns: [config.restore.cache] }
      : {}),
    // IAM-authenticated users need id = name, so one app user per Region: generation 0 owns it.
    ...(generation > 0 ? { existingAppUserId: APP_USER_NAME } : {}),
    snapshotBucketName: args.cacheSnapshotBucket.bucketName,
    stateful: ctx.stateful,
    tags: ctx.tags,
  });
  // Only dr members have generations: a new primary member would replace the Global Datastore.
  const caches = (
    parts.cache === "absent" ? [] : storeGenerations("cache", physicalName, gen.cache, gen.retiredCaches)
  ).map((g) => new Cache(g.name, cacheArgs(g.identifier, g.generation)));
  const cache = caches.at(-1);

  // The Global Datastore is the primary member's copy in the peer Region, declared by the dr stack;
  // this export is the copy the primary stack declares itself (principle 3). dr exports too, in both
  // modes: after a failover its group is the one taking writes, and activation then creates nothing.
  const cacheSnapshotExport =
    cache &&
    new CacheSnapshotExport("cache-snapshot-export", {
      region: config.region,
      accountId: ctx.accountId,
      replicationGroupId: cache.replicationGroupId,
      bucketName: args.cacheSnapshotBucket.bucketName,
      bucketArn: args.cacheSnapshotBucket.bucketArn,
      cacheKeyArn: ctx.keys.arns.data,
      messagingKeyArn: ctx.keys.arns.messaging,
      intervalMinutes: exportIntervalMinutes(config.targets.rpoSeconds),
      tags: ctx.tags,
    });

  const search =
    parts.search !== "absent" &&
    new Search("search", {
      domainName: physicalName,
      engineVersion: config.search.engineVersion,
      instanceType: config.search.instanceType,
      instanceCount: config.search.instanceCount,
      volumeSizeGb: config.search.volumeSizeGb,
      kmsKeyArn: ctx.keys.arns.data,
      region: config.region,
      accountId: ctx.accountId,
      ...network,
      // Both domains snapshot to their own Region's bucket, which replicates to the peer Region.
      snapshotBucket: args.searchSnapshotBucket,
      snapshotRetentionDays: config.backup.retentionDays,
      // Fixed names: each stack maps the other's admin to cross-cluster replication's leader role.
      adminRoleName: searchAdminRoleName(config.project, config.region),
      peerAdminRoleName: searchAdminRoleName(config.project, config.peerRegion),
      logKeyArn: ctx.keys.arns.messaging,
      // A restored domain is standalone: it follows no leader.
      leader:
        primary && parts.search === "replica"
          ? {
              domainName: primary.require("search.domainName"),
              region: config.peerRegion,
              ownerId: ctx.accountId,
              connectionAlias: SEARCH_LEADER_ALIAS,
            }
          : undefined,
      stateful: ctx.stateful,
      tags: ctx.tags,
    });

  // A store not declared publishes the names its restore will take, so the controller and the
  // runner's permissions know them before it exists (stacks/strategy.ts).
  const planned = (store: "database" | "cache", current: number, retired: number[]) =>
    storeGenerations(store, physicalName, current, retired).at(-1)!.identifier;
  const plannedDatabase = planned("database", gen.database, gen.retiredDatabases);
  const plannedCache = planned("cache", gen.cache, gen.retiredCaches);
  return {
    outputs: {
      database: {
        instanceIdentifier: database?.instanceIdentifier ?? plannedDatabase,
        instanceArn:
          database?.instanceArn ??
          pulumi.interpolate`arn:aws:rds:${config.region}:${ctx.accountId}:db:${plannedDatabase}`,
        ...(database ? { endpoint: database.endpoint } : {}),
        isReplica: databaseIsReplica,
        generation: gen.database,
        presence: parts.database,
      },
      cache: {
        replicationGroupId: cache?.replicationGroupId ?? plannedCache,
        globalReplicationGroupId: cache?.globalReplicationGroupId ?? "",
        isPrimaryMember: isPrimary,
        generation: gen.cache,
        presence: parts.cache,
      },
      search: {
        domainName: search ? search.domainName : physicalName,
        domainArn: search
          ? search.domainArn
          : pulumi.interpolate`arn:aws:es:${config.region}:${ctx.accountId}:domain/${physicalName}`,
        ...(search ? { endpoint: search.endpoint } : {}),
        ...(search && search.followRule
          ? { connectionAlias: search.followRule.leaderAlias, followRuleName: search.followRule.ruleName }
          : {}),
        presence: parts.search,
      },
      ...(cacheSnapshotExport
        ? {
            cacheSnapshotExport: {
              functionName: cacheSnapshotExport.functionName,
              errorAlarmName: cacheSnapshotExport.errorAlarmName,
              alarmTopicArn: cacheSnapshotExport.alarmTopicArn,
              intervalMinutes: cacheSnapshotExport.intervalMinutes,
            },
          }
        : {}),
    },
    workload: workloadStores(database, cache),
    // Both modes, so failover does not change the selection: a standby replica is backed up to the
    // peer vault too (principle 4; RDS snapshots PostgreSQL read replicas, see docs/databases.md).
    backupResourceArns: databases.map((d) => d.instanceArn),
  };
}

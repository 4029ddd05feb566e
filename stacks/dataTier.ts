/**
 * The data tier of a stack: object stores, the warehouse, the failover state table, the
 * databases (stacks/databases.ts) and the AWS Backup plan that covers every store AWS Backup
 * supports. Both roles run this code; the dr stack only reads the failover state table, which the
 * primary declares as a global table with a replica in the dr Region.
 */
import * as pulumi from "@pulumi/pulumi";
import { Backup } from "../components/data/backup";
import {
  CACHE_SNAPSHOTS_SSE_S3_REASON,
  elastiCacheExportStatement,
  elastiCacheSeedStatement,
} from "../components/data/cache/cacheSnapshotExport";
import { FailoverState, failoverStateReplica } from "../components/failover/failoverState";
import { ObjectStore } from "../components/data/objectStore";
import { clusterIdentifierFor, Warehouse } from "../components/data/warehouse";
import { StackContext } from "./context";
import { composeDatabases, Databases } from "./databases";
import { composition } from "./strategy";

/** What each object store holds; the keys of `objects.buckets` and `objects.replicaBuckets`. */
export const OBJECT_STORE_ROLES = ["app", "landing", "searchSnapshots"] as const;
export type ObjectStoreRole = (typeof OBJECT_STORE_ROLES)[number];

/** Logical names are a contract (a renamed bucket is a new, empty bucket): never change these. */
export const OBJECT_STORE_NAMES: Readonly<Record<ObjectStoreRole, string>> = {
  app: "objects-app",
  landing: "objects-landing",
  searchSnapshots: "objects-search-snapshots",
};

/**
 * The bucket ElastiCache exports the cache's snapshots into (published as `objects.buckets.cacheSnapshots`).
 * Not one of OBJECT_STORE_ROLES: it is SSE-S3 (export and restore support nothing else), and AWS
 * Backup does not select it (it already is a copy, replicated to the peer Region).
 */
export const CACHE_SNAPSHOT_STORE_NAME = "objects-cache-snapshots";

/** The Redshift cluster as the ingest consumer needs it. */
export interface WarehouseHandle {
  readonly clusterIdentifier: pulumi.Output<string>;
  readonly clusterArn: pulumi.Output<string>;
  readonly databaseName: pulumi.Output<string>;
}

export interface DataTier {
  /** Stack outputs, shaped as stacks/outputs.ts. */
  readonly outputs: {
    readonly objects: {
      readonly buckets: Record<ObjectStoreRole | "cacheSnapshots", pulumi.Output<string>>;
      readonly replicaBuckets: Record<ObjectStoreRole | "cacheSnapshots", pulumi.Output<string>>;
    };
    readonly warehouse: WarehouseHandle;
    readonly failoverState: {
      readonly tableName: pulumi.Output<string>;
      readonly tableArn: pulumi.Output<string>;
    };
    readonly database: Databases["outputs"]["database"];
    readonly cache: Databases["outputs"]["cache"];
    readonly search: Databases["outputs"]["search"];
    /** The bucket names always; the exporter's fields only while a cache exists. */
    readonly cacheSnapshotExport: Partial<NonNullable<Databases["outputs"]["cacheSnapshotExport"]>> & {
      readonly bucketName: pulumi.Output<string>;
      readonly replicaBucketName: pulumi.Output<string>;
    };
  };
  readonly objectStores: Readonly<Record<ObjectStoreRole, ObjectStore>>;
  readonly cacheSnapshots: ObjectStore;
  /** The ingest landing area (bucket, replica and the keys that encrypt them). */
  readonly landing: ObjectStore;
  /** What the payments workload connects to (stacks/databases.ts). */
  readonly workload: Databases["workload"];
  readonly warehouse: WarehouseHandle;
  /** Whether the Redshift cluster is declared (stacks/strategy.ts); the ingest pipeline follows it. */
  readonly warehousePresent: boolean;
  readonly backup: Backup;
  /** Every ARN the backup selection covers. */
  readonly backupResourceArns: pulumi.Output<string>[];
}

export function composeDataTier(ctx: StackContext): DataTier {
  const { config, keys } = ctx;
  const protect = config.protectStatefulResources;
  const baseName = `${config.project}-${config.stackName}`;

  const objectStores = {} as Record<ObjectStoreRole, ObjectStore>;
  for (const role of OBJECT_STORE_ROLES) {
    objectStores[role] = new ObjectStore(OBJECT_STORE_NAMES[role], {
      region: config.region,
      peerRegion: config.peerRegion,
      keyArn: keys.arns.objects,
      replicaKeyArn: keys.peerArns.objects,
      protect,
      tags: ctx.tags,
    });
  }

  const clusterIdentifier = clusterIdentifierFor(config.project, config.stackName);
  const warehousePresent = composition(config).warehouse === "present";
  const cluster =
    warehousePresent &&
    new Warehouse("warehouse", {
      region: config.region,
      peerRegion: config.peerRegion,
      clusterIdentifier,
      databaseName: config.warehouse.databaseName,
      nodeType: config.warehouse.nodeType,
      nodeCount: config.warehouse.nodeCount,
      keyArn: keys.arns.data,
      peerKeyArn: keys.peerArns.data,
      // The messaging key's policy admits CloudWatch Logs; the data key's does not.
      logKeyArn: keys.arns.messaging,
      vpcId: ctx.network.vpcId,
      clientCidrBlocks: [ctx.network.cidrBlock],
      subnetIds: ctx.network.privateSubnetIds,
      snapshotCopyRetentionDays: config.warehouse.snapshotCopyRetentionDays,
      protect,
      tags: ctx.tags,
    });
  // Not declared (backup-restore standby): the names it will have once created.
  const warehouse: WarehouseHandle = cluster
    ? {
        clusterIdentifier: cluster.clusterIdentifier,
        clusterArn: cluster.clusterArn,
        databaseName: cluster.databaseName,
      }
    : {
        clusterIdentifier: pulumi.output(clusterIdentifier),
        clusterArn: pulumi.interpolate`arn:aws:redshift:${config.region}:${ctx.accountId}:cluster:${clusterIdentifier}`,
        databaseName: pulumi.output(config.warehouse.databaseName),
      };

  let failoverState: { tableName: pulumi.Output<string>; tableArn: pulumi.Output<string> };
  if (config.role === "primary") {
    failoverState = new FailoverState("failover-state", {
      tableName: `${baseName}-failover-state`,
      region: config.region,
      peerRegion: config.peerRegion,
      keyArn: keys.arns.data,
      replicaKeyArn: keys.peerArns.data,
      protect,
      tags: ctx.tags,
    });
  } else {
    if (!ctx.primary)
      throw new Error("The dr stack needs payments-dr:primaryStack to read the failover state.");
    failoverState = failoverStateReplica({
      tableName: ctx.primary.require("failoverState.tableName"),
      region: config.region,
      accountId: ctx.accountId,
    });
  }

  const cacheSnapshots = new ObjectStore(CACHE_SNAPSHOT_STORE_NAME, {
    region: config.region,
    peerRegion: config.peerRegion,
    sseS3Reason: CACHE_SNAPSHOTS_SSE_S3_REASON,
    replicaKeyArn: keys.peerArns.objects,
    policyStatements: (arn) => [elastiCacheExportStatement(arn, config.region)],
    // The peer's backup-restore failover seeds its cache from the replica (docs/strategies.md).
    replicaPolicyStatements: (arn) => [elastiCacheSeedStatement(arn, config.peerRegion)],
    // Exports are kept as long as backups; versioning keeps an expired or deleted one 90 more days.
    currentVersionExpirationDays: config.backup.retentionDays,
    protect,
    tags: ctx.tags,
  });

  const databases = composeDatabases(ctx, {
    searchSnapshotBucket: {
      bucketName: objectStores.searchSnapshots.bucketName,
      bucketArn: objectStores.searchSnapshots.bucketArn,
      kmsKeyArn: objectStores.searchSnapshots.keyArn,
    },
    cacheSnapshotBucket: { bucketName: cacheSnapshots.bucketName, bucketArn: cacheSnapshots.bucketArn },
  });

  // Every store AWS Backup supports in this Region, by ARN. ElastiCache and OpenSearch are not
  // supported (their copies are the Global Datastore and the snapshot repository bucket); the
  // replica buckets live in the peer Region and are themselves the cross-Region copy. The
  // databases get their own selection: AWS Backup replaces a selection whose list changes, so a
  // change there (e.g. with `mode`) never touches the stores selection.
  // Redshift has its own daily plan: AWS Backup takes Redshift manual snapshots, which count
  // against a per-Region quota that hourly recovery points would exhaust.
  const storeArns = [
    ...OBJECT_STORE_ROLES.map((role) => objectStores[role].bucketArn),
    failoverState.tableArn,
  ];
  const warehouseArns = cluster ? [warehouse.clusterArn] : [];
  const backupResourceArns = [
    ...OBJECT_STORE_ROLES.map((role) => objectStores[role].bucketArn),
    ...warehouseArns,
    failoverState.tableArn,
    ...databases.backupResourceArns,
  ];
  const backup = new Backup("backup", {
    region: config.region,
    peerRegion: config.peerRegion,
    keyArn: keys.arns.backup,
    peerKeyArn: keys.peerArns.backup,
    vaultName: baseName,
    retentionDays: config.backup.retentionDays,
    vaultLock: {
      minRetentionDays: config.backup.vaultLockMinRetentionDays,
      maxRetentionDays: config.backup.vaultLockMaxRetentionDays,
      changeableForDays: config.backup.vaultLockChangeableForDays,
    },
    rpoSeconds: config.targets.rpoSeconds,
    selections: { stores: storeArns, databases: databases.backupResourceArns },
    warehouseArns,
    protect,
    tags: ctx.tags,
  });

  const byRole = (pick: (store: ObjectStore) => pulumi.Output<string>) => ({
    ...(Object.fromEntries(OBJECT_STORE_ROLES.map((role) => [role, pick(objectStores[role])])) as Record<
      ObjectStoreRole,
      pulumi.Output<string>
    >),
    cacheSnapshots: pick(cacheSnapshots),
  });

  return {
    outputs: {
      objects: { buckets: byRole((s) => s.bucketName), replicaBuckets: byRole((s) => s.replicaBucketName) },
      warehouse,
      failoverState: { tableName: failoverState.tableName, tableArn: failoverState.tableArn },
      database: databases.outputs.database,
      cache: databases.outputs.cache,
      search: databases.outputs.search,
      cacheSnapshotExport: {
        ...databases.outputs.cacheSnapshotExport,
        bucketName: cacheSnapshots.bucketName,
        replicaBucketName: cacheSnapshots.replicaBucketName,
      },
    },
    objectStores,
    cacheSnapshots,
    landing: objectStores.landing,
    workload: databases.workload,
    warehouse,
    warehousePresent: Boolean(cluster),
    backup,
    backupResourceArns,
  };
}

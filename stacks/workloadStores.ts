/**
 * What the payments workload connects to in its own Region, and what its identity is scoped to:
 * the current generation's database and cache (not a stack output).
 */
import * as pulumi from "@pulumi/pulumi";
import { Cache } from "../components/data/cache/cache";
import { Database, DEFAULT_DATABASE_NAME } from "../components/data/database";

export interface WorkloadStores {
  /** `db-...`: the `rds-db:connect` ARN names it, not the instance identifier. */
  readonly databaseResourceId: pulumi.Output<string>;
  readonly databaseAddress: pulumi.Output<string>;
  readonly databasePort: pulumi.Output<number>;
  /** The database the primary created (a replica inherits it). */
  readonly databaseName: string;
  readonly cacheReplicationGroupId: pulumi.Output<string>;
  readonly cachePrimaryEndpoint: pulumi.Output<string>;
  /** The IAM-authenticated RBAC user (user id = user name). */
  readonly cacheUserId: pulumi.Output<string>;
}

/** Undefined without either store (a backup-restore standby): nothing for the workload to reach yet. */
export function workloadStores(database?: Database, cache?: Cache): WorkloadStores | undefined {
  if (!database || !cache) return undefined;
  return {
    databaseResourceId: database.instance.resourceId,
    databaseAddress: database.instance.address,
    databasePort: database.instance.port,
    databaseName: DEFAULT_DATABASE_NAME,
    cacheReplicationGroupId: cache.replicationGroupId,
    cachePrimaryEndpoint: cache.primaryEndpoint,
    cacheUserId: cache.appUserId,
  };
}

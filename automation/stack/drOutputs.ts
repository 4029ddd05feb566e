/**
 * The part of the dr stack's outputs (stacks/outputs.ts) the controller depends on, read by path so
 * a missing one is named exactly in the preflight line.
 */

export interface DrView {
  readonly mode: string;
  readonly region: string;
  readonly primary: {
    readonly region: string;
    readonly controlHealthCheckId: string;
    readonly endpointUrl: string;
    readonly cacheReplicationGroupId: string;
    readonly databaseInstanceIdentifier: string;
    /** The primary's AWS Backup copy vault in the dr Region (backup-restore restores from it). */
    readonly copyVaultArn: string;
    /** The replica, in the dr Region, of the primary's exported cache snapshots (backup-restore). */
    readonly cacheSnapshotReplicaBucketName: string;
  };
  readonly failoverStateTableName: string;
  readonly cache: { readonly globalReplicationGroupId: string; readonly replicationGroupId: string };
  readonly search: {
    readonly domainName: string;
    readonly endpoint: string;
    readonly followRuleName: string;
    readonly connectionAlias: string;
  };
  readonly database: { readonly instanceIdentifier: string };
  readonly ingressEndpointUrl: string;
}

/** Output paths the controller cannot work without. */
export const REQUIRED_OUTPUTS = [
  "mode",
  "region",
  "primary.region",
  "primary.controlHealthCheckId",
  "primary.endpointUrl",
  "primary.cacheReplicationGroupId",
  "primary.databaseInstanceIdentifier",
  "failoverState.tableName",
  "cache.globalReplicationGroupId",
  "cache.replicationGroupId",
  "search.domainName",
  "search.endpoint",
  "search.followRuleName",
  "search.connectionAlias",
  "database.instanceIdentifier",
  "ingress.endpointUrl",
] as const;

export function outputAt(outputs: Record<string, unknown>, path: string): unknown {
  let current: unknown = outputs;
  for (const part of path.split(".")) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/**
 * What a backup-restore stack needs instead: it has no replica to promote (no Global Datastore, no
 * follower domain), but the copies it restores from and the instance its restore will create.
 */
export const RESTORE_REQUIRED_OUTPUTS = [
  "mode",
  "region",
  "primary.region",
  "primary.controlHealthCheckId",
  "primary.endpointUrl",
  "primary.cacheReplicationGroupId",
  "primary.copyVaultArn",
  "primary.cacheSnapshotReplicaBucketName",
  "failoverState.tableName",
  "database.instanceIdentifier",
  "ingress.endpointUrl",
] as const;

export function missingOutputs(outputs: Record<string, unknown>, strategy?: string): string[] {
  const required: readonly string[] =
    strategy === "backup-restore" ? RESTORE_REQUIRED_OUTPUTS : REQUIRED_OUTPUTS;
  return required.filter((path) => {
    const value = outputAt(outputs, path);
    return value === undefined || value === null || value === "";
  });
}

/** The typed view; call after `missingOutputs` returned nothing. */
export function drView(outputs: Record<string, unknown>): DrView {
  const str = (path: string) => String(outputAt(outputs, path) ?? "");
  return {
    mode: str("mode"),
    region: str("region"),
    primary: {
      region: str("primary.region"),
      controlHealthCheckId: str("primary.controlHealthCheckId"),
      endpointUrl: str("primary.endpointUrl"),
      cacheReplicationGroupId: str("primary.cacheReplicationGroupId"),
      databaseInstanceIdentifier: str("primary.databaseInstanceIdentifier"),
      copyVaultArn: str("primary.copyVaultArn"),
      cacheSnapshotReplicaBucketName: str("primary.cacheSnapshotReplicaBucketName"),
    },
    failoverStateTableName: str("failoverState.tableName"),
    cache: {
      globalReplicationGroupId: str("cache.globalReplicationGroupId"),
      replicationGroupId: str("cache.replicationGroupId"),
    },
    search: {
      domainName: str("search.domainName"),
      endpoint: str("search.endpoint"),
      followRuleName: str("search.followRuleName"),
      connectionAlias: str("search.connectionAlias"),
    },
    database: { instanceIdentifier: str("database.instanceIdentifier") },
    ingressEndpointUrl: str("ingress.endpointUrl"),
  };
}

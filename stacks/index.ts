/**
 * Composition of a stack. Both roles run the same code; what differs is config (DESIGN.md
 * principle 1). Each concern returns the outputs it publishes, nested under its own key.
 */
import * as pulumi from "@pulumi/pulumi";
import { checkModeTransition, checkStrategyTransition, ConfigError, StackConfig } from "./config";
import { createContext, PrimaryStack, selfStackName } from "./context";
import { composeCompute } from "./compute";
import { composeDataTier } from "./dataTier";
import { composeIngest } from "./ingest";
import { composeRegistry } from "./registry";
import { composeWorkloadIdentity } from "./workloadIdentity";
import { composeRestore, composeRestoreMarkers } from "./restore";
import { composeWorkload, referenceService } from "./workload";

export type StackOutputs = Record<string, pulumi.Input<unknown>>;

export function composeStack(config: StackConfig): StackOutputs {
  const ctx = createContext(config);
  const dataTier = composeDataTier(ctx);
  // A backup-restore standby has no warehouse, so no ingest pipeline, until its failover.
  const ingest = dataTier.warehousePresent
    ? composeIngest(ctx, { landing: dataTier.landing, warehouse: dataTier.warehouse })
    : undefined;
  const compute = composeCompute(ctx, {
    failoverStateTableName: dataTier.outputs.failoverState.tableName,
    databaseInstanceArn: dataTier.outputs.database.instanceArn,
    cacheReplicationGroupId: dataTier.outputs.cache.replicationGroupId,
  });
  // The cluster's state and persistent volumes (one composite recovery point), copied to the peer
  // Region like every other store. Its own selection: it changes with nothing else.
  dataTier.backup.select("cluster", [compute.eks.cluster.arn]);
  const registry = composeRegistry(ctx, { nodeRoleName: compute.eks.nodeRoleName }, config.workload.image);
  // The payments service works against its own Region's database, cache and topic; where the
  // strategy has none yet (backup-restore standby) it is not deployed, and neither is its identity.
  const stores =
    dataTier.workload && ingest
      ? { ...dataTier.workload, topicArn: ingest.outputs.ingest.topicArn }
      : undefined;
  const identity = stores
    ? composeWorkloadIdentity(ctx, {
        clusterName: compute.outputs.eks.clusterName,
        workload: stores,
        landing: dataTier.landing,
        topicArn: stores.topicArn,
      })
    : undefined;
  const workload = composeWorkload(ctx, compute, {
    image: registry.image.apply((image) => image.image),
    storesPresent: stores !== undefined,
    identity: identity?.identity,
    reference:
      stores && config.workload.image === undefined
        ? referenceService(ctx, stores, dataTier.landing, stores.topicArn)
        : undefined,
  });
  if (config.role === "primary") composeRestoreMarkers(ctx, dataTier);
  const operatorTopicArn = compute.outputs.failoverTrigger?.operatorTopicArn;
  return {
    role: config.role,
    mode: modeAfterTransitionCheck(config),
    region: config.region,
    peerRegion: config.peerRegion,
    keys: ctx.keys.arns,
    peerKeys: ctx.keys.peerArns,
    network: {
      vpcId: ctx.network.vpcId,
      cidrBlock: ctx.network.cidrBlock,
      privateSubnetIds: ctx.network.privateSubnetIds,
      publicSubnetIds: ctx.network.publicSubnetIds,
    },
    ...dataTier.outputs,
    strategy: config.strategy,
    // Where this stack's recovery points and their peer-Region copies are: the dr stack tests the copies.
    backup: { vaultArn: dataTier.backup.vaultArn, copyVaultArn: dataTier.backup.copyVaultArn },
    ...ingest?.outputs,
    ...compute.outputs,
    ...registry.outputs,
    ...identity?.outputs,
    ...workload.outputs,
    ...(operatorTopicArn ? composeRestore(ctx, { operatorTopicArn }) : {}),
    ...(ctx.primary ? { primary: primaryView(ctx.primary) } : {}),
  };
}

/**
 * The `mode` output, published only if moving from the last deployment's mode and strategy is safe
 * (stacks/config/modeTransition.ts).
 */
function modeAfterTransitionCheck(config: StackConfig): pulumi.Input<string> {
  if (config.role !== "dr") return config.mode;
  const previous = new pulumi.StackReference("previous-deployment", { name: selfStackName(config) });
  const last = pulumi.all([
    previous.getOutput("mode"),
    previous.getOutput("database"),
    previous.getOutput("strategy"),
  ]);
  return last.apply(([previousMode, previousDatabase, previousStrategy]: [unknown, unknown, unknown]) => {
    try {
      checkStrategyTransition(config, previousStrategy, previousMode);
      checkModeTransition(
        config,
        previousMode,
        (previousDatabase as { generation?: unknown } | undefined)?.generation,
      );
    } catch (error) {
      throw error instanceof ConfigError ? new pulumi.RunError(error.message) : error;
    }
    return config.mode;
  });
}

/**
 * What the failover controller needs of the primary Region, re-exported by the dr stack so the
 * controller reads one stack only and never touches primary (stacks/outputs.ts, PrimaryViewOutputs).
 * These are the primary's last outputs from the state backend: they stay readable while its Region
 * is down.
 */
function primaryView(primary: PrimaryStack): Record<string, pulumi.Output<unknown>> {
  return {
    region: primary.require("region"),
    controlHealthCheckId: primary.require("dns.controlHealthCheckId"),
    endpointUrl: primary.require("ingress.endpointUrl"),
    cacheReplicationGroupId: primary.require("cache.replicationGroupId"),
    databaseInstanceIdentifier: primary.require("database.instanceIdentifier"),
    // A backup-restore failover restores from these (automation/steps/restoreCopies.ts).
    copyVaultArn: primary.require("backup.copyVaultArn"),
    cacheSnapshotReplicaBucketName: primary.require("objects.replicaBuckets.cacheSnapshots"),
  };
}

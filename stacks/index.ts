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

export type StackOutputs = Record<string, pulumi.Input<unknown>>;

export function composeStack(config: StackConfig): StackOutputs {
  const ctx = createContext(config);
  const dataTier = composeDataTier(ctx);
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
    ...(dataTier.warehousePresent
      ? composeIngest(ctx, { landing: dataTier.landing, warehouse: dataTier.warehouse }).outputs
      : {}),
    ...composeCompute(ctx, {
      failoverStateTableName: dataTier.outputs.failoverState.tableName,
      databaseInstanceArn: dataTier.outputs.database.instanceArn,
      cacheReplicationGroupId: dataTier.outputs.cache.replicationGroupId,
    }).outputs,
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
  };
}

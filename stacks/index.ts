/**
 * Composition of a stack. Both roles run the same code; what differs is config (DESIGN.md
 * principle 1). Each concern returns the outputs it publishes, nested under its own key.
 */
import * as pulumi from "@pulumi/pulumi";
import { StackConfig } from "./config";
import { createContext } from "./context";
import { composeCompute } from "./compute";
import { composeDataTier } from "./dataTier";
import { composeIngest } from "./ingest";

export type StackOutputs = Record<string, pulumi.Input<unknown>>;

export function composeStack(config: StackConfig): StackOutputs {
  const ctx = createContext(config);
  const dataTier = composeDataTier(ctx);
  return {
    role: config.role,
    mode: config.mode,
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
    ...composeIngest(ctx, { landing: dataTier.landing, warehouse: dataTier.warehouse }).outputs,
    ...composeCompute(ctx, { failoverStateTableName: dataTier.outputs.failoverState.tableName }).outputs,
  };
}

/**
 * dr only: the primary stack's outputs are readable with this machine's Pulumi credentials and
 * hold every value the dr program requires (`ctx.primary.require(...)` in stacks/).
 */
import { Check, describeError, fail, pass } from "./types";

/** Reads a stack's outputs by its fully-qualified name (`org/project/stack`). */
export type StackOutputsReader = (stack: string) => Promise<Record<string, unknown>>;

/** The primary outputs the dr program requires: kept equal to stacks/ by test/tools/doctor. */
export const DR_REQUIRED_PRIMARY_OUTPUTS: readonly string[] = [
  "backup.copyVaultArn",
  "cache.globalReplicationGroupId",
  "cache.replicationGroupId",
  "database.instanceArn",
  "database.instanceIdentifier",
  "dns.controlHealthCheckId",
  "failoverState.tableArn",
  "failoverState.tableName",
  "ingest.topicArn",
  "ingress.endpointUrl",
  "ingress.loadBalancerDnsName",
  "keys.backup",
  "keys.cluster",
  "keys.data",
  "keys.messaging",
  "keys.objects",
  "objects.buckets.app",
  "objects.buckets.landing",
  "objects.buckets.searchSnapshots",
  "objects.replicaBuckets.cacheSnapshots",
  "objects.replicaBuckets.landing",
  "peerKeys.backup",
  "peerKeys.objects",
  "region",
  "search.domainName",
];

/** The value at a dotted path of stack outputs, or undefined. */
export function outputAt(outputs: Record<string, unknown>, path: string): unknown {
  return path
    .split(".")
    .reduce<unknown>(
      (node, key) => (node && typeof node === "object" ? (node as Record<string, unknown>)[key] : undefined),
      outputs,
    );
}

/** Reads outputs through the Automation API (`pulumi stack output`), as the failover controller does. */
export const automationOutputsReader: StackOutputsReader = async (stack) => {
  const { LocalWorkspace } = await import("@pulumi/pulumi/automation");
  const { PROJECT_DIR } = await import("../render/stackFiles");
  const workspace = await LocalWorkspace.create({ workDir: PROJECT_DIR });
  const outputs = await workspace.stackOutputs(stack);
  return Object.fromEntries(Object.entries(outputs).map(([key, output]) => [key, output.value]));
};

export function primaryOutputsCheck(read: StackOutputsReader): Check {
  return {
    id: "pulumi.primary-outputs",
    describe: (c) =>
      `${c.primaryStack}'s outputs are readable and hold the ${DR_REQUIRED_PRIMARY_OUTPUTS.length} values dr requires (Automation API)`,
    actions: [],
    async run(ctx) {
      const stack = ctx.config.primaryStack as string;
      let outputs: Record<string, unknown>;
      try {
        outputs = await read(stack);
      } catch (error) {
        return fail(
          `cannot read the outputs of ${stack}: ${describeError(error)}`,
          `pulumi login to the primary's backend, then pulumi stack output --stack ${stack}; or fix payments-dr:primaryStack`,
        );
      }
      const missing = DR_REQUIRED_PRIMARY_OUTPUTS.filter((path) => outputAt(outputs, path) === undefined);
      return missing.length === 0
        ? pass(`${stack} has all ${DR_REQUIRED_PRIMARY_OUTPUTS.length} outputs dr requires`)
        : fail(
            `${stack} lacks ${missing.join(", ")}`,
            `pulumi up --stack ${stack.split("/").pop()} (deploy primary first)`,
          );
    },
  };
}

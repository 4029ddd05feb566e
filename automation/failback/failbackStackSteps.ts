/**
 * The failback's stack updates. Each first reads the stack's config and outputs so a resumed step
 * picks up where the interrupted one stopped: a re-seed that already chose its generation keeps it
 * (never a second new instance), a config already removed is not removed again.
 */
import { PROJECT } from "../../stacks/config";
import { FailoverError } from "../errors";
import { StepContext } from "../run/runner";
import { outputAt } from "../stack/drOutputs";
import { FailbackStackOps } from "./failbackStacks";

const key = (name: string) => `${PROJECT}:${name}`;
const at = (outputs: Record<string, unknown>, path: string) => outputAt(outputs, path);

/** Forwards the CLI's output to the step's log, one line at a time. */
export function lineLogger(ctx: StepContext): (text: string) => void {
  let buffered = "";
  return (text) => {
    buffered += text;
    const lines = buffered.split("\n");
    buffered = lines.pop() ?? "";
    for (const line of lines) if (line.trim()) ctx.log(`│ ${line}`);
  };
}

/** Primary: a new database generation, a cross-Region read replica of `sourceArn` (dr's instance). */
export async function reseedPrimaryDatabase(
  stack: FailbackStackOps,
  sourceArn: string,
  ctx: StepContext,
): Promise<string> {
  let generation: number;
  if ((await stack.getConfig(key("generation.reseedSourceArn"), true)) === sourceArn) {
    // Set by an earlier attempt of this step: keep its generation, never create a second one.
    generation = Number((await stack.getConfig(key("generation.database"), true)) ?? 0);
  } else {
    generation = Number(at(await stack.outputs(), "database.generation") ?? 0) + 1;
    await stack.setConfig(key("generation.database"), String(generation), true);
    await stack.setConfig(key("generation.reseedSourceArn"), sourceArn, true);
  }
  ctx.signal.throwIfAborted();
  const summary = await stack.up(lineLogger(ctx), ctx.signal);
  const outputs = await stack.outputs();
  if (
    Number(at(outputs, "database.generation")) !== generation ||
    at(outputs, "database.isReplica") !== true
  ) {
    throw new FailoverError(
      `stack ${stack.name} outputs after the up: database.generation ${String(at(outputs, "database.generation"))}, ` +
        `isReplica ${String(at(outputs, "database.isReplica"))}; expected generation ${generation}, a replica`,
    );
  }
  return (
    `stack ${stack.name}: database generation ${generation} (${String(at(outputs, "database.instanceIdentifier"))}) ` +
    `is a read replica of ${sourceArn} (${summary || "no changes"})`
  );
}

/** Primary: drop the re-seed source, which promotes the replica in place. */
export async function promotePrimaryDatabase(stack: FailbackStackOps, ctx: StepContext): Promise<string> {
  if ((await stack.getConfig(key("generation.reseedSourceArn"), true)) !== undefined) {
    await stack.removeConfig(key("generation.reseedSourceArn"), true);
  }
  const summary = await stack.up(lineLogger(ctx), ctx.signal);
  const outputs = await stack.outputs();
  if (at(outputs, "database.isReplica") !== false) {
    throw new FailoverError(
      `stack ${stack.name}: database.isReplica is still ${String(at(outputs, "database.isReplica"))} after the up`,
    );
  }
  return `stack ${stack.name}: ${String(at(outputs, "database.instanceIdentifier"))} promoted (${summary || "no changes"})`;
}

/**
 * dr: standby again with a NEW database generation (and a new cache member when `cacheDetached`);
 * the promoted instance stays declared as it is. `confirmReturnToStandby` is set for this up only.
 */
export async function returnToStandby(
  stack: FailbackStackOps,
  cacheDetached: () => Promise<boolean>,
  ctx: StepContext,
): Promise<string> {
  const outputs = await stack.outputs();
  if (at(outputs, "mode") === "standby") return `stack ${stack.name} already in standby`;
  const promoted = Number(at(outputs, "database.generation") ?? 0);
  const configured = Number((await stack.getConfig(key("generation.database"), true)) ?? 0);
  const generation = Math.max(configured, promoted + 1);
  await stack.setConfig(key("mode"), "standby");
  await stack.setConfig(key("confirmReturnToStandby"), "true");
  await stack.setConfig(key("generation.database"), String(generation), true);
  let cache = "";
  if (await cacheDetached()) {
    const cacheGeneration = Math.max(
      Number((await stack.getConfig(key("generation.cache"), true)) ?? 0),
      Number(at(outputs, "cache.generation") ?? 0) + 1,
    );
    await stack.setConfig(key("generation.cache"), String(cacheGeneration), true);
    cache = `, a new Global Datastore member (cache generation ${cacheGeneration}) next to the detached one`;
  }
  ctx.signal.throwIfAborted();
  const summary = await stack.up(lineLogger(ctx), ctx.signal);
  // Only for this transition: a later routine up must not pass the guard again.
  await stack.removeConfig(key("confirmReturnToStandby"));
  return (
    `stack ${stack.name}: standby with database generation ${generation} replicating the primary${cache}; ` +
    `${String(at(outputs, "database.instanceIdentifier"))} kept as it is (${summary || "no changes"})`
  );
}

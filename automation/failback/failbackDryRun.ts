/**
 * The failback's offline dry run: each stack update the failback makes, rendered under the mock
 * runtime (tools/render) before and after, with the resource diff and the data-store verdict of the
 * failover's dry run (automation/dry-run). No AWS, no Pulumi CLI.
 *
 * Stages, in the order the failback applies them (automation/failback/plan.ts):
 *   1. primary re-seed: a new database generation, a read replica of dr's promoted instance;
 *   2. primary promotion: that replica promoted in place (the switchover);
 *   3. dr back to standby: a new read replica of the promoted primary; the instance dr promoted
 *      is kept as it is, and, when an ungraceful failover detached the dr cache, a new Global
 *      Datastore member is created next to the detached one.
 * Every stage must create or update only: a data store replaced or deleted fails the dry run.
 */
import { PROJECT } from "../../stacks/config";
import { RenderedStack, renderStack } from "../../tools/render/render";
import { readProject, readStackConfig, applyOverrides } from "../../tools/render/stackFiles";
import { referencedStack } from "../../tools/render/project";
import { dataStoreViolations, diffRenderings } from "../dry-run/dryRun";
import { RenderingDiff } from "../dry-run/renderingDiff";
import { outputAt } from "../stack/drOutputs";
import { FAILBACK_PLAN, FailbackStepPlan } from "./plan";

export interface FailbackStage {
  readonly id: "primary-reseed" | "primary-promote" | "dr-standby" | "dr-standby-cache-detached";
  /** The stack the stage updates (short name). */
  readonly stack: string;
  readonly title: string;
  /** The `pulumi config` changes the controller makes before the stage's `up`. */
  readonly config: readonly string[];
  readonly diff: RenderingDiff;
  readonly dataStoreViolations: readonly string[];
}

export interface FailbackDryRun {
  readonly steps: readonly FailbackStepPlan[];
  readonly stages: readonly FailbackStage[];
}

/** The controller's config changes, as `key=value` overrides (dotted keys are `--path` sets). */
export const primaryReseedConfig = (generation: number, sourceArn: string) => [
  `${PROJECT}:generation.database=${generation}`,
  `${PROJECT}:generation.reseedSourceArn=${sourceArn}`,
];
export const drStandbyConfig = (generation: number, cacheGeneration?: number) => [
  `${PROJECT}:mode=standby`,
  `${PROJECT}:confirmReturnToStandby=true`,
  `${PROJECT}:generation.database=${generation}`,
  ...(cacheGeneration !== undefined ? [`${PROJECT}:generation.cache=${cacheGeneration}`] : []),
];

/** Renders the failback's updates of `drStack` and its primary from their stack files. */
export async function failbackDryRun(
  drStack: string,
  onStack?: (label: string) => void,
): Promise<FailbackDryRun> {
  const project = readProject().name;
  const drBase = readStackConfig(drStack);
  const primaryRef = String(drBase[`${PROJECT}:primaryStack`] ?? "");
  const primaryStack = referencedStack(primaryRef);
  const primaryBase = readStackConfig(primaryStack);
  const render = (stack: string, overrides: readonly string[], primary?: RenderedStack, label?: string) => {
    onStack?.(label ?? stack);
    const base = stack === primaryStack ? primaryBase : drBase;
    return renderStack({
      project,
      stack,
      config: applyOverrides(base, overrides, project),
      ...(primary ? { stackReferences: { [primaryRef]: primary.outputs } } : {}),
    });
  };
  const generationOf = (stack: RenderedStack) => Number(outputAt(stack.outputs, "database.generation") ?? 0);

  // Where the failback starts: dr failed over (active), primary as its stack file declares it.
  const primaryBefore = await render(primaryStack, [], undefined, `${primaryStack} (before)`);
  const drActive = await render(drStack, [`${PROJECT}:mode=active`], primaryBefore, `${drStack} (active)`);
  const next = generationOf(primaryBefore) + 1;
  const drArn = String(outputAt(drActive.outputs, "database.instanceArn"));
  const reseed = primaryReseedConfig(next, drArn);
  const primaryReseeded = await render(primaryStack, reseed, undefined, `${primaryStack} (re-seeded)`);
  const promote = [`${PROJECT}:generation.database=${next}`];
  const primaryPromoted = await render(primaryStack, promote, undefined, `${primaryStack} (promoted)`);
  const drNext = generationOf(drActive) + 1;
  const cacheNext = Number(outputAt(drActive.outputs, "cache.generation") ?? 0) + 1;
  const standby = drStandbyConfig(drNext);
  const standbyDetached = drStandbyConfig(drNext, cacheNext);
  const drStandby = await render(drStack, standby, primaryPromoted, `${drStack} (standby)`);
  const drStandbyDetached = await render(
    drStack,
    standbyDetached,
    primaryPromoted,
    `${drStack} (standby, new cache member)`,
  );

  const stage = (
    id: FailbackStage["id"],
    stack: string,
    title: string,
    config: readonly string[],
    before: RenderedStack,
    after: RenderedStack,
  ): FailbackStage => {
    const diff = diffRenderings(before, after);
    return { id, stack, title, config, diff, dataStoreViolations: dataStoreViolations(diff) };
  };
  return {
    steps: FAILBACK_PLAN,
    stages: [
      stage(
        "primary-reseed",
        primaryStack,
        "re-seed: a new database generation replicating dr's promoted instance",
        reseed,
        primaryBefore,
        primaryReseeded,
      ),
      stage(
        "primary-promote",
        primaryStack,
        "switchover: the re-seeded replica promoted in place",
        [`${PROJECT}:generation.reseedSourceArn (removed)`],
        primaryReseeded,
        primaryPromoted,
      ),
      stage(
        "dr-standby",
        drStack,
        "dr back to standby: a new read replica; the promoted instance is kept",
        standby,
        drActive,
        drStandby,
      ),
      stage(
        "dr-standby-cache-detached",
        drStack,
        "the same after an ungraceful failover detached the dr cache: a new Global Datastore member too",
        standbyDetached,
        drActive,
        drStandbyDetached,
      ),
    ],
  };
}

export function failbackDryRunJson(result: FailbackDryRun): Record<string, unknown> {
  return {
    steps: result.steps,
    stages: result.stages,
    dataStoresSafe: result.stages.every((s) => s.dataStoreViolations.length === 0),
  };
}

export function formatFailbackDryRun(result: FailbackDryRun): string {
  const lines = ["Failback dry run (offline: mock runtime, no AWS, no Pulumi CLI)", "", "Steps:"];
  result.steps.forEach((step, i) => {
    const after = step.dependsOn.length ? ` (after ${step.dependsOn.join(", ")})` : "";
    lines.push(`  ${i + 1}. ${step.id}: ${step.title}${after}`);
  });
  for (const s of result.stages) {
    const { updated, replaced, deleted, created } = s.diff;
    lines.push(
      "",
      `Stack ${s.stack} — ${s.id}: ${s.title}`,
      `  config: ${s.config.join(", ")}`,
      `  ${created.length} created, ${updated.length} updated in place, ${replaced.length} replaced, ${deleted.length} deleted`,
    );
    for (const r of created) lines.push(`  + ${r.urn}`);
    for (const r of updated) lines.push(`  ~ ${r.urn}\n      ${r.paths.join(", ")}`);
    for (const r of replaced) lines.push(`  +- ${r.urn}\n      ${r.reason}`);
    for (const r of deleted) lines.push(`  - ${r.urn}`);
    lines.push(
      s.dataStoreViolations.length === 0
        ? "  No data store is replaced or deleted."
        : `  FAIL: data would be lost:\n${s.dataStoreViolations.map((v) => `    ${v}`).join("\n")}`,
    );
  }
  return `${lines.join("\n")}\n`;
}

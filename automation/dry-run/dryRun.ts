/**
 * The offline dry run: the ordered steps, the config change the controller would make, and the
 * resource diff between the dr stack rendered in standby and in active mode under the mock runtime
 * (tools/render). No AWS, no Pulumi CLI. A data store that would be replaced or deleted fails the
 * dry run (DESIGN.md principle 5: failover replaces nothing).
 */
import { isDeepStrictEqual } from "util";
import { PROJECT } from "../../stacks/config";
import { renderProject } from "../../tools/render/project";
import { RenderedResource, RenderedStack } from "../../tools/render/render";
import { RenderingDiff } from "./renderingDiff";

export type { ChangedResource, RenderingDiff, ReplacedResource, ResourceRef } from "./renderingDiff";
import { formatStackUpdatePlan, planStackUpdate, StackUpdatePlan } from "./dryRunStackUpdate";
import { DATA_STORE_TYPES, pathMatches, REPLACE_ON_CHANGE } from "../stack/replaceRules";
import { FAILOVER_PLAN, isCritical, StepPlan } from "../steps/steps";

export const ACTIVE_OVERRIDE = `${PROJECT}:mode=active`;

export interface DryRunResult {
  readonly stack: string;
  readonly steps: readonly StepPlan[];
  readonly configChanges: Record<string, { readonly from: unknown; readonly to: unknown }>;
  readonly diff: RenderingDiff;
  /** Which changes stack-activate applies in-Region and which wait for stack-reconcile. */
  readonly stackUpdate: StackUpdatePlan;
  /** Empty when no data store is replaced or deleted; otherwise why the dry run fails. */
  readonly dataStoreViolations: string[];
}

/** Leaf paths where two input trees differ. */
export function changedPaths(a: unknown, b: unknown, prefix = ""): string[] {
  if (isDeepStrictEqual(a, b)) return [];
  const bothObjects =
    a && b && typeof a === "object" && typeof b === "object" && Array.isArray(a) === Array.isArray(b);
  if (!bothObjects) return [prefix || "(root)"];
  const keys = [...new Set([...Object.keys(a as object), ...Object.keys(b as object)])].sort();
  return keys.flatMap((key) =>
    changedPaths(
      (a as Record<string, unknown>)[key],
      (b as Record<string, unknown>)[key],
      prefix ? `${prefix}.${key}` : key,
    ),
  );
}

function replaceReason(
  before: RenderedResource,
  after: RenderedResource,
  paths: string[],
): string | undefined {
  if (before.provider !== after.provider)
    return `its provider changes (${before.provider} -> ${after.provider})`;
  const rules = REPLACE_ON_CHANGE[after.type] ?? [];
  const forced = paths.filter((p) => rules.some((rule) => pathMatches(p, rule)));
  if (forced.length) return `replace-only input(s) change in the provider schema: ${forced.join(", ")}`;
  const optioned = paths.filter((p) => after.replaceOnChanges.some((rule) => pathMatches(p, rule)));
  if (optioned.length) return `the replaceOnChanges option covers: ${optioned.join(", ")}`;
  return undefined;
}

export function diffRenderings(standby: RenderedStack, active: RenderedStack): RenderingDiff {
  const before = new Map(standby.resources.map((r) => [r.urn, r]));
  const after = new Map(active.resources.map((r) => [r.urn, r]));
  const diff: RenderingDiff = { updated: [], replaced: [], deleted: [], created: [] };
  for (const [urn, old] of before) {
    const next = after.get(urn);
    if (!next) {
      diff.deleted.push({ urn, type: old.type, dataStore: DATA_STORE_TYPES.has(old.type) });
      continue;
    }
    // Pulumi does not diff ignored inputs, so neither do we.
    const paths = changedPaths(old.inputs, next.inputs).filter(
      (p) => !next.ignoreChanges.some((rule) => pathMatches(p, rule)),
    );
    if (paths.length === 0 && old.provider === next.provider) continue;
    const reason = replaceReason(old, next, paths);
    if (reason) {
      const deleteFirst = next.deleteBeforeReplace
        ? " (deleteBeforeReplace: the old one is deleted before the new one exists)"
        : "";
      diff.replaced.push({
        urn,
        type: next.type,
        paths,
        reason: `${reason}${deleteFirst}`,
        dataStore: DATA_STORE_TYPES.has(next.type),
      });
    } else {
      diff.updated.push({ urn, type: next.type, paths });
    }
  }
  for (const [urn, added] of after) {
    if (!before.has(urn))
      diff.created.push({ urn, type: added.type, dataStore: DATA_STORE_TYPES.has(added.type) });
  }
  return diff;
}

export function dataStoreViolations(diff: RenderingDiff): string[] {
  return [
    ...diff.replaced.filter((r) => r.dataStore).map((r) => `${r.urn} would be REPLACED: ${r.reason}`),
    ...diff.deleted
      .filter((r) => r.dataStore)
      .map((r) => `${r.urn} would be DELETED: it is absent from the active rendering`),
  ];
}

export function configChanges(standby: RenderedStack, active: RenderedStack): DryRunResult["configChanges"] {
  const keys = [...new Set([...Object.keys(standby.config), ...Object.keys(active.config)])].sort();
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of keys) {
    if (!isDeepStrictEqual(standby.config[key], active.config[key])) {
      changes[key] = { from: standby.config[key], to: active.config[key] };
    }
  }
  return changes;
}

export function dryRunFrom(stack: string, standby: RenderedStack, active: RenderedStack): DryRunResult {
  const diff = diffRenderings(standby, active);
  return {
    stack,
    steps: FAILOVER_PLAN,
    configChanges: configChanges(standby, active),
    diff,
    stackUpdate: planStackUpdate(diff, standby, active),
    dataStoreViolations: dataStoreViolations(diff),
  };
}

/** Renders the dr stack (short name, from Pulumi.<stack>.yaml) in both modes and compares them. */
export async function dryRun(stack: string, onStack?: (stack: string) => void): Promise<DryRunResult> {
  const [standby] = await renderProject({ stacks: [stack], onStack });
  const [active] = await renderProject({ stacks: [stack], overrides: [ACTIVE_OVERRIDE], onStack });
  return dryRunFrom(stack, standby, active);
}

/**
 * The `--json` contract: `{ stack, steps, configChanges, diff: { updated, replaced, deleted, created },
 * stackUpdate: { peerRegions, critical, deferred, blocked }, dataStoresSafe, dataStoreViolations }`.
 */
export function dryRunJson(result: DryRunResult): Record<string, unknown> {
  return {
    stack: result.stack,
    steps: result.steps,
    configChanges: result.configChanges,
    diff: result.diff,
    stackUpdate: result.stackUpdate,
    dataStoresSafe: result.dataStoreViolations.length === 0,
    dataStoreViolations: result.dataStoreViolations,
  };
}

export function formatDryRun(result: DryRunResult): string {
  const lines = [
    `Failover dry run for stack ${result.stack} (offline: mock runtime, no AWS, no Pulumi CLI)`,
    "",
    "Steps, in order:",
  ];
  result.steps.forEach((step, i) => {
    const after = step.dependsOn.length ? ` (after ${step.dependsOn.join(", ")})` : "";
    const optional = isCritical(step) ? "" : " [non-critical: its failure is a warning]";
    lines.push(`  ${i + 1}. ${step.id}: ${step.title}${after}${optional}`);
  });
  lines.push("", "Config changes:");
  for (const [key, change] of Object.entries(result.configChanges)) {
    lines.push(`  ${key}: ${JSON.stringify(change.from)} -> ${JSON.stringify(change.to)}`);
  }
  const { updated, replaced, deleted, created } = result.diff;
  lines.push(
    "",
    `Resources: ${updated.length} updated in place, ${replaced.length} replaced, ${deleted.length} deleted, ${created.length} created`,
  );
  for (const r of updated) lines.push(`  ~ ${r.urn}\n      ${r.paths.join(", ")}`);
  for (const r of replaced) lines.push(`  +- ${r.urn}\n      ${r.reason}`);
  for (const r of deleted) lines.push(`  - ${r.urn}`);
  for (const r of created) lines.push(`  + ${r.urn}`);
  lines.push(...formatStackUpdatePlan(result.stackUpdate));
  lines.push("");
  lines.push(
    result.dataStoreViolations.length === 0
      ? "No data store is replaced or deleted: failover updates in place only."
      : `FAIL: failover would lose data:\n${result.dataStoreViolations.map((v) => `  ${v}`).join("\n")}`,
  );
  return `${lines.join("\n")}\n`;
}

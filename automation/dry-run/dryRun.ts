/**
 * The offline dry run: the ordered steps, the config change the controller would make, and the
 * resource diff between the dr stack rendered in standby and in active mode under the mock runtime
 * (tools/render). No AWS, no Pulumi CLI. A data store that would be replaced or deleted fails the
 * dry run (DESIGN.md principle 5: failover replaces nothing).
 */
import { isDeepStrictEqual } from "util";
import { PROJECT, Strategy } from "../../stacks/config";
import { readStackConfig } from "../../tools/render/stackFiles";
import { renderProject } from "../../tools/render/project";
import { RenderedResource, RenderedStack } from "../../tools/render/render";
import { RenderingDiff } from "./renderingDiff";

export type { ChangedResource, RenderingDiff, ReplacedResource, ResourceRef } from "./renderingDiff";
import { formatStackUpdatePlan, planStackUpdate, StackUpdatePlan } from "./dryRunStackUpdate";
import { DATA_STORE_TYPES, pathMatches, REPLACE_ON_CHANGE } from "../stack/replaceRules";
import { FAILOVER_PLAN, isCritical, StepPlan } from "../steps/steps";
import { RESTORE_PLAN } from "../steps/restoreSteps";

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
  /** Any other existing resource replaced or deleted: the failover of every strategy only creates and updates. */
  readonly resourceViolations: string[];
  /** The strategy rendered (`--strategy`, else the stack file's). */
  readonly strategy?: Strategy;
  /** What the live controller cannot do yet for this strategy; the dry run says so. */
  readonly notes: string[];
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

/** Replaced or deleted resources that are not data stores (those are dataStoreViolations). */
export function resourceViolations(diff: RenderingDiff): string[] {
  return [
    ...diff.replaced.filter((r) => !r.dataStore).map((r) => `${r.urn} would be REPLACED: ${r.reason}`),
    ...diff.deleted
      .filter((r) => !r.dataStore)
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

export function dryRunFrom(
  stack: string,
  standby: RenderedStack,
  active: RenderedStack,
  strategy?: Strategy,
): DryRunResult {
  const diff = diffRenderings(standby, active);
  return {
    stack,
    ...(strategy ? { strategy } : {}),
    notes: strategy === "backup-restore" ? [BACKUP_RESTORE_NOTE] : [],
    steps: strategy === "backup-restore" ? RESTORE_PLAN : FAILOVER_PLAN,
    configChanges: configChanges(standby, active),
    diff,
    stackUpdate: planStackUpdate(diff, standby, active),
    dataStoreViolations: dataStoreViolations(diff),
    resourceViolations: resourceViolations(diff),
  };
}

export const BACKUP_RESTORE_NOTE =
  "backup-restore: the copies below are placeholders; the live failover's find-restore-points step takes the " +
  "newest COMPLETED RDS recovery point in the primary's copy vault and the newest exported cache .rdb in the " +
  "replica bucket, refuses either when missing or older than payments-dr:targets.rpoSeconds, and sets them " +
  "as payments-dr:restore.database and restore.cache (docs/strategies.md).";

/**
 * The copies a backup-restore failover sets (`payments-dr:restore.*`), as placeholders in the dr
 * Region: the dry run shows what `up` creates from them, not which copy is the latest.
 */
export function restorePlaceholders(region: string): string[] {
  return [
    `${PROJECT}:restore.database=arn:aws:rds:${region}:111122223333:snapshot:awsbackup:job-dry-run`,
    `${PROJECT}:restore.cache=arn:aws:s3:::dry-run-cache-snapshots-replica/dry-run.rdb`,
  ];
}

/**
 * Renders the dr stack (short name, from Pulumi.<stack>.yaml) in both modes and compares them,
 * with `strategy` in place of the stack file's when given.
 */
export async function dryRun(
  stack: string,
  onStack?: (stack: string) => void,
  strategy?: Strategy,
): Promise<DryRunResult> {
  const file = readStackConfig(stack);
  const effective = strategy ?? ((file[`${PROJECT}:strategy`] as Strategy | undefined) || "warm-standby");
  const base = strategy ? [`${PROJECT}:strategy=${strategy}`] : [];
  const restore = effective === "backup-restore" ? restorePlaceholders(String(file["aws:region"])) : [];
  const [standby] = await renderProject({ stacks: [stack], overrides: base, onStack });
  const [active] = await renderProject({
    stacks: [stack],
    overrides: [...base, ACTIVE_OVERRIDE, ...restore],
    onStack,
  });
  return dryRunFrom(stack, standby, active, effective);
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
    nothingReplacedOrDeleted: result.dataStoreViolations.length + result.resourceViolations.length === 0,
    resourceViolations: result.resourceViolations,
    ...(result.strategy ? { strategy: result.strategy } : {}),
    notes: result.notes,
  };
}

export function formatDryRun(result: DryRunResult): string {
  const lines = [
    `Failover dry run for stack ${result.stack}${result.strategy ? ` (strategy ${result.strategy})` : ""} (offline: mock runtime, no AWS, no Pulumi CLI)`,
    ...result.notes.map((note) => `NOTE: ${note}`),
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
  if (result.resourceViolations.length)
    lines.push(
      `FAIL: failover would replace or delete existing resources:\n${result.resourceViolations.map((v) => `  ${v}`).join("\n")}`,
    );
  return `${lines.join("\n")}\n`;
}

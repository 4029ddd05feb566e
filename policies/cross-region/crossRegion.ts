/**
 * The stack-level promise: every data store declared in a stack has a copy in another Region,
 * declared in the same stack, encrypted with a key in the destination Region. Either an AWS Backup
 * selection that really selects it, in a plan of the store's Region whose rule copies to a vault in
 * another Region; or the store type's native replication (see `crossRegionNative.ts`).
 */
import { StackValidationPolicy } from "@pulumi/policy";
import { stackRule } from "../lib/rule";
import { StackIndex, StackNode } from "../lib/stackIndex";
import { show, UNKNOWN } from "../lib/values";
import { backupModel, describeSelections } from "./backupModel";
import { backupCannotCopy } from "./moreCopies";
import { vaultKeyVerdict } from "./vaults";
import { Coverage, CoverageMap } from "./coverage";
import { nativeCoverage } from "./crossRegionNative";
import { STORE_TYPES } from "./storeTypes";

export const SNAPSHOT_BUCKET_TAG = "payments-dr:snapshot-bucket";

export { STORE_TYPES } from "./storeTypes";
export type { StoreType } from "./storeTypes";

export interface CrossRegionConfig {
  readonly snapshotBucketTagKey: string;
  readonly ignoredTypes: string[];
}

/** AWS Backup's verdict for one store: every selection that selects it, judged by its plans. */
export function backupCoverage(index: StackIndex, store: StackNode): Coverage[] {
  const model = backupModel(index);
  const result: Coverage[] = [];
  for (const selection of model.selections) {
    const matched = selection.matches(store);
    if (matched === false) continue;
    if (matched === UNKNOWN || selection.plans === UNKNOWN) {
      result.push({
        ok: UNKNOWN,
        detail:
          matched === UNKNOWN
            ? `backup selection ${selection.describe} may select it, but what it selects is unknown until apply and its dependencies do not name this store`
            : `backup selection ${selection.describe}'s plan is unknown until apply and its dependencies name no plan`,
      });
      continue;
    }
    for (const planNode of selection.plans) {
      const plan = model.plans.get(planNode.urn);
      if (!plan) continue;
      const what = `backup selection ${selection.node.name} (plan ${planNode.name})`;
      if (planNode.region === UNKNOWN || store.region === UNKNOWN || plan.rules === UNKNOWN) {
        const unknown =
          planNode.region === UNKNOWN
            ? "the plan's Region"
            : store.region === UNKNOWN
              ? "the store's Region"
              : "the plan's rules";
        result.push({ ok: UNKNOWN, detail: `${what}: ${unknown} is unknown until apply` });
        continue;
      }
      if (planNode.region !== store.region) {
        result.push({
          ok: false,
          detail: `${what} is a plan in ${show(planNode.region)}, which cannot back up a store in ${store.region}`,
        });
        continue;
      }
      const problems: string[] = [];
      const unknowns: string[] = [];
      let ok: Coverage["ok"] = false;
      for (const rule of plan.rules) {
        if (rule.copies === UNKNOWN) {
          ok = ok === true ? true : UNKNOWN;
          unknowns.push(`rule ${rule.name}'s copy actions are unknown until apply`);
          continue;
        }
        for (const copy of rule.copies) {
          if (copy.region === UNKNOWN) {
            ok = ok === true ? true : UNKNOWN;
            unknowns.push(
              `rule ${rule.name} copies to a vault whose ARN is unknown until apply and that its dependencies do not single out`,
            );
          } else if (copy.region === store.region)
            problems.push(
              `rule ${rule.name} copies to ${show(copy.vaultArn)} in ${copy.region}, the store's own Region`,
            );
          else if (!copy.vault)
            problems.push(
              `rule ${rule.name} copies to ${show(copy.vaultArn)}, a vault not declared in this stack, so its key cannot be verified`,
            );
          else {
            const verdict = vaultKeyVerdict(index, copy.vault, String(copy.region), rule.name);
            if (verdict.unknown) {
              ok = ok === true ? true : UNKNOWN;
              unknowns.push(verdict.unknown);
            } else if (verdict.problem) problems.push(verdict.problem);
            else ok = true;
          }
        }
      }
      if (ok === true) result.push({ ok, detail: `${what} copying to another Region` });
      else if (ok === UNKNOWN)
        result.push({ ok, detail: `${what}: ${[...unknowns.sort(), ...problems.sort()].join("; ")}` });
      else
        result.push({
          ok,
          detail: `${what} has no copy action to another Region${problems.length ? ` (${problems.sort().join("; ")})` : ""}`,
        });
    }
  }
  return result;
}

const natives = new WeakMap<StackIndex, { key: string; map: CoverageMap }>();

/** Every mechanism's verdict for a store (native first, then AWS Backup). */
export function coverageOf(index: StackIndex, store: StackNode, snapshotBucketTagKey: string): Coverage[] {
  let cached = natives.get(index);
  if (!cached || cached.key !== snapshotBucketTagKey) {
    cached = { key: snapshotBucketTagKey, map: nativeCoverage(index, snapshotBucketTagKey) };
    natives.set(index, cached);
  }
  const native = cached.map.get(store.urn) ?? [];
  if (!STORE_TYPES[store.type]?.backup) return native;
  const cannot = backupCannotCopy(store);
  return cannot ? [...native, cannot] : [...native, ...backupCoverage(index, store)];
}

export const crossRegionCopy = stackRule<CrossRegionConfig>({
  name: "aws-datastore-cross-region-copy",
  description:
    "Requires every data store in the stack to have a copy in another Region declared in the same stack (AWS Backup copy or native replication), encrypted with a key in the destination Region.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      snapshotBucketTagKey: {
        type: "string",
        default: SNAPSHOT_BUCKET_TAG,
        minLength: 1,
        description:
          "Tag naming the bucket a store exports its snapshots to; counts when that bucket replicates to another Region.",
      },
      ignoredTypes: {
        type: "array",
        items: { type: "string", pattern: "^[a-z0-9-]+:[a-zA-Z0-9/]+:[A-Za-z0-9]+$" },
        default: [],
        description: "Type tokens this rule skips (each one is a documented, reviewed decision).",
      },
    },
  },
  check: (index, config, report) => {
    for (const store of index.nodes) {
      const type = STORE_TYPES[store.type];
      if (!type || config.ignoredTypes.includes(store.type)) continue;
      const coverage = coverageOf(index, store, config.snapshotBucketTagKey);
      if (coverage.some((c) => c.ok === true)) continue;
      // Fail closed: what cannot be proven before apply is reported, saying what is unknown.
      const unknowns = [
        ...(store.region === UNKNOWN
          ? ["its own Region is unknown until apply (its region input or its provider's Region is computed)"]
          : []),
        ...coverage.filter((c) => c.ok === UNKNOWN).map((c) => c.detail),
      ];
      if (unknowns.length > 0) {
        report(
          store.urn,
          `${type.label} ${store.name} in ${show(store.region)}: a copy in another Region cannot be proven at preview: ${[...unknowns].sort().join("; ")}. ` +
            "Expected a mechanism whose store, destination Region and key are known at preview or come from resources declared in this stack (the engine's property dependencies). " +
            "A store whose copy cannot be proven is refused, not assumed covered.",
        );
        continue;
      }
      const reasons = coverage.map((c) => c.detail);
      if (type.backup) {
        const selections = backupModel(index).selections;
        if (!coverage.some((c) => c.detail.startsWith("backup selection"))) {
          reasons.push(
            selections.length === 0
              ? "no AWS Backup selection in this stack"
              : `not selected by any AWS Backup selection in this stack (checked ${describeSelections(selections)}; its tags: ${JSON.stringify(store.tags)})`,
          );
        }
      }
      report(
        store.urn,
        `${type.label} ${store.name} in ${String(store.region)} has no copy in another Region: ${reasons.sort().join("; ") || "no replication declared for it"}. ` +
          `Expected ${type.backup ? "an AWS Backup selection in a plan whose rule copies to a vault in another Region, or " : ""}${type.native}, ` +
          "declared in this stack and encrypted with the destination Region's key. Otherwise losing this Region loses the data.",
      );
    }
  },
});

export const crossRegionPolicies: StackValidationPolicy[] = [crossRegionCopy];

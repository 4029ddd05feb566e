/**
 * AWS Backup as a stack declares it: plans (their Region, rules and copy actions), the vaults copies
 * land in, and selections compiled into matchers with AWS's semantics (Resources OR ListOfTags,
 * AND every condition, minus NotResources). Built once per stack index.
 */
import { StackIndex, StackNode } from "../lib/stackIndex";
import { arnRegion, bool, get, list, num, str, UNKNOWN, Unknown } from "../lib/values";
import { findVault, VAULT_TYPES } from "./vaults";

export { findVault, VAULT_TYPES, vaultKey } from "./vaults";

export const PLAN_TYPE = "aws:backup/plan:Plan";
export const SELECTION_TYPE = "aws:backup/selection:Selection";

export interface CopyAction {
  readonly vaultArn: string | Unknown | undefined;
  /** The destination vault's Region (from the vault resource, else its ARN). */
  readonly region: string | Unknown | undefined;
  readonly vault?: StackNode;
  readonly deleteAfterDays: number | Unknown | undefined;
}

export interface PlanRule {
  readonly name: string;
  readonly schedule: string | Unknown | undefined;
  readonly continuous: boolean;
  readonly deleteAfterDays: number | Unknown | undefined;
  readonly copies: CopyAction[] | Unknown;
}

export interface BackupPlan {
  readonly node: StackNode;
  readonly rules: PlanRule[] | Unknown;
}

export interface BackupSelection {
  readonly node: StackNode;
  readonly plans: StackNode[] | Unknown;
  /** Short description for messages: what the selection selects by. */
  readonly describe: string;
  matches(store: StackNode): boolean | Unknown;
}

export interface BackupModel {
  readonly plans: Map<string, BackupPlan>;
  readonly selections: BackupSelection[];
}

const models = new WeakMap<StackIndex, BackupModel>();

export function backupModel(index: StackIndex): BackupModel {
  let model = models.get(index);
  if (model) return model;
  const plans = new Map<string, BackupPlan>();
  for (const node of index.byType(PLAN_TYPE)) plans.set(node.urn, { node, rules: planRules(index, node) });
  const selections = index.byType(SELECTION_TYPE).map((node) => selectionOf(index, node));
  model = { plans, selections };
  models.set(index, model);
  return model;
}

function planRules(index: StackIndex, node: StackNode): PlanRule[] | Unknown {
  const rules = list(node.props, "rules");
  if (rules === UNKNOWN) return UNKNOWN;
  const copyTargets = unknownCopyTargets(index, node, rules);
  return rules.map((rule, i) => {
    const copies = list(rule, "copyActions");
    return {
      name: String(str(rule, "ruleName") ?? `rules[${i}]`),
      schedule: str(rule, "schedule"),
      continuous: bool(rule, "enableContinuousBackup") === true,
      deleteAfterDays: num(rule, "lifecycle", "deleteAfter"),
      copies:
        copies === UNKNOWN
          ? UNKNOWN
          : copies.map((copy) => {
              const vaultArn = str(copy, "destinationVaultArn");
              const vault =
                typeof vaultArn === "string"
                  ? findVault(index, vaultArn)
                  : vaultArn === UNKNOWN && copyTargets.length === 1
                    ? copyTargets[0]
                    : undefined;
              const region = vault
                ? vault.region
                : typeof vaultArn === "string"
                  ? arnRegion(vaultArn)
                  : vaultArn;
              return { vaultArn, region, vault, deleteAfterDays: num(copy, "lifecycle", "deleteAfter") };
            }),
    };
  });
}

const patterns = new Map<string, RegExp>();
function glob(pattern: string, value: string): boolean {
  let regex = patterns.get(pattern);
  if (!regex) {
    regex = new RegExp(
      `^${pattern
        .split("*")
        .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
        .join(".*")}$`,
    );
    patterns.set(pattern, regex);
  }
  return regex.test(value);
}

type Tri = boolean | Unknown;
const or = (values: Tri[]): Tri =>
  values.includes(true) ? true : values.includes(UNKNOWN) ? UNKNOWN : false;
const and = (values: Tri[]): Tri =>
  values.includes(false) ? false : values.includes(UNKNOWN) ? UNKNOWN : true;
const not = (value: Tri): Tri => (value === UNKNOWN ? UNKNOWN : !value);

function selectionOf(index: StackIndex, node: StackNode): BackupSelection {
  const p = node.props;
  const resources = list(p, "resources");
  const notResources = list(p, "notResources");
  const tags = list(p, "selectionTags");
  const conditions = list(p, "conditions");
  // An ARN unknown before apply: the resources it came from are in the property's dependencies.
  // An ARN unknown before apply is attributed through the property's dependencies: a value that
  // does not come from the store is not the store's ARN. For `resources` that means "not selected"
  // (the safe side: the store must then be covered otherwise); for `notResources` an unknown that
  // may come from the store leaves the exclusion unknown (reported, never assumed).
  const depsOf = (prop: string) => new Set(node.propertyDependencies[prop] ?? []);
  const selectDeps = depsOf("resources");
  const excludeDeps = depsOf("notResources");
  const arnMatch = (items: unknown[] | Unknown, store: StackNode, excluding = false): Tri => {
    const fromDeps = excluding ? excludeDeps : selectDeps;
    const unknownItem: Tri = fromDeps.has(store.urn) ? true : excluding ? UNKNOWN : false;
    if (items === UNKNOWN) return unknownItem;
    const arn = str(store.props, "arn");
    return or(
      items.map((item) => {
        if (typeof item !== "string") return unknownItem;
        if (arn === UNKNOWN) {
          // A new store's ARN is unknown at preview; an ARN of another service cannot be it.
          const service = item.split(":")[2] ?? "*";
          return service.includes("*") || service === store.type.split(":")[1]?.split("/")[0]
            ? UNKNOWN
            : false;
        }
        return arn !== undefined && glob(item, arn);
      }),
    );
  };
  const tagTest = (store: StackNode, key: unknown, value: unknown, op: string): Tri => {
    if (store.tags === UNKNOWN || typeof key !== "string" || typeof value !== "string") return UNKNOWN;
    const actual = store.tags[key.replace(/^aws:ResourceTag\//, "")];
    if (actual === UNKNOWN) return UNKNOWN;
    const like = typeof actual === "string" && glob(value, actual);
    const equal = actual === value;
    return op === "stringEquals"
      ? equal
      : op === "stringNotEquals"
        ? !equal
        : op === "stringLikes"
          ? like
          : !like;
  };
  const describeParts: string[] = [];
  if (resources !== UNKNOWN && resources.length > 0)
    describeParts.push(
      `resources ${resources.map((r) => (typeof r === "string" ? r : "(unknown)")).join(", ")}`,
    );
  if (tags !== UNKNOWN && tags.length > 0)
    describeParts.push(
      `tags ${tags.map((t) => `${String(str(t, "key"))}=${String(str(t, "value"))}`).join(" or ")}`,
    );
  if (conditions !== UNKNOWN && conditions.length > 0) describeParts.push("tag conditions");
  return {
    node,
    plans: index.resolve(node, "planId", get(p, "planId"), [PLAN_TYPE]),
    describe: `${node.name} (${describeParts.join("; ") || "everything"})`,
    matches(store) {
      const hasResources = resources === UNKNOWN || resources.length > 0;
      const hasTags = tags === UNKNOWN || tags.length > 0;
      const base: Tri =
        !hasResources && !hasTags
          ? true
          : or([
              hasResources ? arnMatch(resources, store) : false,
              tags === UNKNOWN
                ? UNKNOWN
                : or(tags.map((t) => tagTest(store, str(t, "key"), str(t, "value"), "stringEquals"))),
            ]);
      const conditionResults: Tri[] = [];
      if (conditions === UNKNOWN) conditionResults.push(UNKNOWN);
      else
        for (const condition of conditions)
          for (const op of ["stringEquals", "stringNotEquals", "stringLikes", "stringNotLikes"]) {
            const items = list(condition, op);
            if (items === UNKNOWN) conditionResults.push(UNKNOWN);
            else
              for (const item of items)
                conditionResults.push(tagTest(store, str(item, "key"), str(item, "value"), op));
          }
      const excluded =
        notResources === UNKNOWN
          ? UNKNOWN
          : notResources.length > 0
            ? arnMatch(notResources, store, true)
            : false;
      return and([base, ...conditionResults, not(excluded)]);
    },
  };
}

/**
 * At preview a copy action's `destinationVaultArn` is unknown when the vault is created in the same
 * update. The plan's `rules` property depends on that vault and on the rules' own target vaults
 * (`targetVaultName`, a name known at preview): the vaults left once those are set aside are where
 * unknown copies go. Exactly one proves the destination; several leave it unknown.
 */
function unknownCopyTargets(index: StackIndex, plan: StackNode, rules: unknown[]): StackNode[] {
  const targets = new Set(rules.map((r) => str(r, "targetVaultName")).filter((n) => typeof n === "string"));
  const knownCopies = new Set(
    rules.flatMap((r) => {
      const copies = list(r, "copyActions");
      return copies === UNKNOWN ? [] : copies.map((c) => str(c, "destinationVaultArn"));
    }),
  );
  return (plan.propertyDependencies["rules"] ?? [])
    .map((urn) => index.byUrn(urn))
    .filter((n): n is StackNode => n !== undefined && VAULT_TYPES.includes(n.type))
    .filter((v) => {
      const name = str(v.props, "name");
      const arn = str(v.props, "arn");
      return (
        !(typeof name === "string" && targets.has(name)) && !(typeof arn === "string" && knownCopies.has(arn))
      );
    });
}

/** Selections as a violation lists them: each described, sorted so output is deterministic. */
export function describeSelections(selections: readonly { describe: string }[]): string {
  return selections
    .map((s) => s.describe)
    .sort()
    .join(", ");
}

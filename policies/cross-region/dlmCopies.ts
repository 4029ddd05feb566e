/**
 * Data Lifecycle Manager as a copy of EBS volumes: a policy counts for volumes in its own Region
 * carrying one of its target tags only when it is enabled, is a custom EBS snapshot policy for
 * volumes, has a schedule that fires, and that schedule copies each snapshot to another Region
 * encrypted (`encrypted: true`) with a customer-managed key proven to be in that Region. Volumes
 * created in the stack and volumes a StorageClass provisions (by the tags it writes) are judged
 * alike. What is unknown at preview is UNKNOWN, never assumed.
 */
import { neverFiresBecause } from "../lib/cron";
import { provenKey } from "../lib/keys";
import { StackIndex, StackNode } from "../lib/stackIndex";
import { get, isUnknown, list, num, show, str, UNKNOWN, Unknown } from "../lib/values";
import { copyVerdict, Coverage } from "./coverage";

export const DLM_POLICY = "aws:dlm/lifecyclePolicy:LifecyclePolicy";
/** Hours a DLM interval schedule accepts (CreateRule `Interval`, unit HOURS). */
export const DLM_INTERVAL_HOURS: readonly number[] = [1, 2, 3, 4, 6, 8, 12, 24];
/** An AWS Region name (`us-east-1`): a copy `target` that is not one (an Outpost ARN) is no Region copy. */
const REGION_NAME = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/** The volumes (or volume template) being judged: their Region and the tags they carry. */
export interface TaggedVolumes {
  readonly region: string | Unknown | undefined;
  readonly tags: Readonly<Record<string, unknown>> | Unknown;
}

type Tri = boolean | Unknown;

/** Whether a volume with `tags` carries one of `targetTags` (any one suffices, as DLM matches). */
function tagsMatch(targetTags: unknown, tags: TaggedVolumes["tags"]): Tri {
  if (isUnknown(targetTags)) return UNKNOWN;
  if (targetTags === null || typeof targetTags !== "object") return false;
  let result: Tri = false;
  for (const [key, wanted] of Object.entries(targetTags as Record<string, unknown>)) {
    if (isUnknown(wanted) || tags === UNKNOWN || isUnknown(tags[key])) result = UNKNOWN;
    else if (tags[key] === wanted) return true;
  }
  return result;
}

/** Why a schedule's create rule never fires, UNKNOWN while it cannot be read, undefined when it fires. */
function createRuleProblem(schedule: unknown): string | Unknown | undefined {
  const rule = get(schedule, "createRule");
  if (isUnknown(rule)) return UNKNOWN;
  // A stack export shows unset optional strings as "": only a non-empty value is set.
  const cron = str(rule, "cronExpression");
  if (cron === UNKNOWN) return UNKNOWN;
  if (typeof cron === "string" && cron !== "") {
    try {
      const why = neverFiresBecause(cron);
      return why && `its cronExpression ${cron} never fires: ${why}`;
    } catch (error) {
      return `its cronExpression ${cron} cannot be read (${(error as Error).message})`;
    }
  }
  const interval = num(rule, "interval");
  const unit = str(rule, "intervalUnit") ?? "HOURS";
  if (interval === UNKNOWN || unit === UNKNOWN) return UNKNOWN;
  if (interval === undefined) return "its createRule has neither an interval nor a cronExpression";
  if (unit !== "HOURS" || !DLM_INTERVAL_HOURS.includes(interval))
    return `its createRule interval is ${interval} ${unit}: expected one of ${DLM_INTERVAL_HOURS.join(", ")} HOURS`;
  return undefined;
}

/** Every DLM policy's verdict for `volumes` (only policies whose target tags may match them). */
export function dlmVerdicts(index: StackIndex, volumes: TaggedVolumes): Coverage[] {
  const verdicts: Coverage[] = [];
  for (const policy of index.byType(DLM_POLICY)) {
    const what = `DLM policy ${policy.name}`;
    const details = get(policy.props, "policyDetails");
    const policyType = str(details, "policyType") ?? "EBS_SNAPSHOT_MANAGEMENT";
    const types = list(details, "resourceTypes");
    if (policyType !== UNKNOWN && policyType !== "EBS_SNAPSHOT_MANAGEMENT") continue;
    if (types !== UNKNOWN && !types.includes("VOLUME")) continue;
    const targetTags = get(details, "targetTags");
    const match = tagsMatch(targetTags, volumes.tags);
    if (match === false) {
      verdicts.push({
        ok: false,
        detail: `${what} targets tags ${show(targetTags)}, none of which it carries`,
      });
      continue;
    }
    const verdict = policyVerdict(index, policy, what, volumes, policyType === UNKNOWN || types === UNKNOWN);
    // A match that is unknown can only make the verdict unknown, never a proven copy.
    verdicts.push(
      match === UNKNOWN && verdict.ok === true
        ? { ok: UNKNOWN, detail: `${verdict.detail}, if its target tags match (unknown until apply)` }
        : verdict,
    );
  }
  return verdicts;
}

function policyVerdict(
  index: StackIndex,
  policy: StackNode,
  what: string,
  volumes: TaggedVolumes,
  kindUnknown: boolean,
): Coverage {
  if (isUnknown(volumes.region) || isUnknown(policy.region))
    return { ok: UNKNOWN, detail: `${what}: its Region or the volumes' is unknown until apply` };
  if (policy.region !== volumes.region)
    return {
      ok: false,
      detail: `${what} is in ${String(policy.region)}: DLM snapshots only volumes in its own Region (${String(volumes.region)})`,
    };
  if (kindUnknown)
    return { ok: UNKNOWN, detail: `${what}: its policy type or resource types are unknown until apply` };
  const state = str(policy.props, "state") ?? "ENABLED";
  if (state === UNKNOWN) return { ok: UNKNOWN, detail: `${what}: its state is unknown until apply` };
  if (state !== "ENABLED") return { ok: false, detail: `${what} is ${state}: expected ENABLED` };
  const details = get(policy.props, "policyDetails");
  const defaultPolicy = str(policy.props, "defaultPolicy");
  if (
    (typeof defaultPolicy === "string" && defaultPolicy !== "") ||
    str(details, "policyLanguage") === "SIMPLIFIED"
  )
    return {
      ok: false,
      detail: `${what} is a default (SIMPLIFIED) policy: the pack judges custom policies only`,
    };
  const schedules = list(details, "schedules");
  if (schedules === UNKNOWN) return { ok: UNKNOWN, detail: `${what}: its schedules are unknown until apply` };
  const found: Coverage[] = [];
  for (const [s, schedule] of schedules.entries()) {
    const label = `${what} schedule ${show(str(schedule, "name") ?? s)}`;
    const firing = createRuleProblem(schedule);
    if (firing === UNKNOWN) {
      found.push({ ok: UNKNOWN, detail: `${label}: its create rule is unknown until apply` });
      continue;
    }
    if (firing !== undefined) {
      found.push({ ok: false, detail: `${label} never takes a snapshot: ${firing}` });
      continue;
    }
    const rules = list(schedule, "crossRegionCopyRules");
    if (rules === UNKNOWN) {
      found.push({ ok: UNKNOWN, detail: `${label}: its cross-Region copy rules are unknown until apply` });
      continue;
    }
    if (rules.length === 0) found.push({ ok: false, detail: `${label} has no cross-Region copy rule` });
    for (const [r, rule] of rules.entries()) {
      const copy = `${label} copy rule`;
      const encrypted = get(rule, "encrypted");
      // `target` is the Region of an EBS snapshot copy; `targetRegion` is documented for AMI policies.
      const target = str(rule, "target");
      const dest = target === "" || target === undefined ? str(rule, "targetRegion") || undefined : target;
      if (isUnknown(encrypted))
        found.push({ ok: UNKNOWN, detail: `${copy}: encrypted is unknown until apply` });
      else if (encrypted !== true)
        found.push({
          ok: false,
          detail: `${copy} copies unencrypted: expected encrypted: true with a cmkArn`,
        });
      else if (typeof dest === "string" && !REGION_NAME.test(dest))
        found.push({ ok: false, detail: `${copy} targets ${dest}, not a Region` });
      else {
        const path = ["policyDetails", "schedules", s, "crossRegionCopyRules", r, "cmkArn"];
        found.push(copyVerdict(copy, volumes.region, dest, provenKey(index, policy, path), true));
      }
    }
  }
  if (found.length === 0) return { ok: false, detail: `${what} has no schedule` };
  return (
    found.find((c) => c.ok === true) ??
    found.find((c) => c.ok === UNKNOWN) ?? { ok: false, detail: found.map((c) => c.detail).join("; ") }
  );
}

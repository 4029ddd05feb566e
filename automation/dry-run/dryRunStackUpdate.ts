/**
 * The dry run's view of the failover's stack update: which of the standby -> active changes
 * `stack-activate` applies (in-Region, on the failover's clock) and which wait for
 * `stack-reconcile` (in the peer Region), by the same rule the controller applies to the live
 * preview (stackChanges.ts), on the offline renderings. It also finds what the live run cannot see
 * in engine events: an in-Region change that depends on a deferred create, which the targeted
 * update would refuse (the engine does not create an untargeted dependency).
 */
import { RenderedStack } from "../../tools/render/render";
import { PROJECT } from "../../stacks/config";
import type { RenderingDiff } from "./renderingDiff";
import { PlannedChange, splitByRegion } from "../stack/stackChanges";

export type ChangeKind = "update" | "replace" | "delete" | "create";

export interface PlannedRef {
  readonly urn: string;
  readonly type: string;
  readonly change: ChangeKind;
  /** Effective Region (tools/render); null for global types and components. */
  readonly region: string | null;
}

export interface StackUpdatePlan {
  /** Regions whose changes are deferred (the dr stack's `peerRegion`). */
  readonly peerRegions: readonly string[];
  /** Applied by `stack-activate` with `up --target` (plus the root Stack). */
  readonly critical: readonly PlannedRef[];
  /** Left to `stack-reconcile`, which may fail while the peer Region is down. */
  readonly deferred: readonly PlannedRef[];
  /** Why `stack-activate` would be refused; empty when it can run. */
  readonly blocked: readonly string[];
}

const SYMBOL: Record<ChangeKind, string> = { update: "~", replace: "+-", delete: "-", create: "+" };

export function planStackUpdate(
  diff: RenderingDiff,
  standby: RenderedStack,
  active: RenderedStack,
): StackUpdatePlan {
  const peer = active.config[`${PROJECT}:peerRegion`];
  const peerRegions = typeof peer === "string" && peer ? [peer] : [];
  const before = new Map(standby.resources.map((r) => [r.urn, r]));
  const after = new Map(active.resources.map((r) => [r.urn, r]));
  const kinds = new Map<string, ChangeKind>();
  const changes: PlannedChange[] = [];
  const add = (urn: string, type: string, change: ChangeKind) => {
    const rendered = after.get(urn) ?? before.get(urn);
    kinds.set(urn, change);
    changes.push({
      urn,
      type,
      ops: [change],
      region: rendered?.region ?? null,
      ...(rendered?.parent ? { parent: rendered.parent } : {}),
    });
  };
  diff.updated.forEach((r) => add(r.urn, r.type, "update"));
  diff.replaced.forEach((r) => add(r.urn, r.type, "replace"));
  diff.deleted.forEach((r) => add(r.urn, r.type, "delete"));
  diff.created.forEach((r) => add(r.urn, r.type, "create"));

  const split = splitByRegion(changes, peerRegions);
  const ref = (c: PlannedChange): PlannedRef => ({
    urn: c.urn,
    type: c.type,
    change: kinds.get(c.urn) ?? "update",
    region: c.region,
  });
  const deferredCreates = new Set(
    split.deferred.filter((c) => kinds.get(c.urn) === "create").map((c) => c.urn),
  );
  const blocked = split.critical.flatMap((c) =>
    (after.get(c.urn)?.dependencies ?? [])
      .filter((dep) => deferredCreates.has(dep))
      .map(
        (dep) =>
          `${c.urn} depends on ${dep}, which only stack-reconcile creates (in ${peerRegions.join(", ")}): ` +
          "the targeted update of stack-activate would refuse it. Make the in-Region resource independent " +
          "of the peer-Region one, or create the peer-Region one before a failover.",
      ),
  );
  return { peerRegions, critical: split.critical.map(ref), deferred: split.deferred.map(ref), blocked };
}

export function formatStackUpdatePlan(plan: StackUpdatePlan): string[] {
  const line = (r: PlannedRef) => `    ${SYMBOL[r.change]} ${r.urn} (${r.region ?? "global"})`;
  const lines = [
    "",
    `Stack update during the failover (the peer Region ${plan.peerRegions.join(", ")} may be down):`,
    `  stack-activate (critical): up --target ${plan.critical.length} in-Region change(s) and the root Stack`,
    ...plan.critical.map(line),
    `  stack-reconcile (non-critical, after verify): ${plan.deferred.length} change(s) deferred to a full up`,
    ...plan.deferred.map(line),
  ];
  if (plan.blocked.length) {
    lines.push("  FAIL: stack-activate would be refused:", ...plan.blocked.map((b) => `    ${b}`));
  }
  return lines;
}

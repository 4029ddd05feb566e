/**
 * A copy mechanism's verdict for one store, and how verdicts accumulate per store. Shared by every
 * per-service coverage module, so they import this rather than each other.
 */
import { StackNode } from "../lib/stackIndex";
import { isUnknown, keyRef, UNKNOWN, Unknown } from "../lib/values";

/** One mechanism's verdict for one store. */
export interface Coverage {
  readonly ok: boolean | Unknown;
  /** What it is, or why it does not count (expected vs actual). */
  readonly detail: string;
}

export type CoverageMap = Map<string, Coverage[]>;

export function addCoverage(map: CoverageMap, node: StackNode, coverage: Coverage): void {
  map.set(node.urn, [...(map.get(node.urn) ?? []), coverage]);
}

/** Verdict for a copy from `source` into a destination Region with a given key. */
export function copyVerdict(
  what: string,
  sourceRegion: unknown,
  destRegion: unknown,
  key: unknown,
  keyRequired: boolean,
): Coverage {
  if (isUnknown(sourceRegion) || isUnknown(destRegion) || isUnknown(key))
    return { ok: UNKNOWN, detail: what };
  if (typeof destRegion !== "string") return { ok: false, detail: `${what} names no destination Region` };
  if (destRegion === sourceRegion)
    return { ok: false, detail: `${what} stays in ${destRegion}, the store's own Region` };
  const ref = keyRef(key);
  if (ref.kind === "none" && keyRequired)
    return {
      ok: false,
      detail: `${what} to ${destRegion} names no KMS key: expected a key in ${destRegion}`,
    };
  if (ref.region && ref.region !== destRegion)
    return {
      ok: false,
      detail: `${what} to ${destRegion} encrypts with a key in ${ref.region}: expected a key in ${destRegion}`,
    };
  return { ok: true, detail: `${what} to ${destRegion}` };
}

/**
 * A copy mechanism's verdict for one store, and how verdicts accumulate per store. Shared by every
 * per-service coverage module, so they import this rather than each other.
 */
import { ProvenKey } from "../lib/keys";
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

/**
 * Verdict for a copy from `source` into a destination Region with a given key (a raw value, or a
 * key already attributed through dependencies by `provenKey`). What cannot be proven is UNKNOWN,
 * with a detail naming what is unknown.
 */
export function copyVerdict(
  what: string,
  sourceRegion: unknown,
  destRegion: unknown,
  key: unknown,
  keyRequired: boolean,
): Coverage {
  if (isUnknown(sourceRegion))
    return { ok: UNKNOWN, detail: `${what}: the store's Region is unknown until apply` };
  if (isUnknown(destRegion))
    return { ok: UNKNOWN, detail: `${what}: its destination Region is unknown until apply` };
  if (typeof destRegion !== "string") return { ok: false, detail: `${what} names no destination Region` };
  if (destRegion === sourceRegion)
    return { ok: false, detail: `${what} stays in ${destRegion}, the store's own Region` };
  const ref: ProvenKey = isProven(key) ? key : keyRef(key);
  if (ref.kind === "unknown")
    return {
      ok: UNKNOWN,
      detail: `${what} to ${destRegion}: ${ref.unknownBecause ?? "its KMS key is unknown until apply"}, so its Region cannot be proven`,
    };
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

function isProven(key: unknown): key is ProvenKey {
  return typeof key === "object" && key !== null && "kind" in key;
}

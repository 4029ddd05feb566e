/**
 * A KMS key reference as far as it can be proven, including at preview: a known value is classed
 * from its text (`keyRef`); a value unknown until apply is attributed through the engine's
 * `propertyDependencies` to the KMS keys declared in the stack that it comes from, whose Region is
 * known (their own `region`, else their provider's). A key this cannot attribute stays `unknown`,
 * and mandatory rules report it (fail closed).
 *
 * Limit: a dependency says where a value came from, not that it equals that resource's ARN; the
 * pack assumes a key reference computed from a key is that key.
 */
import { StackIndex, StackNode } from "./stackIndex";
import { get, isUnknown, keyRef, KeyRef } from "./values";

export const KEY_TYPES = [
  "aws:kms/key:Key",
  "aws:kms/replicaKey:ReplicaKey",
  "aws:kms/externalKey:ExternalKey",
  "aws:kms/replicaExternalKey:ReplicaExternalKey",
  "aws:kms/alias:Alias",
] as const;

export interface ProvenKey extends KeyRef {
  /** The keys declared in the stack an unknown reference was attributed to. */
  readonly declared?: readonly StackNode[];
  /** Why the key cannot be proven (set when `kind` is "unknown"). */
  readonly unknownBecause?: string;
}

/**
 * The key `node` names at `path` (the first element is the top-level property the engine records
 * dependencies for). Candidate keys in several Regions prove nothing: the reference stays unknown.
 */
export function provenKey(index: StackIndex, node: StackNode, path: readonly (string | number)[]): ProvenKey {
  const value = get(node.props, ...path);
  const ref = keyRef(value);
  if (!isUnknown(value)) return ref;
  const arg = path.join(".");
  const deps = node.propertyDependencies[String(path[0])];
  const candidates = (deps ?? [])
    .map((urn) => index.byUrn(urn))
    .filter((n): n is StackNode => n !== undefined && (KEY_TYPES as readonly string[]).includes(n.type));
  if (candidates.length === 0)
    return {
      kind: "unknown",
      unknownBecause: `${arg} is unknown until apply and comes from no KMS key declared in this stack`,
    };
  const regions = [...new Set(candidates.map((c) => (typeof c.region === "string" ? c.region : "?")))].sort();
  if (regions.includes("?"))
    return {
      kind: "unknown",
      declared: candidates,
      unknownBecause: `${arg} comes from KMS key ${candidates
        .map((c) => c.name)
        .sort()
        .join(", ")} whose Region is unknown until apply`,
    };
  const names = candidates
    .map((c) => c.name)
    .sort()
    .join(", ");
  if (regions.length === 1)
    return { kind: "customer", value: `KMS key ${names}`, region: regions[0], declared: candidates };
  return {
    kind: "unknown",
    declared: candidates,
    unknownBecause: `${arg} is unknown until apply and could come from KMS keys in ${[...regions].sort().join(", ")} (${names})`,
  };
}

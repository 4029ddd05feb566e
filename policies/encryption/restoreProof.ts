/**
 * A store created from a snapshot, backup, point in time or import must prove the encryption of
 * what it restores. Where the service re-encrypts under a key the store gives, that key proves it;
 * where it keeps the source's key (an RDS instance from a DB snapshot, or one without a key of its
 * own), the source must be declared in the stack — a snapshot copy or source store, found by exact
 * identifier or through the engine's property dependencies — with a customer-managed key in the
 * store's Region. A literal naming something the stack does not declare, or a reference unknown at
 * preview that no dependency explains, cannot be proven and is refused (fail closed).
 * The per-type verdicts and why live in `restoreTypes.ts`.
 */
import { StackValidationPolicy } from "@pulumi/policy";
import { provenKey, ProvenKey } from "../lib/keys";
import { stackRule } from "../lib/rule";
import { StackIndex, StackNode } from "../lib/stackIndex";
import { get, isUnknown, show, str, UNKNOWN, Unknown } from "../lib/values";
import { RESTORE_TYPES, RestorePath, RestoreSourceType, RestoreType } from "./restoreTypes";

const BY_TYPE = new Map(RESTORE_TYPES.map((entry) => [entry.type, entry]));

/** True when an argument is given (a restore), unknown included. */
function isSet(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (value === undefined || value === null || value === "" || value === false) return false;
  return !Array.isArray(value) || value.length > 0;
}

/** The argument naming the source, and its value (`undefined` when the block names none). */
function reference(props: Record<string, unknown>, path: RestorePath): { arg: string; value: unknown } {
  if (!path.refs) return { arg: path.arg, value: get(props, path.arg) };
  for (const ref of path.refs) {
    const value = get(props, path.arg, ...ref.split("."));
    if (isSet(value)) return { arg: `${path.arg}.${ref}`, value };
  }
  return { arg: path.arg, value: get(props, path.arg) === UNKNOWN ? UNKNOWN : undefined };
}

const names = (nodes: readonly StackNode[]) =>
  nodes
    .map((n) => n.name)
    .sort()
    .join(", ");

/** The declared source `value` names: by exact identifier, else through the property's dependencies. */
function sourceOf(
  index: StackIndex,
  node: StackNode,
  path: RestorePath,
  arg: string,
  value: unknown,
): { source: StackNode; type: RestoreSourceType } | { problem: string } {
  const kinds = new Map(path.from.map((k) => [k.type, k]));
  const declared = index.byType(...kinds.keys());
  const tokens = [...kinds.keys()].join(" or ");
  const byId =
    typeof value === "string" && !isUnknown(value)
      ? declared.filter((n) => kinds.get(n.type)!.ids.some((f) => str(n.props, f) === value))
      : [];
  const deps = (node.propertyDependencies[path.arg] ?? [])
    .map((urn) => index.byUrn(urn))
    .filter((n): n is StackNode => n !== undefined && kinds.has(n.type));
  const found = byId.length > 0 ? byId : deps;
  if (found.length === 1) return { source: found[0], type: kinds.get(found[0].type)! };
  if (found.length > 1) return { problem: `${arg} could name any of ${found[0].type} ${names(found)}` };
  if (value === undefined) return { problem: `${path.arg} names no source` };
  if (isUnknown(value))
    return {
      problem: `${arg} is unknown until apply and comes from no ${tokens} declared in this stack, so what it restores cannot be proven at preview`,
    };
  return {
    problem: `${arg} names nothing declared in this stack, so the encryption of what it restores cannot be proven`,
  };
}

/**
 * Why `key` does not prove the restore in `region`, or undefined when it does. `owner` names the
 * declared source the key belongs to (undefined: the store's own key argument).
 */
function keyProblem(
  key: ProvenKey,
  arg: string,
  region: string | Unknown | undefined,
  owner?: string,
): string | undefined {
  const where = owner ? `${owner}'s ${arg}` : arg;
  if (key.kind === "unknown") return `${where}: its key cannot be proven at preview: ${key.unknownBecause}`;
  if (key.kind === "none")
    return owner
      ? `${owner} sets no ${arg}, so it keeps the key of what it copies, which this stack does not declare`
      : `${arg} is not set`;
  if (key.kind === "aws-managed") return `${where} is ${show(key.value)}, an AWS-managed key`;
  if (region === UNKNOWN)
    return `the store's Region is unknown until apply, so ${where} (${key.value} in ${String(key.region)}) cannot be proven to be in it`;
  if (key.region && typeof region === "string" && key.region !== region)
    return `${where} is ${key.value} in ${key.region}, not a key in ${region}`;
  return undefined;
}

function expected(entry: RestoreType, path: RestorePath, arg: string, region: string): string {
  const ways: string[] = [];
  if (path.reencrypts && entry.keyArg)
    ways.push(
      `${entry.keyArg} set to a customer-managed KMS key in ${region} (the restore re-encrypts under it)`,
    );
  if (path.from.length > 0) {
    const [first] = path.from;
    ways.push(
      `${arg} naming an ${path.from.map((k) => k.type).join(" or ")} declared in this stack whose ${first.keyArg} is a customer-managed key in ${region}` +
        (first.copyOf
          ? ` (declare one with ${first.copyOf} set to the snapshot to restore and ${first.keyArg} set to that key, and restore from its ${first.ids[0]})`
          : ""),
    );
  }
  if (ways.length === 0)
    ways.push(
      `a store that takes a customer-managed key: restore into an aws:elasticache/replicationGroup:ReplicationGroup with atRestEncryptionEnabled and kmsKeyId in ${region}`,
    );
  return ways.join("; or ");
}

const sentence = (text: string) => `${text[0].toUpperCase()}${text.slice(1)}.`;

/** Same key on both sides, when both can be told apart (known values or declared keys). */
function differs(a: ProvenKey, b: ProvenKey): boolean {
  if (a.kind !== "customer" || b.kind !== "customer") return false;
  if (a.declared && b.declared)
    return (
      a.declared
        .map((n) => n.urn)
        .sort()
        .join() !==
      b.declared
        .map((n) => n.urn)
        .sort()
        .join()
    );
  if (a.declared || b.declared) return false;
  return a.value !== b.value;
}

export function restoreViolations(index: StackIndex, node: StackNode, entry: RestoreType): string[] {
  const messages: string[] = [];
  const region = typeof node.region === "string" ? node.region : "the store's Region";
  for (const path of entry.paths) {
    if (!isSet(get(node.props, path.arg))) continue;
    const { arg, value } = reference(node.props, path);
    const head = `${entry.label} ${node.name} is restored from ${path.what} (${arg} ${show(value)})`;
    const fail = (actual: string) =>
      messages.push(
        `${head}: ${actual}. Expected ${expected(entry, path, arg, region)}. ${sentence(path.why)}`,
      );
    const keyPath = entry.keyArg?.split(".") ?? [];
    const own =
      entry.keyArg && isSet(get(node.props, ...keyPath)) ? provenKey(index, node, keyPath) : undefined;
    if (path.reencrypts && own) {
      const problem = keyProblem(own, entry.keyArg!, node.region);
      if (problem) fail(problem);
      continue;
    }
    if (path.from.length === 0) {
      fail(
        entry.keyArg
          ? `${entry.keyArg} is not set, so the restored data is not under a customer-managed key`
          : `an ${entry.label} takes no KMS key, so the restored data cannot be under a customer-managed key`,
      );
      continue;
    }
    const found = sourceOf(index, node, path, arg, value);
    if ("problem" in found) {
      fail(found.problem);
      continue;
    }
    const { source, type } = found;
    const key = provenKey(index, source, [type.keyArg]);
    const owner = `${type.label} ${source.name}`;
    const problem = keyProblem(key, type.keyArg, node.region, owner);
    if (problem) fail(problem);
    else if (!path.reencrypts && own && differs(own, key))
      // The provider reads the key the restore really used back into state: a different kmsKeyId
      // would plan a replacement of the store on the next update.
      fail(
        `${entry.keyArg} is ${own.value}, not the key the restore uses (${owner}'s ${type.keyArg} ${key.value}), so the next update would replace the store to change its key`,
      );
  }
  return messages;
}

export const restoreEncryptionProven = stackRule({
  name: "aws-datastore-restore-encryption-proven",
  description:
    "Requires every data store created from a snapshot, backup, point in time or import to prove the encryption of what it restores: a customer-managed key in its Region, given to a restore that re-encrypts, or carried by a snapshot copy or source declared in the same stack.",
  enforcementLevel: "mandatory",
  check: (index, _config, report) => {
    for (const node of index.nodes) {
      const entry = BY_TYPE.get(node.type);
      if (entry) for (const message of restoreViolations(index, node, entry)) report(node.urn, message);
    }
  },
});

export const restoreProofPolicies: StackValidationPolicy[] = [restoreEncryptionProven];

/**
 * The at-rest rules judge a store's inputs, where a key created in the same update is unknown at
 * preview; they cannot see where it comes from. This stack rule can: it attributes each such key
 * through the engine's property dependencies to a KMS key declared in the stack and checks that
 * key's Region. A key it cannot attribute is refused (fail closed), never assumed compliant.
 */
import { StackValidationPolicy } from "@pulumi/policy";
import { provenKey } from "../lib/keys";
import { stackRule } from "../lib/rule";
import { isUnknown, show, UNKNOWN } from "../lib/values";
import { AT_REST_TYPES } from "./encryptionTypes";

const BY_TYPE = new Map(AT_REST_TYPES.map((entry) => [entry.type, entry]));

export const keyProven = stackRule({
  name: "aws-datastore-encryption-key-proven",
  description:
    "Requires every data store whose KMS key is unknown at preview to take it from a KMS key declared in the same stack, in the store's Region.",
  enforcementLevel: "mandatory",
  check: (index, _config, report) => {
    for (const node of index.nodes) {
      const entry = BY_TYPE.get(node.type);
      const state = entry?.state(node.props);
      if (!entry || !state || state.encrypted !== true || !state.cmkSupported || !state.keyArg) continue;
      if (!isUnknown(state.key)) continue;
      const key = provenKey(index, node, state.keyPath ?? state.keyArg.split("."));
      if (key.kind === "unknown") {
        report(
          node.urn,
          `${entry.label} ${node.name}: its key cannot be proven at preview: ${key.unknownBecause}. ` +
            `Expected ${state.keyArg} to be a known customer-managed key ARN or to come from a KMS key declared in this stack, in ${show(node.region)}.`,
        );
      } else if (node.region === UNKNOWN) {
        report(
          node.urn,
          `${entry.label} ${node.name}: its Region is unknown until apply, so ${state.keyArg} (${key.value} in ${String(key.region)}) cannot be proven to be in the store's Region.`,
        );
      } else if (key.region && typeof node.region === "string" && key.region !== node.region) {
        report(
          node.urn,
          `${entry.label} ${node.name} in ${node.region} is encrypted with ${key.value} in ${key.region}: expected ${state.keyArg} to be a key in ${node.region}.`,
        );
      }
    }
  },
});

export const keyProofPolicies: StackValidationPolicy[] = [keyProven];

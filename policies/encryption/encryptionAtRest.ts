/**
 * Encryption at rest, one mandatory rule per AWS data-store type: the store must be encrypted and,
 * where the service accepts one, with a customer-managed KMS key that lives in the store's Region.
 * Types this program does not use yet are listed too: the pack must hold when users add them.
 * S3 buckets are checked at stack level (the v7 split resources), in `s3.ts`.
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { resourceRule } from "../lib/rule";
import { AT_REST_TYPES, AtRestConfig, AtRestType } from "./encryptionTypes";
import { keyRef, show, UNKNOWN, Unknown } from "../lib/values";

export { AT_REST_TYPES };
export type { AtRestConfig, AtRestType };

const WHY_ENCRYPT = "Unencrypted storage exposes payment data through snapshots, replicas and retired media.";
const WHY_CMK = "Only a customer-managed key lets you own its policy, audit every use and revoke access.";

/** The messages for one store; exported so tests and the offline runner share the exact wording. */
export function atRestViolations(
  entry: AtRestType,
  props: Record<string, unknown>,
  region: string | Unknown | undefined,
  config: AtRestConfig,
): string[] {
  const state = entry.state(props);
  if (!state) return [];
  const messages: string[] = [];
  if (state.encrypted === UNKNOWN) {
    // Fail closed: a switch computed from a resource not created yet cannot prove encryption.
    messages.push(
      `${entry.label}: encryption at rest cannot be proven at preview: ${state.actual ?? "its encryption setting"} (expected ${state.expected || "encryption"} known before apply). ${WHY_ENCRYPT}`,
    );
  } else if (state.encrypted === false) {
    messages.push(
      `${entry.label} is not encrypted at rest: expected ${state.expected}, found ${state.actual}. ${WHY_ENCRYPT}`,
    );
  } else if (state.encrypted === true && state.cmkSupported && state.keyArg) {
    const key = keyRef(state.key);
    if (config.requireCustomerManagedKey && (key.kind === "none" || key.kind === "aws-managed")) {
      const actual =
        key.kind === "none"
          ? `not set, so it uses ${state.defaultKey ?? "an AWS-managed key"}`
          : `${show(key.value)} (AWS-managed)`;
      messages.push(
        `${entry.label} is not encrypted with a customer-managed key: expected ${state.keyArg} set to a customer-managed KMS key, found ${actual}. ${WHY_CMK}`,
      );
    }
    if (key.kind === "customer" && key.region && region === UNKNOWN) {
      messages.push(
        `${entry.label}: its Region is unknown until apply (its region input or its provider's Region is computed), so ${state.keyArg}'s key in ${key.region} cannot be proven to be in the store's Region.`,
      );
    }
    if (key.kind === "customer" && key.region && typeof region === "string" && key.region !== region) {
      messages.push(
        `${entry.label} in ${region} is encrypted with a key in ${key.region}: expected ${state.keyArg} to be a key in ${region}. ` +
          "A store must use a key in its own Region (for a copy, the destination Region's key), or losing one Region makes the other unreadable.",
      );
    }
  }
  return [...messages, ...(entry.extra?.(props, config) ?? [])];
}

export const atRestPolicies: ResourceValidationPolicy[] = AT_REST_TYPES.map((entry) =>
  resourceRule<AtRestConfig>({
    name: `${entry.prefix}-encryption-at-rest`,
    description: `Requires every ${entry.label} to be encrypted at rest, with a customer-managed KMS key in its own Region where the service supports one.`,
    enforcementLevel: "mandatory",
    types: [entry.type],
    configSchema: {
      properties: {
        requireCustomerManagedKey: {
          type: "boolean",
          default: true,
          description: "Also require a customer-managed KMS key (not the AWS-managed or AWS-owned default).",
        },
      },
    },
    check: (r) => atRestViolations(entry, r.props, r.region, r.config),
  }),
);

/**
 * Who owns a KMS key named by key ARN or key id. The reference alone cannot tell: an AWS-managed
 * key (aws/rds, aws/s3, ...) has a key ARN of the same shape as a customer-managed one. So the
 * mandatory encryption rules accept such a reference (they never fail on what they cannot know),
 * and this advisory rule reports each one whose key is not declared in the stack (a declared
 * `aws:kms/key:Key` or replica key is customer-managed by construction). An alias ARN is checked
 * the same way (it may be another account's alias); a bare `alias/<name>` is the stack account's
 * and classed by the at-rest rules (`alias/aws/*` is AWS-managed; other aliases cannot target one).
 */
import { StackValidationPolicy } from "@pulumi/policy";
import { AT_REST_TYPES } from "./encryptionTypes";
import { stackRule } from "../lib/rule";
import { keyRef } from "../lib/values";
import { s3Model } from "../s3/s3Model";

export const KEY_TYPES = [
  "aws:kms/key:Key",
  "aws:kms/replicaKey:ReplicaKey",
  "aws:kms/externalKey:ExternalKey",
  "aws:kms/replicaExternalKey:ReplicaExternalKey",
];

const ALIAS_TYPE = "aws:kms/alias:Alias";

export const kmsKeyOwnerVerified: StackValidationPolicy = stackRule({
  name: "kms-key-owner-verified",
  description:
    "Reports an encryption key given by key ARN, key id or alias ARN that is not declared in the stack, since its owner cannot be verified.",
  enforcementLevel: "advisory",
  check: (index, _config, report) => {
    const byType = new Map(AT_REST_TYPES.map((t) => [t.type, t]));
    const references: { urn: string; label: string; arg: string; key: unknown }[] = [];
    for (const node of index.nodes) {
      const entry = byType.get(node.type);
      const state = entry?.state(node.props);
      if (entry && state?.keyArg)
        references.push({ urn: node.urn, label: entry.label, arg: state.keyArg, key: state.key });
    }
    for (const configs of s3Model(index).sse.values())
      for (const sse of configs)
        if (!sse.key.declared)
          references.push({
            urn: sse.urn,
            label: "S3 encryption configuration",
            arg: "kmsMasterKeyId",
            key: sse.key.value,
          });
    for (const { urn, label, arg, key } of references) {
      const ref = keyRef(key);
      if (ref.kind !== "customer" || !ref.byKeyId || !ref.value) continue;
      // An alias ARN is verified by an alias declared in the stack with that ARN, like a key ARN.
      if (index.find([...KEY_TYPES, ALIAS_TYPE], ref.value).length > 0) continue;
      report(
        urn,
        `${label} uses ${arg} ${ref.value}, a key not declared in this stack, so whether it is customer-managed cannot be verified: ` +
          "a key ARN or id looks the same for an AWS-managed key. Expected a key declared in this stack, or a custom alias of a customer-managed key.",
      );
    }
  },
});

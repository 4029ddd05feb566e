/**
 * S3 rules. With aws v7 a bucket's encryption, versioning and policy are separate resources that
 * target it, so these are stack rules: a bucket is judged by the resources that point at it.
 */
import { StackValidationPolicy } from "@pulumi/policy";
import { stackRule } from "../lib/rule";
import { get, isUnknown, show, UNKNOWN } from "../lib/values";
import { bucketEncryption, BucketEncryptionOptions } from "./bucketEncryption";
import { s3Model, versioningEnabled } from "./s3Model";

export const SSE_S3_EXEMPTION_TAG = "payments-dr:sse-s3-reason";

const exemptionTagKey = {
  type: "string" as const,
  default: SSE_S3_EXEMPTION_TAG,
  minLength: 1,
  description:
    "Tag whose non-empty value exempts a bucket from SSE-KMS and states why (e.g. ALB access logs).",
};

export const s3EncryptionAtRest = stackRule<BucketEncryptionOptions>({
  name: "s3-bucket-encryption-at-rest",
  description:
    "Requires every S3 bucket to be targeted by a server-side encryption configuration using SSE-KMS with a customer-managed key in the bucket's Region.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      requireCustomerManagedKey: {
        type: "boolean",
        default: true,
        description: "Refuse the AWS-managed aws/s3 key.",
      },
      exemptionTagKey,
      allowSseS3Exemption: {
        type: "boolean",
        default: true,
        description:
          "Accept SSE-S3 (AES256) on buckets carrying the exemption tag; each is still reported by s3-bucket-sse-s3-exemption.",
      },
    },
  },
  check: (index, config, report) => {
    const model = s3Model(index);
    for (const bucket of model.buckets) {
      const result = bucketEncryption(model, bucket, config);
      if (result.ok === false)
        report(bucket.urn, `S3 bucket ${bucket.name} is not encrypted with SSE-KMS: ${result.problem}.`);
      else if (result.ok === UNKNOWN)
        report(
          bucket.urn,
          `S3 bucket ${bucket.name}: SSE-KMS with a customer-managed key in its Region cannot be proven at preview: ${result.problem}. ` +
            "Expected the configuration's key to be known or to come from a KMS key declared in this stack; an unprovable bucket is refused.",
        );
    }
  },
});

export const s3SseS3Exemption = stackRule<{ exemptionTagKey: string }>({
  name: "s3-bucket-sse-s3-exemption",
  description:
    "Reports every S3 bucket that uses SSE-S3 instead of SSE-KMS under the documented exemption tag, so no exemption is silent.",
  enforcementLevel: "advisory",
  configSchema: { properties: { exemptionTagKey } },
  check: (index, config, report) => {
    const model = s3Model(index);
    const options = {
      requireCustomerManagedKey: true,
      exemptionTagKey: config.exemptionTagKey,
      allowSseS3Exemption: true,
    };
    for (const bucket of model.buckets) {
      const { exemptionReason } = bucketEncryption(model, bucket, options);
      if (exemptionReason !== undefined) {
        report(
          bucket.urn,
          `S3 bucket ${bucket.name} uses SSE-S3 (AES256) instead of SSE-KMS under the "${config.exemptionTagKey}" exemption: ${show(exemptionReason)}. ` +
            "Expected SSE-KMS with a customer-managed key wherever the writing service supports it; review that the reason still holds.",
        );
      }
    }
  },
});

/** True when a policy document denies every request not made over TLS. */
export function deniesInsecureTransport(policy: unknown): boolean {
  let document: unknown = policy;
  if (typeof policy === "string") {
    try {
      document = JSON.parse(policy);
    } catch {
      return false;
    }
  }
  const statements = get(document, "Statement");
  for (const statement of Array.isArray(statements) ? statements : [statements]) {
    const principal = get(statement, "Principal");
    const actions = [get(statement, "Action")].flat();
    const secure = get(statement, "Condition", "Bool", "aws:SecureTransport");
    if (
      get(statement, "Effect") === "Deny" &&
      (principal === "*" || get(principal, "AWS") === "*") &&
      actions.some((a) => a === "s3:*" || a === "*") &&
      String(secure) === "false"
    ) {
      return true;
    }
  }
  return false;
}

export const s3TlsOnly = stackRule({
  name: "s3-bucket-tls-only",
  description: "Requires every S3 bucket to have a bucket policy that denies any request not made over TLS.",
  enforcementLevel: "mandatory",
  check: (index, _config, report) => {
    const model = s3Model(index);
    for (const bucket of model.buckets) {
      const policies = model.policies.get(bucket.urn) ?? [];
      if (policies.some(isUnknown) || (policies.length === 0 && model.undetermined.policies.has(bucket.urn)))
        continue;
      if (!policies.some(deniesInsecureTransport)) {
        report(
          bucket.urn,
          `S3 bucket ${bucket.name} accepts requests without TLS: expected a bucket policy statement with Effect "Deny", Principal "*", ` +
            `Action "s3:*" and Condition Bool aws:SecureTransport "false", found ${policies.length === 0 ? "no bucket policy" : "a policy without it"}. ` +
            "Without it, data and credentials can cross the network in clear text.",
        );
      }
    }
  },
});

export const s3VersioningReplicated = stackRule({
  name: "s3-bucket-versioning-replicated",
  description:
    "Requires versioning on every S3 bucket that is the source or destination of replication, so an overwrite or delete is recoverable on both sides.",
  enforcementLevel: "advisory",
  check: (index, _config, report) => {
    const model = s3Model(index);
    const involved = new Map<string, string>();
    for (const replication of model.replications) {
      if (replication.sources !== UNKNOWN) for (const s of replication.sources) involved.set(s.urn, "source");
      if (replication.rules === UNKNOWN) continue;
      for (const rule of replication.rules) {
        if (rule.destinations !== UNKNOWN)
          for (const d of rule.destinations) involved.set(d.urn, "destination");
      }
    }
    for (const [urn, role] of involved) {
      const bucket = index.byUrn(urn);
      if (bucket && versioningEnabled(model, bucket) === false) {
        report(
          urn,
          `S3 bucket ${bucket.name} is a replication ${role} without versioning: expected a BucketVersioning with status "Enabled", found none enabled. ` +
            "Replication requires it, and without versions a mistaken overwrite or delete replicates and cannot be undone.",
        );
      }
    }
  },
});

export const s3Policies: StackValidationPolicy[] = [
  s3EncryptionAtRest,
  s3SseS3Exemption,
  s3TlsOnly,
  s3VersioningReplicated,
];

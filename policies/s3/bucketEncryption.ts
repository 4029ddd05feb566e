/**
 * Whether a bucket's server-side encryption meets the pack's bar: SSE-KMS under a customer-managed
 * key, or SSE-S3 under the documented exemption tag. Read from the stack's S3 model (s3Model.ts).
 */
import { StackNode } from "../lib/stackIndex";
import { show, UNKNOWN, Unknown } from "../lib/values";
import { BucketSse, S3Model } from "./s3Model";

export interface BucketEncryption {
  readonly ok: boolean | Unknown;
  /** Why not, stating expected and actual (or, when UNKNOWN, what is unknown). */
  readonly problem?: string;
  /** Set when the bucket uses SSE-S3 under the documented exemption tag. */
  readonly exemptionReason?: string;
}

export interface BucketEncryptionOptions {
  readonly requireCustomerManagedKey: boolean;
  readonly exemptionTagKey: string;
  readonly allowSseS3Exemption: boolean;
}

/** Whether a bucket is encrypted with SSE-KMS (a customer-managed key in its own Region). */
export function bucketEncryption(
  model: S3Model,
  bucket: StackNode,
  options: BucketEncryptionOptions,
): BucketEncryption {
  const configs = model.sse.get(bucket.urn) ?? [];
  if (configs.length === 0) {
    if (model.undetermined.sse.has(bucket.urn))
      return {
        ok: UNKNOWN,
        problem:
          "an encryption configuration whose bucket is unknown until apply may target it, and none is proven to",
      };
    return {
      ok: false,
      problem:
        'no BucketServerSideEncryptionConfiguration targets it: expected one with sseAlgorithm "aws:kms" and a customer-managed key ' +
        "(S3's default SSE-S3 uses an AWS-owned key that no key policy or audit trail of yours controls)",
    };
  }
  // Every configuration that targets the bucket must be compliant: any one of them may win.
  let verdict: BucketEncryption = { ok: true };
  for (const config of configs) {
    const one = sseVerdict(config, bucket, options);
    if (one.ok === false) return one;
    if (one.ok === UNKNOWN) verdict = one;
    else if (verdict.ok === true && one.exemptionReason !== undefined) verdict = one;
  }
  return verdict;
}

function sseVerdict(
  config: BucketSse,
  bucket: StackNode,
  options: BucketEncryptionOptions,
): BucketEncryption {
  const { algorithm, key } = config;
  if (algorithm === UNKNOWN) return { ok: UNKNOWN, problem: "its sseAlgorithm is unknown until apply" };
  if ((algorithm === "aws:kms" || algorithm === "aws:kms:dsse") && key.kind === "unknown")
    return {
      ok: UNKNOWN,
      problem: `its ${key.unknownBecause ?? "kmsMasterKeyId is unknown until apply"}, so neither its owner nor its Region can be proven`,
    };
  if (bucket.region === UNKNOWN && key.region)
    return {
      ok: UNKNOWN,
      problem: "its Region is unknown until apply, so its key's Region cannot be checked",
    };
  if (algorithm === "aws:kms" || algorithm === "aws:kms:dsse") {
    if (options.requireCustomerManagedKey && key.kind !== "customer") {
      return {
        ok: false,
        problem: `its SSE-KMS configuration has kmsMasterKeyId ${show(key.value)}: expected a customer-managed KMS key (the AWS-managed aws/s3 key cannot be shared, audited or revoked by you)`,
      };
    }
    if (key.region && typeof bucket.region === "string" && key.region !== bucket.region) {
      return {
        ok: false,
        problem: `it is in ${bucket.region} but its kmsMasterKeyId is a key in ${key.region}: expected a key in ${bucket.region}, so the bucket stays readable when the other Region is lost`,
      };
    }
    return { ok: true };
  }
  const tags = bucket.tags;
  const reason = tags === UNKNOWN ? undefined : tags[options.exemptionTagKey];
  if (
    algorithm === "AES256" &&
    options.allowSseS3Exemption &&
    typeof reason === "string" &&
    reason.trim() !== ""
  ) {
    return { ok: true, exemptionReason: reason };
  }
  return {
    ok: false,
    problem:
      `its sseAlgorithm is ${show(algorithm)}: expected "aws:kms" with a customer-managed key` +
      (algorithm === "AES256"
        ? ` (or, where a service only supports SSE-S3, a "${options.exemptionTagKey}" tag stating why)`
        : ""),
  };
}

/** Whether the bucket's versioning is enabled (`UNKNOWN` when it cannot be known before apply). */

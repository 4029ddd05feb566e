/**
 * Two configurations on one bucket (issue 13 §3): a compliant one does not hide a second that is
 * not. S3 keeps one encryption and one replication configuration per bucket, the last applied.
 */
import { PRIMARY, resource, urnOf } from "../fixtures";
import { bucket, replicatedBuckets, replication, T } from "../scenarios";
import type { Mutant } from "./mutant";

const APP = urnOf(T.bucket, "app");
const REPLICA = urnOf(T.bucket, "app-replica");
const second = (to: string, rule: Record<string, unknown> = {}) =>
  resource(T.replication, "app-replication-2", replication("app", to, rule).inputs);

export const TWO_CONFIGS: readonly Mutant[] = [
  {
    name: "S3 bucket with a second encryption configuration using SSE-S3 without exemption",
    resources: [
      ...replicatedBuckets(),
      resource(T.sse, "app-sse-2", {
        bucket: "app",
        rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
      }),
    ],
    policy: "s3-bucket-encryption-at-rest",
    urn: APP,
    fragment: 'S3 bucket app is not encrypted with SSE-KMS: its sseAlgorithm is "AES256": expected "aws:kms"',
  },
  {
    name: "S3 bucket with a second replication configuration that is disabled",
    resources: [...replicatedBuckets(), second("app-replica", { status: "Disabled" })],
    policy: "aws-datastore-cross-region-copy",
    urn: APP,
    alsoReported: [REPLICA],
    fragment:
      "bucket app is the source of 2 replication configurations (app-replication, app-replication-2), and S3 keeps only the last one applied; expected every configuration to copy the whole bucket to another Region, but app-replication-2: S3 replication rule crr is not enabled",
  },
  {
    name: "S3 bucket with a second replication configuration to a bucket in its own Region",
    resources: [...replicatedBuckets(), ...bucket("app-same", PRIMARY), second("app-same")],
    policy: "aws-datastore-cross-region-copy",
    urn: APP,
    alsoReported: [REPLICA, urnOf(T.bucket, "app-same")],
    fragment: `app-replication-2: S3 replication rule crr (to bucket app-same) stays in ${PRIMARY}, the store's own Region`,
  },
];

/**
 * What a stack says about each S3 bucket, from the aws v7 split resources that target it:
 * server-side encryption, versioning, bucket policy and replication. Built once per stack index
 * (linear: one pass over each of those resource types) and shared by the S3 and cross-Region rules.
 */
import { provenKey, ProvenKey } from "../lib/keys";
import { StackIndex, StackNode } from "../lib/stackIndex";
import { get, isUnknown, list, show, str, UNKNOWN, Unknown } from "../lib/values";

export const BUCKET_TYPES = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"] as const;
const SSE_TYPES = [
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
];
const VERSIONING_TYPES = [
  "aws:s3/bucketVersioning:BucketVersioning",
  "aws:s3/bucketVersioningV2:BucketVersioningV2",
];
const POLICY_TYPES = ["aws:s3/bucketPolicy:BucketPolicy"];
const REPLICATION_TYPES = ["aws:s3/bucketReplicationConfig:BucketReplicationConfig"];

export interface BucketSse {
  readonly urn: string;
  readonly algorithm: string | Unknown | undefined;
  readonly key: ProvenKey;
}

export interface ReplicationRule {
  readonly id: string;
  readonly enabled: boolean | Unknown;
  /** Destination bucket resources in this stack (empty: not declared here; UNKNOWN: cannot tell). */
  readonly destinations: StackNode[] | Unknown;
  readonly destinationArn: string | Unknown | undefined;
  readonly replicaKey: ProvenKey;
  readonly replicatesKmsObjects: boolean | Unknown | undefined;
  /** The objects the rule selects when not the whole bucket (prefix/tag filter); undefined: all. */
  readonly partialFilter: string | Unknown | undefined;
}

export interface BucketReplication {
  readonly node: StackNode;
  readonly sources: StackNode[] | Unknown;
  readonly rules: ReplicationRule[] | Unknown;
}

export interface S3Model {
  readonly buckets: StackNode[];
  readonly sse: Map<string, BucketSse[]>;
  readonly versioning: Map<string, (string | Unknown | undefined)[]>;
  readonly policies: Map<string, unknown[]>;
  readonly replications: BucketReplication[];
  /**
   * URNs of the buckets that a configuration whose target cannot be known before apply could
   * target (those buckets are not judged on that aspect; every other bucket is).
   */
  readonly undetermined: { sse: Set<string>; versioning: Set<string>; policies: Set<string> };
}

const models = new WeakMap<StackIndex, S3Model>();

export function s3Model(index: StackIndex): S3Model {
  let model = models.get(index);
  if (model) return model;
  const undetermined = { sse: new Set<string>(), versioning: new Set<string>(), policies: new Set<string>() };
  const byBucket = <T>(
    types: readonly string[],
    flag: keyof typeof undetermined,
    read: (n: StackNode) => T,
  ) => {
    const map = new Map<string, T[]>();
    for (const node of index.byType(...types)) {
      const value = get(node.props, "bucket");
      const targets = index.resolve(node, "bucket", value, BUCKET_TYPES);
      const definite = !isUnknown(value) || (targets !== UNKNOWN && targets.length === 1);
      if (!definite) {
        for (const bucket of targets === UNKNOWN ? possibleTargets(index, node) : targets)
          undetermined[flag].add(bucket.urn);
        continue;
      }
      if (targets === UNKNOWN) continue;
      for (const bucket of targets) map.set(bucket.urn, [...(map.get(bucket.urn) ?? []), read(node)]);
    }
    return map;
  };
  const sse = byBucket<BucketSse>(SSE_TYPES, "sse", (node) => {
    const rules = list(node.props, "rules");
    const first = rules === UNKNOWN ? UNKNOWN : rules[0];
    return {
      urn: node.urn,
      algorithm: str(first, "applyServerSideEncryptionByDefault", "sseAlgorithm"),
      key: provenKey(index, node, ["rules", 0, "applyServerSideEncryptionByDefault", "kmsMasterKeyId"]),
    };
  });
  const versioning = byBucket(VERSIONING_TYPES, "versioning", (n) =>
    str(n.props, "versioningConfiguration", "status"),
  );
  const policies = byBucket(POLICY_TYPES, "policies", (n) => get(n.props, "policy"));
  const replications = index.byType(...REPLICATION_TYPES).map((node) => replicationOf(index, node));
  model = { buckets: index.byType(...BUCKET_TYPES), sse, versioning, policies, replications, undetermined };
  models.set(index, model);
  return model;
}

/**
 * The buckets a configuration with an unknown `bucket` and no bucket among its dependencies could
 * still target: a bucket whose own name is unknown, or one that depends on what the name comes from.
 */
function possibleTargets(index: StackIndex, config: StackNode): StackNode[] {
  const sources = new Set(config.propertyDependencies.bucket ?? config.dependencies);
  return index
    .byType(...BUCKET_TYPES)
    .filter((b) => isUnknown(get(b.props, "bucket")) || b.dependencies.some((d) => sources.has(d)));
}

function replicationOf(index: StackIndex, node: StackNode): BucketReplication {
  const sources = index.resolve(node, "bucket", get(node.props, "bucket"), BUCKET_TYPES);
  const items = list(node.props, "rules");
  const rules =
    items === UNKNOWN
      ? UNKNOWN
      : items.map((rule, i): ReplicationRule => {
          const status = str(rule, "status");
          const arn = str(rule, "destination", "bucket");
          const kms = str(rule, "sourceSelectionCriteria", "sseKmsEncryptedObjects", "status");
          return {
            id: String(str(rule, "id") ?? `rules[${i}]`),
            enabled: status === UNKNOWN ? UNKNOWN : status === "Enabled",
            destinationArn: arn,
            destinations:
              arn === UNKNOWN
                ? unknownDestination(index, node, sources)
                : arn
                  ? destinationBuckets(index, arn)
                  : [],
            replicaKey: provenKey(index, node, [
              "rules",
              i,
              "destination",
              "encryptionConfiguration",
              "replicaKmsKeyId",
            ]),
            replicatesKmsObjects:
              kms === UNKNOWN ? UNKNOWN : kms === undefined ? undefined : kms === "Enabled",
            partialFilter: partialFilter(rule),
          };
        });
  return { node, sources, rules };
}

/**
 * What a rule's filter selects when it is not the whole bucket: a non-empty prefix (in `filter`,
 * or the deprecated rule-level `prefix`), a tag, or an `and` of them. Empty or absent: undefined.
 */
function partialFilter(rule: unknown): string | Unknown | undefined {
  const parts = [
    ["prefix", get(rule, "prefix")],
    ["prefix", get(rule, "filter", "prefix")],
    ["tag", get(rule, "filter", "tag")],
    ["and", get(rule, "filter", "and")],
  ] as const;
  if (parts.some(([, v]) => v === UNKNOWN)) return UNKNOWN;
  const set = parts.filter(([, v]) => v !== undefined && v !== null && v !== "" && !isEmptyObject(v));
  if (set.length === 0) return undefined;
  if (set.some(([, v]) => hasUnknown(v))) return UNKNOWN;
  return set.map(([k, v]) => `${k} ${show(v)}`).join(" and ");
}

const hasUnknown = (v: unknown): boolean =>
  isUnknown(v) || (typeof v === "object" && v !== null && Object.values(v).some(hasUnknown));
const isEmptyObject = (v: unknown) =>
  typeof v === "object" &&
  v !== null &&
  Object.values(v).every((x) => x === undefined || x === null || x === "");

/**
 * At preview a destination bucket created in the same update has an unknown ARN; the `rules`
 * property depends on it. The buckets among those dependencies other than the source prove the
 * destination when there is exactly one; otherwise it stays unknown.
 */
function unknownDestination(
  index: StackIndex,
  node: StackNode,
  sources: StackNode[] | Unknown,
): StackNode[] | Unknown {
  const candidates = (node.propertyDependencies["rules"] ?? [])
    .map((urn) => index.byUrn(urn))
    .filter(
      (n): n is StackNode =>
        n !== undefined &&
        (BUCKET_TYPES as readonly string[]).includes(n.type) &&
        (sources === UNKNOWN || !sources.includes(n)),
    );
  return candidates.length === 1 ? candidates : UNKNOWN;
}

/** Buckets named by a destination ARN (`arn:aws:s3:::name`) or plain name. */
function destinationBuckets(index: StackIndex, arn: string): StackNode[] {
  const byArn = index.find(BUCKET_TYPES, arn);
  return byArn.length > 0 ? byArn : index.find(BUCKET_TYPES, arn.replace(/^arn:[^:]+:s3:::/, ""));
}

export function versioningEnabled(model: S3Model, bucket: StackNode): boolean | Unknown {
  const statuses = model.versioning.get(bucket.urn) ?? [];
  if (statuses.includes(UNKNOWN)) return UNKNOWN;
  if (statuses.includes("Enabled")) return true;
  return model.undetermined.versioning.has(bucket.urn) ? UNKNOWN : false;
}

/**
 * S3 replication as a cross-Region copy: the source and the replica are each other's copy in
 * another Region. S3 keeps ONE replication configuration per bucket (PutBucketReplication replaces
 * the whole configuration), so two `BucketReplicationConfig` resources on one bucket overwrite each
 * other on every update and the last applied wins: the bucket is covered only when every
 * configuration targeting it is a verified copy on its own.
 */
import { StackIndex, StackNode } from "../lib/stackIndex";
import { show, UNKNOWN } from "../lib/values";
import { bucketEncryption } from "../s3/bucketEncryption";
import { s3Model } from "../s3/s3Model";
import { addCoverage, copyVerdict, Coverage, CoverageMap } from "./coverage";

interface Found {
  readonly config: StackNode;
  readonly bucket: StackNode;
  readonly coverage: Coverage;
}

export function s3ReplicationCoverage(index: StackIndex, map: CoverageMap): void {
  const model = s3Model(index);
  const s3Options = { requireCustomerManagedKey: true, exemptionTagKey: "", allowSseS3Exemption: false };
  const sources: Found[] = [];
  const replicas: (Found & { readonly source: StackNode })[] = [];
  let current: StackNode | undefined;
  const add = (config: StackNode, bucket: StackNode, coverage: Coverage) => {
    if (coverage.detail.startsWith("replica of"))
      replicas.push({ config, bucket, coverage, source: current! });
    else sources.push({ config, bucket, coverage });
  };
  for (const replication of model.replications) {
    if (replication.sources === UNKNOWN || replication.rules === UNKNOWN) continue;
    for (const source of replication.sources) {
      current = source;
      for (const rule of replication.rules) {
        const what = `S3 replication rule ${rule.id}`;
        if (rule.enabled !== true) {
          add(replication.node, source, { ok: rule.enabled, detail: `${what} is not enabled` });
          continue;
        }
        if (rule.partialFilter !== undefined) {
          // Only part of the bucket reaches the other Region: not a copy of the bucket's data.
          add(replication.node, source, {
            ok: rule.partialFilter === UNKNOWN ? UNKNOWN : false,
            detail: `${what} replicates only objects matching ${String(rule.partialFilter === UNKNOWN ? "" : rule.partialFilter)}: expected an empty filter (filter: {}) so the whole bucket is replicated`,
          });
          if (rule.partialFilter === UNKNOWN && rule.destinations !== UNKNOWN)
            for (const dest of rule.destinations) add(replication.node, dest, { ok: UNKNOWN, detail: what });
          continue;
        }
        if (rule.destinations === UNKNOWN) {
          add(replication.node, source, {
            ok: UNKNOWN,
            detail: `${what}'s destination bucket is unknown until apply and its dependencies do not single one out`,
          });
          continue;
        }
        if (rule.destinations.length === 0) {
          add(replication.node, source, {
            ok: false,
            detail: `${what} replicates to ${show(rule.destinationArn)}, which is not declared in this stack, so its Region and encryption cannot be verified`,
          });
          continue;
        }
        for (const dest of rule.destinations) {
          let verdict = copyVerdict(
            `${what} (to bucket ${dest.name})`,
            source.region,
            dest.region,
            rule.replicaKey,
            false,
          );
          const encryption = bucketEncryption(model, dest, s3Options);
          if (verdict.ok === true && encryption.ok !== true) {
            verdict =
              encryption.ok === UNKNOWN
                ? {
                    ok: UNKNOWN,
                    detail: `${what}: replica bucket ${dest.name}'s encryption: ${encryption.problem}`,
                  }
                : {
                    ok: false,
                    detail: `replica bucket ${dest.name} is not encrypted with SSE-KMS: ${encryption.problem}`,
                  };
          }
          if (verdict.ok === true && bucketEncryption(model, source, s3Options).ok === true) {
            if (rule.replicatesKmsObjects !== true || rule.replicaKey.kind === "none") {
              verdict = {
                ok: rule.replicatesKmsObjects === UNKNOWN ? UNKNOWN : false,
                detail: `${what} does not replicate SSE-KMS objects: expected sourceSelectionCriteria.sseKmsEncryptedObjects.status "Enabled" and destination.encryptionConfiguration.replicaKmsKeyId (a key in ${String(dest.region)})`,
              };
            }
          }
          add(replication.node, source, verdict);
          if (verdict.ok === true)
            add(replication.node, dest, {
              ok: true,
              detail: `replica of bucket ${source.name} in ${String(source.region)}`,
            });
        }
      }
    }
  }

  // Configurations per source bucket: with more than one, each must cover the bucket by itself.
  const configsOf = new Map<string, Map<string, Found[]>>();
  for (const found of sources) {
    const byConfig = configsOf.get(found.bucket.urn) ?? new Map<string, Found[]>();
    byConfig.set(found.config.urn, [...(byConfig.get(found.config.urn) ?? []), found]);
    configsOf.set(found.bucket.urn, byConfig);
  }
  const conflicted = new Set<string>();
  for (const [bucketUrn, byConfig] of configsOf) {
    const bucket = byConfig.values().next().value![0].bucket;
    if (byConfig.size < 2) {
      for (const found of byConfig.values().next().value!) addCoverage(map, bucket, found.coverage);
      continue;
    }
    const failing = [...byConfig.values()].filter((found) => !found.some((f) => f.coverage.ok === true));
    if (failing.length === 0) {
      for (const found of byConfig.values()) for (const f of found) addCoverage(map, bucket, f.coverage);
      continue;
    }
    conflicted.add(bucketUrn);
    const names = [...byConfig.values()].map((found) => found[0].config.name).sort();
    const why = failing
      .map(
        (found) =>
          `${found[0].config.name}: ${found
            .map((f) => f.coverage.detail)
            .sort()
            .join("; ")}`,
      )
      .sort();
    addCoverage(map, bucket, {
      ok: failing.every((found) => found.some((f) => f.coverage.ok === UNKNOWN)) ? UNKNOWN : false,
      detail:
        `bucket ${bucket.name} is the source of ${names.length} replication configurations (${names.join(", ")}), ` +
        `and S3 keeps only the last one applied; expected every configuration to copy the whole bucket to another Region, but ${why.join("; ")}`,
    });
  }
  // A replica receives nothing while its source's configuration may be replaced by another one.
  for (const replica of replicas)
    if (!conflicted.has(replica.source.urn)) addCoverage(map, replica.bucket, replica.coverage);
}

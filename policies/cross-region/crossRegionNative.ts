/**
 * Native cross-Region replication, per service: each mechanism declared in the stack records, for
 * the stores it protects, whether it really lands in another Region encrypted with that Region's key.
 * One pass per mechanism type; lookups go through the stack index.
 */
import { StackIndex, StackNode } from "../lib/stackIndex";
import { get, show, UNKNOWN } from "../lib/values";
import { addCoverage, copyVerdict, CoverageMap } from "./coverage";
import { moreCoverage } from "./moreCopies";
import { serviceCoverage } from "./nativeServices";
import { bucketEncryption } from "../s3/bucketEncryption";
import { s3Model } from "../s3/s3Model";
import { EXPORTED_STORE_IDS, exporterOf, REPOSITORY_DOMAIN_TYPES, repositoryOf } from "./snapshotExporters";

export function nativeCoverage(index: StackIndex, snapshotBucketTagKey: string): CoverageMap {
  const map: CoverageMap = new Map();
  const resolveOne = (from: StackNode, prop: string, types: readonly string[]) => {
    const found = index.resolve(from, prop, get(from.props, prop), types);
    return found === UNKNOWN ? [] : found;
  };

  // S3 replication: the source and the replica are each other's copy in another Region.
  const model = s3Model(index);
  const s3Options = { requireCustomerManagedKey: true, exemptionTagKey: "", allowSseS3Exemption: false };
  for (const replication of model.replications) {
    if (replication.sources === UNKNOWN || replication.rules === UNKNOWN) continue;
    for (const source of replication.sources) {
      for (const rule of replication.rules) {
        const what = `S3 replication rule ${rule.id}`;
        if (rule.enabled !== true) {
          addCoverage(map, source, { ok: rule.enabled, detail: `${what} is not enabled` });
          continue;
        }
        if (rule.partialFilter !== undefined) {
          // Only part of the bucket reaches the other Region: not a copy of the bucket's data.
          addCoverage(map, source, {
            ok: rule.partialFilter === UNKNOWN ? UNKNOWN : false,
            detail: `${what} replicates only objects matching ${String(rule.partialFilter === UNKNOWN ? "" : rule.partialFilter)}: expected an empty filter (filter: {}) so the whole bucket is replicated`,
          });
          if (rule.partialFilter === UNKNOWN && rule.destinations !== UNKNOWN)
            for (const dest of rule.destinations) addCoverage(map, dest, { ok: UNKNOWN, detail: what });
          continue;
        }
        if (rule.destinations === UNKNOWN) {
          addCoverage(map, source, {
            ok: UNKNOWN,
            detail: `${what}'s destination bucket is unknown until apply and its dependencies do not single one out`,
          });
          continue;
        }
        if (rule.destinations.length === 0) {
          addCoverage(map, source, {
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
          addCoverage(map, source, verdict);
          if (verdict.ok === true)
            addCoverage(map, dest, {
              ok: true,
              detail: `replica of bucket ${source.name} in ${String(source.region)}`,
            });
        }
      }
    }
  }

  serviceCoverage(index, map, resolveOne);
  moreCoverage(index, map, resolveOne);

  // Snapshots exported to a bucket that replicates to another Region (declared with a tag). The
  // store also needs what does it (snapshotExporters.ts): a scheduled exporter for ElastiCache, a
  // scheduled snapshot repository for OpenSearch; no other type can count the tag.
  for (const node of index.nodes) {
    if (node.tags === UNKNOWN) continue;
    const bucketName = node.tags[snapshotBucketTagKey];
    if (bucketName === UNKNOWN) {
      addCoverage(map, node, {
        ok: UNKNOWN,
        detail: `snapshots exported to the bucket its "${snapshotBucketTagKey}" tag names`,
      });
      continue;
    }
    if (typeof bucketName !== "string") continue;
    // Only stores whose snapshots a verified exporter can put in S3 count the tag as a copy.
    const exported = EXPORTED_STORE_IDS[node.type] !== undefined;
    if (!exported && !REPOSITORY_DOMAIN_TYPES.includes(node.type)) {
      addCoverage(map, node, {
        ok: false,
        detail: `its "${snapshotBucketTagKey}" tag names bucket ${bucketName}, but ${node.type} snapshots are not exported to S3 by a verified exporter (the tag counts only on ElastiCache with a scheduled exporter and OpenSearch with a scheduled snapshot repository)`,
      });
      continue;
    }
    const buckets = index.find(["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"], bucketName);
    const replicated = buckets.flatMap((b) =>
      (map.get(b.urn) ?? []).filter((c) => c.ok === true && !c.detail.startsWith("replica of")),
    );
    if (replicated.length === 0) {
      addCoverage(map, node, {
        ok: false,
        detail: `its "${snapshotBucketTagKey}" tag names bucket ${bucketName}, which is ${buckets.length ? "not replicated to another Region" : "not declared in this stack"}`,
      });
      continue;
    }
    const exporter = exported ? exporterOf(index, node, bucketName) : repositoryOf(index, node, bucketName);
    if (exporter.ok !== true) {
      addCoverage(map, node, {
        ok: exporter.ok,
        detail:
          "detail" in exporter
            ? `its "${snapshotBucketTagKey}" tag names bucket ${bucketName}, but ${exporter.detail}`
            : `its snapshot ${exported ? "exporter" : "repository"}`,
      });
      continue;
    }
    addCoverage(map, node, {
      ok: true,
      detail: `snapshots exported to bucket ${bucketName} ${exporter.detail} (${replicated[0].detail})`,
    });
  }
  return map;
}

/**
 * Native cross-Region replication, per service: each mechanism declared in the stack records, for
 * the stores it protects, whether it really lands in another Region encrypted with that Region's key.
 * One pass per mechanism type; lookups go through the stack index.
 */
import { StackIndex, StackNode } from "../lib/stackIndex";
import { get, UNKNOWN } from "../lib/values";
import { addCoverage, CoverageMap } from "./coverage";
import { ecrReplicationCoverage } from "./ecrReplication";
import { moreCoverage } from "./moreCopies";
import { serviceCoverage } from "./nativeServices";
import { s3ReplicationCoverage } from "./s3Replication";
import { EXPORTED_STORE_IDS, exporterOf, REPOSITORY_DOMAIN_TYPES, repositoryOf } from "./snapshotExporters";

export function nativeCoverage(index: StackIndex, snapshotBucketTagKey: string): CoverageMap {
  const map: CoverageMap = new Map();
  const resolveOne = (from: StackNode, prop: string, types: readonly string[]) => {
    const found = index.resolve(from, prop, get(from.props, prop), types);
    return found === UNKNOWN ? [] : found;
  };

  s3ReplicationCoverage(index, map);

  serviceCoverage(index, map, resolveOne);
  moreCoverage(index, map, resolveOne);
  ecrReplicationCoverage(index, map);

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

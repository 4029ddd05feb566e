/**
 * Copy mechanisms beyond nativeServices.ts: legacy (2017) DynamoDB global tables, Aurora
 * cross-Region read replicas (`replicationSourceIdentifier`) and Data Lifecycle Manager policies
 * that copy EBS snapshots to another Region. Each records its verdict for the stores it protects.
 */
import { provenKey } from "../lib/keys";
import { StackIndex, StackNode } from "../lib/stackIndex";
import { get, isUnknown, list, str, UNKNOWN } from "../lib/values";
import { addCoverage, copyVerdict, Coverage, CoverageMap } from "./coverage";

const TABLE = "aws:dynamodb/table:Table";
const CLUSTER = "aws:rds/cluster:Cluster";
const VOLUME = "aws:ebs/volume:Volume";

export function moreCoverage(
  index: StackIndex,
  map: CoverageMap,
  resolveOne: (from: StackNode, prop: string, types: readonly string[]) => StackNode[],
): void {
  legacyGlobalTables(index, map);
  for (const replica of index.byType(CLUSTER)) {
    if (get(replica.props, "replicationSourceIdentifier") === undefined) continue;
    for (const source of resolveOne(replica, "replicationSourceIdentifier", [CLUSTER])) {
      const verdict = copyVerdict(
        `cross-Region read replica cluster ${replica.name}`,
        source.region,
        replica.region,
        provenKey(index, replica, ["kmsKeyId"]),
        false,
      );
      addCoverage(map, source, verdict);
      if (verdict.ok === true)
        addCoverage(map, replica, {
          ok: true,
          detail: `replica of ${source.name} in ${String(source.region)}`,
        });
    }
  }
  dlmCopies(index, map);
}

/**
 * A 2017 global table joins same-named tables, one per listed Region; the member tables hold the
 * data (and are judged for encryption themselves). Each member is copied by the others.
 */
function legacyGlobalTables(index: StackIndex, map: CoverageMap): void {
  for (const global of index.byType("aws:dynamodb/globalTable:GlobalTable")) {
    const name = str(global.props, "name");
    const replicas = list(global.props, "replicas");
    if (typeof name !== "string" || replicas === UNKNOWN) continue;
    const regions = replicas.map((r) => str(r, "regionName"));
    const members = index
      .byType(TABLE)
      .filter((t) => str(t.props, "name") === name && regions.includes(t.region as string));
    for (const member of members)
      for (const other of members.filter((o) => o.region !== member.region))
        addCoverage(
          map,
          member,
          copyVerdict(
            `legacy global table ${name} member ${other.name}`,
            member.region,
            other.region,
            provenKey(index, other, ["serverSideEncryption", "kmsKeyArn"]),
            false,
          ),
        );
  }
}

/**
 * A DLM EBS snapshot policy (enabled) copies the snapshots of the volumes in its Region carrying
 * any of its target tags, per schedule, to each `crossRegionCopyRules` target, encrypted with
 * `cmkArn` there (an unencrypted copy of a store is not an encrypted copy).
 */
function dlmCopies(index: StackIndex, map: CoverageMap): void {
  for (const policy of index.byType("aws:dlm/lifecyclePolicy:LifecyclePolicy")) {
    const details = get(policy.props, "policyDetails");
    const types = list(details, "resourceTypes");
    if (types === UNKNOWN || !types.includes("VOLUME")) continue;
    const policyType = str(details, "policyType");
    if (policyType !== undefined && policyType !== "EBS_SNAPSHOT_MANAGEMENT") continue;
    const state = str(policy.props, "state");
    const targetTags = get(details, "targetTags");
    if (targetTags === null || typeof targetTags !== "object") continue;
    const volumes = index.byType(VOLUME).filter((v) => {
      if (v.region !== policy.region || v.tags === UNKNOWN) return false;
      const tags = v.tags;
      return Object.entries(targetTags as Record<string, unknown>).some(([k, value]) => tags[k] === value);
    });
    const schedules = list(details, "schedules");
    if (schedules === UNKNOWN) continue;
    for (const [s, schedule] of schedules.entries()) {
      const rules = list(schedule, "crossRegionCopyRules");
      if (rules === UNKNOWN) continue;
      for (const [r, rule] of rules.entries()) {
        const what = `DLM policy ${policy.name} copy rule`;
        const dest = str(rule, "target") ?? str(rule, "targetRegion");
        for (const volume of volumes) {
          if (state === "DISABLED") {
            addCoverage(map, volume, { ok: false, detail: `${what} is in a DISABLED policy` });
            continue;
          }
          if (get(rule, "encrypted") !== true && !isUnknown(get(rule, "encrypted"))) {
            addCoverage(map, volume, {
              ok: false,
              detail: `${what} copies unencrypted: expected encrypted: true`,
            });
            continue;
          }
          const path = ["policyDetails", "schedules", s, "crossRegionCopyRules", r, "cmkArn"];
          addCoverage(
            map,
            volume,
            copyVerdict(what, volume.region, dest, provenKey(index, policy, path), true),
          );
        }
      }
    }
  }
}

/**
 * Why AWS Backup cannot copy `store` whatever selects it: it backs up only persistent FSx for
 * Lustre file systems, and a Lustre file system without `deploymentType` is `SCRATCH_1`.
 */
export function backupCannotCopy(store: StackNode): Coverage | undefined {
  if (store.type !== "aws:fsx/lustreFileSystem:LustreFileSystem") return undefined;
  const type = str(store.props, "deploymentType") ?? "SCRATCH_1";
  if (type === UNKNOWN)
    return {
      ok: UNKNOWN,
      detail:
        "AWS Backup: its deploymentType is unknown until apply (scratch file systems cannot be backed up)",
    };
  return type.startsWith("SCRATCH")
    ? {
        ok: false,
        detail: `AWS Backup cannot back up a scratch file system (deploymentType ${type}), so no backup selection copies it`,
      }
    : undefined;
}

/**
 * Copy mechanisms beyond nativeServices.ts: legacy (2017) DynamoDB global tables, Aurora
 * cross-Region read replicas (`replicationSourceIdentifier`) and Data Lifecycle Manager policies
 * that copy EBS snapshots to another Region. Each records its verdict for the stores it protects.
 */
import { provenKey } from "../lib/keys";
import { StackIndex, StackNode } from "../lib/stackIndex";
import { get, list, str, UNKNOWN } from "../lib/values";
import { addCoverage, copyVerdict, Coverage, CoverageMap } from "./coverage";
import { DLM_POLICY, dlmVerdicts } from "./dlmCopies";

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

/** DLM's verdicts for each EBS volume declared in the stack (dlmCopies.ts). */
function dlmCopies(index: StackIndex, map: CoverageMap): void {
  if (index.byType(DLM_POLICY).length === 0) return;
  for (const volume of index.byType(VOLUME))
    for (const verdict of dlmVerdicts(index, volume)) addCoverage(map, volume, verdict);
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

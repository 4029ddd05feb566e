/** Preconditions of a search domain's topology, checked before anything is declared. */

/**
 * Cross-cluster replication (1.1+), scheduled snapshots (Snapshot Management, 2.1+) and zone
 * awareness preconditions, as operator errors.
 */
export function validateSearchTopology(
  engineVersion: string,
  instanceCount: number,
  zoneCount: number,
  scheduledSnapshots = false,
): void {
  const match = /^OpenSearch_(\d+)\.(\d+)$/.exec(engineVersion);
  const version = match ? Number(match[1]) * 1000 + Number(match[2]) : NaN;
  if (!(version >= (scheduledSnapshots ? 2001 : 1001))) {
    throw new Error(
      `Invalid config payments-dr:search.engineVersion = "${engineVersion}": expected ` +
        (scheduledSnapshots
          ? "OpenSearch_2.1 or later (scheduled snapshots need Snapshot Management)"
          : "OpenSearch_1.1 or later (cross-cluster replication needs it)") +
        ', e.g. "OpenSearch_2.17". Fix: pulumi config set --path ' +
        "payments-dr:search.engineVersion OpenSearch_2.17",
    );
  }
  if (instanceCount % zoneCount !== 0) {
    throw new Error(
      `Invalid config payments-dr:search.instanceCount = ${instanceCount}: expected a multiple of ${zoneCount} ` +
        `(zone awareness spreads data nodes evenly over ${zoneCount} Availability Zones). Fix: pulumi config set ` +
        `--path payments-dr:search.instanceCount ${zoneCount}`,
    );
  }
}

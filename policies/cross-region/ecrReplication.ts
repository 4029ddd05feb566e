/**
 * ECR registry replication: a registry's replication configuration (one per registry and Region)
 * copies every repository its rules' filters match to each destination Region. The copy is
 * encrypted by the destination Region's repository creation template (declared by the stack of
 * that Region), which this stack cannot see; the encryption rule judges each Region's repositories.
 */
import { StackIndex } from "../lib/stackIndex";
import { isUnknown, list, str, UNKNOWN } from "../lib/values";
import { addCoverage, copyVerdict, CoverageMap } from "./coverage";

const REPOSITORY = "aws:ecr/repository:Repository";
const REPLICATION = "aws:ecr/replicationConfiguration:ReplicationConfiguration";

/** Whether a rule's filters select the repository: no filter selects all; PREFIX_MATCH compares names. */
function selects(filters: unknown[], name: string): boolean | typeof UNKNOWN {
  if (filters.length === 0) return true;
  for (const filter of filters) {
    const text = str(filter, "filter");
    const type = str(filter, "filterType");
    if (text === UNKNOWN || type === UNKNOWN) return UNKNOWN;
    if (type === "PREFIX_MATCH" && typeof text === "string" && name.startsWith(text)) return true;
  }
  return false;
}

export function ecrReplicationCoverage(index: StackIndex, map: CoverageMap): void {
  const configurations = index.byType(REPLICATION);
  for (const repository of index.byType(REPOSITORY)) {
    const name = str(repository.props, "name");
    for (const configuration of configurations) {
      if (isUnknown(repository.region) || isUnknown(configuration.region)) {
        addCoverage(map, repository, {
          ok: UNKNOWN,
          detail: "ECR registry replication: a Region is unknown until apply",
        });
        continue;
      }
      // A replication configuration replicates the registry of its own Region only.
      if (configuration.region !== repository.region) continue;
      const rules = list(configuration.props, "replicationConfiguration", "rules");
      if (rules === UNKNOWN || name === UNKNOWN || name === undefined) {
        addCoverage(map, repository, {
          ok: UNKNOWN,
          detail: "ECR registry replication rules or repository name unknown until apply",
        });
        continue;
      }
      for (const rule of rules) {
        const filters = list(rule, "repositoryFilters");
        const selected = filters === UNKNOWN ? UNKNOWN : selects(filters, name);
        if (selected === UNKNOWN) {
          addCoverage(map, repository, {
            ok: UNKNOWN,
            detail: "ECR replication rule filters unknown until apply",
          });
          continue;
        }
        if (!selected) continue;
        const destinations = list(rule, "destinations");
        if (destinations === UNKNOWN) {
          addCoverage(map, repository, {
            ok: UNKNOWN,
            detail: "ECR replication destinations unknown until apply",
          });
          continue;
        }
        for (const destination of destinations) {
          const region = str(destination, "region");
          addCoverage(
            map,
            repository,
            copyVerdict("ECR registry replication", repository.region, region, undefined, false),
          );
        }
      }
    }
  }
}

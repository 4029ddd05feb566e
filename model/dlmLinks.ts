/**
 * Data Lifecycle Manager's cross-Region links: an enabled EBS snapshot policy copies the snapshots
 * of the volumes it targets to each copy rule's Region. The protected stores are the EBS volumes of
 * its stack and Region that carry one of its target tags, and, when it targets the tag the
 * clusters' default StorageClass writes (PROTECTED_VOLUME_TAG), the EKS clusters of that stack and
 * Region, whose dynamically provisioned volumes no rendering lists.
 */
import { CrossRegionLink } from "./linkTypes";
import { RenderedResource, RenderedStack } from "./rendered";
import { PROTECTED_VOLUME_TAG } from "./workload";

const record = (value: unknown): Record<string, unknown> =>
  value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
const records = (value: unknown): Record<string, unknown>[] =>
  Array.isArray(value) ? value.map(record) : [];

export function dlmLinks(stacks: readonly RenderedStack[]): CrossRegionLink[] {
  const links: CrossRegionLink[] = [];
  for (const stack of stacks) {
    for (const policy of stack.resources.filter(
      (r) => r.type === "aws:dlm/lifecyclePolicy:LifecyclePolicy",
    )) {
      const details = record(policy.inputs.policyDetails);
      const state = policy.inputs.state ?? "ENABLED";
      const type = details.policyType ?? "EBS_SNAPSHOT_MANAGEMENT";
      const volumesTargeted =
        Array.isArray(details.resourceTypes) && details.resourceTypes.includes("VOLUME");
      if (state !== "ENABLED" || type !== "EBS_SNAPSHOT_MANAGEMENT" || !volumesTargeted || !policy.region)
        continue;
      const targetTags = record(details.targetTags);
      const carries = (r: RenderedResource) =>
        Object.entries(targetTags).some(([k, v]) => record(r.inputs.tags)[k] === v);
      const sources = stack.resources.filter(
        (r) =>
          r.region === policy.region &&
          ((r.type === "aws:ebs/volume:Volume" && carries(r)) ||
            (r.type === "aws:eks/cluster:Cluster" &&
              targetTags[PROTECTED_VOLUME_TAG.key] === PROTECTED_VOLUME_TAG.value)),
      );
      for (const schedule of records(details.schedules)) {
        const create = record(schedule.createRule);
        const intervalHours = (create.intervalUnit ?? "HOURS") === "HOURS" ? Number(create.interval) : NaN;
        for (const copy of records(schedule.crossRegionCopyRules)) {
          const target = copy.target;
          if (copy.encrypted !== true || typeof target !== "string" || target === policy.region) continue;
          for (const source of sources)
            links.push({
              kind: "dlm-snapshot-copy",
              declaredBy: stack.stack,
              source,
              sourceRegion: policy.region,
              targetRegion: target,
              detail: {
                policy: policy.name,
                intervalHours: Number.isFinite(intervalHours) ? intervalHours : null,
                cronExpression: create.cronExpression ?? null,
                cmkArn: copy.cmkArn,
              },
            });
        }
      }
    }
  }
  return links;
}

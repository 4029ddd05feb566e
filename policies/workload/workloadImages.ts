/**
 * `kubernetes-workload-image-region`: a workload pulls its images only from a private ECR registry
 * in the stack's own Region, so it starts while every other Region (and Docker Hub, and ECR
 * Public) is unreachable: the dr workload must not depend on the Region it replaces.
 */
import { ecrRegistry, parseImageReference } from "../../model/images";
import { stackRule } from "../lib/rule";
import { isUnknown } from "../lib/values";
import { containerImages, describeWorkload, WORKLOAD_TYPES } from "./podSpecs";

export const workloadImageRegion = stackRule({
  name: "kubernetes-workload-image-region",
  description:
    "Requires every container image of a Kubernetes workload (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob; init containers included) to come from a private ECR registry in the stack's own Region (its aws:region).",
  enforcementLevel: "mandatory",
  check: (index, _config, report) => {
    const workloads = index.byType(...WORKLOAD_TYPES);
    if (workloads.length === 0) return;
    const stack = index.stackRegion();
    for (const node of workloads) {
      const what = describeWorkload(node.type, node.name, node.props);
      const images = containerImages(node.type, node.props);
      if (isUnknown(images)) {
        report(
          node.urn,
          `${what}: its containers are unknown until apply, so where its images come from cannot be proven.`,
        );
        continue;
      }
      if ("unknownBecause" in stack) {
        report(
          node.urn,
          `${what}: ${stack.unknownBecause}, so its images cannot be proven to come from the stack's own Region.`,
        );
        continue;
      }
      const expected = `expected a private ECR registry in ${stack.region} (<account>.dkr.ecr.${stack.region}.amazonaws.com/...), the stack's own Region`;
      for (const { container, image } of images) {
        if (image === undefined) {
          report(node.urn, `${what} ${container} names no image: ${expected}.`);
          continue;
        }
        if (isUnknown(image)) {
          report(node.urn, `${what} ${container}: its image is unknown until apply: ${expected}.`);
          continue;
        }
        const parsed = parseImageReference(image);
        const registry = parsed ? ecrRegistry(parsed.registry) : undefined;
        if (registry?.region === stack.region) continue;
        const found = !parsed
          ? "which is not an image reference"
          : registry
            ? `from the ECR registry in ${registry.region}`
            : `from ${parsed.registry}`;
        report(
          node.urn,
          `${what} ${container} pulls "${image}" ${found}: ${expected}, so it starts while other Regions and public registries are unreachable.`,
        );
      }
    }
  },
});

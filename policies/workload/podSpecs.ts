/**
 * Where Kubernetes workload types keep their pod spec, and the containers in it. Type tokens are
 * those of @pulumi/kubernetes (the pack judges by type; it does not import the provider).
 */
import { get, isUnknown, list, str, UNKNOWN, Unknown } from "../lib/values";

/** Workload type -> path of its pod spec in the resource's inputs. */
export const POD_SPEC_PATHS: Readonly<Record<string, readonly string[]>> = {
  "kubernetes:core/v1:Pod": ["spec"],
  "kubernetes:apps/v1:Deployment": ["spec", "template", "spec"],
  "kubernetes:apps/v1:StatefulSet": ["spec", "template", "spec"],
  "kubernetes:apps/v1:DaemonSet": ["spec", "template", "spec"],
  "kubernetes:apps/v1:ReplicaSet": ["spec", "template", "spec"],
  "kubernetes:batch/v1:Job": ["spec", "template", "spec"],
  "kubernetes:batch/v1:CronJob": ["spec", "jobTemplate", "spec", "template", "spec"],
};

export const WORKLOAD_TYPES = Object.keys(POD_SPEC_PATHS);

/** `Deployment payments/payments-api` (the logical name when metadata is not known). */
export function describeWorkload(type: string, name: string, props: Record<string, unknown>): string {
  const kind = type.split(":").pop() ?? type;
  const metaName = str(props, "metadata", "name");
  const namespace = str(props, "metadata", "namespace");
  const shown = typeof metaName === "string" ? metaName : name;
  return `${kind} ${typeof namespace === "string" ? `${namespace}/` : ""}${shown}`;
}

export interface ContainerImage {
  /** `container "api"` or `init container "migrate"`. */
  readonly container: string;
  readonly image: string | Unknown | undefined;
}

/** Every container's image (init and ephemeral containers included), or UNKNOWN when the list is. */
export function containerImages(type: string, props: Record<string, unknown>): ContainerImage[] | Unknown {
  const spec = get(props, ...(POD_SPEC_PATHS[type] ?? []));
  if (isUnknown(spec)) return UNKNOWN;
  const out: ContainerImage[] = [];
  for (const [field, label] of [
    ["initContainers", "init container"],
    ["containers", "container"],
    ["ephemeralContainers", "ephemeral container"],
  ] as const) {
    const containers = list(spec, field);
    if (isUnknown(containers)) return UNKNOWN;
    containers.forEach((c, i) => {
      const name = str(c, "name");
      out.push({
        container: `${label} ${typeof name === "string" ? `"${name}"` : `#${i}`}`,
        image: str(c, "image"),
      });
    });
  }
  return out;
}

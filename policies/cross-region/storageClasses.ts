/**
 * `ebs-storageclass-cross-region-copy`: EBS volumes a Kubernetes StorageClass provisions (provisioner
 * `ebs.csi.aws.com`) are data stores no preview lists, so the pack judges the StorageClass that
 * creates them. Its volumes have a copy in another Region when a Data Lifecycle Manager policy of the
 * cluster's Region targets a tag the class writes (`tagSpecification_<n>: key=value`) and copies to
 * another Region encrypted (dlmCopies.ts), or when the cluster itself is in an AWS Backup selection
 * whose plan copies to another Region (an EKS backup holds its persistent volumes). Nothing else.
 */
import { StackValidationPolicy } from "@pulumi/policy";
import { stackRule } from "../lib/rule";
import { StackIndex, StackNode } from "../lib/stackIndex";
import { get, isUnknown, show, str, UNKNOWN, Unknown } from "../lib/values";
import { Coverage } from "./coverage";
import { backupCoverage } from "./crossRegion";
import { dlmVerdicts } from "./dlmCopies";

export const STORAGE_CLASS = "kubernetes:storage.k8s.io/v1:StorageClass";
export const EKS_CLUSTER = "aws:eks/cluster:Cluster";
export const EBS_CSI_PROVISIONER = "ebs.csi.aws.com";

/** The tags the EBS CSI driver writes on each volume of a class: `tagSpecification_<n>: key=value`. */
export function storageClassTags(parameters: unknown): Record<string, unknown> | Unknown {
  if (isUnknown(parameters)) return UNKNOWN;
  if (parameters === null || typeof parameters !== "object") return {};
  const tags: Record<string, unknown> = {};
  // Names first, values through `get`: reading another parameter (a new key's ARN) at preview
  // would throw the policy SDK's unknown-value error and abort the whole rule.
  for (const name of Object.keys(parameters)) {
    if (!/^tagSpecification_\d+$/.test(name)) continue;
    const value = get(parameters, name);
    if (typeof value !== "string") return UNKNOWN;
    const at = value.indexOf("=");
    if (at > 0) tags[value.slice(0, at)] = value.slice(at + 1);
  }
  return tags;
}

/**
 * The EKS cluster a Kubernetes resource lands in: the cluster its provider depends on (a provider
 * configured from the cluster's endpoint and certificate), else the stack's only EKS cluster.
 */
export function clusterOf(index: StackIndex, node: StackNode): StackNode | undefined {
  const provider = node.provider ? index.byUrn(node.provider) : undefined;
  const viaProvider = (provider?.dependencies ?? [])
    .map((urn) => index.byUrn(urn))
    .filter((n): n is StackNode => n?.type === EKS_CLUSTER);
  if (viaProvider.length === 1) return viaProvider[0];
  const all = index.byType(EKS_CLUSTER);
  return viaProvider.length === 0 && all.length === 1 ? all[0] : undefined;
}

/** Every mechanism's verdict for the volumes of `storageClass`, or why it cannot be judged. */
export function storageClassCoverage(index: StackIndex, storageClass: StackNode): Coverage[] {
  const cluster = clusterOf(index, storageClass);
  if (!cluster)
    return [
      {
        ok: false,
        detail: `the EKS cluster it provisions in cannot be told (its provider depends on no single aws:eks/cluster:Cluster of this stack, and the stack declares ${index.byType(EKS_CLUSTER).length} clusters), so neither the Region of its volumes nor a backup of the cluster can be proven`,
      },
    ];
  const tags = storageClassTags(get(storageClass.props, "parameters"));
  const dlm = dlmVerdicts(index, { region: cluster.region, tags });
  const backup = backupCoverage(index, cluster).map((c) => ({
    ...c,
    detail: `cluster ${cluster.name}: ${c.detail}`,
  }));
  const none: Coverage[] =
    dlm.length === 0 && backup.length === 0
      ? [
          {
            ok: false,
            detail: `it writes tags ${tags === UNKNOWN ? "(unknown until apply)" : JSON.stringify(tags)}, no DLM policy of this stack targets them, and no AWS Backup selection selects cluster ${cluster.name}`,
          },
        ]
      : [];
  return [...dlm, ...backup, ...none];
}

export const storageClassCopy = stackRule({
  name: "ebs-storageclass-cross-region-copy",
  description:
    "Requires every StorageClass that provisions EBS volumes (ebs.csi.aws.com) to write a tag an enabled Data Lifecycle Manager policy targets with an encrypted cross-Region copy, or its EKS cluster to be in an AWS Backup selection whose plan copies to another Region.",
  enforcementLevel: "mandatory",
  check: (index, _config, report) => {
    for (const node of index.byType(STORAGE_CLASS)) {
      const provisioner = str(node.props, "provisioner");
      if (provisioner !== UNKNOWN && provisioner !== EBS_CSI_PROVISIONER) continue;
      const coverage: Coverage[] =
        provisioner === UNKNOWN
          ? [{ ok: UNKNOWN, detail: "its provisioner is unknown until apply" }]
          : storageClassCoverage(index, node);
      if (coverage.some((c) => c.ok === true)) continue;
      const unknowns = coverage.filter((c) => c.ok === UNKNOWN).map((c) => c.detail);
      const name = show(str(get(node.props, "metadata"), "name") ?? node.name);
      if (unknowns.length > 0) {
        report(
          node.urn,
          `StorageClass ${name}: a cross-Region copy of the EBS volumes it provisions cannot be proven at preview: ${unknowns.sort().join("; ")}. ` +
            "A class whose volumes' copy cannot be proven is refused, not assumed covered.",
        );
        continue;
      }
      report(
        node.urn,
        `StorageClass ${name} provisions EBS volumes with no copy in another Region: ${coverage
          .map((c) => c.detail)
          .sort()
          .join("; ")}. ` +
          "Expected a tagSpecification_<n> parameter writing a tag that an enabled DLM policy in the cluster's Region targets, with a schedule copying each snapshot to another Region encrypted with that Region's key, " +
          "or the EKS cluster in an AWS Backup selection whose plan copies to another Region. Otherwise losing this Region loses the volumes.",
      );
    }
  },
});

export const storageClassPolicies: StackValidationPolicy[] = [storageClassCopy];

/**
 * `kubernetes-pvc-storage-encrypted`: every PersistentVolumeClaim (and StatefulSet
 * volumeClaimTemplate) uses a StorageClass declared in this stack that provisions EBS volumes
 * encrypted with a customer-managed key in the stack's Region: named, or the declared default
 * class when it names none. A class the pack cannot see (the cluster's own gp2, a class created
 * outside this program) is refused: its encryption cannot be proven.
 */
import { provenKey } from "../lib/keys";
import { stackRule } from "../lib/rule";
import { StackIndex, StackNode } from "../lib/stackIndex";
import { get, isUnknown, list, show, str, UNKNOWN } from "../lib/values";

export const STORAGE_CLASS = "kubernetes:storage.k8s.io/v1:StorageClass";
export const PVC = "kubernetes:core/v1:PersistentVolumeClaim";
const STATEFUL_SET = "kubernetes:apps/v1:StatefulSet";
export const DEFAULT_CLASS_ANNOTATION = "storageclass.kubernetes.io/is-default-class";
export const EBS_CSI = "ebs.csi.aws.com";

/** Why a StorageClass does not encrypt with a customer key in `region`, or undefined when it does. */
export function storageClassProblem(
  index: StackIndex,
  sc: StackNode,
  region: string | undefined,
): string | undefined {
  const provisioner = str(sc.props, "provisioner");
  if (provisioner !== EBS_CSI) {
    return `provisioner is ${show(provisioner)}: expected "${EBS_CSI}" (the pack proves encryption of EBS CSI volumes only)`;
  }
  const encrypted = get(sc.props, "parameters", "encrypted");
  if (isUnknown(encrypted)) return "parameters.encrypted is unknown until apply";
  if (encrypted !== "true") return `parameters.encrypted is ${show(encrypted)}: expected "true"`;
  const key = provenKey(index, sc, ["parameters", "kmsKeyId"]);
  if (key.kind === "unknown") return `${key.unknownBecause ?? "parameters.kmsKeyId is unknown until apply"}`;
  if (key.kind === "none")
    return "parameters.kmsKeyId is not set: expected a customer-managed KMS key (without it EBS uses the AWS-managed key aws/ebs)";
  if (key.kind === "aws-managed")
    return `parameters.kmsKeyId is ${show(key.value)}, an AWS-managed key: expected a customer-managed KMS key`;
  if (region !== undefined && key.region !== undefined && key.region !== region) {
    return `parameters.kmsKeyId is ${key.value} in ${key.region}: expected a key in ${region}, the stack's Region`;
  }
  return undefined;
}

interface Claim {
  readonly node: StackNode;
  readonly what: string;
  /** The class it names; undefined: the default class. */
  readonly className: unknown;
}

function claims(index: StackIndex): Claim[] {
  const out: Claim[] = [];
  for (const pvc of index.byType(PVC)) {
    const name = str(pvc.props, "metadata", "name");
    out.push({
      node: pvc,
      what: `PersistentVolumeClaim ${typeof name === "string" ? name : pvc.name}`,
      className: get(pvc.props, "spec", "storageClassName"),
    });
  }
  for (const set of index.byType(STATEFUL_SET)) {
    const templates = list(set.props, "spec", "volumeClaimTemplates");
    const setName = str(set.props, "metadata", "name");
    const label = `StatefulSet ${typeof setName === "string" ? setName : set.name}`;
    if (isUnknown(templates)) {
      out.push({ node: set, what: `${label} volumeClaimTemplates`, className: UNKNOWN });
      continue;
    }
    templates.forEach((t, i) => {
      const name = str(t, "metadata", "name");
      out.push({
        node: set,
        what: `${label} volumeClaimTemplate ${typeof name === "string" ? `"${name}"` : `#${i}`}`,
        className: get(t, "spec", "storageClassName"),
      });
    });
  }
  return out;
}

export const pvcStorageEncrypted = stackRule({
  name: "kubernetes-pvc-storage-encrypted",
  description:
    'Requires every PersistentVolumeClaim and StatefulSet volumeClaimTemplate to use a StorageClass declared in the stack (named, or the declared default) that provisions EBS volumes with encrypted: "true" and a customer-managed kmsKeyId in the stack\'s Region.',
  enforcementLevel: "mandatory",
  check: (index, _config, report) => {
    const all = claims(index);
    if (all.length === 0) return;
    const stack = index.stackRegion();
    const region = "region" in stack ? stack.region : undefined;
    const classes = index.byType(STORAGE_CLASS);
    const named = (name: string) => classes.filter((c) => str(c.props, "metadata", "name") === name);
    const defaults = classes.filter(
      (c) => get(c.props, "metadata", "annotations", DEFAULT_CLASS_ANNOTATION) === "true",
    );
    const expected =
      'expected a StorageClass declared in this stack with provisioner "ebs.csi.aws.com", encrypted: "true" and a customer-managed kmsKeyId';
    for (const claim of all) {
      let sc: StackNode | undefined;
      let which: string;
      if (isUnknown(claim.className)) {
        report(claim.node.urn, `${claim.what}: its storageClassName is unknown until apply: ${expected}.`);
        continue;
      } else if (claim.className === undefined || claim.className === null) {
        if (defaults.length !== 1) {
          report(
            claim.node.urn,
            `${claim.what} names no storageClassName and ${defaults.length === 0 ? "no StorageClass declared in this stack is the default (the cluster's own default cannot be judged)" : `${defaults.length} declared StorageClasses claim to be the default`}: ${expected}, named or annotated ${DEFAULT_CLASS_ANNOTATION}: "true".`,
          );
          continue;
        }
        sc = defaults[0];
        which = `the default StorageClass ${show(str(sc.props, "metadata", "name") ?? sc.name)}`;
      } else {
        const found =
          typeof claim.className === "string" && claim.className !== "" ? named(claim.className) : [];
        if (found.length !== 1) {
          report(
            claim.node.urn,
            `${claim.what} uses StorageClass ${show(claim.className)}, which is ${found.length === 0 ? "not declared in this stack" : "declared more than once"}: ${expected}.`,
          );
          continue;
        }
        sc = found[0];
        which = `StorageClass ${show(claim.className)}`;
      }
      if (region === undefined && "unknownBecause" in stack) {
        report(
          claim.node.urn,
          `${claim.what} uses ${which}: ${stack.unknownBecause}, so its key cannot be proven to be in the stack's Region.`,
        );
        continue;
      }
      const problem = storageClassProblem(index, sc, region);
      if (problem) {
        report(
          claim.node.urn,
          `${claim.what} uses ${which}, which is not proven to encrypt with a customer-managed key in ${region}: ${problem}.`,
        );
      }
    }
  },
});

/**
 * Kubernetes workloads (issue 15): an image from outside the stack's Region, and a volume claim
 * on a StorageClass that does not encrypt with a customer key. The stack's Region comes from its
 * aws resources' default provider (us-east-1 here), in every input shape.
 */
import { EngineResource } from "../../../tools/policyEngine";
import { ACCOUNT, key, PEER, PRIMARY, resource, urnOf } from "../fixtures";
import type { Mutant } from "./mutant";
import { PROTECTED_VOLUME_TAG } from "../../../model/workload";
import { cluster, dlmPolicy, k8sProvider, storageClass } from "./volumes";

const KEY = resource(
  "aws:kms/key:Key",
  "cluster-key",
  { description: "cluster", enableKeyRotation: true },
  { outputs: { arn: key(PRIMARY) } },
);
const DIGEST = `sha256:${"ef".repeat(32)}`;

function k8s(type: string, name: string, inputs: Record<string, unknown>): EngineResource {
  return {
    urn: urnOf(type, name),
    type,
    name,
    inputs,
    outputs: inputs,
    dependencies: [],
    propertyDependencies: {},
  };
}
const deployment = (image: string) =>
  k8s("kubernetes:apps/v1:Deployment", "payments", {
    metadata: { name: "payments-api", namespace: "payments" },
    spec: { template: { spec: { containers: [{ name: "api", image }] } } },
  });
const claimOn = (parameters: Record<string, unknown>) => [
  k8s("kubernetes:storage.k8s.io/v1:StorageClass", "gp3", {
    metadata: { name: "gp3" },
    provisioner: "ebs.csi.aws.com",
    parameters,
  }),
  k8s("kubernetes:core/v1:PersistentVolumeClaim", "data", {
    metadata: { name: "data" },
    spec: { storageClassName: "gp3" },
  }),
];

export const WORKLOADS: readonly Mutant[] = [
  {
    name: "Deployment pulling its image from the peer Region's ECR",
    resources: [
      KEY,
      deployment(`${ACCOUNT}.dkr.ecr.${PEER}.amazonaws.com/payments-dr/payments-api@${DIGEST}`),
    ],
    policy: "kubernetes-workload-image-region",
    urn: urnOf("kubernetes:apps/v1:Deployment", "payments"),
    fragment: `from the ECR registry in ${PEER}: expected a private ECR registry in ${PRIMARY}`,
  },
  {
    name: "Deployment pulling its image from Docker Hub",
    resources: [KEY, deployment("node:24")],
    policy: "kubernetes-workload-image-region",
    urn: urnOf("kubernetes:apps/v1:Deployment", "payments"),
    fragment: `pulls "node:24" from docker.io: expected a private ECR registry in ${PRIMARY}`,
  },
  {
    name: "PersistentVolumeClaim on an EBS StorageClass without encryption",
    resources: [KEY, ...claimOn({ type: "gp3" })],
    policy: "kubernetes-pvc-storage-encrypted",
    urn: urnOf("kubernetes:core/v1:PersistentVolumeClaim", "data"),
    fragment: 'parameters.encrypted is not set: expected "true"',
  },
  {
    name: "PersistentVolumeClaim on an encrypted StorageClass with the AWS-managed key",
    resources: [KEY, ...claimOn({ encrypted: "true" })],
    policy: "kubernetes-pvc-storage-encrypted",
    urn: urnOf("kubernetes:core/v1:PersistentVolumeClaim", "data"),
    fragment: "parameters.kmsKeyId is not set: expected a customer-managed KMS key",
  },
];

/** The same workload and claim, compliant. */
export const COMPLIANT_WORKLOAD: EngineResource[] = [
  KEY,
  deployment(`${ACCOUNT}.dkr.ecr.${PRIMARY}.amazonaws.com/payments-dr/payments-api@${DIGEST}`),
  // The class also writes the tag the stack's DLM policy copies to the peer Region (issue 16).
  cluster(),
  k8sProvider(),
  dlmPolicy(),
  storageClass({
    type: "gp3",
    encrypted: "true",
    kmsKeyId: key(PRIMARY),
    tagSpecification_1: `${PROTECTED_VOLUME_TAG.key}=${PROTECTED_VOLUME_TAG.value}`,
  }),
  claimOn({})[1],
];

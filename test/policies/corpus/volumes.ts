/**
 * EBS volumes (declared, and provisioned by an `ebs.csi.aws.com` StorageClass) are covered by a
 * Data Lifecycle Manager policy with an encrypted cross-Region copy, or by AWS Backup, and by
 * nothing else (issue 16): each way a DLM policy can fail to copy them, and the compliant shapes.
 */
import { EngineResource } from "../../../tools/policyEngine";
import { PROTECTED_VOLUME_TAG } from "../../../model/workload";
import { ACCOUNT, key, PEER, PRIMARY, resource, urnOf } from "../fixtures";
import { lock, plan, selection, vault, vaultArn } from "../scenarios";
import type { Mutant } from "./mutant";

const COPY = "aws-datastore-cross-region-copy";
const CLASS_COPY = "ebs-storageclass-cross-region-copy";
const VOLUME = "aws:ebs/volume:Volume";
const DLM = "aws:dlm/lifecyclePolicy:LifecyclePolicy";
const CLUSTER = "aws:eks/cluster:Cluster";
const STORAGE_CLASS = "kubernetes:storage.k8s.io/v1:StorageClass";
const TAG = { [PROTECTED_VOLUME_TAG.key]: PROTECTED_VOLUME_TAG.value };
const CLUSTER_ARN = `arn:aws:eks:${PRIMARY}:${ACCOUNT}:cluster/payments`;
const K8S_PROVIDER = "urn:pulumi:test::payments-dr::pulumi:providers:kubernetes::payments";

export const volume = (tags: Record<string, string> = TAG) =>
  resource(VOLUME, "data", {
    availabilityZone: `${PRIMARY}a`,
    size: 100,
    encrypted: true,
    kmsKeyId: key(PRIMARY),
    tags,
  });

interface DlmChange {
  readonly state?: string;
  readonly region?: string;
  readonly targetTags?: Record<string, string>;
  readonly createRule?: Record<string, unknown>;
  readonly copy?: Record<string, unknown>;
}

/** The stack's hourly DLM policy, copying to the peer Region with the peer's key, with one change. */
export const dlmPolicy = (change: DlmChange = {}): EngineResource =>
  resource(DLM, "ebs-hourly", {
    description: "hourly EBS snapshots, copied to the peer Region",
    executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/dlm`,
    state: change.state ?? "ENABLED",
    ...(change.region ? { region: change.region } : {}),
    policyDetails: {
      policyType: "EBS_SNAPSHOT_MANAGEMENT",
      resourceTypes: ["VOLUME"],
      targetTags: change.targetTags ?? TAG,
      schedules: [
        {
          name: "hourly",
          createRule: change.createRule ?? { interval: 1, intervalUnit: "HOURS", times: "00:00" },
          retainRule: { count: 168 },
          copyTags: true,
          crossRegionCopyRules: [
            {
              target: PEER,
              encrypted: true,
              cmkArn: key(PEER),
              copyTags: true,
              retainRule: { interval: 7, intervalUnit: "DAYS" },
              ...change.copy,
            },
          ],
        },
      ],
    },
  });

export const cluster = () =>
  resource(
    CLUSTER,
    "cluster",
    {
      name: "payments",
      roleArn: `arn:aws:iam::${ACCOUNT}:role/eks`,
      encryptionConfig: { provider: { keyArn: key(PRIMARY) }, resources: ["secrets"] },
      vpcConfig: { subnetIds: ["subnet-1"] },
    },
    { outputs: { arn: CLUSTER_ARN } },
  );

/** The Kubernetes provider built from the cluster's endpoint: it depends on the cluster. */
export const k8sProvider = (): EngineResource => ({
  urn: K8S_PROVIDER,
  type: "pulumi:providers:kubernetes",
  name: "payments",
  inputs: {},
  outputs: {},
  dependencies: [urnOf(CLUSTER, "cluster")],
  propertyDependencies: {},
});

export const storageClass = (parameters: unknown, provisioner = "ebs.csi.aws.com"): EngineResource => ({
  urn: urnOf(STORAGE_CLASS, "gp3"),
  type: STORAGE_CLASS,
  name: "gp3",
  inputs: { metadata: { name: "gp3" }, provisioner, parameters },
  outputs: { metadata: { name: "gp3" }, provisioner, parameters },
  provider: { urn: K8S_PROVIDER, type: "pulumi:providers:kubernetes", name: "payments", props: {} },
  dependencies: [],
  propertyDependencies: {},
});

const GP3 = { type: "gp3", encrypted: "true", kmsKeyId: key(PRIMARY) };
const tagged = { ...GP3, tagSpecification_1: `${PROTECTED_VOLUME_TAG.key}=${PROTECTED_VOLUME_TAG.value}` };
const inCluster = (...extra: EngineResource[]) => [cluster(), k8sProvider(), ...extra];

const volumeMutant = (name: string, resources: EngineResource[], fragment: string): Mutant => ({
  name: `EBS volume ${name}`,
  resources,
  policy: COPY,
  urn: urnOf(VOLUME, "data"),
  fragment,
});
const classMutant = (name: string, resources: EngineResource[], fragment: string): Mutant => ({
  name: `ebs.csi.aws.com StorageClass ${name}`,
  resources,
  policy: CLASS_COPY,
  urn: urnOf(STORAGE_CLASS, "gp3"),
  fragment,
});

export const VOLUME_MUTANTS: readonly Mutant[] = [
  volumeMutant("covered by nothing", [volume()], "no AWS Backup selection in this stack"),
  volumeMutant(
    "under a disabled DLM policy",
    [volume(), dlmPolicy({ state: "DISABLED" })],
    "DLM policy ebs-hourly is DISABLED: expected ENABLED",
  ),
  volumeMutant(
    "whose tags the DLM policy does not target",
    [volume({ backup: "none" }), dlmPolicy()],
    `DLM policy ebs-hourly targets tags {"${PROTECTED_VOLUME_TAG.key}":"${PROTECTED_VOLUME_TAG.value}"}, none of which it carries`,
  ),
  volumeMutant(
    "under a DLM policy copying into its own Region",
    [volume(), dlmPolicy({ copy: { target: PRIMARY, cmkArn: key(PRIMARY) } })],
    "stays in us-east-1, the store's own Region",
  ),
  volumeMutant(
    "under a DLM policy copying unencrypted",
    [volume(), dlmPolicy({ copy: { encrypted: false, cmkArn: undefined } })],
    "copy rule copies unencrypted: expected encrypted: true with a cmkArn",
  ),
  volumeMutant(
    "under a DLM policy copying with the source Region's key",
    [volume(), dlmPolicy({ copy: { cmkArn: key(PRIMARY) } })],
    "encrypts with a key in us-east-1: expected a key in us-west-2",
  ),
  volumeMutant(
    "under a DLM policy whose schedule never fires",
    [volume(), dlmPolicy({ createRule: { interval: 5, intervalUnit: "HOURS" } })],
    "never takes a snapshot: its createRule interval is 5 HOURS: expected one of 1, 2, 3, 4, 6, 8, 12, 24 HOURS",
  ),
  volumeMutant(
    "under a DLM policy of another Region",
    [volume(), dlmPolicy({ region: PEER, copy: { target: PRIMARY, cmkArn: key(PRIMARY) } })],
    "DLM policy ebs-hourly is in us-west-2: DLM snapshots only volumes in its own Region (us-east-1)",
  ),
  volumeMutant(
    "whose DLM copy targets an Outpost",
    [
      volume(),
      dlmPolicy({ copy: { target: `arn:aws:outposts:${PRIMARY}:${ACCOUNT}:outpost/op-1234567890abcdef0` } }),
    ],
    "targets arn:aws:outposts:us-east-1:111122223333:outpost/op-1234567890abcdef0, not a Region",
  ),
  classMutant(
    "writing a tag no DLM policy targets",
    inCluster(storageClass(tagged), dlmPolicy({ targetTags: { backup: "other" } })),
    'DLM policy ebs-hourly targets tags {"backup":"other"}, none of which it carries',
  ),
  classMutant(
    "writing no tag, in a stack with no DLM policy and no backup of the cluster",
    inCluster(storageClass(GP3)),
    "it writes tags {}, no DLM policy of this stack targets them, and no AWS Backup selection selects cluster cluster",
  ),
  classMutant(
    "whose tag a disabled DLM policy targets",
    inCluster(storageClass(tagged), dlmPolicy({ state: "DISABLED" })),
    "DLM policy ebs-hourly is DISABLED: expected ENABLED",
  ),
];

/** The cluster selected by an AWS Backup plan copying to a vault in the peer Region. */
const backedUpCluster = (): EngineResource[] => [
  vault("local", PRIMARY),
  vault("copies", PEER),
  lock("copies", PEER),
  plan(vaultArn(PEER, "copies")),
  selection({ resources: [CLUSTER_ARN] }),
];

/** The hourly policy as a stack export shows it: unset optional strings read back as "". */
const exported = (): EngineResource => {
  const policy = dlmPolicy({
    createRule: { interval: 1, intervalUnit: "HOURS", times: "00:00", cronExpression: "" },
  });
  const inputs = {
    ...policy.inputs,
    defaultPolicy: "",
    policyDetails: { ...(policy.inputs.policyDetails as object), policyLanguage: "STANDARD" },
  };
  return { ...policy, inputs, outputs: { ...policy.outputs, ...inputs } };
};

export const VOLUME_VARIANTS: readonly { name: string; resources: EngineResource[] }[] = [
  { name: "an EBS volume under the stack's hourly DLM policy", resources: [volume(), dlmPolicy()] },
  {
    name: "an EBS volume under the hourly DLM policy as a stack export shows it (empty unset strings)",
    resources: [volume(), exported()],
  },
  {
    name: "an ebs.csi.aws.com StorageClass writing the tag the DLM policy targets",
    resources: inCluster(storageClass(tagged), dlmPolicy()),
  },
  {
    name: "an ebs.csi.aws.com StorageClass in a cluster AWS Backup copies to the peer Region",
    resources: inCluster(storageClass(GP3), ...backedUpCluster()),
  },
];

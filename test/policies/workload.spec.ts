import * as assert from "assert";
import { EngineResource } from "../../tools/policyEngine";
import { ACCOUNT, key, PEER, PRIMARY, reported, resource, UNKNOWN_VALUE, urnOf } from "./fixtures";

const IMAGE_RULE = "kubernetes-workload-image-region";
const PVC_RULE = "kubernetes-pvc-storage-encrypted";
const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const STATEFUL_SET = "kubernetes:apps/v1:StatefulSet";
const CRON_JOB = "kubernetes:batch/v1:CronJob";
const PVC = "kubernetes:core/v1:PersistentVolumeClaim";
const SC = "kubernetes:storage.k8s.io/v1:StorageClass";
const KMS = "aws:kms/key:Key";

/** A Kubernetes resource on the cluster's provider (no aws Region of its own). */
function k8s(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  propertyDependencies: Record<string, string[]> = {},
): EngineResource {
  return {
    urn: urnOf(type, name),
    type,
    name,
    inputs,
    outputs: inputs,
    provider: {
      urn: "urn:pulumi:test::payments-dr::pulumi:providers:kubernetes::cluster",
      type: "pulumi:providers:kubernetes",
      name: "cluster",
      props: {},
    },
    dependencies: Object.values(propertyDependencies).flat(),
    propertyDependencies,
  };
}

/** The dr stack: its aws resources use the default provider in us-west-2. */
const drKey = resource(
  KMS,
  "data-key",
  { description: "data" },
  { providerRegion: PEER, outputs: { arn: key(PEER) } },
);
const ECR_DR = `${ACCOUNT}.dkr.ecr.${PEER}.amazonaws.com`;
const DIGEST = `sha256:${"cd".repeat(32)}`;

function deployment(containers: unknown[], initContainers: unknown[] = []) {
  return k8s(DEPLOYMENT, "payments", {
    metadata: { name: "payments-api", namespace: "payments" },
    spec: { template: { spec: { containers, initContainers } } },
  });
}
const EXPECTED = `expected a private ECR registry in ${PEER} (<account>.dkr.ecr.${PEER}.amazonaws.com/...), the stack's own Region`;
const URN = urnOf(DEPLOYMENT, "payments");

describe("kubernetes-workload-image-region", () => {
  it("passes containers and init containers pulled from the stack's own Region's ECR (repository or pull-through cache)", () =>
    assert.deepStrictEqual(
      reported(
        [
          drKey,
          deployment(
            [{ name: "api", image: `${ECR_DR}/payments-dr/payments-api@${DIGEST}` }],
            [{ name: "wait", image: `${ECR_DR}/ecr-public/docker/library/node:24.21.0-slim` }],
          ),
        ],
        IMAGE_RULE,
      ),
      [],
    ));

  it("reports Docker Hub, ECR Public directly and another Region's ECR, each with expected and actual", () =>
    assert.deepStrictEqual(
      reported(
        [
          drKey,
          deployment(
            [
              {
                name: "api",
                image: `${ACCOUNT}.dkr.ecr.${PRIMARY}.amazonaws.com/payments-dr/payments-api@${DIGEST}`,
              },
              { name: "sidecar", image: "public.ecr.aws/docker/library/node:24" },
            ],
            [{ name: "migrate", image: "node:24" }],
          ),
        ],
        IMAGE_RULE,
      ),
      [
        [
          URN,
          `Deployment payments/payments-api init container "migrate" pulls "node:24" from docker.io: ${EXPECTED}, so it starts while other Regions and public registries are unreachable.`,
        ],
        [
          URN,
          `Deployment payments/payments-api container "api" pulls "${ACCOUNT}.dkr.ecr.${PRIMARY}.amazonaws.com/payments-dr/payments-api@${DIGEST}" from the ECR registry in ${PRIMARY}: ${EXPECTED}, so it starts while other Regions and public registries are unreachable.`,
        ],
        [
          URN,
          `Deployment payments/payments-api container "sidecar" pulls "public.ecr.aws/docker/library/node:24" from public.ecr.aws: ${EXPECTED}, so it starts while other Regions and public registries are unreachable.`,
        ],
      ],
    ));

  it("fails closed on an image unknown at preview", () =>
    assert.deepStrictEqual(
      reported([drKey, deployment([{ name: "api", image: UNKNOWN_VALUE }])], IMAGE_RULE),
      [
        [
          URN,
          `Deployment payments/payments-api container "api": its image is unknown until apply: ${EXPECTED}.`,
        ],
      ],
    ));

  it("reads a CronJob's pod spec under jobTemplate", () => {
    const job = k8s(CRON_JOB, "report", {
      metadata: { name: "report" },
      spec: {
        jobTemplate: { spec: { template: { spec: { containers: [{ name: "run", image: "busybox" }] } } } },
      },
    });
    assert.deepStrictEqual(reported([drKey, job], IMAGE_RULE), [
      [
        urnOf(CRON_JOB, "report"),
        `CronJob report container "run" pulls "busybox" from docker.io: ${EXPECTED}, so it starts while other Regions and public registries are unreachable.`,
      ],
    ]);
  });

  it("refuses to judge when the stack's Region is not known to the pack", () =>
    assert.deepStrictEqual(
      reported([deployment([{ name: "api", image: `${ECR_DR}/x@${DIGEST}` }])], IMAGE_RULE),
      [
        [
          URN,
          "Deployment payments/payments-api: no resource of this stack uses the default aws provider, so the stack's Region (aws:region) is not known to the pack, so its images cannot be proven to come from the stack's own Region.",
        ],
      ],
    ));
});

function storageClass(
  name: string,
  parameters: Record<string, unknown>,
  options: { isDefault?: boolean; provisioner?: string; deps?: Record<string, string[]> } = {},
) {
  return k8s(
    SC,
    `sc-${name}`,
    {
      metadata: {
        name,
        ...(options.isDefault
          ? { annotations: { "storageclass.kubernetes.io/is-default-class": "true" } }
          : {}),
      },
      provisioner: options.provisioner ?? "ebs.csi.aws.com",
      parameters,
    },
    options.deps,
  );
}
const pvc = (name: string, storageClassName?: unknown) =>
  k8s(PVC, name, {
    metadata: { name },
    spec: { ...(storageClassName !== undefined ? { storageClassName } : {}), accessModes: ["ReadWriteOnce"] },
  });

describe("kubernetes-pvc-storage-encrypted", () => {
  const gp3 = storageClass(
    "gp3",
    { type: "gp3", encrypted: "true", kmsKeyId: key(PEER) },
    { isDefault: true },
  );

  it("passes a claim on the declared default class and one naming an encrypted class", () =>
    assert.deepStrictEqual(reported([drKey, gp3, pvc("data"), pvc("named", "gp3")], PVC_RULE), []));

  it("proves a key unknown at preview through the KMS key it comes from", () => {
    const fromKey = storageClass(
      "gp3",
      { type: "gp3", encrypted: "true", kmsKeyId: UNKNOWN_VALUE },
      { isDefault: true, deps: { parameters: [drKey.urn] } },
    );
    assert.deepStrictEqual(reported([drKey, fromKey, pvc("data")], PVC_RULE), []);
  });

  it("reports unencrypted, AWS-managed, another Region's key, another provisioner and an undeclared class", () => {
    const resources = [
      drKey,
      storageClass("plain", { type: "gp3" }),
      storageClass("managed", { encrypted: "true", kmsKeyId: "alias/aws/ebs" }),
      storageClass("east", { encrypted: "true", kmsKeyId: key(PRIMARY) }),
      storageClass("gp2", {}, { provisioner: "kubernetes.io/aws-ebs" }),
      pvc("a", "plain"),
      pvc("b", "managed"),
      pvc("c", "east"),
      pvc("d", "gp2"),
      pvc("e", "missing"),
      pvc("f"),
    ];
    const why = (c: string) => `PersistentVolumeClaim ${c}`;
    assert.deepStrictEqual(reported(resources, PVC_RULE), [
      [
        urnOf(PVC, "a"),
        `${why("a")} uses StorageClass "plain", which is not proven to encrypt with a customer-managed key in ${PEER}: parameters.encrypted is not set: expected "true".`,
      ],
      [
        urnOf(PVC, "b"),
        `${why("b")} uses StorageClass "managed", which is not proven to encrypt with a customer-managed key in ${PEER}: parameters.kmsKeyId is "alias/aws/ebs", an AWS-managed key: expected a customer-managed KMS key.`,
      ],
      [
        urnOf(PVC, "c"),
        `${why("c")} uses StorageClass "east", which is not proven to encrypt with a customer-managed key in ${PEER}: parameters.kmsKeyId is ${key(PRIMARY)} in ${PRIMARY}: expected a key in ${PEER}, the stack's Region.`,
      ],
      [
        urnOf(PVC, "d"),
        `${why("d")} uses StorageClass "gp2", which is not proven to encrypt with a customer-managed key in ${PEER}: provisioner is "kubernetes.io/aws-ebs": expected "ebs.csi.aws.com" (the pack proves encryption of EBS CSI volumes only).`,
      ],
      [
        urnOf(PVC, "e"),
        `${why("e")} uses StorageClass "missing", which is not declared in this stack: expected a StorageClass declared in this stack with provisioner "ebs.csi.aws.com", encrypted: "true" and a customer-managed kmsKeyId.`,
      ],
      [
        urnOf(PVC, "f"),
        `${why("f")} names no storageClassName and no StorageClass declared in this stack is the default (the cluster's own default cannot be judged): expected a StorageClass declared in this stack with provisioner "ebs.csi.aws.com", encrypted: "true" and a customer-managed kmsKeyId, named or annotated storageclass.kubernetes.io/is-default-class: "true".`,
      ],
    ]);
  });

  it("judges StatefulSet volumeClaimTemplates and fails closed on an unknown class name", () => {
    const set = k8s(STATEFUL_SET, "ledger", {
      metadata: { name: "ledger" },
      spec: {
        template: { spec: { containers: [{ name: "db", image: `${ECR_DR}/x@${DIGEST}` }] } },
        volumeClaimTemplates: [
          { metadata: { name: "wal" }, spec: { storageClassName: UNKNOWN_VALUE } },
          { metadata: { name: "data" } },
        ],
      },
    });
    assert.deepStrictEqual(reported([drKey, gp3, set], PVC_RULE), [
      [
        urnOf(STATEFUL_SET, "ledger"),
        `StatefulSet ledger volumeClaimTemplate "wal": its storageClassName is unknown until apply: expected a StorageClass declared in this stack with provisioner "ebs.csi.aws.com", encrypted: "true" and a customer-managed kmsKeyId.`,
      ],
    ]);
  });
});

import * as assert from "assert";
import { storageClassCoverage, storageClassTags } from "../../policies/cross-region/storageClasses";
import { StackIndex } from "../../policies/lib/stackIndex";
import { PROTECTED_VOLUME_TAG } from "../../model/workload";
import { classify } from "../../policies/inventory/storeTypes";
import { policies } from "../../policies/policies";
import { EngineResource, evaluateStack, policyResources } from "../../tools/policyEngine";
import { readPolicyInput } from "../../tools/policyInput";
import { renderPreviewStack } from "../helpers/stacks";
import { messages, UNKNOWN_VALUE } from "./fixtures";
import { replicatedBuckets } from "./scenarios";
import { cluster, dlmPolicy, k8sProvider, storageClass, volume } from "./corpus/volumes";

const RULE = "ebs-storageclass-cross-region-copy";
const TAG = `${PROTECTED_VOLUME_TAG.key}=${PROTECTED_VOLUME_TAG.value}`;

describe("ebs-storageclass-cross-region-copy and EBS volume coverage", () => {
  it("reads the tags the EBS CSI driver writes from tagSpecification_<n> parameters only", () => {
    assert.deepStrictEqual(
      storageClassTags({
        type: "gp3",
        tagSpecification_1: TAG,
        tagSpecification_2: "team=payments=core",
        tagX: "a=b",
      }),
      { [PROTECTED_VOLUME_TAG.key]: PROTECTED_VOLUME_TAG.value, team: "payments=core" },
    );
  });

  it("refuses, at preview, a class whose parameters are unknown: it cannot prove which tags it writes", () => {
    const found = messages([cluster(), k8sProvider(), storageClass(UNKNOWN_VALUE), dlmPolicy()], RULE);
    assert.deepStrictEqual(found, [
      'StorageClass "gp3": a cross-Region copy of the EBS volumes it provisions cannot be proven at preview: ' +
        'DLM policy ebs-hourly schedule "hourly" copy rule to us-west-2, if its target tags match (unknown until apply). ' +
        "A class whose volumes' copy cannot be proven is refused, not assumed covered.",
    ]);
  });

  it("ignores classes of other provisioners", () =>
    assert.deepStrictEqual(
      messages([cluster(), k8sProvider(), storageClass({}, "efs.csi.aws.com")], RULE),
      [],
    ));

  it("refuses a class when the stack has two clusters and its provider names neither", () => {
    const other = { ...cluster(), urn: cluster().urn.replace("::cluster", "::other"), name: "other" };
    const provider = { ...k8sProvider(), dependencies: [] };
    const found = messages(
      [cluster(), other, provider, storageClass({ tagSpecification_1: TAG }), dlmPolicy()],
      RULE,
    );
    assert.strictEqual(found.length, 1);
    assert.match(
      found[0],
      /the EKS cluster it provisions in cannot be told .* the stack declares 2 clusters/,
    );
  });

  it("gives an EBS volume no credit for a snapshot-bucket tag: only DLM or AWS Backup copy it", () => {
    const tagged = {
      ...volume(),
      outputs: { ...volume().outputs, tags: { "payments-dr:snapshot-bucket": "app" } },
    };
    const found = messages([tagged, ...replicatedBuckets()], "aws-datastore-cross-region-copy");
    assert.strictEqual(found.length, 1);
    assert.match(
      found[0],
      /but aws:ebs\/volume:Volume snapshots are not exported to S3 by a verified exporter/,
    );
    assert.match(found[0], /no AWS Backup selection in this stack/);
  });
});

describe("ebs-storageclass-cross-region-copy on this program's first-deployment preview", () => {
  const STORAGE_CLASS = "kubernetes:storage.k8s.io/v1:StorageClass";
  /** The preview as the engine sends it, plus a gp3 class writing `tag` through a provider built from the cluster. */
  async function withClass(stack: string, tag: string): Promise<EngineResource[]> {
    const rendered = await renderPreviewStack(stack);
    const resources = readPolicyInput(JSON.parse(JSON.stringify({ stacks: [rendered] }))).stacks[0].resources;
    const clusterUrn = resources.find((r) => r.type === "aws:eks/cluster:Cluster")!.urn;
    const providerUrn = `urn:pulumi:${stack}::payments-dr::pulumi:providers:kubernetes::eks`;
    const parameters = { type: "gp3", encrypted: "true", tagSpecification_1: tag };
    return [
      ...resources,
      {
        urn: providerUrn,
        type: "pulumi:providers:kubernetes",
        name: "eks",
        inputs: {},
        outputs: {},
        dependencies: [clusterUrn],
      },
      {
        urn: `urn:pulumi:${stack}::payments-dr::${STORAGE_CLASS}::gp3`,
        type: STORAGE_CLASS,
        name: "gp3",
        inputs: { provisioner: "ebs.csi.aws.com", parameters },
        outputs: { provisioner: "ebs.csi.aws.com", parameters },
        provider: { urn: providerUrn, type: "pulumi:providers:kubernetes", name: "eks", props: {} },
        dependencies: [],
      },
    ];
  }
  const verdicts = (resources: EngineResource[]) =>
    evaluateStack({ stack: "t", resources }, { policies })
      .filter((v) => v.policy === RULE)
      .map((v) => v.message);

  before(async function () {
    this.timeout(300_000);
    await Promise.all([renderPreviewStack("primary"), renderPreviewStack("dr")]);
  });

  for (const stack of ["primary", "dr"]) {
    it(`${stack}: proves the DLM copy of a class writing PROTECTED_VOLUME_TAG, its key attributed through dependencies`, async () => {
      const resources = await withClass(stack, TAG);
      assert.deepStrictEqual(verdicts(resources), []);
      const index = StackIndex.of(policyResources(resources));
      const [storageClassNode] = index.byType(STORAGE_CLASS);
      const peer = stack === "primary" ? "us-west-2" : "us-east-1";
      assert.deepStrictEqual(
        storageClassCoverage(index, storageClassNode).filter((c) => c.detail.startsWith("DLM")),
        [
          {
            ok: true,
            detail: `DLM policy volume-snapshots-policy schedule "every-1h-copied-to-${peer}" copy rule to ${peer}`,
          },
        ],
      );
    });

    it(`${stack}: the cluster's AWS Backup selection still covers a class writing another tag`, async () =>
      assert.deepStrictEqual(verdicts(await withClass(stack, "team=payments")), []));
  }

  it("classifies the StorageClass as judged by the pack", () =>
    assert.strictEqual(classify(STORAGE_CLASS), "judged"));
});

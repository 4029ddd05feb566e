import * as assert from "assert";
import { storageClassTags } from "../../policies/cross-region/storageClasses";
import { PROTECTED_VOLUME_TAG } from "../../model/workload";
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

/**
 * `npm run plan -- --preview`: the first deployment of each stack as `pulumi preview` hands it to
 * the policy pack — computed attributes unknown (the engine's sentinel), inputs computed from them
 * unknown with the property dependencies the engine records — and the gate's verdict on it.
 */
import * as assert from "assert";
import { planStackViolations } from "../../tools/policy";
import { UNKNOWN_SENTINEL } from "../../tools/render/sanitize";
import { find, renderPreviewStack, renderTestStack } from "../helpers/stacks";

const DB = "aws:rds/instance:Instance";

describe("the preview rendering (npm run plan -- --preview)", function () {
  this.timeout(180_000);

  it("marks computed attributes unknown and records where computed inputs come from", async () => {
    const primary = await renderPreviewStack("primary");
    const db = find(primary, DB, "database-instance");
    assert.strictEqual(db.outputs.arn, UNKNOWN_SENTINEL);
    assert.strictEqual(db.id, null);
    assert.strictEqual(db.inputs.kmsKeyId, UNKNOWN_SENTINEL);
    assert.deepStrictEqual(db.propertyDependencies?.kmsKeyId, [
      "urn:pulumi:primary::payments-dr::payments-dr:components:Keys$aws:kms/key:Key::keys-data",
    ]);
    // Known at preview: what the program gives, and the name the engine autonames in Check.
    assert.strictEqual(db.inputs.identifier, "payments-dr-primary");
    const bucket = find(primary, "aws:s3/bucket:Bucket", "objects-app-bucket");
    const known = find(await renderTestStack("primary"), "aws:s3/bucket:Bucket", "objects-app-bucket");
    assert.strictEqual(bucket.outputs.bucket, known.outputs.bucket);
    assert.strictEqual(bucket.outputs.arn, UNKNOWN_SENTINEL);
  });

  it("registers the same resources as the deployed rendering", async () => {
    for (const stack of ["primary", "dr"]) {
      const urns = (s: { resources: { urn: string }[] }) => s.resources.map((r) => r.urn).sort();
      assert.deepStrictEqual(urns(await renderPreviewStack(stack)), urns(await renderTestStack(stack)));
    }
  });

  it("passes the policy gate on both stacks' first deployment", async () => {
    for (const stack of ["primary", "dr"]) {
      const mandatory = planStackViolations(await renderPreviewStack(stack)).filter(
        (v) => v.enforcementLevel === "mandatory",
      );
      assert.deepStrictEqual(mandatory, [], `stack ${stack}`);
    }
  });
});

/**
 * Every Lambda function of both stacks runs on a runtime Lambda still creates, and is bundled for it.
 */
import * as assert from "assert";
import { BUNDLE_TARGET, LAMBDA_RUNTIME } from "../../../components/lambda/lambdaBundle";
import { findAll, renderTestStack } from "../../helpers/stacks";

describe("lambda runtime and bundle target", () => {
  it("targets Node.js 24 in esbuild, matching the nodejs24.x runtime", () => {
    assert.strictEqual(LAMBDA_RUNTIME, "nodejs24.x");
    assert.strictEqual(BUNDLE_TARGET, "node24");
  });

  it("runs every function of both stacks (and dr in active mode) on nodejs24.x", async function () {
    this.timeout(180_000);
    for (const [stack, overrides] of [
      ["primary", []],
      ["dr", []],
      ["dr", ["payments-dr:mode=active"]],
    ] as const) {
      const rendered = await renderTestStack(stack, overrides);
      const functions = findAll(rendered, "aws:lambda/function:Function");
      assert.ok(functions.length > 0, stack);
      assert.deepStrictEqual(
        functions
          .filter((f) => f.inputs.runtime !== "nodejs24.x")
          .map((f) => `${f.urn}: ${String(f.inputs.runtime)}`),
        [],
      );
    }
  });
});

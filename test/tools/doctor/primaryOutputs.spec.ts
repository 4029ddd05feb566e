import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import {
  DR_REQUIRED_PRIMARY_OUTPUTS,
  outputAt,
  primaryOutputsCheck,
} from "../../../tools/doctor/primaryOutputs";
import { renderTestStack } from "../../helpers/stacks";
import { lineOf, resetMocks } from "./fixtures";

/** Every `.require("<path>")` on the primary's outputs in stacks/. */
function requiredInSources(): string[] {
  const dir = path.resolve(__dirname, "../../../stacks");
  const found = new Set<string>();
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".ts"))) {
    for (const match of fs.readFileSync(path.join(dir, file), "utf8").matchAll(/\.require\("([^"]+)"\)/g)) {
      found.add(match[1]);
    }
  }
  return [...found].sort();
}

describe("doctor: the primary stack's outputs (dr)", function () {
  this.timeout(120_000);
  beforeEach(resetMocks);

  it("lists exactly the primary outputs the dr program requires", () => {
    assert.deepStrictEqual([...DR_REQUIRED_PRIMARY_OUTPUTS].sort(), requiredInSources());
  });

  it("passes on the outputs a rendered primary stack publishes, read through the injected reader", async () => {
    const primary = await renderTestStack("primary");
    const asked: string[] = [];
    const check = primaryOutputsCheck(async (stack) => {
      asked.push(stack);
      return primary.outputs;
    });
    assert.strictEqual(
      await lineOf(check),
      `PASS pulumi.primary-outputs: organization/payments-dr/primary has all ${DR_REQUIRED_PRIMARY_OUTPUTS.length} outputs dr requires`,
    );
    assert.deepStrictEqual(asked, ["organization/payments-dr/primary"]);
  });

  it("fails naming the missing outputs of a primary that was not deployed fully", async () => {
    const check = primaryOutputsCheck(async () => ({ region: "us-east-1", keys: { data: "arn:k" } }));
    const missing = DR_REQUIRED_PRIMARY_OUTPUTS.filter((p) => p !== "region" && p !== "keys.data");
    assert.strictEqual(
      await lineOf(check),
      `FAIL pulumi.primary-outputs: organization/payments-dr/primary lacks ${missing.join(", ")}. ` +
        "Fix: pulumi up --stack primary (deploy primary first)",
    );
  });

  it("fails when the outputs cannot be read", async () => {
    const check = primaryOutputsCheck(async () => {
      throw Object.assign(new Error("no stack named 'organization/payments-dr/primary' found"), {
        name: "StackNotFoundError",
      });
    });
    assert.strictEqual(
      await lineOf(check),
      "FAIL pulumi.primary-outputs: cannot read the outputs of organization/payments-dr/primary: " +
        "StackNotFoundError: no stack named 'organization/payments-dr/primary' found. " +
        "Fix: pulumi login to the primary's backend, then pulumi stack output --stack organization/payments-dr/primary; " +
        "or fix payments-dr:primaryStack",
    );
  });

  it("reads dotted paths of nested outputs", () => {
    assert.strictEqual(outputAt({ a: { b: { c: 1 } } }, "a.b.c"), 1);
    assert.strictEqual(outputAt({ a: { b: 1 } }, "a.x.c"), undefined);
  });
});

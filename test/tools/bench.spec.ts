import * as assert from "assert";
import { BARE_FLOOR_SCRIPT, median, planArgs, processLines } from "../../tools/bench/run";

describe("npm run bench", () => {
  it("takes the median of an odd and of an even number of samples", () => {
    assert.strictEqual(median([30, 10, 20]), 20);
    assert.strictEqual(median([40, 10, 30, 20]), 25);
  });

  it("times npm run plan's own command line, with its V8 flag", () => {
    assert.deepStrictEqual(planArgs(), [
      "--max-semi-space-size=16",
      "-r",
      "./tools/runtime/register.js",
      "tools/plan.ts",
    ]);
  });

  it("defines the floor as the bare load of the two Pulumi SDKs", () => {
    assert.strictEqual(BARE_FLOOR_SCRIPT, 'require("@pulumi/pulumi");require("@pulumi/aws")');
  });

  it("reports the plan and the module-loading floor as ratios of the bare floor", () => {
    assert.deepStrictEqual(processLines({ bareFloorMs: 800, moduleFloorMs: 1200, planMs: 1500 }), [
      "  floor: bare @pulumi/pulumi + @pulumi/aws load     800 ms   1.00x",
      "  module-loading floor               1200 ms   1.50x floor",
      "  plan, both stacks + verdict        1500 ms   1.88x floor (target <= 2.00x)",
      "  rendering beyond module loading     300 ms",
    ]);
  });
});

import * as assert from "assert";
import { spawnSync } from "child_process";
import * as path from "path";
import { ConfigError } from "../../stacks/config";
import { describeFailure, parsePlanArgs } from "../../tools/plan";
import { buildPlan, formatPlan } from "../../tools/planReport";
import { renderProject } from "../../tools/render/project";
import { applyOverrides, readStackConfig } from "../../tools/render/stackFiles";
import { renderTestStack } from "../helpers/stacks";

const ROOT = path.resolve(__dirname, "../..");

describe("offline plan", () => {
  it("parses --json, repeated --stack and --set", () => {
    assert.deepStrictEqual(
      parsePlanArgs([
        "--json",
        "--stack",
        "dr",
        "--set",
        "payments-dr:mode=active",
        "--set",
        "aws:region=us-west-1",
      ]),
      {
        json: true,
        preview: false,
        stacks: ["dr"],
        overrides: ["payments-dr:mode=active", "aws:region=us-west-1"],
        compareStrategies: false,
      },
    );
  });

  it("takes --preview to render a first deployment as pulumi preview shows it", () =>
    assert.deepStrictEqual(parsePlanArgs(["--preview", "--stack", "primary"]), {
      json: false,
      preview: true,
      stacks: ["primary"],
      overrides: [],
      compareStrategies: false,
    }));

  it("takes --diagram with a file name", () => {
    assert.deepStrictEqual(parsePlanArgs(["--diagram", "out/topology.mmd"]), {
      json: false,
      preview: false,
      stacks: [],
      overrides: [],
      diagram: "out/topology.mmd",
      compareStrategies: false,
    });
  });

  it("refuses an option without its value and an unknown option", () => {
    assert.throws(
      () => parsePlanArgs(["--stack"]),
      /^ConfigError: --stack needs a value\. Usage: npm run plan/,
    );
    assert.throws(
      () => parsePlanArgs(["--stacks", "dr"]),
      /^ConfigError: Unknown option "--stacks"\. Usage:/,
    );
  });

  it("reads stack files the way the CLI does: project namespace, structured values", () => {
    const config = readStackConfig("dr");
    assert.strictEqual(config["aws:region"], "us-west-2");
    assert.strictEqual(config["payments-dr:primaryStack"], "organization/payments-dr/primary");
    assert.deepStrictEqual(config["payments-dr:targets"], { rpoSeconds: 900, rtoSeconds: 1800 });
  });

  it("applies --set overrides to a whole key or, with a dotted path, to one field", () => {
    const config = applyOverrides(
      readStackConfig("dr"),
      ["payments-dr:mode=active", "payments-dr:eks.activeNodeCount=5", "tags.team=sre"],
      "payments-dr",
    );
    assert.strictEqual(config["payments-dr:mode"], "active");
    assert.strictEqual((config["payments-dr:eks"] as Record<string, unknown>).activeNodeCount, "5");
    assert.strictEqual((config["payments-dr:eks"] as Record<string, unknown>).standbyNodeCount, 1);
    assert.deepStrictEqual(config["payments-dr:tags"], { "cost-center": "payments-platform", team: "sre" });
  });

  it("refuses a --set without '='", () => {
    assert.throws(
      () => applyOverrides({}, ["payments-dr:mode"], "payments-dr"),
      (e: unknown) =>
        e instanceof ConfigError &&
        e.message ===
          'Invalid --set "payments-dr:mode": expected <key>=<value>, e.g. --set payments-dr:mode=active.',
    );
  });

  it("refuses an unknown stack, listing the stacks that exist", async () => {
    await assert.rejects(renderProject({ stacks: ["staging"] }), {
      message: 'Unknown stack "staging": expected one of dr, primary. Fix: pass --stack dr.',
    });
  });

  it("renders the primary as a reference for dr without applying dr's overrides to it", async () => {
    const [dr] = await renderProject({ stacks: ["dr"], overrides: ["payments-dr:mode=active"] });
    assert.strictEqual(dr.outputs.mode, "active");
    const primary = await renderTestStack("primary");
    const reference = dr.resources.find((r) => r.type === "pulumi:pulumi:StackReference");
    assert.deepStrictEqual(reference?.outputs.outputs, primary.outputs);
  });

  it("emits the DESIGN.md contract: every resource has urn, type, region, inputs; violations listed", async () => {
    const plan = buildPlan([await renderTestStack("primary"), await renderTestStack("dr")]);
    assert.deepStrictEqual(
      plan.stacks.map((s) => [s.stack, s.project, Array.isArray(s.policyViolations)]),
      [
        ["primary", "payments-dr", true],
        ["dr", "payments-dr", true],
      ],
    );
    for (const stack of plan.stacks) {
      for (const resource of stack.resources) {
        for (const field of [
          "urn",
          "type",
          "name",
          "custom",
          "parent",
          "provider",
          "region",
          "inputs",
          "dependencies",
        ]) {
          assert.ok(field in resource, `${resource.urn} lacks ${field}`);
        }
      }
    }
    const json = JSON.parse(JSON.stringify(plan));
    assert.strictEqual(json.stacks[1].resources.length, plan.stacks[1].resources.length);
  });

  it("prints a report per stack with components, Regions and keys", async () => {
    const report = formatPlan(buildPlan([await renderTestStack("dr")]));
    assert.match(
      report,
      /^Stack dr \(dr, mode standby\) in us-west-2, peer Region us-east-1: \d+ resources$/m,
    );
    assert.match(report, /^ {2}keys$/m);
    // Alone, without the primary: the Global Datastore secondary's node type and the global table
    // a selection names are the primary's, so those two are listed unpriced, not counted as zero;
    // so are the cluster's backup selection (no size to price) and the composite alarm (no rule).
    assert.ok(
      report.includes(
        "\n  Monthly cost ESTIMATE: $2,742.00 at on-demand list prices, 4 resource(s) NOT PRICED " +
          "(lines in --json; docs/cost-model.md)\n",
      ),
    );
    assert.match(report, /^ {6}keys-data-peer +us-east-1$/m);
    assert.match(
      report,
      /^ {4}keys-data +us-west-2 +replica of a multi-Region key +arn:aws:kms:us-west-2:111122223333:key\/mrk-/m,
    );
  });

  it("reports a config mistake without a stack trace", () => {
    const error = new ConfigError("aws:region", "Invalid config aws:region");
    assert.strictEqual(describeFailure(error), "Invalid config aws:region");
  });

  it("exits non-zero with the validation message when dr is put in the primary Region", function () {
    this.timeout(60000);
    const result = spawnSync(
      process.execPath,
      [
        "-r",
        "./tools/runtime/register.js",
        "tools/plan.ts",
        "--stack",
        "dr",
        "--set",
        "aws:region=us-east-1",
      ],
      { cwd: ROOT, encoding: "utf8" },
    );
    assert.strictEqual(result.status, 1);
    assert.match(
      result.stderr,
      /Invalid config aws:region = "us-east-1": expected a Region different from the primary Region/,
    );
    assert.doesNotMatch(result.stderr, /\n\s+at /);
    assert.strictEqual(result.stdout, "");
  });
});

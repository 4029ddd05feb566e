/**
 * Fault injection on the real entry point for the failback (`npm run failover -- failback`), on
 * the failover suite's fake `pulumi` and fake AWS (scenario.ts). The scenarios start from a
 * failed-over world: the fake state holds dr's active outputs.
 */
import * as assert from "assert";
import * as fs from "fs";
import { Result, Scenario } from "./scenario";

/** dr active, as the failover left it. */
function failedOver(s: Scenario): Scenario {
  const state = JSON.parse(fs.readFileSync(s.stateFile, "utf8")) as Record<string, unknown>;
  fs.writeFileSync(s.stateFile, JSON.stringify({ ...state, mode: "active", outputs: state.activeOutputs }));
  return s;
}

describe("failback entry point as a subprocess (fake pulumi on PATH, fake AWS endpoint)", function () {
  this.timeout(120_000);
  const scenarios: Scenario[] = [];
  let eof: Scenario, dry: Scenario;
  let runs: Record<string, Promise<Result>>;

  before(async () => {
    [eof, dry] = await Promise.all([1, 2].map(async () => failedOver(await new Scenario().start())));
    scenarios.push(eof, dry);
    runs = {
      eof: eof.launch(["failback", "--execute"], { stdin: "" }).done,
      dry: dry.launch(["failback", "--dry-run"]).done,
    };
  });

  after(async () => {
    await Promise.all(scenarios.map((s) => s.stop()));
  });

  it("no terminal and no --yes: refuses with exit 1 after the preflight, nothing changed", async () => {
    const result = await runs.eof;
    assert.strictEqual(result.code, 1, result.stderr);
    assert.ok(
      result.stderr.endsWith(
        "No approval: standard input ended before an answer (no terminal?). Nothing was changed. " +
          'Run it from a terminal and type "yes", or pass --yes to approve non-interactively.\n',
      ),
      result.stderr,
    );
    assert.match(result.stderr, /stack-standby.*dr stack mode is active: there is something to fail back/);
    // Only reads: the dr stack's outputs and the state table (latest run, lock).
    assert.deepStrictEqual(eof.pulumiCalls(), [
      "version",
      "stack select --stack dr",
      "stack output --json --stack dr",
      "stack output --json --show-secrets --stack dr",
    ]);
    assert.deepStrictEqual([...new Set(eof.aws.actions())].sort(), ["dynamodb:GetItem", "dynamodb:Query"]);
    assert.strictEqual(eof.aws.table.size, 0, "no run recorded, no lock taken");
  });

  it("--dry-run: exit 0 offline (no pulumi, no AWS), each stage's diff and no data store replaced", async () => {
    const result = await runs.dry;
    assert.strictEqual(result.code, 0, result.stderr);
    assert.deepStrictEqual(dry.pulumiCalls(), []);
    assert.deepStrictEqual(dry.aws.calls, []);
    for (const stage of ["primary-reseed", "primary-promote", "dr-standby"]) {
      assert.match(result.stdout, new RegExp(stage), `stage ${stage} in:\n${result.stdout}`);
    }
    const counts =
      result.stdout.match(/^ {2}\d+ created, \d+ updated in place, \d+ replaced, \d+ deleted$/gm) ?? [];
    assert.strictEqual(counts.length, 4, result.stdout);
    for (const line of counts) assert.match(line, /, 0 replaced, 0 deleted$/);
    assert.strictEqual(result.stdout.split("No data store is replaced or deleted.").length - 1, 4);
  });
});

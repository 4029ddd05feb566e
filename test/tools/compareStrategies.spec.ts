import * as assert from "assert";
import { RenderedStack } from "../../model/rendered";
import { compareStrategies, formatComparison, renderStrategies } from "../../tools/compareStrategies";
import { parsePlanArgs } from "../../tools/plan";
import { renderTestStack } from "../helpers/stacks";
import { asBackupRestore, asPilotLight } from "../model/strategyFixtures";

const withTargets = (dr: RenderedStack, rpoSeconds: number, rtoSeconds: number): RenderedStack => ({
  ...dr,
  config: { ...dr.config, "payments-dr:targets": { rpoSeconds, rtoSeconds } },
});

describe("npm run plan -- --compare-strategies", function () {
  this.timeout(60_000);
  let primary: RenderedStack;
  let dr: RenderedStack;
  before(async () => {
    primary = await renderTestStack("primary");
    dr = await renderTestStack("dr");
  });
  const renderings = (d: RenderedStack) => [asBackupRestore(d), asPilotLight(d), d];

  it("gives one row per strategy: worst per-store RPO, RTO, estimated dr cost and its share of the primary's, targets met", () => {
    const comparison = compareStrategies(primary, renderings(dr));
    assert.deepStrictEqual(comparison.primary, { stack: "primary", monthlyUsd: 3273.9 });
    assert.deepStrictEqual(
      comparison.rows.map((r) => [
        r.strategy,
        r.worstRpoSeconds,
        r.worstRpoStore,
        r.rtoSeconds,
        r.drMonthlyUsd,
        r.shareOfPrimaryPercent,
        r.meetsRpoTarget,
        r.meetsRtoTarget,
      ]),
      [
        ["backup-restore", 29100, "warehouse-cluster", 2325, 220.76, 6.7, false, false],
        // warm standby less one m6i.large node and its 50 GB root volume ($70.08 + $4.00)
        ["pilot-light", 900, "objects-app-bucket", 645, 3039.48, 92.8, true, true],
        ["warm-standby", 900, "objects-app-bucket", 645, 3113.56, 95.1, true, true],
      ],
    );
    assert.strictEqual(comparison.cheapestMeetingTargets, "pilot-light");
  });

  it("names the cheapest strategy that meets the dr stack's targets, or none", () => {
    const relaxed = renderings(withTargets(dr, 30000, 2400));
    assert.strictEqual(compareStrategies(primary, relaxed).cheapestMeetingTargets, "backup-restore");
    const impossible = compareStrategies(primary, renderings(withTargets(dr, 60, 1800)));
    assert.strictEqual(impossible.cheapestMeetingTargets, null);
    assert.deepStrictEqual(impossible.targets, { rpoSeconds: 60, rtoSeconds: 1800 });
    assert.match(formatComparison(impossible), /\nNo strategy meets both targets with this config\.\n/);
  });

  it("prints the table labelled as modelled and estimated, with what each strategy replicates and restores", () => {
    const text = formatComparison(compareStrategies(primary, renderings(dr)));
    assert.deepStrictEqual(text.split("\n").slice(0, 12), [
      "DR strategies for this config. RPO and RTO are MODELLED (model/strategy.ts); costs are ESTIMATES from",
      "on-demand list prices and volume assumptions (model/cost/, docs/cost-model.md), not a bill.",
      "Targets (payments-dr:targets on the dr stack): RPO 900 s, RTO 1800 s. Primary stack primary: $3,273.90/month (estimate).",
      "",
      "| strategy | worst per-store RPO | RTO | dr cost / month (estimate) | share of primary | meets RPO | meets RTO |",
      "|---|---|---|---|---|---|---|",
      "| backup-restore | 29100 s (warehouse-cluster) | 2325 s | $220.76 + 4 unpriced | 6.7% | NO | NO |",
      "| pilot-light | 900 s (objects-app-bucket) | 645 s | $3,039.48 + 2 unpriced | 92.8% | yes | yes |",
      "| warm-standby | 900 s (objects-app-bucket) | 645 s | $3,113.56 + 2 unpriced | 95.1% | yes | yes |",
      "",
      "Cheapest strategy meeting both targets: pilot-light.",
      "",
    ]);
    assert.ok(
      text.includes(
        "backup-restore: replicas none; restored search-domain 4800 s, cache-replication-group 6600 s, " +
          "warehouse-cluster 29100 s, database-instance 600 s; unrecoverable none\n",
      ),
    );
  });

  it("renders the primary once and the dr stack once per strategy with payments-dr:strategy set", async () => {
    const seen: string[] = [];
    const { primary: rendered, drs } = await renderStrategies([], undefined, (label) => seen.push(label));
    assert.deepStrictEqual(seen, [
      "primary",
      "dr (strategy backup-restore)",
      "dr (strategy pilot-light)",
      "dr (strategy warm-standby)",
    ]);
    assert.strictEqual(rendered.stack, "primary");
    assert.deepStrictEqual(
      drs.map((d) => d.config["payments-dr:strategy"]),
      ["backup-restore", "pilot-light", "warm-standby"],
    );
    const warm = compareStrategies(rendered, drs).rows[2];
    assert.deepStrictEqual([warm.worstRpoSeconds, warm.rtoSeconds, warm.drMonthlyUsd], [900, 645, 3113.56]);
  });

  it("takes --compare-strategies with --json and --set, and refuses the options it renders itself", () => {
    assert.deepStrictEqual(
      parsePlanArgs(["--compare-strategies", "--json", "--set", "payments-dr:targets.rtoSeconds=3600"]),
      {
        json: true,
        preview: false,
        stacks: [],
        overrides: ["payments-dr:targets.rtoSeconds=3600"],
        compareStrategies: true,
      },
    );
    assert.throws(
      () => parsePlanArgs(["--compare-strategies", "--stack", "dr"]),
      (error: Error) =>
        error.message.startsWith(
          "--compare-strategies renders the primary and the dr stack per strategy itself: it takes only --json and --set.",
        ),
    );
  });
});

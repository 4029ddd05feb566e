/**
 * `npm run plan -- --compare-strategies`: for this config, renders the primary once and the dr
 * stack once per strategy, and compares them: worst per-store RPO and critical-path RTO (MODELLED,
 * model/strategy.ts), the dr stack's monthly cost ESTIMATE and its share of the primary's
 * (model/cost/), whether each meets the dr stack's targets, and the cheapest that meets both.
 */
import { stackCost, StackCost, usd } from "../model/cost/cost";
import { RenderedStack } from "../model/rendered";
import { strategyFigures, StrategyFigures } from "../model/strategy";
import { PROJECT } from "../stacks/config";
import { STRATEGIES } from "../stacks/config/sections/identity";
import { referencedStack } from "./render/project";
import { renderStack } from "./render/render";
import { applyOverrides, listStacks, readProject, readStackConfig } from "./render/stackFiles";

export interface StrategyRow {
  readonly strategy: string;
  readonly worstRpoSeconds: number | null;
  readonly worstRpoStore: string;
  readonly rtoSeconds: number | null;
  /** ESTIMATE of the dr stack's monthly cost under this strategy. */
  readonly drMonthlyUsd: number;
  /** drMonthlyUsd / the primary's, rounded to a tenth of a percent. */
  readonly shareOfPrimaryPercent: number;
  readonly meetsRpoTarget: boolean;
  readonly meetsRtoTarget: boolean;
  /** Resources the estimate could not price (listed in `details`): the cost is a lower bound then. */
  readonly unpricedResources: number;
}

export interface StrategyComparison {
  readonly modelled: true;
  readonly estimate: true;
  readonly targets: { readonly rpoSeconds: number; readonly rtoSeconds: number };
  readonly primary: { readonly stack: string; readonly monthlyUsd: number };
  readonly rows: StrategyRow[];
  /** The cheapest strategy meeting both targets; null when none does. */
  readonly cheapestMeetingTargets: string | null;
  readonly details: { readonly figures: StrategyFigures; readonly cost: StackCost }[];
}

/** Compares dr renderings (one per strategy) against the primary they reference. Pure. */
export function compareStrategies(primary: RenderedStack, drs: readonly RenderedStack[]): StrategyComparison {
  const primaryCost = stackCost(primary, [primary, ...drs.slice(0, 1)]);
  const details = drs.map((dr) => ({
    figures: strategyFigures(primary, dr, [primary, dr]),
    cost: stackCost(dr, [primary, dr]),
  }));
  const rows: StrategyRow[] = details.map(({ figures, cost }) => ({
    strategy: figures.strategy,
    worstRpoSeconds: figures.worstRpoSeconds,
    worstRpoStore: figures.worstRpoStore,
    rtoSeconds: figures.rtoSeconds,
    drMonthlyUsd: cost.monthlyUsd,
    shareOfPrimaryPercent:
      primaryCost.monthlyUsd > 0 ? Math.round((cost.monthlyUsd / primaryCost.monthlyUsd) * 1000) / 10 : 0,
    meetsRpoTarget: figures.meetsRpoTarget,
    meetsRtoTarget: figures.meetsRtoTarget,
    unpricedResources: cost.unpriced.length,
  }));
  const meeting = rows.filter((r) => r.meetsRpoTarget && r.meetsRtoTarget);
  // Ties go to the strategy listed first.
  const cheapest = meeting.reduce<StrategyRow | undefined>(
    (best, r) => (best === undefined || r.drMonthlyUsd < best.drMonthlyUsd ? r : best),
    undefined,
  );
  const first = details[0]?.figures;
  return {
    modelled: true,
    estimate: true,
    targets: { rpoSeconds: first?.rpoTargetSeconds ?? 900, rtoSeconds: first?.rtoTargetSeconds ?? 1800 },
    primary: { stack: primary.stack, monthlyUsd: primaryCost.monthlyUsd },
    rows,
    cheapestMeetingTargets: cheapest?.strategy ?? null,
    details,
  };
}

const seconds = (s: number | null) => (s === null ? "unbounded" : `${s} s`);
const yes = (ok: boolean) => (ok ? "yes" : "NO");

/** The comparison as a Markdown table with its labels, then how each strategy recovers its stores. */
export function formatComparison(c: StrategyComparison): string {
  const lines = [
    "DR strategies for this config. RPO and RTO are MODELLED (model/strategy.ts); costs are ESTIMATES from",
    "on-demand list prices and volume assumptions (model/cost/, docs/cost-model.md), not a bill.",
    `Targets (payments-dr:targets on the dr stack): RPO ${c.targets.rpoSeconds} s, RTO ${c.targets.rtoSeconds} s. ` +
      `Primary stack ${c.primary.stack}: ${usd(c.primary.monthlyUsd)}/month (estimate).`,
    "",
    "| strategy | worst per-store RPO | RTO | dr cost / month (estimate) | share of primary | meets RPO | meets RTO |",
    "|---|---|---|---|---|---|---|",
  ];
  for (const r of c.rows)
    lines.push(
      `| ${r.strategy} | ${seconds(r.worstRpoSeconds)} (${r.worstRpoStore}) | ${seconds(r.rtoSeconds)} | ` +
        `${usd(r.drMonthlyUsd)}${r.unpricedResources > 0 ? ` + ${r.unpricedResources} unpriced` : ""} | ` +
        `${r.shareOfPrimaryPercent}% | ${yes(r.meetsRpoTarget)} | ${yes(r.meetsRtoTarget)} |`,
    );
  lines.push(
    "",
    c.cheapestMeetingTargets === null
      ? "No strategy meets both targets with this config."
      : `Cheapest strategy meeting both targets: ${c.cheapestMeetingTargets}.`,
    "",
  );
  for (const { figures } of c.details) {
    const byMode = (mode: string) =>
      figures.stores
        .filter((s) => s.mode === mode)
        .map((s) => `${s.name} ${seconds(s.rpoSeconds)}`)
        .join(", ") || "none";
    lines.push(
      `${figures.strategy}: replicas ${byMode("replica")}; restored ${byMode("restore")}; ` +
        `unrecoverable ${byMode("unrecoverable")}`,
    );
  }
  return `${lines.join("\n")}\n`;
}

/**
 * Renders the primary once and the dr stack once per strategy, with `overrides` applied to the dr
 * stack (as `npm run plan -- --set` does) and `payments-dr:strategy` set to each strategy in turn.
 */
export async function renderStrategies(
  overrides: readonly string[] = [],
  strategies: readonly string[] = STRATEGIES,
  onStack?: (label: string) => void,
): Promise<{ primary: RenderedStack; drs: RenderedStack[] }> {
  const project = readProject();
  const dr = listStacks().find((s) => typeof readStackConfig(s)[`${PROJECT}:primaryStack`] === "string");
  if (!dr)
    throw new Error(
      "--compare-strategies needs a dr stack: a Pulumi.<stack>.yaml that sets payments-dr:primaryStack.",
    );
  const base = readStackConfig(dr);
  const reference = String(base[`${PROJECT}:primaryStack`]);
  const primaryStack = referencedStack(reference);
  onStack?.(primaryStack);
  const primary = await renderStack({
    project: project.name,
    stack: primaryStack,
    config: readStackConfig(primaryStack),
  });
  const drs: RenderedStack[] = [];
  for (const strategy of strategies) {
    onStack?.(`${dr} (strategy ${strategy})`);
    drs.push(
      await renderStack({
        project: project.name,
        stack: dr,
        config: applyOverrides(base, [...overrides, `${PROJECT}:strategy=${strategy}`], project.name),
        stackReferences: { [reference]: primary.outputs },
      }),
    );
  }
  return { primary, drs };
}

/**
 * The price table (priceTable.json): on-demand list prices per Region, each with its source page, the
 * date of the source actually used and its basis. ESTIMATE inputs, not a bill.
 */
import table from "./priceTable.json";

export interface PriceEntry {
  readonly unit: string;
  /** USD per unit, by Region; a Region missing here leaves the item unpriced there. */
  readonly usd: Readonly<Record<string, number>>;
  /** The AWS pricing page the price belongs to. */
  readonly source: string;
  /** Date of the source actually used (YYYY-MM-DD or YYYY-MM); null when no dated source was available. */
  readonly taken: string | null;
  readonly basis: string;
}

export interface PriceTable {
  readonly currency: string;
  readonly hoursPerMonth: number;
  readonly prices: Readonly<Record<string, PriceEntry>>;
}

export const PRICES: PriceTable = table;

/** Hours in the month the estimate prices (AWS's own calculators use 730). */
export const HOURS_PER_MONTH = PRICES.hoursPerMonth;

/** The price of `key` in `region`, or undefined when the table has none for that Region. */
export function priceOf(key: string, region: string | null, prices: PriceTable = PRICES): number | undefined {
  const entry = prices.prices[key];
  if (!entry || region === null) return undefined;
  return entry.usd[region];
}

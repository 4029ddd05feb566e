/**
 * The shapes pricers return and the helpers they share: hourly quantities, inter-Region transfer
 * billed in the sending Region, tolerant reads of rendered inputs.
 */
import { RenderedResource, RenderedStack } from "../rendered";
import { HOURS_PER_MONTH } from "./prices";

/** One billed item of a resource before pricing. */
export interface Item {
  readonly item: string;
  readonly priceKey: string;
  readonly quantity: number;
  /** The Region whose price applies (transfer is billed in the sending Region). */
  readonly region: string | null;
}

/** What a pricer returns: the items, or why it cannot price the resource. */
export type Priced = { readonly items: Item[] } | { readonly unpriced: string };

export interface PricingContext {
  readonly stack: RenderedStack;
  /** Every rendered stack, to resolve references across them (a Global Datastore's node type). */
  readonly all: readonly RenderedStack[];
}

export const num = (value: unknown, fallback: number): number => {
  const n = Number(value);
  return value !== undefined && value !== null && Number.isFinite(n) ? n : fallback;
};
export const obj = (value: unknown): Record<string, unknown> =>
  value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
export const list = (value: unknown): Record<string, unknown>[] =>
  Array.isArray(value) ? value.map(obj) : [];
export const hours = (count: number) => count * HOURS_PER_MONTH;

export function allResources(ctx: PricingContext): RenderedResource[] {
  return ctx.all.flatMap((s) => s.resources);
}

export function transfer(item: string, gb: number, fromRegion: string | null | undefined): Item {
  return { item, priceKey: "transfer.interRegion", quantity: gb, region: fromRegion ?? null };
}

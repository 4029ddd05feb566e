/** Numeric stack settings the DR model reads from a rendered stack's config, with their fallbacks. */
import { RenderedStack } from "./rendered";

function section(stack: RenderedStack, key: string): Record<string, unknown> {
  const value = stack.config[`payments-dr:${key}`];
  return value && typeof value === "object" ? (value as Record<string, unknown>) : {};
}

export function numberSetting(stack: RenderedStack, key: string, field: string, fallback: number): number {
  const value = Number(section(stack, key)[field]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

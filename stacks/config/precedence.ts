/**
 * Which mistake to report when there are several: the first one the checks meet, in the order the
 * config has always been checked in —
 *
 * 1. keys under `payments-dr:` that the project does not read;
 * 2. each top-level key in `order` (role, mode, aws:region, peerRegion, …, tags); a rule over
 *    top-level keys sits right before or right after the key it is anchored to;
 * 3. within a section: the section itself (an object, no unknown fields), then its missing
 *    required fields, then each field in declaration order, then the section's rules.
 *
 * zod reports every issue it finds; this picks the one an operator should fix first.
 */
import { z } from "zod";
import { isRuleIssue } from "./errors";
import { keyOfPath } from "./keys";
import { fieldIndex, schemaAt } from "./lookup";
import { valueAt } from "./section";

export interface PrecedenceContext {
  readonly schema: z.ZodType;
  readonly input: unknown;
  /** The top-level keys (`namespace:key`) in check order. */
  readonly order: readonly string[];
}

function rank(issue: z.core.$ZodIssue, context: PrecedenceContext): number[] {
  const position = (key: string) => {
    const index = context.order.indexOf(key);
    return index < 0 ? context.order.length : index;
  };
  if (issue.code === "unrecognized_keys" && issue.path.length === 1) return [-1];
  if (isRuleIssue(issue) && issue.params.anchor) {
    const { key, at } = issue.params.anchor;
    return [position(key), 0, 0, at === "before" ? 0 : 2];
  }
  const top = position(keyOfPath(issue.path.slice(0, 2)));
  if (issue.path.length <= 2) return [top, 0, 0, 1];
  if (isRuleIssue(issue) && issue.params.sectionRule) return [top, 3];
  const section = schemaAt(context.schema, issue.path.slice(0, 2));
  const absent = valueAt(context.input, issue.path.slice(0, 3)) === undefined;
  return [top, absent ? 1 : 2, fieldIndex(section, issue.path[2])];
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const diff = (a[i] ?? -1) - (b[i] ?? -1);
    if (diff !== 0) return diff;
  }
  return 0;
}

/** The issue to report; among equals, the one zod found first. */
export function firstIssue(
  issues: readonly z.core.$ZodIssue[],
  context: PrecedenceContext,
): z.core.$ZodIssue | undefined {
  let first: { issue: z.core.$ZodIssue; rank: number[] } | undefined;
  for (const issue of issues) {
    const r = rank(issue, context);
    if (!first || compare(r, first.rank) < 0) first = { issue, rank: r };
  }
  return first?.issue;
}

/**
 * REST resources of a data store that are not AWS resources (an OpenSearch snapshot repository, a
 * cross-cluster replication follow rule) reach the pack in one of two shapes:
 *
 * - a resource whose own properties describe the REST state (a dynamic resource with `endpoint`,
 *   `bucket`, `cron`, `leaderAlias`, ...);
 * - an `aws.lambda.Invocation` whose JSON `input` describes it and names the domain by
 *   `domainName` (the search admin function runs the call inside the VPC).
 *
 * `restViews` gives both as property bags, so rules read one shape.
 */
import { StackIndex, StackNode } from "./stackIndex";
import { get, isUnknown, UNKNOWN, Unknown } from "./values";

export const INVOCATION = "aws:lambda/invocation:Invocation";

export interface RestView {
  readonly node: StackNode;
  /** The REST state's properties; `UNKNOWN` while an invocation's input is unknown (preview). */
  readonly props: Record<string, unknown> | Unknown;
  /** True for an invocation: it names its domain by `domainName` (and its own Region). */
  readonly invocation: boolean;
}

const cache = new WeakMap<StackIndex, RestView[]>();

export function restViews(index: StackIndex): RestView[] {
  const cached = cache.get(index);
  if (cached) return cached;
  const views = index.nodes.map((node): RestView => {
    if (node.type !== INVOCATION) return { node, props: node.props, invocation: false };
    const input = get(node.props, "input");
    if (isUnknown(input)) return { node, props: UNKNOWN, invocation: true };
    try {
      const parsed: unknown = typeof input === "string" ? JSON.parse(input) : undefined;
      return {
        node,
        props: parsed && typeof parsed === "object" ? (parsed as Record<string, unknown>) : {},
        invocation: true,
      };
    } catch {
      return { node, props: {}, invocation: true };
    }
  });
  cache.set(index, views);
  return views;
}

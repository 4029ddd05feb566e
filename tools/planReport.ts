/**
 * The offline plan's data (the JSON contract in DESIGN.md) and its human rendering.
 */
import { StackCost, stackCost, usd } from "../model/cost/cost";
import { findCrossRegionLinks } from "../model/links";
import { formatPosture, RestoreMeasurement, StackPosture, stackPosture } from "../model/posture";
import { RenderedResource, RenderedStack } from "./render/render";
import { planStackViolations } from "./policy";
import { UNKNOWN_SENTINEL } from "./render/sanitize";

export interface PlanViolation {
  readonly policy: string;
  readonly enforcementLevel: string;
  readonly urn: string;
  readonly message: string;
}

export interface PlanStack {
  readonly stack: string;
  readonly project: string;
  readonly config: Record<string, unknown>;
  readonly resources: RenderedResource[];
  readonly outputs: Record<string, unknown>;
  readonly policyViolations: PlanViolation[];
  /**
   * Modelled RPO per data store, modelled (and, given measurements, measured) restore time per
   * restore-tested store and, for dr, the RTO estimate (model/posture.ts).
   */
  readonly posture: StackPosture;
  /** The monthly cost ESTIMATE (model/cost/); absent at preview, where sizes and ids are unknown. */
  readonly cost?: StackCost;
}

export interface Plan {
  /** True when the stacks were rendered as `pulumi preview` shows a first deployment. */
  readonly preview?: boolean;
  readonly stacks: PlanStack[];
}

/**
 * @param rendered the stacks to report on
 * @param context every stack rendered (including references), for links declared by another stack
 */
export function buildPlan(
  rendered: readonly RenderedStack[],
  context: readonly RenderedStack[] = rendered,
  preview = false,
  restoreMeasurements: readonly RestoreMeasurement[] = [],
): Plan {
  const links = findCrossRegionLinks(context);
  return {
    ...(preview ? { preview } : {}),
    stacks: rendered.map((stack) => ({
      stack: stack.stack,
      project: stack.project,
      config: { ...stack.config },
      resources: stack.resources,
      outputs: stack.outputs,
      policyViolations: planStackViolations(stack),
      posture: stackPosture(stack, context, links, restoreMeasurements),
      ...(preview ? {} : { cost: stackCost(stack, context) }),
    })),
  };
}

/** The top-level component a resource belongs to (its ancestor just below the stack). */
function componentOf(resource: RenderedResource, byUrn: Map<string, RenderedResource>): string {
  let current = resource;
  let label = "(stack)";
  while (current.parent) {
    const parent = byUrn.get(current.parent);
    if (!parent || parent.type === "pulumi:pulumi:Stack") {
      label = current === resource && !resource.custom ? resource.name : current.name;
      break;
    }
    current = parent;
  }
  return label;
}

export function formatPlan(plan: Plan): string {
  const lines: string[] = [];
  for (const stack of plan.stacks) {
    const config = stack.config;
    const custom = stack.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:"));
    lines.push(
      `Stack ${stack.stack} (${config["payments-dr:role"]}, mode ${config["payments-dr:mode"]}) in ${config["aws:region"]}` +
        `, peer Region ${config["payments-dr:peerRegion"]}: ${custom.length} resources`,
    );
    const byUrn = new Map(stack.resources.map((r) => [r.urn, r]));
    const groups = new Map<string, Map<string, RenderedResource[]>>();
    for (const resource of stack.resources) {
      if (
        resource.type.startsWith("pulumi:") ||
        (!resource.custom && resource.type.startsWith("payments-dr:"))
      )
        continue;
      const component = componentOf(resource, byUrn);
      const types = groups.get(component) ?? new Map<string, RenderedResource[]>();
      types.set(resource.type, [...(types.get(resource.type) ?? []), resource]);
      groups.set(component, types);
    }
    for (const [component, types] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
      lines.push(`  ${component}`);
      for (const [type, resources] of [...types].sort(([a], [b]) => a.localeCompare(b))) {
        lines.push(`    ${type}`);
        for (const r of resources) lines.push(`      ${r.name.padEnd(40)} ${r.region ?? "global"}`);
      }
    }
    const keys = stack.resources.filter(
      (r) => r.type === "aws:kms/key:Key" || r.type === "aws:kms/replicaKey:ReplicaKey",
    );
    lines.push("  KMS keys");
    for (const key of keys) {
      const kind = key.type.endsWith("ReplicaKey")
        ? "replica of a multi-Region key"
        : key.inputs.multiRegion
          ? "multi-Region primary"
          : "single-Region";
      lines.push(
        `    ${key.name.padEnd(22)} ${String(key.region).padEnd(10)} ${kind.padEnd(32)} ${key.outputs.arn === UNKNOWN_SENTINEL ? "(known after apply)" : key.outputs.arn}`,
      );
    }
    lines.push(...formatPosture(stack.stack, stack.posture));
    if (stack.cost)
      lines.push(
        `  Monthly cost ESTIMATE: ${usd(stack.cost.monthlyUsd)} at on-demand list prices` +
          (stack.cost.unpriced.length > 0 ? `, ${stack.cost.unpriced.length} resource(s) NOT PRICED` : "") +
          " (lines in --json; docs/cost-model.md)",
      );
    lines.push(
      stack.policyViolations.length === 0
        ? "  Policy violations: none"
        : `  Policy violations: ${stack.policyViolations.length}`,
    );
    for (const v of stack.policyViolations)
      lines.push(`    [${v.enforcementLevel}] ${v.policy} ${v.urn}: ${v.message}`);
    const mandatory = stack.policyViolations.filter((v) => v.enforcementLevel === "mandatory").length;
    lines.push(
      `  Policy gate${plan.preview ? " (pulumi preview of a first deployment)" : ""}: ` +
        (mandatory === 0 ? "PASS (no mandatory violation)" : `FAIL (${mandatory} mandatory violation(s))`),
    );
    lines.push("");
  }
  return `${lines.join("\n")}\n`;
}

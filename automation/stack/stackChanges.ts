/**
 * What a `pulumi preview` of the dr stack would change, read from the engine events the Automation
 * API streams (`resourcePreEvent` per step, `preludeEvent` with the config), and which of those
 * changes the failover may apply while the primary Region is down.
 *
 * A change is *critical* (applied by `stack-activate`, on the failover's clock) unless its
 * effective Region is a peer Region: those are *deferred* to `stack-reconcile`, which may fail
 * while that Region is down without failing the failover (DESIGN.md principles 2 and 6).
 * Effective Region: the `region` input, else the provider's `region` (a Kubernetes provider's:
 * its kubeconfig's `get-token --region`, the cluster's), else the stack's
 * `aws:region` — the rule of the offline plan (tools/render). Global AWS types (IAM, Route 53, …),
 * components and the engine's own resources have none and count as in-Region.
 */
import type { EngineEvent, OpType } from "@pulumi/pulumi/automation";
import { isGlobalAwsType, providerRegion as regionOfProvider } from "../../tools/render/synth";

/** The value the engine puts in place of an input not known until apply. */
export const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Operations that change nothing in the cloud. */
const NO_CHANGE: ReadonlySet<OpType> = new Set<OpType>([
  "same",
  "read",
  "refresh",
  "discard",
  "remove-pending-replace",
]);

export interface PlannedChange {
  readonly urn: string;
  readonly type: string;
  /** Every operation the preview plans for this URN (a replacement plans two). */
  readonly ops: readonly OpType[];
  /** Effective Region; null for resources not placed in a Region; "unknown" until apply. */
  readonly region: string | null;
  readonly parent?: string;
}

export interface ChangeSplit {
  /** In-Region changes: `stack-activate` targets these. */
  readonly critical: readonly PlannedChange[];
  /** Changes in a peer Region (or whose Region is not known before apply), or under one. */
  readonly deferred: readonly PlannedChange[];
}

interface RawStep {
  type: string;
  ops: OpType[];
  custom: boolean;
  inputs: Record<string, unknown>;
  providerUrn?: string;
  parent?: string;
}

/** `urn::id` provider reference -> provider URN. */
const providerUrnOf = (ref: string | undefined) =>
  ref ? ref.split("::").slice(0, -1).join("::") || undefined : undefined;

/** The Region a resource is placed in, by the offline plan's rule; null when none applies. */
export function effectiveRegion(
  type: string,
  custom: boolean,
  inputs: Readonly<Record<string, unknown>>,
  providerRegion: string | undefined,
  stackRegion: string,
): string | null {
  const own = inputs.region;
  if (own === UNKNOWN_VALUE) return "unknown";
  if (type.startsWith("pulumi:providers:")) return regionOfProvider(type, inputs, stackRegion);
  // Components and the engine's own resources (stack references, …) touch no Region.
  if (!custom || type.startsWith("pulumi:")) return null;
  if (isGlobalAwsType(type)) return null;
  if (typeof own === "string" && own !== "") return own;
  return providerRegion ?? (stackRegion || null);
}

/** Collects a preview's steps from its engine events; pass `onEvent` to `stack.preview`. */
export class ChangeCollector {
  private readonly steps = new Map<string, RawStep>();
  private configRegion?: string;
  /** URN of the root `pulumi:pulumi:Stack` resource, once seen. */
  stackUrn?: string;

  readonly onEvent = (event: EngineEvent): void => {
    const region = event.preludeEvent?.config?.["aws:region"];
    if (region) this.configRegion = region;
    const metadata = event.resourcePreEvent?.metadata;
    if (!metadata) return;
    if (metadata.type === "pulumi:pulumi:Stack") this.stackUrn = metadata.urn;
    const state = metadata.new ?? metadata.old;
    const existing = this.steps.get(metadata.urn);
    if (existing) {
      existing.ops.push(metadata.op);
      return;
    }
    this.steps.set(metadata.urn, {
      type: metadata.type,
      ops: [metadata.op],
      custom: state?.custom ?? true,
      inputs: state?.inputs ?? {},
      providerUrn: providerUrnOf(state?.provider || metadata.provider),
      parent: state?.parent || undefined,
    });
  };

  /** The stack's `aws:region` as the engine saw it (prelude event), else `fallback`. */
  stackRegion(fallback: string): string {
    return this.configRegion ?? fallback;
  }

  /** Every resource the preview would change, with its effective Region. */
  changes(fallbackStackRegion: string): PlannedChange[] {
    const stackRegion = this.stackRegion(fallbackStackRegion);
    const providerRegions = new Map<string, string>();
    for (const [urn, step] of this.steps) {
      if (step.type.startsWith("pulumi:providers:")) {
        const region = effectiveRegion(step.type, true, step.inputs, undefined, stackRegion);
        if (region) providerRegions.set(urn, region);
      }
    }
    return [...this.steps]
      .filter(([, step]) => step.ops.some((op) => !NO_CHANGE.has(op)))
      .map(([urn, step]) => ({
        urn,
        type: step.type,
        ops: step.ops,
        region: effectiveRegion(
          step.type,
          step.custom,
          step.inputs,
          step.providerUrn ? providerRegions.get(step.providerUrn) : undefined,
          stackRegion,
        ),
        ...(step.parent ? { parent: step.parent } : {}),
      }));
  }
}

/**
 * Splits changes into what the failover applies now and what waits for the peer Region. A change
 * whose parent is a deferred one is deferred too: the engine refuses to target a child whose
 * parent it is not creating.
 */
export function splitByRegion(
  changes: readonly PlannedChange[],
  peerRegions: readonly string[],
): ChangeSplit {
  const deferredUrns = new Set(
    changes.filter((c) => c.region === "unknown" || peerRegions.includes(c.region ?? "")).map((c) => c.urn),
  );
  for (let grew = true; grew;) {
    grew = false;
    for (const change of changes) {
      if (!deferredUrns.has(change.urn) && change.parent && deferredUrns.has(change.parent)) {
        deferredUrns.add(change.urn);
        grew = true;
      }
    }
  }
  return {
    critical: changes.filter((c) => !deferredUrns.has(c.urn)),
    deferred: changes.filter((c) => deferredUrns.has(c.urn)),
  };
}

/** `database-backups-replication (create, us-east-1)`: the URN's name, the ops and the Region. */
export function describeChange(change: PlannedChange): string {
  const name = change.urn.split("::").pop() ?? change.urn;
  return `${name} (${[...new Set(change.ops)].join("/")}, ${change.region ?? "global"})`;
}

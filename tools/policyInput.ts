/**
 * Reads the three files the offline policy runner accepts into the engine's stack shape:
 *
 * - this project's plan (`npm run plan -- --json`): `{ stacks: [{ stack, config, resources }] }`;
 * - `pulumi stack export`: `{ version: 3, deployment: { resources: [...] } }`, provider references
 *   `urn::id`;
 * - `pulumi preview --json`: `{ steps: [{ op, urn, newState: { type, inputs, outputs, ... } }] }`.
 *
 * A resource's provider is resolved to the provider resource's inputs (its `region`); a resource
 * with no provider in a plan gets the default provider's config (`aws:region`), as the engine does.
 */
import { EngineProvider, EngineResource, EngineStack } from "./policyEngine";

export class PolicyInputError extends Error {}

type Json = Record<string, unknown>;

const obj = (value: unknown): Json =>
  value && typeof value === "object" && !Array.isArray(value) ? (value as Json) : {};
const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
const depsMap = (value: unknown): Record<string, string[]> =>
  Object.fromEntries(Object.entries(obj(value)).map(([k, v]) => [k, strings(v)]));

/** `urn:pulumi:<stack>::<project>::<type>::<name>` → its parts. */
export function parseUrn(urn: string): { stack: string; type: string; name: string } {
  const [head = "", , qualified = "", ...rest] = urn.split("::");
  return {
    stack: head.replace(/^urn:pulumi:/, ""),
    type: qualified.split("$").pop() ?? "",
    name: rest.join("::"),
  };
}

interface RawState {
  readonly urn: string;
  readonly type: string;
  readonly inputs: Json;
  readonly outputs: Json;
  readonly provider: string | null;
  readonly parent?: string;
  readonly dependencies: string[];
  readonly propertyDependencies: Record<string, string[]>;
  readonly protect: boolean;
}

function stateOf(raw: unknown): RawState | undefined {
  const r = obj(raw);
  if (typeof r.urn !== "string" || typeof r.type !== "string") return undefined;
  // A resource read with `Resource.get` is not the stack's: the engine never sends it to a policy
  // pack (pulumi/pulumi#3950), so the offline runner drops it too.
  if (r.external === true) return undefined;
  return {
    urn: r.urn,
    type: r.type,
    inputs: obj(r.inputs),
    // The engine's state carries the provider-assigned id among a bridged resource's outputs.
    outputs: typeof r.id === "string" && r.id !== "" ? { id: r.id, ...obj(r.outputs) } : obj(r.outputs),
    provider: typeof r.provider === "string" && r.provider !== "" ? r.provider : null,
    parent: typeof r.parent === "string" && r.parent !== "" ? r.parent : undefined,
    dependencies: strings(r.dependencies),
    propertyDependencies: depsMap(r.propertyDependencies),
    protect: r.protect === true,
  };
}

/** Links each state to its provider (a URN, or `urn::id` in state files) and groups by stack. */
function toStacks(
  states: RawState[],
  defaultRegions: Record<string, string | undefined> = {},
): EngineStack[] {
  const byUrn = new Map(states.map((s) => [s.urn, s]));
  const stacks = new Map<string, EngineResource[]>();
  for (const state of states) {
    const { stack, name } = parseUrn(state.urn);
    let provider: EngineProvider | undefined;
    const providerUrn = state.provider
      ? byUrn.has(state.provider)
        ? state.provider
        : state.provider.split("::").slice(0, -1).join("::")
      : undefined;
    const providerState = providerUrn ? byUrn.get(providerUrn) : undefined;
    if (providerState) {
      provider = {
        urn: providerState.urn,
        type: providerState.type,
        name: parseUrn(providerState.urn).name,
        props: { ...providerState.outputs, ...providerState.inputs },
      };
    } else if (state.type.startsWith("aws:") && defaultRegions[stack]) {
      provider = {
        urn: `urn:pulumi:${stack}::${state.urn.split("::")[1]}::pulumi:providers:aws::default`,
        type: "pulumi:providers:aws",
        name: "default",
        props: { region: defaultRegions[stack] },
      };
    }
    const resource: EngineResource = {
      urn: state.urn,
      type: state.type,
      name,
      inputs: state.inputs,
      outputs: state.outputs,
      provider,
      parent: state.parent,
      dependencies: state.dependencies,
      propertyDependencies: state.propertyDependencies,
      protect: state.protect,
    };
    stacks.set(stack, [...(stacks.get(stack) ?? []), resource]);
  }
  return [...stacks].map(([stack, resources]) => ({ stack, resources }));
}

/** Ops whose new state does not exist after the update. */
const GONE_OPS = new Set([
  "delete",
  "delete-replaced",
  "discard",
  "discard-replaced",
  "remove-pending-replace",
  "read-discard",
  // `Resource.get`: read, not managed, and never sent to a policy pack (pulumi/pulumi#3950).
  "read",
  "read-replacement",
]);

export type InputFormat = "plan" | "stack-export" | "preview";

/** Detects the format and returns the stacks; throws PolicyInputError naming what was expected. */
export function readPolicyInput(document: unknown): { format: InputFormat; stacks: EngineStack[] } {
  const doc = obj(document);
  if (Array.isArray(doc.stacks)) {
    const stacks = doc.stacks.flatMap((raw) => {
      const s = obj(raw);
      const region = obj(s.config)["aws:region"];
      const states = (Array.isArray(s.resources) ? s.resources : [])
        .map(stateOf)
        .filter((x): x is RawState => !!x);
      const name = typeof s.stack === "string" ? s.stack : "";
      // A plan's stack label may differ from the URN's stack segment: key defaults by both.
      const regions: Record<string, string | undefined> = {};
      for (const st of states)
        regions[parseUrn(st.urn).stack] = typeof region === "string" ? region : undefined;
      return toStacks(states, regions).map((stack) => ({ ...stack, stack: name || stack.stack }));
    });
    return { format: "plan", stacks };
  }
  const deployment = obj(doc.deployment);
  if (Array.isArray(deployment.resources)) {
    const states = deployment.resources.map(stateOf).filter((x): x is RawState => !!x);
    return { format: "stack-export", stacks: toStacks(states) };
  }
  if (Array.isArray(doc.steps)) {
    const latest = new Map<string, RawState>();
    for (const raw of doc.steps) {
      const step = obj(raw);
      if (GONE_OPS.has(String(step.op))) continue;
      const state = stateOf(step.newState);
      if (state) latest.set(state.urn, state);
    }
    return { format: "preview", stacks: toStacks([...latest.values()]) };
  }
  throw new PolicyInputError(
    "Unrecognised input: expected the JSON of `npm run plan -- --json` ({ stacks: [...] }), " +
      "`pulumi stack export` ({ deployment: { resources: [...] } }) or `pulumi preview --json` ({ steps: [...] }).",
  );
}

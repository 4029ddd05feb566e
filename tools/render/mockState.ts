/**
 * What the mock answers for one registration: its URN, effective Region and state. A known
 * rendering synthesises every computed attribute (`./outputs/`); a preview rendering answers as the
 * engine previews a create on an empty stack: inputs (with the provider-computed name, Region and
 * tags) known, every computed attribute and the id unknown.
 */
import { kubernetesObject, synthesizers } from "./outputs";
import { SIG_KEY, UNKNOWN_SENTINEL } from "./sanitize";
import {
  autoname,
  defaultArn,
  deterministicHex,
  isGlobalAwsType,
  parseTypeToken,
  providerRegion,
  SynthInput,
} from "./synth";

export { providerRegion } from "./synth";
import type { RenderOptions } from "./options";

export function urnOf(options: RenderOptions, parent: string | null, type: string, name: string): string {
  let qualified = type;
  if (parent) {
    const parentType = parent.split("::")[2].split("$").pop();
    qualified = `${parentType}$${type}`;
  }
  return `urn:pulumi:${options.stack}::${options.project}::${qualified}::${name}`;
}

export function effectiveRegion(
  type: string,
  custom: boolean,
  inputs: Record<string, unknown>,
  providerUrn: string | null,
  providerRegions: Map<string, string>,
  stackRegion: string,
): string | null {
  const { pkg } = parseTypeToken(type);
  if (type.startsWith("pulumi:providers:")) return providerRegion(type, inputs, stackRegion);
  if (pkg !== "aws" && pkg !== "awsx") {
    // Components and the engine's own resources are not placed in a Region.
    if (!custom || type.startsWith("pulumi:")) return null;
  }
  if (isGlobalAwsType(type)) return null;
  // A region computed from another resource is unknown in preview: it stays the sentinel.
  if (typeof inputs.region === "string" && inputs.region !== "") return inputs.region;
  if (providerUrn && providerRegions.has(providerUrn)) return providerRegions.get(providerUrn) ?? null;
  return stackRegion || null;
}

export function synthesize(
  type: string,
  name: string,
  urn: string,
  inputs: Record<string, unknown>,
  region: string | null,
  accountId: string,
  options: RenderOptions,
): { id: string | undefined; state: Record<string, unknown> } {
  if (type === "pulumi:pulumi:StackReference") {
    const referenced = String(inputs.name);
    const self = referenced.endsWith(`/${options.project}/${options.stack}`);
    const outputs =
      options.stackReferences?.[referenced] ?? (self ? (options.previousOutputs ?? {}) : undefined);
    if (!outputs) {
      throw new Error(
        `StackReference to "${referenced}" has no rendering: render that stack first and pass its outputs.`,
      );
    }
    return { id: referenced, state: { name: referenced, outputs, secretOutputNames: [] } };
  }
  if (type.startsWith("pulumi:providers:")) {
    return { id: deterministicHex(urn, 8), state: { ...inputs } };
  }
  const physicalName =
    typeof inputs.name === "string" && inputs.name !== "" ? inputs.name : autoname(name, urn);
  const input: SynthInput = {
    type,
    name,
    urn,
    inputs,
    region,
    accountId,
    physicalName,
    hex: (length, salt = "") => deterministicHex(`${urn}|${salt}`, length),
  };
  const specific = synthesizeSpecific(input, options.preview === true);
  const { pkg } = parseTypeToken(type);
  const base: Record<string, unknown> = { ...inputs };
  if (pkg === "aws") {
    base.arn = defaultArn(input);
    if (region) base.region = region;
    if (inputs.name === undefined) base.name = physicalName;
    if (inputs.tags !== undefined) base.tagsAll = inputs.tags;
  }
  const state: Record<string, unknown> = { ...base, ...(specific?.outputs ?? {}) };
  // Echoed inputs are sanitised; a sanitised asset or archive (a Lambda's `code`) cannot be
  // unmarshalled back by the runtime, so it stays in `inputs` only.
  for (const [key, value] of Object.entries(state)) {
    if (typeof value === "object" && value !== null && SIG_KEY in value) delete state[key];
  }
  return { id: specific?.id ?? physicalName, state };
}

function synthesizeSpecific(input: SynthInput, preview: boolean) {
  try {
    const specific = synthesizers[input.type]?.(input);
    if (!input.type.startsWith("kubernetes:") || input.type.startsWith("kubernetes:helm.sh/"))
      return specific;
    // A Kubernetes object's state is the API server's: its metadata, plus what the type adds.
    const object = kubernetesObject(input);
    return { id: specific?.id ?? object.id, outputs: { ...object.outputs, ...(specific?.outputs ?? {}) } };
  } catch (error) {
    // A synthesiser may not cope with unknown inputs; in preview its values are unknown anyway.
    if (preview) return undefined;
    throw error;
  }
}

/**
 * The state `pulumi preview` shows for a resource it will create: what the program gave (inputs,
 * the autonamed `name`, the provider's `region`, `tagsAll` from `tags`) known; every attribute the
 * provider computes on create (ARN, endpoints, generated ids) the unknown sentinel; the id unknown
 * (absent from the state, as in the engine's).
 */
export function previewState(
  type: string,
  name: string,
  urn: string,
  custom: boolean,
  inputs: Record<string, unknown>,
  known: { id: string | undefined; state: Record<string, unknown> },
): { id: string | undefined; state: Record<string, unknown> } {
  if (!custom || type.startsWith("pulumi:")) return known;
  const kept = new Set([...Object.keys(inputs), "name", "region", "tagsAll"]);
  // The engine autonames in Check, before the preview: an autonamed property (`name`, an S3
  // bucket's `bucket`, ...) is known at preview.
  const autonamed = autoname(name, urn);
  const state: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(known.state))
    state[key] = kept.has(key) || value === autonamed ? value : UNKNOWN_SENTINEL;
  return { id: undefined, state };
}

/**
 * Renders a stack of this program in-process under Pulumi's mock runtime.
 *
 * It runs `index.ts` exactly as the Pulumi language host would (inside `runInPulumiStack`, with the
 * stack's config in the runtime), intercepts every resource registration, and answers it with
 * synthesised outputs. The result is a list of resources in the shape of a `pulumi stack export`
 * (urn, type, parent, provider, inputs, outputs, dependencies) plus each one's effective Region.
 */
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { invoke } from "./invokes";
import { effectiveRegion, previewState, providerRegion, synthesize, urnOf } from "./mockState";
import { interceptRegistrations, PendingRequest } from "./registrations";
import { trimRuntimeForRender } from "./runtimeTrims";
import { sanitize } from "./sanitize";
import { MOCK_ACCOUNT_ID } from "./synth";
import { RenderedResource, RenderedStack } from "../../model/rendered";
import { RawConfig } from "../../stacks/config";

export const PROGRAM_PATH = path.resolve(__dirname, "../../index.ts");

export type { RenderedResource, RenderedStack } from "../../model/rendered";
export { sanitize } from "./sanitize";

import { RenderOptions } from "./options";

export type { RenderOptions };

/** Renders one stack. Renders run one at a time: the Pulumi runtime is process-global. */
export async function renderStack(options: RenderOptions): Promise<RenderedStack> {
  const previous = renderQueue;
  let release: () => void = () => undefined;
  renderQueue = new Promise<void>((resolve) => (release = resolve));
  await previous;
  // Debug-only SDK work (stack traces, promise-leak tracking, response logging) is off while the
  // render runs: tools/render/runtimeTrims.ts. PAYMENTS_DR_RENDER_STACKS=1 keeps full stacks.
  const fullStacks = process.env.PAYMENTS_DR_RENDER_STACKS === "1";
  const restoreRuntime = trimRuntimeForRender(fullStacks);
  try {
    return await renderExclusive(options);
  } catch (error) {
    throw fullStacks ? error : withoutStackHint(error);
  } finally {
    restoreRuntime();
    release();
  }
}

/**
 * An error from a render without stacks: its stack says where to get one, since it has no frames.
 * The message is left alone (callers and tests match on it).
 */
export function withoutStackHint(error: unknown): unknown {
  if (error instanceof Error && !/\n\s+at /.test(error.stack ?? "")) {
    error.stack =
      `${Error.prototype.toString.call(error)}\n` +
      "    (stack traces are off while rendering; rerun with PAYMENTS_DR_RENDER_STACKS=1 for the location)";
  }
  return error;
}

let renderQueue: Promise<void> = Promise.resolve();

async function renderExclusive(options: RenderOptions): Promise<RenderedStack> {
  const accountId = options.accountId ?? MOCK_ACCOUNT_ID;
  const stackRegion = String(options.config["aws:region"] ?? "");
  const resources: RenderedResource[] = [];
  const providerRegions = new Map<string, string>();
  const failures: unknown[] = [];
  let current: PendingRequest | undefined;

  const mocks: pulumi.runtime.Mocks = {
    async newResource(args) {
      const request = current;
      current = undefined;
      const custom = request?.custom ?? args.custom ?? true;
      const parent = request?.parent || null;
      const urn = urnOf(options, parent, args.type, args.name);
      const providerUrn = args.provider ? args.provider.split("::").slice(0, -1).join("::") : null;
      const inputs = (await sanitize(args.inputs)) as Record<string, unknown>;
      const region = effectiveRegion(args.type, custom, inputs, providerUrn, providerRegions, stackRegion);
      if (args.type.startsWith("pulumi:providers:")) {
        providerRegions.set(urn, providerRegion(args.type, inputs, stackRegion));
      }
      const known = synthesize(args.type, args.name, urn, inputs, region, accountId, options);
      const result = options.preview ? previewState(args.type, args.name, urn, custom, inputs, known) : known;
      resources.push({
        urn,
        id: custom ? (result.id ?? null) : null,
        type: args.type,
        name: args.name,
        custom,
        parent,
        provider: providerUrn,
        region,
        inputs,
        outputs: result.state,
        dependencies: request?.dependencies ?? [],
        propertyDependencies: request?.propertyDependencies ?? {},
        protect: request?.protect ?? false,
        ignoreChanges: request?.ignoreChanges ?? [],
        replaceOnChanges: request?.replaceOnChanges ?? [],
        deleteBeforeReplace: request?.deleteBeforeReplace ?? false,
        retainOnDelete: request?.retainOnDelete ?? false,
      });
      return { id: result.id, state: result.state };
    },
    call(args) {
      options.onInvoke?.(args.token, args.inputs);
      return invoke(args.token, args.inputs, { accountId, stackRegion });
    },
  };

  // "organization" is the name the CLI gives a self-managed backend's stacks.
  // The mock runtime always runs as a preview (`isDryRun`): a value the mock leaves unknown stays
  // unknown to the program, as in `pulumi preview`.
  await pulumi.runtime.setMocks(mocks, options.project, options.stack, true, "organization");
  interceptRegistrations((request) => (current = request));
  pulumi.runtime.setAllConfig(toRuntimeConfig(options.config), []);

  const onRejection = (reason: unknown) => failures.push(reason);
  process.on("unhandledRejection", onRejection);
  // If the event loop drains while the stack is still waiting, some Output can never resolve
  // (typically a mocked resource that lacks an output the program awaits). Fail loudly instead
  // of letting the process exit with nothing rendered.
  let onDrained: () => void = () => undefined;
  const drained = new Promise<never>((_, reject) => {
    onDrained = () =>
      reject(
        new Error(
          `Rendering stack ${options.stack} never finished: an Output never resolved` +
            (failures.length > 0 ? ` after this error: ${describe(failures[0])}` : "") +
            ` (last resource registered: ${resources[resources.length - 1]?.urn ?? "none"}).`,
        ),
      );
  });
  process.on("beforeExit", onDrained);
  let outputs: Record<string, unknown> | undefined;
  try {
    try {
      outputs = (await Promise.race([
        pulumi.runtime.runInPulumiStack(async () => {
          delete require.cache[PROGRAM_PATH];
          // eslint-disable-next-line @typescript-eslint/no-require-imports
          return require(PROGRAM_PATH);
        }),
        drained,
      ])) as Record<string, unknown> | undefined;
    } catch (error) {
      failures.unshift(error);
    }
    // Settle even after a failure, so the render's late rejections are reported here, not by the
    // next render in this process.
    await Promise.race([settle(resources), drained]).catch((error: unknown) => failures.push(error));
  } finally {
    process.off("unhandledRejection", onRejection);
    process.off("beforeExit", onDrained);
  }
  if (failures.length > 0) throw failures[0];
  if (!options.preview && (!outputs || Object.keys(outputs).length === 0)) {
    // Under preview mocks, one unknown value makes the whole outputs object unknown.
    throw new Error(
      `Rendering stack ${options.stack} produced no outputs: a value the program exports is unknown under the ` +
        "mocks, usually a mocked resource missing an output attribute (add it to tools/render/outputs/).",
    );
  }
  return {
    stack: options.stack,
    project: options.project,
    config: options.config,
    resources,
    outputs: (await sanitize(outputs ?? {})) as Record<string, unknown>,
  };
}

/** Waits until no registration has happened for a few turns of the event loop. */
async function settle(resources: RenderedResource[]): Promise<void> {
  let stableTurns = 0;
  let seen = resources.length;
  while (stableTurns < 3) {
    await new Promise((resolve) => setImmediate(resolve));
    if (resources.length === seen) stableTurns++;
    else {
      seen = resources.length;
      stableTurns = 0;
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The runtime takes config as strings, objects JSON-encoded, the way the CLI passes them. */
function toRuntimeConfig(config: RawConfig): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(config)) {
    if (value === undefined) continue;
    result[key] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return result;
}

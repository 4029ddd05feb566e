/**
 * Renders a stack of this program in-process under Pulumi's mock runtime.
 *
 * It runs `index.ts` exactly as the Pulumi language host would (inside `runInPulumiStack`, with the
 * stack's config in the runtime), intercepts every resource registration, and answers it with
 * synthesised outputs. The result is a list of resources in the shape of a `pulumi stack export`
 * (urn, type, parent, provider, inputs, outputs, dependencies) plus each one's effective Region.
 */
import { createHash } from "crypto";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { invoke } from "./invokes";
import { synthesizers } from "./outputs";
import {
  autoname,
  defaultArn,
  deterministicHex,
  isGlobalAwsType,
  MOCK_ACCOUNT_ID,
  parseTypeToken,
  SynthInput,
} from "./synth";
import { RenderedResource, RenderedStack } from "../../model/rendered";
import { RawConfig } from "../../stacks/config";

export const PROGRAM_PATH = path.resolve(__dirname, "../../index.ts");

export type { RenderedResource, RenderedStack } from "../../model/rendered";

export interface RenderOptions {
  readonly project: string;
  readonly stack: string;
  readonly config: RawConfig;
  /** Outputs returned for any StackReference the program reads, by referenced stack name. */
  readonly stackReferences?: Readonly<Record<string, Record<string, unknown>>>;
  /**
   * The outputs of this stack's last deployment, for a program that reads its own stack.
   *
   * @default {} (never deployed)
   */
  readonly previousOutputs?: Record<string, unknown>;
  readonly accountId?: string;
  /** Called with every provider function (invoke) the program calls, before it is answered. */
  readonly onInvoke?: (token: string, args: Readonly<Record<string, unknown>>) => void;
}

/** Renders one stack. Renders run one at a time: the Pulumi runtime is process-global. */
export async function renderStack(options: RenderOptions): Promise<RenderedStack> {
  const previous = renderQueue;
  let release: () => void = () => undefined;
  renderQueue = new Promise<void>((resolve) => (release = resolve));
  await previous;
  // Pulumi reads `new Error().stack` for every resource and promise it creates; source-mapping
  // each read (Node's own support, turned on by tools/runtime/register.js) is a large share of a
  // render. Nothing reads those stacks offline (they feed source positions and promise-leak
  // reports), so they are formatted plainly while rendering: Node maps a stack only when no
  // Error.prepareStackTrace is set. V8 formats a stack on first access, so an error that escapes
  // the render is still source-mapped when it is printed.
  // Formatting cost grows with frames too: five still show where an error was thrown.
  const sourceMappedStacks = Error.prepareStackTrace;
  const stackTraceLimit = Error.stackTraceLimit;
  Error.prepareStackTrace = plainStackTrace;
  Error.stackTraceLimit = 5;
  try {
    return await renderExclusive(options);
  } finally {
    if (sourceMappedStacks) Error.prepareStackTrace = sourceMappedStacks;
    else delete (Error as { prepareStackTrace?: unknown }).prepareStackTrace;
    Error.stackTraceLimit = stackTraceLimit;
    release();
  }
}

/** V8's default stack format, without source maps: the error, then one `at` line per frame. */
export function plainStackTrace(error: Error, frames: NodeJS.CallSite[]): string {
  return [Error.prototype.toString.call(error), ...frames.map((frame) => `    at ${frame}`)].join("\n");
}

let renderQueue: Promise<void> = Promise.resolve();

interface PendingRequest {
  readonly type: string;
  readonly name: string;
  readonly parent: string;
  readonly provider: string;
  readonly dependencies: string[];
  readonly custom: boolean;
  readonly protect: boolean;
  readonly ignoreChanges: string[];
  readonly replaceOnChanges: string[];
  readonly deleteBeforeReplace: boolean;
  readonly retainOnDelete: boolean;
}

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
        providerRegions.set(urn, String(inputs.region ?? stackRegion));
      }
      const result = synthesize(args.type, args.name, urn, inputs, region, accountId, options);
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
  if (!outputs || Object.keys(outputs).length === 0) {
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

type RequestLike = {
  getType(): string;
  getName(): string;
  getParent(): string;
  getProvider(): string;
  getDependenciesList(): string[];
  getCustom?(): boolean;
  getProtect?(): boolean;
  getIgnorechangesList?(): string[];
  getReplaceonchangesList?(): string[];
  getDeletebeforereplace?(): boolean;
  getRetainondelete?(): boolean | undefined;
};

type MonitorLike = Record<string, (req: RequestLike, cb: (err: unknown, res: unknown) => void) => unknown>;

/**
 * The mock's `newResource` does not see parents, dependencies or `protect`; the monitor's request
 * does. The monitor calls `newResource` synchronously with its request, so the request is handed
 * over through `current`.
 */
function interceptRegistrations(record: (request: PendingRequest) => void): void {
  const monitor = pulumi.runtime.getMonitor() as unknown as MonitorLike;
  for (const method of ["registerResource", "readResource"] as const) {
    const original = monitor[method].bind(monitor);
    monitor[method] = (req, cb) => {
      record({
        type: req.getType(),
        name: req.getName(),
        parent: req.getParent(),
        provider: req.getProvider(),
        dependencies: [...(req.getDependenciesList?.() ?? [])],
        custom: method === "readResource" ? true : (req.getCustom?.() ?? true),
        protect: req.getProtect?.() ?? false,
        ignoreChanges: [...(req.getIgnorechangesList?.() ?? [])],
        replaceOnChanges: [...(req.getReplaceonchangesList?.() ?? [])],
        deleteBeforeReplace: req.getDeletebeforereplace?.() ?? false,
        retainOnDelete: req.getRetainondelete?.() ?? false,
      });
      return original(req, cb);
    };
  }
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

function urnOf(options: RenderOptions, parent: string | null, type: string, name: string): string {
  let qualified = type;
  if (parent) {
    const parentType = parent.split("::")[2].split("$").pop();
    qualified = `${parentType}$${type}`;
  }
  return `urn:pulumi:${options.stack}::${options.project}::${qualified}::${name}`;
}

function effectiveRegion(
  type: string,
  custom: boolean,
  inputs: Record<string, unknown>,
  providerUrn: string | null,
  providerRegions: Map<string, string>,
  stackRegion: string,
): string | null {
  const { pkg } = parseTypeToken(type);
  if (type.startsWith("pulumi:providers:")) return String(inputs.region ?? stackRegion);
  if (pkg !== "aws" && pkg !== "awsx") {
    // Components and the engine's own resources are not placed in a Region.
    if (!custom || type.startsWith("pulumi:")) return null;
  }
  if (isGlobalAwsType(type)) return null;
  if (typeof inputs.region === "string" && inputs.region !== "") return inputs.region;
  if (providerUrn && providerRegions.has(providerUrn)) return providerRegions.get(providerUrn) ?? null;
  return stackRegion || null;
}

function synthesize(
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
  const specific = synthesizers[type]?.(input);
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

const ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17";
const ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7";
const SIG_KEY = "4dabf18193072939515e22adb298388d";

/**
 * Turns runtime values into JSON the way a stack export shows them: assets and archives keep
 * Pulumi's signature key, resources become their URN. Asset text is replaced by its size and
 * hash so a bundled function does not flood the plan.
 */
export async function sanitize(value: unknown): Promise<unknown> {
  if (value === null || value === undefined) return value;
  if (pulumi.asset.Asset.isInstance(value)) {
    const asset = value as unknown as {
      path?: Promise<string>;
      uri?: Promise<string>;
      text?: Promise<string>;
    };
    const [assetPath, uri, text] = await Promise.all([asset.path, asset.uri, asset.text]);
    return {
      [SIG_KEY]: ASSET_SIG,
      ...(assetPath ? { path: assetPath } : {}),
      ...(uri ? { uri } : {}),
      ...(text !== undefined
        ? { hash: createHash("sha256").update(text).digest("hex"), textBytes: Buffer.byteLength(text) }
        : {}),
    };
  }
  if (pulumi.asset.Archive.isInstance(value)) {
    const archive = value as unknown as { path?: Promise<string>; assets?: Promise<Record<string, unknown>> };
    const [archivePath, assets] = await Promise.all([archive.path, archive.assets]);
    return {
      [SIG_KEY]: ARCHIVE_SIG,
      ...(archivePath ? { path: archivePath } : {}),
      ...(assets ? { assets: await sanitize(assets) } : {}),
    };
  }
  if (pulumi.Resource.isInstance(value)) return urnOfResource(value);
  if (Array.isArray(value)) return Promise.all((value as unknown[]).map(sanitize));
  if (typeof value === "object") {
    const result: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v !== undefined) result[k] = await sanitize(v);
    }
    return result;
  }
  return value;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function urnOfResource(resource: pulumi.Resource): Promise<string> {
  return new Promise((resolve) => resource.urn.apply((urn) => resolve(urn)));
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

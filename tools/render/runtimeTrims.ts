/**
 * Debug-only work the Pulumi SDK does for every resource, switched off while a render runs and
 * restored after it. Each trim removes work whose result nothing offline reads; together they were
 * about a fifth of a plan's rendering. The real path (`pulumi up`) never loads this module.
 *
 * - Stack traces: the SDK reads `new Error().stack` for every resource and promise (source
 *   positions and promise-leak reports). Renders capture none: `Error.stackTraceLimit = 0`, and
 *   `Resource.stackTrace` returns no frames. An error that escapes a render keeps its message
 *   (config errors name the key); PAYMENTS_DR_RENDER_STACKS=1 keeps full, source-mapped stacks.
 * - Promise-leak tracking: `debuggablePromise` tags and tracks every RPC promise so a program that
 *   exits with one pending can be reported. A render has its own check (an Output that never
 *   resolves fails the render, tools/render/render.ts), so the promise is returned as it is.
 * - Response logging: each registration's debug log line interpolates the whole response message,
 *   which google-protobuf turns into text eagerly even though nothing prints it. The mock
 *   monitor's responses answer with their URN instead.
 *
 * The patched members are looked up by name, and a missing one throws (test/tools/runtimeTrims):
 * an SDK upgrade that moves them fails loudly instead of silently slowing every plan.
 */
import * as pulumi from "@pulumi/pulumi";

interface Patch {
  readonly target: Record<string, unknown>;
  readonly key: string;
  readonly value: unknown;
}

// Internal SDK modules (not in its typings); the version is pinned exactly in package.json.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const debuggable = require("@pulumi/pulumi/runtime/debuggable") as Record<string, unknown>;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const resourceProto = require("@pulumi/pulumi/proto/resource_pb") as Record<
  string,
  { prototype: object } | undefined
>;
const registerResponse = (resourceProto.RegisterResourceResponse?.prototype ?? {}) as Record<string, unknown>;

/** The SDK's static `Resource.stackTrace(skip)`: source positions. */
const ResourceStatics = pulumi.Resource as unknown as Record<string, unknown>;

export type SdkMember = readonly [label: string, target: Record<string, unknown>, key: string];

/** The SDK functions the trims replace or call: each must still be a function where it was. */
const SDK_MEMBERS: readonly SdkMember[] = [
  ["runtime/debuggable.debuggablePromise", debuggable, "debuggablePromise"],
  ["proto/resource_pb.RegisterResourceResponse#getUrn", registerResponse, "getUrn"],
  ["Resource.stackTrace", ResourceStatics, "stackTrace"],
];

/** V8's default stack format, without source maps: the error, then one `at` line per frame. */
export function plainStackTrace(error: Error, frames: NodeJS.CallSite[]): string {
  return [Error.prototype.toString.call(error), ...frames.map((frame) => `    at ${frame}`)].join("\n");
}

function registerResponseLabel(this: { getUrn(): string }): string {
  return `RegisterResourceResponse(${this.getUrn()})`;
}

function renderPatches(fullStacks: boolean): Patch[] {
  const patches: Patch[] = [
    { target: debuggable, key: "debuggablePromise", value: (promise: Promise<unknown>) => promise },
    { target: registerResponse, key: "toString", value: registerResponseLabel },
  ];
  if (!fullStacks) {
    const errorStatics = Error as unknown as Record<string, unknown>;
    patches.push(
      { target: errorStatics, key: "prepareStackTrace", value: plainStackTrace },
      { target: errorStatics, key: "stackTraceLimit", value: 0 },
      { target: ResourceStatics, key: "stackTrace", value: () => [] },
    );
  }
  return patches;
}

/** Throws naming each SDK member the trims rely on that is no longer a function. */
export function checkSdkMembers(members: readonly SdkMember[] = SDK_MEMBERS): void {
  const missing = members.filter(([, target, key]) => typeof target[key] !== "function");
  if (missing.length > 0) {
    throw new Error(
      `@pulumi/pulumi no longer has ${missing.map(([label]) => label).join(", ")}, which ` +
        "tools/render/runtimeTrims.ts patches while rendering: update the trims for this SDK version.",
    );
  }
}

/**
 * Applies the trims and returns the function that restores every patched member exactly (an
 * absent own property is deleted again). `fullStacks` keeps stack traces as they are.
 */
export function trimRuntimeForRender(fullStacks: boolean): () => void {
  checkSdkMembers();
  const saved = renderPatches(fullStacks).map(({ target, key, value }) => {
    const before = {
      target,
      key,
      own: Object.prototype.hasOwnProperty.call(target, key),
      value: target[key],
    };
    target[key] = value;
    return before;
  });
  return () => {
    for (const { target, key, own, value } of saved.reverse()) {
      if (own) target[key] = value;
      else delete target[key];
    }
  };
}

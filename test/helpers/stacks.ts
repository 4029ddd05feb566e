/**
 * Renders this project's stacks under the mock runtime for tests, and finds resources in them.
 * Renderings are cached per (stack, overrides): every spec that asks for the default dr stack
 * shares one rendering.
 */
import { RenderedResource, RenderedStack } from "../../tools/render/render";
import { renderProject } from "../../tools/render/project";

const cache = new Map<string, Promise<RenderedStack>>();

/** Renders one stack (and, for dr, the primary it references) with optional `key=value` overrides. */
export function renderTestStack(stack: string, overrides: readonly string[] = []): Promise<RenderedStack> {
  const key = `${stack}|${overrides.join("|")}`;
  if (!cache.has(key)) {
    cache.set(
      key,
      renderProject({ stacks: [stack], overrides }).then((stacks) => stacks[0]),
    );
  }
  return cache.get(key) as Promise<RenderedStack>;
}

/** All resources of a type, e.g. `aws:kms/key:Key`. */
export function findAll(stack: RenderedStack, type: string): RenderedResource[] {
  return stack.resources.filter((r) => r.type === type);
}

/** The one resource of a type and logical name; fails listing what exists instead. */
export function find(stack: RenderedStack, type: string, name: string): RenderedResource {
  const match = stack.resources.find((r) => r.type === type && r.name === name);
  if (!match) {
    const names = findAll(stack, type).map((r) => r.name);
    throw new Error(
      `No ${type} named "${name}" in stack ${stack.stack}; ${type} names: ${names.length ? names.join(", ") : "none"}`,
    );
  }
  return match;
}

/** The resource with this URN; fails if there is none. */
export function byUrn(stack: RenderedStack, urn: string): RenderedResource {
  const match = stack.resources.find((r) => r.urn === urn);
  if (!match) throw new Error(`No resource ${urn} in stack ${stack.stack}`);
  return match;
}

const previewCache = new Map<string, Promise<RenderedStack>>();

/** Renders one stack as `pulumi preview` shows its first deployment (computed values unknown). */
export function renderPreviewStack(stack: string): Promise<RenderedStack> {
  if (!previewCache.has(stack)) {
    previewCache.set(
      stack,
      renderProject({ stacks: [stack], preview: true }).then((stacks) => stacks[0]),
    );
  }
  return previewCache.get(stack) as Promise<RenderedStack>;
}

/**
 * Renders this project's stacks in dependency order: a dr stack's StackReference resolves to the
 * outputs of the primary stack rendered just before it, as `pulumi up --stack dr` would read them
 * from the state backend.
 */
import { ConfigError, PROJECT, RawConfig } from "../../stacks/config";
import { RenderedStack, renderStack } from "./render";
import { applyOverrides, listStacks, readProject, readStackConfig } from "./stackFiles";

export interface ProjectRenderOptions {
  /** Stacks to render, in any order. @default - every `Pulumi.<stack>.yaml`, primary first. */
  readonly stacks?: readonly string[];
  /** `key=value` overrides applied to the selected stacks (not to a primary rendered only as a reference). */
  readonly overrides?: readonly string[];
  /**
   * Render the selected stacks as `pulumi preview` shows their first deployment (computed values
   * unknown). A stack they reference is rendered deployed (known outputs): it is deployed first.
   *
   * @default false
   */
  readonly preview?: boolean;
  /** Called before each stack renders, for progress lines. */
  readonly onStack?: (stack: string, preview: boolean) => void;
  /** Called with every provider function (invoke) a stack's program calls. */
  readonly onInvoke?: (stack: string, token: string, args: Readonly<Record<string, unknown>>) => void;
}

/** The local stack a `primaryStack` reference names: its last path segment. */
export function referencedStack(reference: string): string {
  return reference.split("/").pop() ?? reference;
}

export async function renderProject(options: ProjectRenderOptions = {}): Promise<RenderedStack[]> {
  return (await renderProjectWithReferences(options)).selected;
}

export interface ProjectRendering {
  /** The stacks asked for, in the order asked. */
  readonly selected: RenderedStack[];
  /** Every stack rendered, including those rendered only because a selected stack references them. */
  readonly all: RenderedStack[];
}

export async function renderProjectWithReferences(
  options: ProjectRenderOptions = {},
): Promise<ProjectRendering> {
  const project = readProject();
  const available = listStacks();
  const selected = options.stacks && options.stacks.length > 0 ? [...options.stacks] : orderStacks(available);
  for (const stack of selected) {
    if (!available.includes(stack)) {
      throw new ConfigError(
        "--stack",
        `Unknown stack "${stack}": expected one of ${available.join(", ")}. Fix: pass --stack ${available[0]}.`,
      );
    }
  }

  const configs = new Map<string, RawConfig>();
  const configFor = (stack: string): RawConfig => {
    if (!configs.has(stack)) {
      const base = readStackConfig(stack);
      configs.set(
        stack,
        selected.includes(stack) ? applyOverrides(base, options.overrides ?? [], project.name) : base,
      );
    }
    return configs.get(stack) as RawConfig;
  };

  const rendered = new Map<string, RenderedStack>();
  const render = async (stack: string, chain: string[] = [], preview = false): Promise<RenderedStack> => {
    const key = `${stack}|${preview}`;
    const done = rendered.get(key);
    if (done) return done;
    if (chain.includes(stack)) {
      throw new ConfigError(
        `${PROJECT}:primaryStack`,
        `Stack references form a cycle: ${[...chain, stack].join(" -> ")}.`,
      );
    }
    const config = configFor(stack);
    const references: Record<string, Record<string, unknown>> = {};
    const reference = config[`${PROJECT}:primaryStack`];
    if (typeof reference === "string" && reference !== "") {
      const target = referencedStack(reference);
      if (!available.includes(target)) {
        throw new ConfigError(
          `${PROJECT}:primaryStack`,
          `Invalid config ${PROJECT}:primaryStack = "${reference}": the offline plan renders the referenced ` +
            `stack from Pulumi.${target}.yaml, which does not exist (stacks: ${available.join(", ")}).`,
        );
      }
      references[reference] = (await render(target, [...chain, stack])).outputs;
    }
    options.onStack?.(stack, preview);
    const onInvoke = options.onInvoke;
    const result = await renderStack({
      project: project.name,
      stack,
      config,
      stackReferences: references,
      preview,
      ...(onInvoke ? { onInvoke: (token, args) => onInvoke(stack, token, args) } : {}),
    });
    rendered.set(key, result);
    return result;
  };

  const results: RenderedStack[] = [];
  for (const stack of selected) results.push(await render(stack, [], options.preview === true));
  // Context for cross-stack links: each stack once, the selected rendering where there is one.
  const all = new Map<string, RenderedStack>();
  for (const r of rendered.values()) if (!all.has(r.stack) || results.includes(r)) all.set(r.stack, r);
  return { selected: results, all: [...all.values()] };
}

/** Stacks without a primary reference first, so `primary` precedes `dr` in reports. */
function orderStacks(stacks: string[]): string[] {
  const hasReference = (stack: string) => readStackConfig(stack)[`${PROJECT}:primaryStack`] !== undefined;
  return [...stacks].sort((a, b) => Number(hasReference(a)) - Number(hasReference(b)) || a.localeCompare(b));
}

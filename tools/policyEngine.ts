/**
 * The offline policy evaluator: runs the pack's policies over a stack's resources the way the
 * Pulumi engine's analyzer does, without the CLI or a gRPC server.
 *
 * - resource policies see each resource's inputs, stack policies every resource's outputs, both
 *   wrapped in @pulumi/policy's own unknown-checking proxy, with the same `args` shape
 *   (`PolicyResource`: type, props, urn, name, opts, provider with its props, parent, dependencies);
 * - enforcement levels and per-policy config follow a policy-config.json (`pulumi preview
 *   --policy-pack-config`); `remediate` runs the remediation first, as the engine does;
 * - a policy that reads a value unknown before apply is reported as an advisory "can't run" note,
 *   the engine's behaviour, never as a violation.
 *
 * Synchronous on purpose (the plan and the benchmark call it inline): every policy in this pack is
 * synchronous, and one that returns a promise is refused with a clear error.
 */
import {
  EnforcementLevel,
  Policies,
  PolicyResource,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import { unknownCheckingProxy, UnknownValueError } from "../policies/lib/sdk";

export interface EngineProvider {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly props: Record<string, unknown>;
}

export interface EngineResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
  readonly outputs: Record<string, unknown>;
  readonly provider?: EngineProvider;
  readonly parent?: string;
  readonly dependencies: readonly string[];
  readonly propertyDependencies?: Readonly<Record<string, readonly string[]>>;
  readonly protect?: boolean;
}

export interface EngineStack {
  readonly stack: string;
  readonly resources: readonly EngineResource[];
}

export interface Violation {
  readonly policy: string;
  readonly enforcementLevel: string;
  readonly urn: string;
  readonly message: string;
  /** The policy's description: the CLI prints it, a newline, then the message (cliMessage). */
  readonly description: string;
}

/**
 * A violation's message exactly as the CLI shows it (what @pulumi/policy's server sends): the
 * policy's description, then a newline and the message when there is one. A "can't run" note
 * carries no description and is the message alone.
 */
export function cliMessage(v: Violation): string {
  if (!v.description) return v.message;
  return v.message ? `${v.description}\n${v.message}` : v.description;
}

/** A policy-config.json: per policy, a level or an object with `enforcementLevel` and settings. */
export type PackConfig = Readonly<
  Record<string, EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>)>
>;

export interface EvaluateOptions {
  readonly policies: Policies;
  readonly config?: PackConfig;
  /** The pack's default level. @default "advisory" (as PolicyPack) */
  readonly defaultLevel?: EnforcementLevel;
}

class NotApplicable extends Error {}

const isResourcePolicy = (p: Policies[number]): p is ResourceValidationPolicy =>
  "validateResource" in p || "remediateResource" in p;
const isStackPolicy = (p: Policies[number]): p is StackValidationPolicy => "validateStack" in p;

/** The policy's own entry wins; `all` sets every other policy's level, as the CLI applies it. */
function levelOf(policy: Policies[number], options: EvaluateOptions): EnforcementLevel {
  const levelIn = (entry: PackConfig[string] | undefined) =>
    typeof entry === "string" ? entry : entry?.enforcementLevel;
  return (
    levelIn(options.config?.[policy.name]) ??
    levelIn(options.config?.["all"]) ??
    policy.enforcementLevel ??
    options.defaultLevel ??
    "advisory"
  );
}

function settingsOf(policy: Policies[number], options: EvaluateOptions): Record<string, unknown> {
  const entry = options.config?.[policy.name];
  if (!entry || typeof entry === "string") return {};
  const { enforcementLevel: _level, ...settings } = entry;
  return settings;
}

const typeOf = (resourceClass: unknown) => (resourceClass as { __pulumiType?: string }).__pulumiType;

function settle(result: unknown, policy: string): void {
  if (result && typeof (result as { then?: unknown }).then === "function") {
    throw new Error(
      `Policy ${policy} is asynchronous; the offline runner evaluates synchronous policies only.`,
    );
  }
}

const defaultOpts = (r: EngineResource) => ({
  protect: r.protect ?? false,
  ignoreChanges: [],
  aliases: [],
  customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
  additionalSecretOutputs: [],
  ...(r.parent ? { parent: r.parent } : {}),
});

/** Evaluates every enabled policy against one stack; returns violations in policy order. */
export function evaluateStack(stack: EngineStack, options: EvaluateOptions): Violation[] {
  const violations: Violation[] = [];
  const notApplicable = (reason?: string): never => {
    throw new NotApplicable(reason);
  };
  const run = (policy: string, level: string, urn: string, fn: () => unknown) => {
    try {
      settle(fn(), policy);
    } catch (error) {
      if (error instanceof NotApplicable) return;
      if (error instanceof UnknownValueError) {
        violations.push({
          policy,
          enforcementLevel: "advisory",
          urn,
          message: `can't run policy ${policy} during preview: ${error.message}`,
          description: "",
        });
        return;
      }
      throw error;
    }
    void level;
  };

  // Remediations first (enforcement level "remediate"), as the engine does before validating.
  const inputs = new Map(stack.resources.map((r) => [r.urn, r.inputs]));
  const resourcePolicies = options.policies
    .filter(isResourcePolicy)
    .filter((p) => levelOf(p, options) !== "disabled");
  for (const policy of resourcePolicies) {
    if (levelOf(policy, options) !== "remediate" || !policy.remediateResource) continue;
    for (const resource of stack.resources) {
      const args = resourceArgs(
        resource,
        inputs.get(resource.urn) ?? {},
        settingsOf(policy, options),
        notApplicable,
      );
      run(policy.name, "remediate", resource.urn, () => {
        const fixed = policy.remediateResource?.(args);
        settle(fixed, policy.name);
        if (fixed) inputs.set(resource.urn, fixed as Record<string, unknown>);
      });
    }
  }

  for (const policy of resourcePolicies) {
    const level = levelOf(policy, options);
    const reported = level === "remediate" ? "mandatory" : level;
    const validations = [policy.validateResource ?? []].flat();
    const single = validations.length === 1 ? typeOf(validations[0]) : undefined;
    for (const resource of stack.resources) {
      if (single && resource.type !== single) continue;
      const args = resourceArgs(
        resource,
        inputs.get(resource.urn) ?? {},
        settingsOf(policy, options),
        notApplicable,
      );
      for (const validate of validations) {
        run(policy.name, reported, resource.urn, () =>
          validate(args, (message) =>
            violations.push({
              policy: policy.name,
              enforcementLevel: reported,
              urn: resource.urn,
              message,
              description: policy.description,
            }),
          ),
        );
      }
    }
  }

  const stackPolicies = options.policies
    .filter(isStackPolicy)
    .filter((p) => levelOf(p, options) !== "disabled");
  if (stackPolicies.length > 0) {
    const resources = policyResources(stack.resources);
    for (const policy of stackPolicies) {
      const level = levelOf(policy, options);
      const reported = level === "remediate" ? "mandatory" : level;
      const settings = settingsOf(policy, options);
      const args: StackValidationArgs = {
        resources,
        stackTags: new Map(),
        getConfig: <T extends object>() => settings as T,
        notApplicable,
      };
      run(policy.name, reported, "", () =>
        policy.validateStack(args, (message, urn) =>
          violations.push({
            policy: policy.name,
            enforcementLevel: reported,
            urn: urn ?? "",
            message,
            description: policy.description,
          }),
        ),
      );
    }
  }
  return violations;
}

function resourceArgs(
  resource: EngineResource,
  inputs: Record<string, unknown>,
  settings: Record<string, unknown>,
  notApplicable: (reason?: string) => never,
): ResourceValidationArgs {
  const props = unknownCheckingProxy(inputs) as Record<string, unknown>;
  return {
    type: resource.type,
    props,
    urn: resource.urn,
    name: resource.name,
    opts: defaultOpts(resource),
    ...(resource.provider
      ? { provider: { ...resource.provider, props: unknownCheckingProxy(resource.provider.props) } }
      : {}),
    stackTags: new Map(),
    isType: (resourceClass) => typeOf(resourceClass) === resource.type,
    asType: ((resourceClass: unknown) =>
      typeOf(resourceClass) === resource.type ? props : undefined) as ResourceValidationArgs["asType"],
    getConfig: <T extends object>() => settings as T,
    notApplicable,
  };
}

/** CrossGuard's `PolicyResource` graph: outputs as props, parents and dependencies as objects. */
export function policyResources(resources: readonly EngineResource[]): PolicyResource[] {
  const byUrn = new Map<string, PolicyResource>();
  const list = resources.map((r) => {
    const props = unknownCheckingProxy({ ...r.inputs, ...r.outputs }) as Record<string, unknown>;
    const resource: PolicyResource = {
      type: r.type,
      props,
      urn: r.urn,
      name: r.name,
      opts: defaultOpts(r),
      ...(r.provider ? { provider: { ...r.provider, props: unknownCheckingProxy(r.provider.props) } } : {}),
      dependencies: [],
      propertyDependencies: {},
      isType: (resourceClass) => typeOf(resourceClass) === r.type,
      asType: ((resourceClass: unknown) =>
        typeOf(resourceClass) === r.type ? props : undefined) as PolicyResource["asType"],
    };
    byUrn.set(r.urn, resource);
    return resource;
  });
  const lookup = (urns: readonly string[]) =>
    urns.map((u) => byUrn.get(u)).filter((x): x is PolicyResource => !!x);
  resources.forEach((r, i) => {
    const resource = list[i];
    const parent = r.parent ? byUrn.get(r.parent) : undefined;
    if (parent) resource.parent = parent;
    resource.dependencies = lookup(r.dependencies);
    for (const [key, urns] of Object.entries(r.propertyDependencies ?? {}))
      resource.propertyDependencies[key] = lookup(urns);
  });
  return list;
}

export const isMandatory = (v: Violation) => v.enforcementLevel === "mandatory";

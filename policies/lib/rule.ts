/**
 * Builders that turn a plain check function into a CrossGuard policy. Checks receive properties
 * already resolved (Region, config with schema defaults) and return messages; the builders do the
 * type filtering and reporting, so every rule module stays a table of what to check.
 */
import {
  EnforcementLevel,
  PolicyConfigSchema,
  PolicyResource,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationPolicy,
} from "@pulumi/policy";
import { StackIndex } from "./stackIndex";
import { regionOf, Unknown } from "./values";

/** What a resource check sees. `props` are the resource's inputs (engine `analyze`). */
export interface ResourceView<C> {
  readonly type: string;
  readonly urn: string;
  readonly name: string;
  readonly props: Record<string, unknown>;
  readonly region: string | Unknown | undefined;
  readonly config: C;
}

interface RuleBase {
  readonly name: string;
  readonly description: string;
  readonly enforcementLevel: EnforcementLevel;
  readonly configSchema?: PolicyConfigSchema;
  readonly remediationSteps?: string;
}

export interface ResourceRuleSpec<C> extends RuleBase {
  /** Type tokens the rule applies to, e.g. `aws:rds/instance:Instance`. */
  readonly types: readonly string[];
  /** Messages, one per violation; empty when compliant. */
  check(resource: ResourceView<C>): string[];
  /** Returns the fixed properties when a safe automatic fix exists, else undefined. */
  remediate?(resource: ResourceView<C>): Record<string, unknown> | undefined;
}

export interface StackRuleSpec<C> extends RuleBase {
  check(stack: StackIndex, config: C, report: (urn: string | undefined, message: string) => void): void;
}

/** The policy's config: schema defaults overlaid with what the user set (`getConfig`). */
export function configOf<C>(schema: PolicyConfigSchema | undefined, given: object): C {
  const config: Record<string, unknown> = {};
  for (const [key, property] of Object.entries(schema?.properties ?? {})) {
    if (typeof property === "object" && property.default !== undefined) config[key] = property.default;
  }
  return { ...config, ...(given as Record<string, unknown>) } as C;
}

/** The proxied props' underlying object, so a remediation can copy it without reading unknowns. */
function rawProps(props: Record<string, unknown>): Record<string, unknown> {
  const target = (props as Record<string, unknown>)["__getSpecialProxyTarget"];
  return (target && typeof target === "object" ? target : props) as Record<string, unknown>;
}

function view<C>(args: ResourceValidationArgs, schema: PolicyConfigSchema | undefined): ResourceView<C> {
  return {
    type: args.type,
    urn: args.urn,
    name: args.name,
    props: args.props,
    region: regionOf(args.props, args.provider),
    config: configOf<C>(schema, args.getConfig()),
  };
}

function base(spec: RuleBase) {
  return {
    name: spec.name,
    description: spec.description,
    enforcementLevel: spec.enforcementLevel,
    ...(spec.configSchema ? { configSchema: spec.configSchema } : {}),
    ...(spec.remediationSteps ? { remediationSteps: spec.remediationSteps } : {}),
  };
}

export function resourceRule<C = Record<string, never>>(spec: ResourceRuleSpec<C>): ResourceValidationPolicy {
  const types = new Set(spec.types);
  const validate = (args: ResourceValidationArgs, report: (message: string) => void) => {
    if (!types.has(args.type)) return;
    for (const message of spec.check(view<C>(args, spec.configSchema))) report(message);
  };
  // The engine skips a rule early for other types when it carries the single type it checks.
  if (spec.types.length === 1) Object.assign(validate, { __pulumiType: spec.types[0] });
  const policy: ResourceValidationPolicy = { ...base(spec), validateResource: validate };
  const remediate = spec.remediate;
  if (remediate) {
    policy.remediateResource = (args: ResourceValidationArgs) => {
      if (!types.has(args.type)) return undefined;
      const fixed = remediate(view<C>(args, spec.configSchema));
      return fixed ? { ...rawProps(args.props), ...fixed } : undefined;
    };
  }
  return policy;
}

export function stackRule<C = Record<string, never>>(spec: StackRuleSpec<C>): StackValidationPolicy {
  return {
    ...base(spec),
    validateStack: (args, report) => {
      const config = configOf<C>(spec.configSchema, args.getConfig());
      spec.check(StackIndex.of(args.resources as readonly PolicyResource[]), config, (urn, message) =>
        report(message, urn),
      );
    },
  };
}

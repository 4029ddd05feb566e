/**
 * Builders for policy tests: resources in the engine's shape (inputs, outputs, provider Region,
 * dependencies) and one-call evaluation of the whole pack, filtered to the policy under test.
 */
import { policies } from "../../policies/policies";
import { EngineResource, evaluateStack, PackConfig, Violation } from "../../tools/policyEngine";

export const PRIMARY = "us-east-1";
export const PEER = "us-west-2";
export const ACCOUNT = "111122223333";

export const key = (region: string, id = "1234abcd-12ab-34cd-56ef-1234567890ab") =>
  `arn:aws:kms:${region}:${ACCOUNT}:key/${id}`;

export interface ResourceOptions {
  /** The provider's Region (the stack's `aws:region`). @default PRIMARY */
  readonly providerRegion?: string;
  readonly dependencies?: string[];
  readonly propertyDependencies?: Record<string, string[]>;
  /** Extra outputs (computed attributes such as `arn`). */
  readonly outputs?: Record<string, unknown>;
}

export const urnOf = (type: string, name: string) => `urn:pulumi:test::payments-dr::${type}::${name}`;

export function resource(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  options: ResourceOptions = {},
): EngineResource {
  const providerRegion = options.providerRegion ?? PRIMARY;
  const region = typeof inputs.region === "string" ? inputs.region : providerRegion;
  return {
    urn: urnOf(type, name),
    type,
    name,
    inputs,
    outputs: { ...inputs, region, ...(options.outputs ?? {}) },
    provider: {
      urn: "urn:pulumi:test::payments-dr::pulumi:providers:aws::default",
      type: "pulumi:providers:aws",
      name: "default",
      props: { region: providerRegion },
    },
    dependencies: options.dependencies ?? [],
    propertyDependencies: options.propertyDependencies ?? {},
  };
}

/** Violations of one policy (or all when `policy` is undefined) for a stack of resources. */
export function violations(resources: EngineResource[], policy?: string, config?: PackConfig): Violation[] {
  const all = evaluateStack({ stack: "test", resources }, { policies, config });
  return policy ? all.filter((v) => v.policy === policy) : all;
}

/** Messages of one policy for a stack of resources. */
export function messages(resources: EngineResource[], policy: string, config?: PackConfig): string[] {
  return violations(resources, policy, config).map((v) => v.message);
}

/** `[urn, message]` pairs of one policy, for exact assertions on who is reported. */
export function reported(
  resources: EngineResource[],
  policy: string,
  config?: PackConfig,
): [string, string][] {
  return violations(resources, policy, config).map((v) => [v.urn, v.message]);
}

/** The engine's unknown-string sentinel, as preview files carry it. */
export const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/**
 * Asserts the exact list of violations of `policy`: one per `[urn, messageFragment]`, in order,
 * each message containing its fragment.
 */
export function expectViolations(
  resources: EngineResource[],
  policy: string,
  expected: [string, string][],
  config?: PackConfig,
): void {
  const actual = reported(resources, policy, config);
  const summary = JSON.stringify(actual, null, 2);
  if (actual.length !== expected.length || actual.some(([urn], i) => urn !== expected[i][0])) {
    throw new Error(`${policy}: expected URNs ${JSON.stringify(expected.map(([u]) => u))}, got ${summary}`);
  }
  actual.forEach(([, message], i) => {
    if (!message.includes(expected[i][1])) {
      throw new Error(`${policy}: message ${i} lacks "${expected[i][1]}": ${message}`);
    }
  });
}

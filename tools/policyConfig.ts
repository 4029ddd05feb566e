/**
 * A policy config file checked the way the Pulumi CLI checks `--policy-pack-config` before it
 * runs a pack: each entry is a level or an object whose `enforcementLevel` is a level and whose
 * other properties satisfy the policy's `configSchema`; `all` sets the level of every policy. An
 * invalid file is refused with every problem listed (sorted), not half-applied.
 */
import { Policies } from "@pulumi/policy";
import { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { PackConfig } from "./policyEngine";
import { PolicyInputError } from "./policyInput";

const LEVELS = ["advisory", "mandatory", "remediate", "disabled"];

function schemaProblems(where: string, schema: PolicyConfigJSONSchema, value: unknown): string[] {
  const type = schema.type;
  const actual = Array.isArray(value) ? "array" : value === null ? "null" : typeof value;
  const ok =
    type === undefined ||
    (type === "integer"
      ? Number.isInteger(value)
      : type === "number"
        ? actual === "number"
        : actual === type);
  if (!ok) return [`${where}: expected ${String(type)}, found ${JSON.stringify(value)}`];
  const problems: string[] = [];
  if (typeof value === "number" && schema.minimum !== undefined && value < schema.minimum)
    problems.push(`${where}: expected at least ${schema.minimum}, found ${value}`);
  if (typeof value === "string") {
    if (schema.minLength !== undefined && value.length < schema.minLength)
      problems.push(`${where}: expected at least ${schema.minLength} character(s), found "${value}"`);
    if (schema.pattern !== undefined && !new RegExp(schema.pattern).test(value))
      problems.push(`${where}: "${value}" does not match ${schema.pattern}`);
    if (schema.enum !== undefined && !schema.enum.includes(value))
      problems.push(`${where}: expected one of ${schema.enum.join(", ")}, found "${value}"`);
  }
  if (Array.isArray(value) && schema.items && !Array.isArray(schema.items)) {
    const items = schema.items as PolicyConfigJSONSchema;
    value.forEach((item, i) => problems.push(...schemaProblems(`${where}[${i}]`, items, item)));
  }
  if (actual === "object" && value) {
    const entries = Object.entries(value as Record<string, unknown>);
    for (const [key, v] of entries) {
      const property = schema.properties?.[key];
      const additional = schema.additionalProperties;
      if (property !== undefined) {
        if (typeof property === "object") problems.push(...schemaProblems(`${where}.${key}`, property, v));
      } else if (additional === false) problems.push(`${where}.${key}: not a setting of this policy`);
      else if (additional && typeof additional === "object")
        problems.push(...schemaProblems(`${where}.${key}`, additional, v));
    }
  }
  return problems;
}

/** The config, checked against the pack; throws PolicyInputError listing every problem. */
export function validatePackConfig(config: unknown, policies: Policies): PackConfig {
  if (!config || typeof config !== "object" || Array.isArray(config))
    throw new PolicyInputError("Invalid policy config: expected a JSON object keyed by policy name.");
  const byName = new Map(policies.map((p) => [p.name, p]));
  const problems: string[] = [];
  for (const [name, entry] of Object.entries(config as Record<string, unknown>)) {
    const level =
      typeof entry === "string" ? entry : (entry as { enforcementLevel?: unknown })?.enforcementLevel;
    if (level !== undefined && !LEVELS.includes(String(level)))
      problems.push(`${name}: enforcementLevel "${String(level)}" is not one of ${LEVELS.join(", ")}`);
    if (typeof entry === "string") continue;
    if (!entry || typeof entry !== "object") {
      problems.push(`${name}: expected a level or an object, found ${JSON.stringify(entry)}`);
      continue;
    }
    const { enforcementLevel: _level, ...settings } = entry as Record<string, unknown>;
    const policy = byName.get(name);
    if (name === "all" || !policy) continue;
    problems.push(...schemaProblems(name, { type: "object", ...(policy.configSchema ?? {}) }, settings));
  }
  if (problems.length > 0)
    throw new PolicyInputError(`Invalid policy config:\n  ${problems.sort().join("\n  ")}`);
  return config as PackConfig;
}

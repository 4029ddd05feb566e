/**
 * The error contract: one `ConfigError` whose message names the key, the bad value, what is
 * allowed and the fix, e.g.
 *
 *   Invalid config payments-dr:mode = "passive": expected one of active, standby. Fix: pulumi config set payments-dr:mode active
 *
 * `translate` turns a zod issue into that message: the words come from the field's registered
 * meta (fields.ts), from the issue's rule params (rules.ts), or from the declared keys for a typo.
 */
import { z } from "zod";
import { keyOfPath, PROJECT_KEYS, projectKey } from "./keys";
import { declaredFields, fieldInfo, FieldInfo, schemaAt } from "./lookup";
import { valueAt } from "./section";

/** A configuration mistake. Its message is meant for the operator, verbatim, with no stack trace. */
export class ConfigError extends Error {
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(message);
    this.name = "ConfigError";
  }
}

function describe(value: unknown): string {
  return typeof value === "string" ? `"${value}"` : JSON.stringify(value);
}

export function invalid(key: string, value: unknown, expected: string, fix: string): ConfigError {
  return new ConfigError(key, `Invalid config ${key} = ${describe(value)}: expected ${expected}. ${fix}`);
}

export function missing(key: string, expected: string, fix: string): ConfigError {
  return new ConfigError(key, `Missing config ${key}: expected ${expected}. ${fix}`);
}

/** The `pulumi config set` command that fixes `key`; a field inside a section needs `--path`. */
export function setHint(key: string, example: string): string {
  return `Fix: pulumi config set ${key.includes(".") ? "--path " : ""}${key} ${example}`;
}

/** What a cross-field rule (rules.ts) attaches to its issue. */
export interface RuleParams {
  readonly expected: string;
  readonly fix: string;
  /** Say "Missing config …" rather than "Invalid config …". */
  readonly missing?: boolean;
  /**
   * Where a rule over top-level keys stands in the check order: right before or after the check
   * of `key` (see precedence.ts). A rule over one section's fields has none: it follows them.
   */
  readonly anchor?: { readonly key: string; readonly at: "before" | "after" };
  /** A rule over one section's fields, checked after all of them. */
  readonly sectionRule?: boolean;
}

export function isRuleIssue(
  issue: z.core.$ZodIssue,
): issue is z.core.$ZodIssueCustom & { params: RuleParams } {
  return issue.code === "custom" && typeof issue.params?.expected === "string";
}

/** Everything `translate` needs besides the issue. */
export interface IssueContext {
  /** The schema that reported the issue, to find the field's words. */
  readonly schema: z.ZodType;
  /** What the schema was given, to show the operator's own value. */
  readonly input: unknown;
  readonly stackName: string;
}

export function translate(issue: z.core.$ZodIssue, context: IssueContext): ConfigError {
  if (isRuleIssue(issue)) {
    const { expected, fix } = issue.params;
    const key = keyOfPath(issue.path);
    return issue.params.missing ? missing(key, expected, fix) : invalid(key, issue.input, expected, fix);
  }
  if (issue.code === "unrecognized_keys") return unknownKey(issue, context);
  const schema = schemaAt(context.schema, issue.path);
  const info = schema && fieldInfo(schema);
  if (!info) {
    // Every field is built with words for its messages; reaching this is a bug in the schema.
    throw new Error(`No message for config ${keyOfPath(issue.path)}: ${issue.message}`);
  }
  return fieldError(keyOfPath(issue.path), valueAt(context.input, issue.path), info, context.stackName);
}

/** The error for a value of one field that its schema refused. */
export function fieldError(key: string, value: unknown, field: FieldInfo, stackName: string): ConfigError {
  const { meta, fallback } = field;
  const example = meta.example ?? fallback ?? "";
  const absent = value === undefined || (meta.missing?.emptyIsMissing === true && value === "");
  if (meta.missing && absent) {
    const wanted = meta.missing.example ?? example;
    return missing(
      key,
      meta.missing.expected,
      setHint(key, typeof wanted === "function" ? wanted(stackName) : wanted),
    );
  }
  const expected = typeof meta.expected === "function" ? meta.expected(example) : meta.expected;
  return invalid(key, value, expected, meta.fix ? meta.fix(key) : setHint(key, example));
}

function unknownKey(issue: z.core.$ZodIssueUnrecognizedKeys, context: IssueContext): ConfigError {
  const path = [...issue.path, issue.keys[0]];
  const key = keyOfPath(path);
  const value = valueAt(context.input, path);
  if (issue.path.length === 1) {
    return invalid(
      key,
      value,
      `one of the keys ${PROJECT_KEYS.map(projectKey).join(", ")}`,
      `Remove ${key} (pulumi config rm ${key}) or correct its spelling.`,
    );
  }
  const section = schemaAt(context.schema, issue.path);
  const allowed = section ? declaredFields(section) : [];
  return invalid(
    key,
    value,
    `one of the keys ${allowed.join(", ")}`,
    `Remove ${key} or correct its spelling.`,
  );
}

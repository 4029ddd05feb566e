/**
 * Field builders for the config sections: each returns a zod schema (its type, the coercion from
 * the strings `pulumi config set` stores, its range) registered in `fieldMeta` with the words its
 * error message uses. Sections add defaults with `.default(…)`; a field's `pulumi config set` fix
 * suggests that default unless the builder names another example.
 */
import { z } from "zod";

export interface FieldMeta {
  /** Completes "expected …" for a wrong value; a function gets the fix's example. */
  readonly expected: string | ((example: string) => string);
  /** The value the `pulumi config set` fix suggests. @default - the field's default */
  readonly example?: string;
  /** Replaces the `pulumi config set` fix (a section is fixed in the stack file, not with `set`). */
  readonly fix?: (key: string) => string;
  /** A required field: what "Missing config …" says when it is absent. */
  readonly missing?: MissingMeta;
}

export interface MissingMeta {
  readonly expected: string;
  /** The fix's example when it differs from `example`; it may depend on the stack's name. */
  readonly example?: string | ((stackName: string) => string);
  /** `""` counts as absent too, as `pulumi config set key ""` means "not set" to the operator. */
  readonly emptyIsMissing?: boolean;
}

/** The message words of each field, keyed by the field's schema. */
export const fieldMeta = z.registry<FieldMeta>();

/** Registers `meta` for `schema`; call it last, as `.refine`/`.check` return a new schema. */
export function field<T extends z.ZodType>(schema: T, meta: FieldMeta): T {
  fieldMeta.add(schema, meta);
  return schema;
}

/** `"4"` becomes 4 when the text is an integer's digits; anything else is left for the check to refuse. */
function integerText(value: unknown): unknown {
  return typeof value === "string" && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
}

function booleanText(value: unknown): unknown {
  return value === "true" ? true : value === "false" ? false : value;
}

/** A whole number of at least 1, e.g. a node count or a number of seconds. */
export function positiveInteger() {
  return field(z.preprocess(integerText, z.int().positive()), { expected: "a positive integer" });
}

/** A whole number within an AWS limit; the fix suggests the lower bound. */
export function integerFrom(min: number, max: number) {
  return field(z.preprocess(integerText, z.int().min(min).max(max)), {
    expected: `an integer from ${min} to ${max}`,
    example: String(min),
  });
}

/** `true`/`false`, or their text. */
export function flag() {
  return field(z.preprocess(booleanText, z.boolean()), { expected: "true or false", example: "true" });
}

/** One of a fixed list; the fix suggests the first. */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return field(z.enum(values), { expected: `one of ${values.join(", ")}`, example: values[0] });
}

/** One of a fixed list of whole numbers (or their text); the fix suggests the first. */
export function integerIn(values: readonly [number, ...number[]]) {
  return field(
    z.preprocess(
      integerText,
      z.int().refine((n) => values.includes(n)),
    ),
    { expected: `one of ${values.join(", ")}`, example: String(values[0]) },
  );
}

/** Text with at least one non-blank character. */
export function nonEmptyText() {
  return field(z.string().regex(/\S/), { expected: "a non-empty string" });
}

/** Text that starts with `prefix` and goes on, e.g. `db.` for an RDS instance class. */
export function startingWith(prefix: string, ...checks: z.core.$ZodCheck<string>[]) {
  const schema = z
    .string()
    .startsWith(prefix)
    .min(prefix.length + 1)
    .check(...checks);
  return field(schema, { expected: (example) => `a value starting with "${prefix}", e.g. ${example}` });
}

/** Text matching `pattern`, with its own words. */
export function matching(pattern: RegExp, meta: FieldMeta) {
  return field(z.string().regex(pattern), meta);
}

/** A whole number from 0, e.g. a store's generation. */
export function wholeNumber() {
  return field(z.preprocess(integerText, z.int().min(0)), {
    expected: "a whole number (0, 1, …)",
    example: "1",
  });
}

/** A list of whole numbers, parsed or as JSON text (`'[0]'`), e.g. retired generations. */
export function wholeNumberList(example: string) {
  const decode = (value: unknown) => {
    if (typeof value !== "string") return value;
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value;
    }
  };
  return field(z.preprocess(decode, z.array(z.preprocess(integerText, z.int().min(0)))), {
    expected: `a list of generations, e.g. ${example}`,
    example: `'${example}'`,
  });
}

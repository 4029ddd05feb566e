/**
 * A config section: one structured key (`payments-dr:eks`) holding a map of fields. It may come
 * parsed (from the stack file) or as JSON text (how the CLI hands structured values to a program);
 * absent, `null` or `""` means "all defaults". Fields it does not declare are refused as typos.
 */
import { z } from "zod";
import { field } from "./fields";

/**
 * Turns JSON text into the object it holds. Anything that is not an object's text is returned
 * unchanged, so the object check refuses it showing exactly what the operator gave.
 */
export function decodeSection(value: unknown): unknown {
  if (value === undefined || value === null || value === "") return {};
  if (typeof value !== "string") return value;
  try {
    const parsed: unknown = JSON.parse(value);
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? parsed : value;
  } catch {
    return value;
  }
}

const sectionMeta = {
  expected: "an object",
  fix: (key: string) => `Give ${key} as a YAML map in Pulumi.<stack>.yaml.`,
};

/**
 * A section of declared fields, with the rules that relate them (checked once every field is
 * valid; see rules.ts).
 */
export function section<Shape extends z.core.$ZodLooseShape>(
  shape: Shape,
  ...rules: z.core.$ZodCheck<z.output<z.ZodObject<Shape, z.core.$strict>>>[]
) {
  return field(z.preprocess(decodeSection, z.strictObject(shape).check(...rules)), sectionMeta);
}

/** A section of free-form string values (tags), which takes any key. */
export function stringMap(value: z.ZodType<string>) {
  return field(z.preprocess(decodeSection, z.record(z.string(), value)), sectionMeta);
}

/** The parsed value of a section declared by `shape`, read-only like the rest of `StackConfig`. */
export type SectionConfig<Shape extends z.core.$ZodLooseShape> = Readonly<
  z.output<z.ZodObject<Shape, z.core.$strict>>
>;

/**
 * The value the operator gave at `path` of the schema's input, before any coercion: messages
 * show `"0"` for `pulumi config set … 0`, not the number it was read as.
 */
export function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let node = input;
  for (const [depth, part] of path.entries()) {
    // Below `[namespace, key]` the value is a section: read into its decoded object.
    if (depth >= 2) node = decodeSection(node);
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Record<PropertyKey, unknown>)[part];
  }
  return node;
}

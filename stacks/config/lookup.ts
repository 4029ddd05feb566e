/**
 * Reads the schema back: which field sits at an issue's path, the words registered for it, its
 * default, and the fields a section declares. errors.ts and precedence.ts use it to put a zod issue
 * into the operator's terms.
 */
import { z } from "zod";
import { FieldMeta, fieldMeta } from "./fields";

/** One step inward through a wrapper that does not change which field this is. */
function unwrapOnce(schema: z.ZodType): z.ZodType | undefined {
  if (schema instanceof z.ZodDefault || schema instanceof z.ZodOptional || schema instanceof z.ZodPrefault) {
    return schema.unwrap() as z.ZodType;
  }
  if (schema instanceof z.ZodPipe) {
    // preprocess: transform → schema (look at the schema); transform: schema → transform.
    const { in: inner, out } = schema._zod.def;
    return (out instanceof z.ZodTransform ? inner : out) as z.ZodType;
  }
  return undefined;
}

function innermost(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (let next = unwrapOnce(current); next; next = unwrapOnce(current)) current = next;
  return current;
}

/** The schema of the field at `path` (as zod reports it), or undefined if the schema has none. */
export function schemaAt(root: z.ZodType, path: readonly PropertyKey[]): z.ZodType | undefined {
  let current: z.ZodType | undefined = root;
  for (const part of path) {
    if (!current) return undefined;
    const container = innermost(current);
    if (container instanceof z.ZodObject) current = container.shape[String(part)] as z.ZodType | undefined;
    else if (container instanceof z.ZodRecord) current = container._zod.def.valueType as z.ZodType;
    else return undefined;
  }
  return current;
}

export interface FieldInfo {
  readonly meta: FieldMeta;
  /** The default, as text for a `pulumi config set` example. */
  readonly fallback?: string;
}

/** The registered words of a field schema and its default, looking through its wrappers. */
export function fieldInfo(schema: z.ZodType): FieldInfo | undefined {
  let fallback: string | undefined;
  for (let current: z.ZodType | undefined = schema; current; current = unwrapOnce(current)) {
    if (current instanceof z.ZodDefault && fallback === undefined) {
      fallback = String(current._zod.def.defaultValue);
    }
    const meta = fieldMeta.get(current);
    if (meta) return { meta, fallback };
  }
  return undefined;
}

/**
 * The fields a section declares, as its unknown-key message lists them: those with a default
 * first, then those the operator must give (the order these messages have always used).
 */
export function declaredFields(section: z.ZodType): string[] {
  const object = innermost(section);
  if (!(object instanceof z.ZodObject)) return [];
  const entries = Object.entries(object.shape as Record<string, z.ZodType>);
  const withDefault = entries.filter(([, s]) => s instanceof z.ZodDefault).map(([name]) => name);
  const without = entries.filter(([, s]) => !(s instanceof z.ZodDefault)).map(([name]) => name);
  return [...withDefault, ...without];
}

/** The position of `name` among a section's declared fields, in check order; -1 if undeclared. */
export function fieldIndex(section: z.ZodType | undefined, name: PropertyKey): number {
  const object = section && innermost(section);
  return object instanceof z.ZodObject ? Object.keys(object.shape).indexOf(String(name)) : -1;
}

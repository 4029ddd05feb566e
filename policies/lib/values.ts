/**
 * Reading resource properties the way the Pulumi engine hands them to a policy pack.
 *
 * During `pulumi preview` a value that depends on a resource not created yet is unknown. The engine
 * sends it as a sentinel string and @pulumi/policy wraps `props` in a proxy that throws
 * `UnknownValueError` when such a value is read. Every rule reads properties through `get`/`list`,
 * which turn both forms into `UNKNOWN`. Rules then attribute the unknown through the engine's
 * property dependencies where they can, and fail closed where they cannot (docs/policies.md).
 */
import { UnknownValueError } from "./sdk";

export const UNKNOWN: unique symbol = Symbol("unknown");
export type Unknown = typeof UNKNOWN;

/** The engine's unknown sentinels (string, boolean, number, array, asset, archive, object). */
export const UNKNOWN_SENTINELS: ReadonlySet<string> = new Set([
  "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
  "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
  "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
  "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
  "030794c1-ac77-496b-92df-f27374a8bd58",
  "e48ece36-62e2-4504-bad9-02848725956a",
  "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
]);

export function isUnknown(value: unknown): value is Unknown {
  return value === UNKNOWN || (typeof value === "string" && UNKNOWN_SENTINELS.has(value));
}

/** The value at `path` under `root`: `UNKNOWN` if any step is unknown, `undefined` if absent. */
export function get(root: unknown, ...path: (string | number)[]): unknown {
  let current: unknown = root;
  for (const key of path) {
    if (isUnknown(current)) return UNKNOWN;
    if (current === null || current === undefined || typeof current !== "object") return undefined;
    try {
      current = (current as Record<string | number, unknown>)[key];
    } catch (error) {
      if (error instanceof UnknownValueError) return UNKNOWN;
      throw error;
    }
  }
  return isUnknown(current) ? UNKNOWN : current;
}

/** The elements of the array at `path` (each possibly `UNKNOWN`); `[]` when absent. */
export function list(root: unknown, ...path: (string | number)[]): unknown[] | Unknown {
  const value = get(root, ...path);
  if (value === UNKNOWN) return UNKNOWN;
  if (!Array.isArray(value)) return value === undefined || value === null ? [] : [value];
  const items: unknown[] = [];
  for (let i = 0; i < value.length; i++) items.push(get(value, i));
  return items;
}

/** A known non-empty string, `UNKNOWN`, or `undefined`. */
export function str(root: unknown, ...path: (string | number)[]): string | Unknown | undefined {
  const value = get(root, ...path);
  if (value === UNKNOWN) return UNKNOWN;
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** True/false from a boolean or its string form (Redshift's `encrypted` is a string in v7). */
export function bool(root: unknown, ...path: (string | number)[]): boolean | Unknown | undefined {
  const value = get(root, ...path);
  if (value === UNKNOWN) return UNKNOWN;
  if (value === true || value === "true") return true;
  if (value === false || value === "false") return false;
  return undefined;
}

export function num(root: unknown, ...path: (string | number)[]): number | Unknown | undefined {
  const value = get(root, ...path);
  if (value === UNKNOWN) return UNKNOWN;
  const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  return typeof n === "number" && Number.isFinite(n) ? n : undefined;
}

/** How a value is shown in a message: `"x"`, `true`, or `not set`. */
export function show(value: unknown): string {
  if (value === undefined || value === null) return "not set";
  if (value === UNKNOWN) return "unknown until apply";
  return typeof value === "string" ? `"${value}"` : JSON.stringify(value);
}

/** The Region in an ARN (`arn:aws:kms:us-east-1:...`), or undefined for global/Region-less ARNs. */
export function arnRegion(arn: string): string | undefined {
  if (!arn.startsWith("arn:")) return undefined;
  const region = arn.split(":")[3];
  return region ? region : undefined;
}

/** A resource's tags: `tagsAll` (outputs, with provider default tags) else `tags`. */
export function tagsOf(props: unknown): Record<string, unknown> | Unknown {
  for (const key of ["tagsAll", "tags"]) {
    const value = get(props, key);
    if (value === UNKNOWN) return UNKNOWN;
    if (value && typeof value === "object") {
      const tags: Record<string, unknown> = {};
      for (const k of Object.keys(value)) tags[k] = get(value, k);
      return tags;
    }
  }
  return {};
}

/** What a policy sees of a resource's provider (CrossGuard's `PolicyProviderResource`). */
export interface ProviderLike {
  readonly props: Record<string, unknown>;
}

/**
 * A resource's Region: its own `region` (aws v7 per-resource Region, also an output), else its
 * provider's `region` (explicit or default provider, which carries the stack's `aws:region`).
 */
export function regionOf(props: unknown, provider?: ProviderLike): string | Unknown | undefined {
  const own = str(props, "region");
  if (own !== undefined) return own;
  return provider ? str(provider.props, "region") : undefined;
}

export type KeyKind = "none" | "aws-managed" | "customer" | "unknown";

export interface KeyRef {
  readonly kind: KeyKind;
  readonly value?: string;
  /** The key's Region when the reference is an ARN. */
  readonly region?: string;
  /**
   * True when the reference names a key (key ARN or key id) or an alias by ARN: its owner cannot
   * be told from the reference (AWS-managed keys have key ARNs of the same shape; an alias ARN may
   * be another account's). Only a bare `alias/<name>` resolves in the stack's own account.
   */
  readonly byKeyId?: boolean;
}

/**
 * Classifies a KMS key reference: absent (the service default key), an AWS-managed key
 * (`alias/aws/<service>`), or a customer-managed key (custom alias, key id or key ARN).
 *
 * Limit: a key ARN or key id does not say who owns the key (an AWS-managed key's ARN looks like
 * any other). It is classed `customer` here (no mandatory rule can fail on what it cannot know)
 * with `byKeyId` set; the advisory `kms-key-owner-verified` stack rule (keyOwner.ts) reports such
 * a reference unless the key is declared in the stack. A custom alias is customer-managed: AWS
 * does not let an alias outside `alias/aws/` point at an AWS-managed key.
 */
export function keyRef(value: unknown): KeyRef {
  if (isUnknown(value)) return { kind: "unknown" };
  if (typeof value !== "string" || value === "") return { kind: "none" };
  if (/(^|:)alias\/aws\//.test(value)) return { kind: "aws-managed", value };
  const byKeyId = !/(^|:)alias\//.test(value) || value.startsWith("arn:");
  return { kind: "customer", value, region: arnRegion(value), byKeyId };
}

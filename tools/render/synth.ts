/**
 * Shared vocabulary for synthesising realistic computed outputs under the mock runtime.
 *
 * Every mocked resource gets a deterministic physical name and id (derived from its URN, so two
 * renderings of the same program agree), and an ARN that carries its effective Region and the
 * mock account. Per-service synthesisers in `./outputs/` add the type-specific attributes
 * (endpoints, key ids, resource ids) a real provider would compute.
 */
import { createHash } from "crypto";

export const MOCK_ACCOUNT_ID = "111122223333";
export const MOCK_PARTITION = "aws";

/** What a synthesiser knows about the resource being created. */
export interface SynthInput {
  readonly type: string;
  /** Logical name (the first constructor argument). */
  readonly name: string;
  readonly urn: string;
  readonly inputs: Readonly<Record<string, unknown>>;
  /** Effective Region, or null for global services. */
  readonly region: string | null;
  readonly accountId: string;
  /** Physical name: the `name` input when given, else a Pulumi-style autoname. */
  readonly physicalName: string;
  /** Deterministic lower-case hex of the requested length, unique per URN and salt. */
  hex(length: number, salt?: string): string;
}

export interface SynthResult {
  /** Overrides the default id (the physical name). */
  readonly id?: string;
  readonly outputs: Record<string, unknown>;
}

export type Synthesizer = (input: SynthInput) => SynthResult;

export function deterministicHex(seed: string, length: number): string {
  let out = "";
  let counter = 0;
  while (out.length < length) {
    out += createHash("sha256").update(`${seed}#${counter++}`).digest("hex");
  }
  return out.slice(0, length);
}

/** `name-1a2b3c4`, the shape of Pulumi's auto-naming. */
export function autoname(name: string, urn: string): string {
  return `${name}-${deterministicHex(urn, 7)}`;
}

/** A UUID-shaped id (8-4-4-4-12), deterministic per seed. */
export function uuidFrom(seed: string): string {
  const h = deterministicHex(seed, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** AWS modules whose resources are global (no Region in their ARN or placement). */
export const GLOBAL_AWS_MODULES: ReadonlySet<string> = new Set([
  "iam",
  "route53",
  "cloudfront",
  "organizations",
  "budgets",
  "shield",
]);

/** Splits `aws:rds/instance:Instance` into its package, module and resource name. */
export function parseTypeToken(type: string): { pkg: string; module: string; resource: string } {
  const [pkg, middle = "", resource = ""] = type.split(":");
  return { pkg, module: middle.split("/")[0], resource };
}

export function isGlobalAwsType(type: string): boolean {
  const { pkg, module } = parseTypeToken(type);
  return pkg === "aws" && GLOBAL_AWS_MODULES.has(module);
}

/** `arn:aws:<service>:<region>:<account>:<resource>`; global services leave the Region empty. */
export function arn(service: string, region: string | null, accountId: string, resource: string): string {
  return `arn:${MOCK_PARTITION}:${service}:${region ?? ""}:${accountId}:${resource}`;
}

/** The generic ARN for a type with no dedicated synthesiser: `<module>:<region>:<acct>:<kind>/<name>`. */
export function defaultArn(input: SynthInput): string {
  const { module, resource } = parseTypeToken(input.type);
  const kind = resource.charAt(0).toLowerCase() + resource.slice(1);
  return arn(module, input.region, input.accountId, `${kind}/${input.physicalName}`);
}

/**
 * A provider's Region: its `region` input (aws), else, for a Kubernetes provider, the Region its
 * kubeconfig signs tokens for (`aws eks get-token … --region <r>`: the cluster's), else the
 * stack's. A kubeconfig not known yet (a preview of a new cluster) falls back to the stack's.
 */
export function providerRegion(
  type: string,
  inputs: Readonly<Record<string, unknown>>,
  stackRegion: string,
): string {
  if (typeof inputs.region === "string" && inputs.region !== "") return inputs.region;
  if (type === "pulumi:providers:kubernetes") return kubeconfigRegion(inputs.kubeconfig) ?? stackRegion;
  return stackRegion;
}

/** The `--region` of the first exec user of a kubeconfig given as JSON text; undefined otherwise. */
export function kubeconfigRegion(kubeconfig: unknown): string | undefined {
  if (typeof kubeconfig !== "string") return undefined;
  try {
    const parsed = JSON.parse(kubeconfig) as { users?: { user?: { exec?: { args?: unknown[] } } }[] };
    const args = parsed.users?.[0]?.user?.exec?.args ?? [];
    const at = args.indexOf("--region");
    return at >= 0 && typeof args[at + 1] === "string" ? (args[at + 1] as string) : undefined;
  } catch {
    return undefined;
  }
}

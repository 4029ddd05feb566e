/**
 * The names of configuration keys: the project namespace, the keys it reads, and how a path in
 * the parsed input turns back into the key an operator types (`payments-dr:eks.activeNodeCount`).
 */

export const PROJECT = "payments-dr";

/** Every key this project reads; anything else under `payments-dr:` is a typo and is refused. */
export const PROJECT_KEYS = [
  "role",
  "mode",
  "strategy",
  "peerRegion",
  "primaryStack",
  "protectStatefulResources",
  "confirmReturnToStandby",
  "confirmStrategyChange",
  "restore",
  "generation",
  "targets",
  "network",
  "eks",
  "workload",
  "dns",
  "ingress",
  "database",
  "cache",
  "search",
  "warehouse",
  "backup",
  "ingest",
  "failover",
  "tags",
] as const;

export type ProjectKey = (typeof PROJECT_KEYS)[number];

/**
 * Raw configuration: fully-qualified keys (`aws:region`, `payments-dr:mode`) mapped to what the
 * CLI or the stack file holds. Scalars may arrive as strings (`pulumi config set` stores strings);
 * objects arrive parsed or as JSON text.
 */
export type RawConfig = Readonly<Record<string, unknown>>;

/** A key inside the project namespace: `projectKey("eks.activeNodeCount")`. */
export function projectKey(name: string): string {
  return `${PROJECT}:${name}`;
}

/**
 * The schema's input is namespaced like Pulumi config (`{ aws: { region }, "payments-dr": { … } }`),
 * so an issue's path is `[namespace, key, field…]` and reads back as `namespace:key.field`.
 */
export function keyOfPath(path: readonly PropertyKey[]): string {
  const [namespace, ...rest] = path.map(String);
  return `${namespace}:${rest.join(".")}`;
}

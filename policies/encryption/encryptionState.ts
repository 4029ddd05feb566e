/**
 * The vocabulary of the at-rest tables: what a store's encryption state is, and the readers shared
 * by the entries in `encryptionTypes.ts` (databases, caches, search, warehouses) and
 * `encryptionTypesFiles.ts` (file systems, streams, queues, vaults, compute volumes, logs).
 */
import { bool, get, show, UNKNOWN, Unknown } from "../lib/values";

export interface AtRestConfig {
  readonly requireCustomerManagedKey: boolean;
}

/** How a store is encrypted, read from its inputs. */
export interface AtRestState {
  /** false: not encrypted; UNKNOWN: cannot tell before apply. */
  readonly encrypted: boolean | Unknown;
  /** What to set to encrypt it, for the message. */
  readonly expected: string;
  readonly actual?: string;
  /** The key reference (undefined: the service's default key) and its argument name. */
  readonly key?: unknown;
  readonly keyArg?: string;
  /** Where the key is, when `keyArg` is not a plain dotted path (inline block devices). */
  readonly keyPath?: readonly (string | number)[];
  /** False where the service offers no customer-managed key for this configuration. */
  readonly cmkSupported: boolean;
  /** What the service uses when no key is given. @default "an AWS-managed key" */
  readonly defaultKey?: string;
}

export interface AtRestType {
  readonly type: string;
  /** `<service>-<resource>` prefix of the rule name. */
  readonly prefix: string;
  /** Human name, e.g. "RDS DB instance". */
  readonly label: string;
  /** undefined: the rule does not apply to this resource (e.g. a cluster node owned by a group). */
  state(props: Record<string, unknown>): AtRestState | undefined;
  /** Additional checks (e.g. DynamoDB replica keys). */
  extra?(props: Record<string, unknown>, config: AtRestConfig): string[];
}

export const isSet = (value: unknown) => value === UNKNOWN || (typeof value === "string" && value !== "");

/** A boolean switch: `arg: true` encrypts. */
export function flag(props: Record<string, unknown>, arg: string, keyArg?: string): AtRestState {
  const value = bool(props, ...arg.split("."));
  return {
    encrypted: value === UNKNOWN ? UNKNOWN : value === true,
    expected: `${arg}: true`,
    actual: `${arg}: ${show(value)}`,
    key: keyArg ? get(props, ...keyArg.split(".")) : undefined,
    keyArg,
    cmkSupported: keyArg !== undefined,
  };
}

/** Services that always encrypt; only the key is a choice. */
export function always(props: Record<string, unknown>, keyArg: string, defaultKey?: string): AtRestState {
  return {
    encrypted: true,
    expected: "",
    key: get(props, keyArg),
    keyArg,
    cmkSupported: true,
    defaultKey,
  };
}

/** A member of a global cluster inherits encryption from its source: encrypted if a key is given. */
export function clusterFlag(props: Record<string, unknown>, keyArg: string): AtRestState {
  const state = flag(props, "storageEncrypted", keyArg);
  return state.encrypted === false && isSet(get(props, keyArg)) ? { ...state, encrypted: true } : state;
}

export function globalCluster(props: Record<string, unknown>): AtRestState {
  const state = flag(props, "storageEncrypted");
  return state.encrypted === false && isSet(get(props, "sourceDbClusterIdentifier"))
    ? { ...state, encrypted: UNKNOWN } // inherits the source cluster's encryption, checked on that cluster
    : state;
}

/**
 * Generations of the replicated data stores (`payments-dr:generation`).
 *
 * A promoted RDS instance cannot become a read replica again (the provider refuses to set
 * `replicateSourceDb` on an existing instance), and a Global Datastore member that an ungraceful
 * failover detached cannot rejoin in place (`globalReplicationGroupId` replaces the group). So going
 * back to being a copy never touches the promoted store: it creates a NEW one under a new logical
 * name and physical identifier (`database-g1`, `<name>-g1`), while every earlier generation stays
 * declared exactly as it was (promoted, protected) until an operator retires it. Generation 0 keeps
 * the names the stacks always had, so a stack that never failed back plans no change.
 *
 * Pure: parsed from the raw config like stacks/config.ts, every error names the key and the fix.
 */

/** Throws the config module's ConfigError (injected: this module must not import config.ts back). */
export type ConfigFail = (key: string, message: string) => never;

export interface GenerationConfig {
  /** Generation of the RDS instance the stack serves or replicates with. @default 0 */
  readonly database: number;
  /** dr only: generation of the Global Datastore member. @default 0 */
  readonly cache: number;
  /** Earlier database generations deleted by an operator: no longer declared. @default [] */
  readonly retiredDatabases: readonly number[];
  /** Earlier cache generations deleted by an operator: no longer declared. @default [] */
  readonly retiredCaches: readonly number[];
  /**
   * primary only, during a failback: ARN of the dr stack's promoted instance, of which the current
   * database generation is created as a cross-Region read replica (the re-seed). Removing it
   * promotes that replica in place (the switchover). @default - none: a source instance
   */
  readonly reseedSourceArn?: string;
}

export const GENERATION_KEY = "payments-dr:generation";
const FIELDS = ["database", "cache", "retiredDatabases", "retiredCaches", "reseedSourceArn"] as const;
const RDS_INSTANCE_ARN = /^arn:aws[a-z-]*:rds:([a-z0-9-]+):(\d{12}):db:[a-z][a-z0-9-]{0,62}$/;

const show = (v: unknown) => (typeof v === "string" ? `"${v}"` : JSON.stringify(v));

/** Thrown by the helpers below, turned into the caller's ConfigError by parseGeneration. */
class GenerationError extends Error {
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(message);
  }
}

function bad(field: string, value: unknown, expected: string, example: string): never {
  const key = `${GENERATION_KEY}.${field}`;
  throw new GenerationError(
    key,
    `Invalid config ${key} = ${show(value)}: expected ${expected}. Fix: pulumi config set --path ${key} ${example}`,
  );
}

function wholeNumber(field: string, value: unknown): number {
  const n = typeof value === "string" && /^\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0)
    bad(field, value, "a whole number (0, 1, …)", "1");
  return n;
}

/** `lowest`: cache generation 0 owns the Region's app user, which later generations share. */
function generations(field: string, value: unknown, current: number, lowest = 0): number[] {
  let list: unknown = value;
  try {
    if (typeof value === "string") list = JSON.parse(value);
  } catch {
    list = undefined;
  }
  if (!Array.isArray(list)) return bad(field, value, "a list of generations, e.g. [0]", "'[0]'");
  const parsed = list.map((v) => wholeNumber(field, v));
  for (const g of parsed) {
    if (g < lowest)
      bad(
        field,
        value,
        `generations from ${lowest}: cache generation 0 owns the app user the later generations share`,
        "'[1]'",
      );
    if (g >= current)
      bad(
        field,
        value,
        `earlier generations than the current one (${current}): a live store is never retired`,
        "'[0]'",
      );
  }
  return parsed;
}

/** Reads `payments-dr:generation` (a YAML map or its JSON text); `onError` throws the ConfigError. */
export function parseGeneration(
  value: unknown,
  role: "primary" | "dr",
  peerRegion: string,
  onError: ConfigFail,
): GenerationConfig {
  try {
    return parse(value, role, peerRegion);
  } catch (error) {
    if (error instanceof GenerationError) return onError(error.key, error.message);
    throw error;
  }
}

function parse(value: unknown, role: "primary" | "dr", peerRegion: string): GenerationConfig {
  let section: Record<string, unknown> = {};
  if (value !== undefined && value !== null && value !== "") {
    let parsed: unknown = value;
    if (typeof value === "string") {
      try {
        parsed = JSON.parse(value);
      } catch {
        parsed = undefined;
      }
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      throw new GenerationError(
        GENERATION_KEY,
        `Invalid config ${GENERATION_KEY} = ${show(value)}: expected a map with keys ${FIELDS.join(", ")}. ` +
          `Fix: pulumi config set --path ${GENERATION_KEY}.database 1`,
      );
    }
    section = parsed as Record<string, unknown>;
  }
  for (const field of Object.keys(section)) {
    if (!(FIELDS as readonly string[]).includes(field))
      bad(
        field,
        section[field],
        `one of the keys ${FIELDS.join(", ")}`,
        "(remove it or correct its spelling)",
      );
  }
  const database = section.database === undefined ? 0 : wholeNumber("database", section.database);
  const cache = section.cache === undefined ? 0 : wholeNumber("cache", section.cache);
  if (role === "primary" && cache !== 0) {
    // The primary member owns the Global Datastore: a new primary member would replace it.
    bad(
      "cache",
      section.cache,
      "0 on the primary stack (it owns the Global Datastore; only dr members get generations)",
      "0",
    );
  }
  const reseed = section.reseedSourceArn;
  if (reseed !== undefined && reseed !== "") {
    if (role !== "primary")
      bad(
        "reseedSourceArn",
        reseed,
        "no value on the dr stack (dr replicates the primary stack's instance)",
        "''",
      );
    const match = typeof reseed === "string" ? RDS_INSTANCE_ARN.exec(reseed) : null;
    if (!match || match[1] !== peerRegion)
      bad(
        "reseedSourceArn",
        reseed,
        `the ARN of the dr stack's RDS instance in ${peerRegion} (arn:aws:rds:${peerRegion}:<account>:db:<id>)`,
        `arn:aws:rds:${peerRegion}:111122223333:db:payments-dr-dr`,
      );
    if (database === 0)
      bad(
        "database",
        section.database ?? 0,
        "at least 1 with reseedSourceArn: the re-seed is a new instance, never generation 0",
        "1",
      );
  }
  return {
    database,
    cache,
    retiredDatabases:
      section.retiredDatabases === undefined
        ? []
        : generations("retiredDatabases", section.retiredDatabases, database),
    retiredCaches:
      section.retiredCaches === undefined
        ? []
        : generations("retiredCaches", section.retiredCaches, cache, 1),
    ...(typeof reseed === "string" && reseed !== "" ? { reseedSourceArn: reseed } : {}),
  };
}

/** One declared generation of a store. */
export interface StoreGeneration {
  readonly generation: number;
  /** Logical name: `database` / `cache` for generation 0, then `database-g<n>`. */
  readonly name: string;
  /** Physical identifier: the stack's name for generation 0, then `<name>-g<n>`. */
  readonly identifier: string;
  /** The generation the stack serves from (or replicates into); the others are retained. */
  readonly current: boolean;
}

/** Every generation the program declares, oldest first; the last one is current. */
export function storeGenerations(
  base: "database" | "cache",
  physicalName: string,
  current: number,
  retired: readonly number[],
): StoreGeneration[] {
  const all: StoreGeneration[] = [];
  for (let g = 0; g <= current; g++) {
    if (g < current && retired.includes(g)) continue;
    all.push({
      generation: g,
      name: g === 0 ? base : `${base}-g${g}`,
      identifier: g === 0 ? physicalName : `${physicalName}-g${g}`,
      current: g === current,
    });
  }
  return all;
}

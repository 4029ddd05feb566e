/**
 * Generations of the replicated data stores (`payments-dr:generation`, declared in
 * stacks/config/sections/generation.ts).
 *
 * A promoted RDS instance cannot become a read replica again (the provider refuses to set
 * `replicateSourceDb` on an existing instance), and a Global Datastore member that an ungraceful
 * failover detached cannot rejoin in place (`globalReplicationGroupId` replaces the group). So going
 * back to being a copy never touches the promoted store: it creates a NEW one under a new logical
 * name and physical identifier (`database-g1`, `<name>-g1`), while every earlier generation stays
 * declared exactly as it was (promoted, protected) until an operator retires it. Generation 0 keeps
 * the names the stacks always had, so a stack that never failed back plans no change.
 */

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

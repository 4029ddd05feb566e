/**
 * Generations of the replicated data stores (stacks/generation.ts says why a store that stops being
 * a copy is replaced by a new generation rather than changed in place). How the fields relate is a
 * section rule; what depends on the role or the peer Region is a top-level rule (../rules.ts).
 */
import { z } from "zod";
import { field, wholeNumber, wholeNumberList } from "../fields";
import { SectionConfig } from "../section";

export const generationFields = {
  /** Generation of the RDS instance the stack serves or replicates with. */
  database: wholeNumber().default(0),
  /** dr only: generation of the Global Datastore member. */
  cache: wholeNumber().default(0),
  /** Earlier database generations deleted by an operator: no longer declared. */
  retiredDatabases: wholeNumberList("[0]").default([]),
  /** Earlier cache generations deleted by an operator: no longer declared. */
  retiredCaches: wholeNumberList("[1]").default([]),
  /**
   * primary only, during a failback: ARN of the dr stack's promoted instance, of which the current
   * database generation is created as a cross-Region read replica (the re-seed). Removing it
   * promotes that replica in place (the switchover). Its Region is checked against the peer's.
   */
  reseedSourceArn: field(z.string(), { expected: "the ARN of the dr stack's RDS instance" }).optional(),
};

export type GenerationConfig = SectionConfig<typeof generationFields>;

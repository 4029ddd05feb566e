/** The recovery objectives the DR model and the policy pack measure the topology against. */
import { positiveInteger } from "../fields";
import { SectionConfig } from "../section";

export const targetsFields = {
  /** Recovery point objective: data loss the business accepts on a Region failure. */
  rpoSeconds: positiveInteger().default(900),
  /** Recovery time objective: time to serve again from the dr Region. */
  rtoSeconds: positiveInteger().default(1800),
};

export type TargetsConfig = SectionConfig<typeof targetsFields>;

/**
 * The failover controller and its trigger. `FAILOVER_MODES` is the one list of failover modes:
 * components/failover imports the `FailoverMode` type from the config.
 */
import { z } from "zod";
import { field, integerFrom, oneOf, positiveInteger } from "../fields";
import { SectionConfig } from "../section";

export const FAILOVER_MODES = ["manual", "automatic"] as const;
export type FailoverMode = (typeof FAILOVER_MODES)[number];

export const failoverFields = {
  mode: oneOf(FAILOVER_MODES).default("manual"),
  /** Preflight refuses a failover when replica lag exceeds this, unless forced. */
  maxReplicaLagSeconds: positiveInteger().default(60),
  stepTimeoutSeconds: positiveInteger().default(900),
  /** Where detection notifications go; empty means the topic has no e-mail subscriber. */
  operatorEmail: field(z.union([z.literal(""), z.string().regex(/^[^@\s]+@[^@\s]+\.[^@\s]+$/)]), {
    expected: "an e-mail address, or an empty string for no e-mail subscriber",
    example: "sre-oncall@example.com",
  }).default(""),
  /**
   * Automatic mode: minutes the primary must have been seen healthy (detection alarm OK) before an
   * alarm may start a failover.
   */
  armAfterHealthyMinutes: integerFrom(1, 1440).default(30),
};

export type FailoverConfig = SectionConfig<typeof failoverFields>;

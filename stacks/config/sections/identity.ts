/**
 * The stack's identity: its role in the pair, its mode, its Region and its peer's, and the
 * switches that guard stateful resources. How these keys constrain each other (a primary is always
 * active, a dr stack names the primary, the Regions differ) is in ../rules.ts.
 */
import { z } from "zod";
import { field, flag, matching, oneOf } from "../fields";

export const ROLES = ["primary", "dr"] as const;
export const MODES = ["active", "standby"] as const;
/**
 * The dr stack's disaster-recovery strategy (docs/strategies.md): what the dr Region runs before a
 * failover. `warm-standby` is the topology this project has always deployed.
 */
export const STRATEGIES = ["backup-restore", "pilot-light", "warm-standby"] as const;

export type Role = (typeof ROLES)[number];
export type Mode = (typeof MODES)[number];
export type Strategy = (typeof STRATEGIES)[number];

const REGION_PATTERN = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;
const STACK_REFERENCE_PATTERN = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+){0,2}$/;

/** An AWS Region name, required; `""` counts as not set. */
export function awsRegionField() {
  return matching(REGION_PATTERN, {
    expected: "an AWS Region such as us-east-1 or eu-west-2",
    example: "us-east-1",
    missing: { expected: "an AWS Region such as us-east-1", emptyIsMissing: true },
  });
}

/** `null` reads as "not set", as it did when the mode default was `raw.mode ?? …`. */
function nullIsUnset(value: unknown): unknown {
  return value === null ? undefined : value;
}

export const identity = {
  role: field(z.enum(ROLES), {
    expected: `one of ${ROLES.join(", ")}`,
    example: ROLES[0],
    missing: {
      expected: `one of ${ROLES.join(", ")}`,
      example: (stackName) => (stackName === "dr" ? "dr" : "primary"),
    },
  }),
  /** @default - `active` for primary, `standby` for dr (rules.ts) */
  mode: z.preprocess(nullIsUnset, oneOf(MODES).optional()),
  /** dr only: what the dr Region runs before a failover (rules.ts refuses it on the primary). */
  strategy: oneOf(STRATEGIES).default("warm-standby"),
  /** The other Region of the pair: primary's peer is the dr Region and vice versa. */
  peerRegion: awsRegionField(),
  /**
   * dr only: fully-qualified name of the primary stack (`org/payments-dr/primary`). Whether it
   * must or must not be set depends on the role (rules.ts).
   */
  primaryStack: matching(STACK_REFERENCE_PATTERN, {
    expected: "a stack name of the form <org>/<project>/<stack>, <project>/<stack> or <stack>",
    example: "my-org/payments-dr/primary",
  }).optional(),
} as const;

export const switches = {
  /**
   * Lets a dr stack that was failed over (its last deployment ran `active`) be set back to
   * `standby`: a deliberate failback step, since its promoted database cannot become a replica
   * again in place.
   */
  confirmReturnToStandby: flag().default(false),
  /**
   * Lets the dr stack's strategy move from what its last deployment ran to one that deletes its
   * live replicas or running nodes (e.g. warm-standby to backup-restore): a deliberate change.
   */
  confirmStrategyChange: flag().default(false),
  /** Sets `protect` on stateful resources; turn off only for throwaway test stacks. */
  protectStatefulResources: flag().default(true),
} as const;

/**
 * The payments workload in the cluster: replicas by mode and the application image. How the
 * replica counts relate (standby ≤ active ≤ max) is a rule (../rules.ts).
 */
import { z } from "zod";
import { field, positiveInteger } from "../fields";
import { SectionConfig } from "../section";

/** `<registry>/<repository>@sha256:<64 hex>`: only a digest pins the same build in both Regions. */
export const DIGEST_IMAGE_PATTERN = /^[a-z0-9.-]+(:\d+)?\/[a-z0-9]+([._/-][a-z0-9]+)*@sha256:[0-9a-f]{64}$/;

const EXAMPLE_IMAGE = `111122223333.dkr.ecr.us-west-2.amazonaws.com/payments-api@sha256:${"0".repeat(64)}`;

export const workloadFields = {
  /** Pods the dr stack runs while it is a warm standby (proves the Region serves). */
  standbyReplicas: positiveInteger().default(1),
  /** Pods a Region runs while it serves traffic (always, for primary): one per zone of three. */
  activeReplicas: positiveInteger().default(3),
  /** The autoscaler's ceiling; never below `activeReplicas`. */
  maxReplicas: positiveInteger().default(6),
  /**
   * The application image, digest-pinned, in the stack's own Region's registry. `""` or unset: the
   * reference payments service runs (the repository's app/, on the official Node image).
   */
  image: z.preprocess(
    (value) => (value === "" ? undefined : value),
    field(z.string().regex(DIGEST_IMAGE_PATTERN).optional(), {
      expected: "a digest-pinned image reference <registry>/<repository>@sha256:<64 hex digits>",
      example: EXAMPLE_IMAGE,
    }),
  ),
};

export type WorkloadConfig = SectionConfig<typeof workloadFields>;

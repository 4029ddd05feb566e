/**
 * The EKS cluster and its node group. How the node counts relate (standby ≤ active ≤ max) is a
 * rule (../rules.ts).
 */
import { matching, nonEmptyText, positiveInteger } from "../fields";
import { SectionConfig } from "../section";

export const eksFields = {
  kubernetesVersion: matching(/^1\.\d{2}$/, {
    expected: 'a Kubernetes minor version such as "1.35"',
  }).default("1.35"),
  nodeInstanceType: nonEmptyText().default("m6i.large"),
  /** Nodes the dr stack runs while it is a warm standby. */
  standbyNodeCount: positiveInteger().default(1),
  /** Nodes a Region runs while it serves traffic (always, for primary). */
  activeNodeCount: positiveInteger().default(3),
  /** Node group maximum; never below `activeNodeCount`, so failover only changes desired size. */
  maxNodeCount: positiveInteger().default(6),
  nodeVolumeSizeGb: positiveInteger().default(50),
};

export type EksConfig = SectionConfig<typeof eksFields>;

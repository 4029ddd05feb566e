/**
 * The dr strategy against its targets: on a dr stack (it declares the SECONDARY failover record),
 * the modelled worst per-store RPO and the failover's critical-path RTO of what the stack renders
 * (live replicas, running capacity, or restores from the primary's copies) must be within the
 * targets. The rule sees one stack, as the engine does, so a restored store's copy interval and
 * size come from this policy's config (defaults: the project's own schedules and sizes,
 * model/drStackRecovery.ts); `npm run plan -- --compare-strategies` reads the primary's real ones.
 *
 * Mandatory by default: choosing a strategy that cannot meet the stated objectives is a decision to
 * make explicitly, by relaxing the targets here and in `payments-dr:targets`, not to find out on
 * the worst day.
 */
import { Policies } from "@pulumi/policy";
import {
  drStackFigures,
  isDrStack,
  RestoreAssumption,
  STORE_KINDS,
  StoreKind,
  DEFAULT_RESTORE,
} from "../../model/drStackRecovery";
import { RenderedStack } from "../../model/rendered";
import { stackRule } from "../lib/rule";
import { StackIndex } from "../lib/stackIndex";
import { asRendered } from "./rpoEstimate";

interface StrategyTargetsConfig {
  readonly rpoSeconds: number;
  readonly rtoSeconds: number;
  readonly maxReplicaLagSeconds: number;
  readonly stores: StoreKind[];
  readonly restore: Partial<Record<StoreKind, Partial<RestoreAssumption>>>;
}

const restoreSchema = (kind: StoreKind) => ({
  type: "object" as const,
  additionalProperties: false,
  description: `A restored ${kind}: the primary's copy interval plus copy time, and the data size.`,
  properties: {
    rpoSeconds: {
      type: "integer" as const,
      minimum: 1,
      default: DEFAULT_RESTORE[kind].rpoSeconds,
      description: `Seconds between the primary's copies of the ${kind} reaching the dr Region, plus copy time.`,
    },
    sizeGb: {
      type: "number" as const,
      minimum: 0,
      default: DEFAULT_RESTORE[kind].sizeGb,
      description: `GB of ${kind} data to restore (restore time grows with it).`,
    },
  },
});

export const strategyTargets = stackRule<StrategyTargetsConfig>({
  name: "payments-dr-strategy-targets",
  description:
    "Requires a dr stack's modelled worst per-store RPO and failover RTO, for the replicas, capacity and restores it renders, to be within the targets.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      rpoSeconds: {
        type: "integer",
        minimum: 1,
        default: 900,
        description: "Recovery point objective in seconds (keep equal to payments-dr:targets.rpoSeconds).",
      },
      rtoSeconds: {
        type: "integer",
        minimum: 1,
        default: 1800,
        description: "Recovery time objective in seconds (keep equal to payments-dr:targets.rtoSeconds).",
      },
      maxReplicaLagSeconds: {
        type: "integer",
        minimum: 1,
        default: 60,
        description:
          "Replica lag the failover preflight tolerates: the modelled RPO of asynchronous replicas.",
      },
      stores: {
        type: "array",
        items: { type: "string", enum: [...STORE_KINDS] },
        default: [...STORE_KINDS],
        description: "The store kinds the primary runs: each must come back in the dr Region.",
      },
      restore: {
        type: "object",
        additionalProperties: false,
        default: {},
        description:
          "Per store kind, what a restore from the primary's copy assumes (the dr stack cannot see it).",
        properties: Object.fromEntries(STORE_KINDS.map((k) => [k, restoreSchema(k)])),
      },
    },
  },
  check: (index: StackIndex, config, report) => {
    const stack: RenderedStack = {
      stack: "policy",
      project: "payments-dr",
      config: {},
      resources: index.nodes.map(asRendered),
      outputs: {},
    };
    if (!isDrStack(stack)) return;
    const restore = Object.fromEntries(
      Object.entries(config.restore).map(([k, v]) => [k, { ...DEFAULT_RESTORE[k as StoreKind], ...v }]),
    );
    const figures = drStackFigures(stack, {
      maxReplicaLagSeconds: config.maxReplicaLagSeconds,
      stores: config.stores,
      restore,
    });
    const restored = figures.stores.filter((s) => s.mode === "restore").map((s) => s.name);
    const restoredNote =
      restored.length > 0 ? ` Restored from copies at failover: ${restored.join(", ")}.` : "";
    const worst = figures.stores.find((s) => s.name === figures.worstRpoStore);
    if (figures.worstRpoSeconds === null || figures.worstRpoSeconds > config.rpoSeconds) {
      report(
        undefined,
        `dr stack recovery: expected a modelled worst per-store RPO of at most ${config.rpoSeconds} s, found ` +
          `${figures.worstRpoSeconds ?? "unbounded"} s (${figures.worstRpoStore}: ${worst?.rpoBasis}).${restoredNote} ` +
          "A Region failure would lose more writes than the target allows; keep a live replica of that store in the " +
          "dr stack (payments-dr:strategy pilot-light or warm-standby), shorten its copy interval, or revisit the " +
          "target (payments-dr:targets.rpoSeconds and this policy's rpoSeconds).",
      );
    }
    if (figures.rtoSeconds > config.rtoSeconds) {
      const path = figures.rtoCriticalPath.map((s) => `${s.seconds} s ${s.step.split(" (")[0]}`).join(", ");
      report(
        undefined,
        `dr stack recovery: expected a modelled failover RTO of at most ${config.rtoSeconds} s, found ` +
          `${figures.rtoSeconds} s (${path}).${restoredNote} Keep live replicas or running capacity in the dr stack ` +
          "(payments-dr:strategy pilot-light or warm-standby), or revisit the target " +
          "(payments-dr:targets.rtoSeconds and this policy's rtoSeconds).",
      );
    }
  },
});

export const strategyPolicies: Policies = [strategyTargets];

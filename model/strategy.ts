/**
 * A dr strategy's recovery figures, from the rendered primary and dr stacks: each primary store's
 * recovery (model/recovery.ts), the worst per-store RPO, and the failover's critical-path RTO.
 * The strategy's name is only a label: every figure comes from what the dr stack renders.
 * MODELLED, not measured.
 */
import { RenderedStack } from "./rendered";
import { storeRecoveries, StoreRecovery } from "./recovery";
import { recoveryCriticalPath, RtoStep } from "./rto";
import { numberSetting } from "./settings";

export interface StrategyFigures {
  readonly modelled: true;
  /** `payments-dr:strategy` of the dr rendering (default warm-standby): a label. */
  readonly strategy: string;
  readonly stores: StoreRecovery[];
  /** The worst store's RPO; null when some store has no bounded copy in the dr Region. */
  readonly worstRpoSeconds: number | null;
  readonly worstRpoStore: string;
  /** null when some store has no modelled way to serve in the dr Region. */
  readonly rtoSeconds: number | null;
  readonly rtoCriticalPath: RtoStep[];
  readonly rpoTargetSeconds: number;
  readonly rtoTargetSeconds: number;
  readonly meetsRpoTarget: boolean;
  readonly meetsRtoTarget: boolean;
}

export function strategyOf(dr: RenderedStack): string {
  const value = dr.config["payments-dr:strategy"];
  return typeof value === "string" && value !== "" ? value : "warm-standby";
}

/** The worst of the stores' RPOs: an unbounded one (null) is worse than any bound. */
export function worstRpo(stores: readonly Pick<StoreRecovery, "name" | "rpoSeconds">[]): {
  seconds: number | null;
  store: string;
} {
  const unbounded = stores.find((s) => s.rpoSeconds === null);
  if (unbounded) return { seconds: null, store: unbounded.name };
  const worst = [...stores].sort((a, b) => (b.rpoSeconds as number) - (a.rpoSeconds as number))[0];
  return { seconds: worst?.rpoSeconds ?? 0, store: worst?.name ?? "(no stores)" };
}

export function strategyFigures(
  primary: RenderedStack,
  dr: RenderedStack,
  all: readonly RenderedStack[] = [primary, dr],
): StrategyFigures {
  const stores = storeRecoveries(primary, dr, all);
  const worst = worstRpo(stores);
  const path = recoveryCriticalPath(dr, stores);
  const rtoSeconds = stores.some((s) => s.recoverySeconds === null)
    ? null
    : path.reduce((sum, step) => sum + step.seconds, 0);
  const rpoTargetSeconds = numberSetting(dr, "targets", "rpoSeconds", 900);
  const rtoTargetSeconds = numberSetting(dr, "targets", "rtoSeconds", 1800);
  return {
    modelled: true,
    strategy: strategyOf(dr),
    stores,
    worstRpoSeconds: worst.seconds,
    worstRpoStore: worst.store,
    rtoSeconds,
    rtoCriticalPath: path,
    rpoTargetSeconds,
    rtoTargetSeconds,
    meetsRpoTarget: worst.seconds !== null && worst.seconds <= rpoTargetSeconds,
    meetsRtoTarget: rtoSeconds !== null && rtoSeconds <= rtoTargetSeconds,
  };
}

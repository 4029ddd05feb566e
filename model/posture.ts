/**
 * The DR posture of rendered stacks: for each data store, its cross-Region mechanisms and the
 * estimated RPO of the best one against the stack's target; for the dr stack, the estimated RTO
 * of the failover's critical path against its target.
 *
 * These are MODELLED figures: documented service bounds plus settings read from the rendering
 * (RTC minutes, backup schedules, health-check intervals, alarm periods, lag thresholds). The
 * failover controller measures the real RTO of a real failover and reports it separately.
 */
import { findCrossRegionLinks } from "./links";
import { RenderedStack } from "./rendered";
import { restoreTimeOf, RestoreMeasurement, RestoreTimePosture } from "./restoreTime";
import { ownStores, StorePosture, storePosture } from "./rpo";
import { rtoCriticalPath, RtoStep } from "./rto";
import { numberSetting } from "./settings";

// The model's public names, re-exported so importers of model/posture keep working.
export { FIGURES } from "./figures";
export type { Figure } from "./figures";
export { ownStores, scheduleIntervalSeconds, STORE_TYPES } from "./rpo";
export type { MechanismPosture, StorePosture } from "./rpo";
export { rtoCriticalPath } from "./rto";
export type { RtoStep } from "./rto";
export type { RestoreMeasurement, RestoreTimePosture } from "./restoreTime";

/** A store's RPO posture and, for the types AWS Backup restore-tests, its restore time. */
export type StoreWithRestore = StorePosture & { readonly restore?: RestoreTimePosture };

export interface StackPosture {
  readonly modelled: true;
  readonly rpoTargetSeconds: number;
  readonly stores: StoreWithRestore[];
  readonly meetsRpoTarget: boolean;
  /** dr stack only. */
  readonly rtoTargetSeconds?: number;
  readonly rtoSeconds?: number;
  readonly rtoCriticalPath?: RtoStep[];
  readonly meetsRtoTarget?: boolean;
}

export function stackPosture(
  stack: RenderedStack,
  all: readonly RenderedStack[],
  links = findCrossRegionLinks(all),
  restoreMeasurements: readonly RestoreMeasurement[] = [],
): StackPosture {
  const rpoTargetSeconds = numberSetting(stack, "targets", "rpoSeconds", 900);
  const stores = ownStores(stack, links).map((store): StoreWithRestore => {
    const rpo = storePosture(store, stack, links, all, rpoTargetSeconds);
    // A restore time only for stores with a backup to restore from (an AWS Backup copy).
    const backedUp = rpo.mechanisms.some((m) => m.kind === "backup-copy" && m.direction === "outbound");
    const restore = backedUp ? restoreTimeOf(store, restoreMeasurements) : undefined;
    return { ...rpo, ...(restore ? { restore } : {}) };
  });
  const posture: StackPosture = {
    modelled: true,
    rpoTargetSeconds,
    stores,
    meetsRpoTarget: stores.every((s) => s.meetsRpoTarget),
  };
  if (stack.config["payments-dr:role"] !== "dr") return posture;
  const rtoTargetSeconds = numberSetting(stack, "targets", "rtoSeconds", 1800);
  const path = rtoCriticalPath(stack);
  const rtoSeconds = path.reduce((sum, step) => sum + step.seconds, 0);
  return {
    ...posture,
    rtoTargetSeconds,
    rtoSeconds,
    rtoCriticalPath: path,
    meetsRtoTarget: rtoSeconds <= rtoTargetSeconds,
  };
}

export function formatPosture(stack: string, posture: StackPosture): string[] {
  const lines = [`  DR posture (modelled, not measured; the failover report gives the measured RTO)`];
  for (const store of posture.stores) {
    const verdict = store.meetsRpoTarget ? "meets" : "MISSES";
    lines.push(
      `    ${store.name.padEnd(34)} RPO ${store.rpoSeconds === null ? "unbounded" : `${store.rpoSeconds} s`} ${verdict} target ${posture.rpoTargetSeconds} s`,
    );
    for (const m of store.mechanisms) {
      lines.push(
        `      ${m.direction === "outbound" ? "->" : "<-"} ${m.kind} ${m.targetRegion} (declared by ${m.declaredBy}): ${m.rpoSeconds ?? "unbounded"}${m.rpoSeconds === null ? "" : " s"}`,
      );
    }
    if (store.mechanisms.length === 0) lines.push("      no cross-Region mechanism");
    if (store.restore) lines.push(`      ${formatRestore(store.restore)}`);
  }
  if (posture.rtoSeconds !== undefined) {
    lines.push(
      `    RTO estimate ${posture.rtoSeconds} s ${posture.meetsRtoTarget ? "meets" : "MISSES"} target ${posture.rtoTargetSeconds} s (stack ${stack}):`,
    );
    for (const step of posture.rtoCriticalPath ?? [])
      lines.push(`      ${String(step.seconds).padStart(5)} s  ${step.step}`);
  }
  return lines;
}

/** `restore from backup: modelled 1800 s, measured 1312 s (max of 3, latest 2026-...)`. */
export function formatRestore(restore: RestoreTimePosture): string {
  const measured = restore.measured
    ? `measured ${restore.measured.seconds} s (max of ${restore.measured.samples}, latest ${restore.measured.latestAt})`
    : "not measured (npm run plan -- --restore-measurements <file>)";
  return `restore from backup: modelled ${restore.modelledSeconds} s, ${measured}`;
}

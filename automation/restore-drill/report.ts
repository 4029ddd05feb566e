/** The restore drill's report: text for operators, JSON for pipelines, and the exit code. */
import type { DrillReport } from "./drill";

export function formatDrillReport(report: DrillReport): string {
  const lines = [
    `Restore drill ${report.drillId}${report.dryRun ? " (dry run: nothing started)" : ""}`,
    `  vault ${report.vaultName} in ${report.region}`,
    "",
  ];
  if (report.stores.length === 0) lines.push("  no recovery point found: nothing to drill");
  for (const s of report.stores) {
    const time = s.restoreSeconds !== undefined ? ` in ${Math.round(s.restoreSeconds)} s` : "";
    lines.push(
      `  ${s.resourceType.padEnd(10)} ${s.outcome.toUpperCase()}${time}${s.detail ? `: ${s.detail}` : ""}`,
    );
    if (s.recoveryPointArn) lines.push(`    from ${s.recoveryPointArn} (${s.recoveryPointCreated ?? "?"})`);
    if (s.sourceResourceArn) lines.push(`    of   ${s.sourceResourceArn}`);
    if (s.createdResourceArn) lines.push(`    into ${s.createdResourceArn}`);
    if (s.cleanup) lines.push(`    cleanup: ${s.cleanup}`);
  }
  if (report.leftovers.length) {
    lines.push("", "  NOT CLEANED UP: run these to delete the scratch resources (they cost money):");
    for (const command of report.leftovers) lines.push(`    ${command}`);
  }
  lines.push("", `  Result: ${report.dryRun ? "PLANNED" : report.passed ? "PASS" : "FAIL"}`);
  return `${lines.join("\n")}\n`;
}

/** 0 passed (or planned), 1 any failed, invalid or timed-out restore or any leftover. */
export function drillExitCode(report: DrillReport): number {
  return report.dryRun || report.passed ? 0 : 1;
}

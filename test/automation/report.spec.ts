import * as assert from "assert";
import { buildReport, formatReport } from "../../automation/run/report";
import { FAILOVER_PLAN } from "../../automation/steps/steps";

const at = (s: number) => new Date(Date.UTC(2025, 5, 1, 10, 0, s)).toISOString();
const step = (start: number, end: number, detail: string) => ({
  status: "succeeded" as const,
  startedAt: at(start),
  finishedAt: at(end),
  durationMs: (end - start) * 1000,
  detail,
});

describe("failover report", () => {
  it("builds the timeline with measured durations and the total against the RTO target", () => {
    const report = buildReport({
      kind: "failover",
      stack: "dr",
      runId: "20250601T100000Z-a1b2c3",
      plan: FAILOVER_PLAN,
      records: {
        "dns-lever": step(0, 2, "inverted"),
        "cache-promote": step(2, 40, "graceful"),
        "search-promote": step(2, 5, "stopped"),
        "stack-activate": step(2, 560, "update 3"),
        verify: step(560, 600, "healthy"),
        "stack-reconcile": step(600, 660, "full up"),
      },
      skipped: ["dns-lever"],
      startedAt: new Date(at(0)),
      finishedAt: new Date(at(660)),
      rtoTargetSeconds: 1800,
      preflight: [],
      forced: ["database-lag"],
    });
    assert.strictEqual(report.status, "succeeded");
    // the RTO stops when the last critical step (verify) ends; the non-critical reconcile runs on
    assert.strictEqual(report.totalSeconds, 600);
    assert.strictEqual(report.wallClockSeconds, 660);
    assert.strictEqual(report.withinRto, true);
    assert.deepStrictEqual(report.warnings, []);
    assert.deepStrictEqual(
      report.steps.map((s) => [s.id, s.durationSeconds, s.fromEarlierAttempt]),
      [
        ["dns-lever", 2, true],
        ["cache-promote", 38, false],
        ["search-promote", 3, false],
        ["stack-activate", 558, false],
        ["verify", 40, false],
        ["stack-reconcile", 60, false],
      ],
    );
    const text = formatReport(report);
    assert.match(text, /\n {2}00:02\.0 {4}558\.0 s {2}succeeded stack-activate\n/);
    assert.match(text, /\n {2}total 600\.0 s — within the RTO target of 1800 s\n/);
    assert.match(text, /\n {2}\(the run ended at 660\.0 s, after its non-critical steps\)\n/);
    assert.match(text, /\n {2}10:00\.0 {5}60\.0 s {2}succeeded stack-reconcile \(non-critical\)\n/);
    assert.match(text, /overridden preflight checks: database-lag/);
  });

  it("says when the run is over its RTO target", () => {
    const report = buildReport({
      kind: "failover",
      stack: "dr",
      runId: "r",
      plan: FAILOVER_PLAN.slice(0, 1),
      records: { "dns-lever": step(0, 3600, "inverted") },
      skipped: [],
      startedAt: new Date(at(0)),
      finishedAt: new Date(Date.UTC(2025, 5, 1, 11, 0, 0)),
      rtoTargetSeconds: 1800,
      preflight: [],
      forced: [],
    });
    assert.strictEqual(report.withinRto, false);
    assert.match(formatReport(report), /total 3600\.0 s — OVER the RTO target of 1800 s/);
  });

  it("succeeds with a warning when only the non-critical stack-reconcile failed", () => {
    const critical = Object.fromEntries(
      FAILOVER_PLAN.filter((p) => p.critical !== false).map((p) => [p.id, step(0, 300, "done")]),
    );
    const error =
      "the full pulumi up of stack dr failed on database-backups-replication (create, us-east-1): …";
    const report = buildReport({
      kind: "failover",
      stack: "dr",
      runId: "r",
      plan: FAILOVER_PLAN,
      records: {
        ...critical,
        "stack-reconcile": {
          status: "failed",
          startedAt: at(300),
          finishedAt: at(1500),
          durationMs: 1_200_000,
          error,
        },
      },
      skipped: [],
      startedAt: new Date(at(0)),
      finishedAt: new Date(at(1500)),
      rtoTargetSeconds: 1800,
      preflight: [],
      forced: [],
    });
    assert.strictEqual(report.status, "succeeded");
    assert.strictEqual(report.totalSeconds, 300);
    assert.strictEqual(report.withinRto, true);
    assert.deepStrictEqual(report.warnings, [`stack-reconcile failed: ${error}`]);
    assert.deepStrictEqual(
      report.steps.filter((s) => !s.critical).map((s) => [s.id, s.status]),
      [["stack-reconcile", "failed"]],
    );
    assert.match(
      formatReport(report),
      /\n {2}WARNING: stack-reconcile failed: the full pulumi up of stack dr failed on database-backups-replication \(create, us-east-1\)/,
    );
    assert.doesNotMatch(formatReport(report), /stopped:/);
  });
});

import * as assert from "assert";
import { UpdateHealthCheckCommand } from "@aws-sdk/client-route-53";
import { runFailover } from "../../automation/run/controller";
import { FAILOVER_PLAN } from "../../automation/steps/steps";
import { DR_CONFIG, harness } from "./harness";

const PK = "failover#dr";
// stack-activate's update is targeted (in-Region changes only); stack-reconcile's is the whole stack
const upCalls = (calls: string[][]) => calls.filter((c) => c[0] === "up" && c.includes("--target")).length;
const reconcileCalls = (calls: string[][]) =>
  calls.filter((c) => c[0] === "up" && !c.includes("--target")).length;

describe("failover crash, failure and resume", () => {
  for (let completed = 1; completed <= FAILOVER_PLAN.length; completed++) {
    it(`resumes after the process dies with ${completed} step(s) recorded, without repeating them`, async () => {
      const h = harness();
      let progressWrites = 0;
      h.aws.table.afterWrite = (item) => {
        // the first run# write creates the record; each later one records a finished step
        if (
          item?.sk.S?.startsWith("run#") &&
          item.status.S === "running" &&
          ++progressWrites === completed + 1
        ) {
          h.aws.table.down = new Error("process aborted");
        }
      };
      await assert.rejects(runFailover(h.options()), /process aborted/);
      const runItem = [...h.aws.table.items.values()].find((i) => i.sk.S?.startsWith("run#"));
      const recorded = Object.keys(JSON.parse(runItem?.steps.S ?? "{}"));
      assert.strictEqual(recorded.length, completed);
      assert.strictEqual(runItem?.status.S, "running");
      const routeCalls = h.aws.route53.commandCalls(UpdateHealthCheckCommand).length;
      const ups = upCalls(h.pulumi.calls);
      const reconciles = reconcileCalls(h.pulumi.calls);

      // the dead process never released its lock: a rerun must wait for it to expire, then name it
      h.aws.table.down = undefined;
      h.aws.table.afterWrite = undefined;
      await assert.rejects(runFailover(h.options()), /Preflight refused the failover: lock\./);
      h.clockOffsetMs = 301_000;
      h.lines.length = 0;
      const report = await runFailover(h.options({ force: new Set(["lock"]) }));
      assert.strictEqual(report.status, "succeeded", report.error);
      assert.strictEqual(report.runId, runItem?.runId.S);
      for (const id of recorded) {
        assert.ok(
          h.lines.some((l) => l.startsWith(`  ↷ ${id}: already done in this run`)),
          `${id} skipped`,
        );
        assert.strictEqual(report.steps.find((s) => s.id === id)?.fromEarlierAttempt, true);
      }
      if (recorded.includes("dns-lever")) {
        assert.strictEqual(h.aws.route53.commandCalls(UpdateHealthCheckCommand).length, routeCalls);
      }
      // a recorded update is not run again; one in flight at the crash is (up is idempotent)
      if (recorded.includes("stack-activate")) assert.strictEqual(upCalls(h.pulumi.calls), ups);
      else assert.strictEqual(upCalls(h.pulumi.calls), ups + 1);
      const reconciled = recorded.includes("stack-reconcile") ? 0 : 1;
      assert.strictEqual(reconcileCalls(h.pulumi.calls), reconciles + reconciled);
      // the RTO counts from the first attempt, crash gap included, to the end of verify
      if (recorded.includes("verify")) {
        assert.ok(report.totalSeconds < 301 && report.wallClockSeconds >= 301, JSON.stringify(report));
      } else assert.ok(report.totalSeconds >= 301);
    });
  }

  it("stops at a failing step, leaves a resumable record, and resumes only what is left", async () => {
    const h = harness();
    h.aws.searchHandler = async () => ({
      statusCode: 503,
      body: '{"message":"No server available to handle the request"}',
    });
    const failed = await runFailover(h.options());
    assert.strictEqual(failed.status, "failed");
    assert.match(
      failed.error ?? "",
      /^search-promote: es:ESHttpDelete was still throttled or failing after 5 attempts/,
    );
    assert.deepStrictEqual(
      failed.steps.map((s) => [s.id, s.status]),
      [
        ["dns-lever", "succeeded"],
        ["cache-promote", "succeeded"],
        ["search-promote", "failed"],
        ["stack-activate", "succeeded"],
        ["verify", "not run"],
        ["stack-reconcile", "not run"],
      ],
    );
    assert.strictEqual(
      h.aws.table.get(PK, "lock"),
      undefined,
      "lock released so the rerun can resume at once",
    );
    const stored = h.aws.table.get(PK, `run#${failed.runId}`);
    assert.strictEqual(stored?.status.S, "failed");

    h.aws.searchHandler = async (request) =>
      request.method === "GET"
        ? { statusCode: 200, body: '{"index_stats":{}}' }
        : { statusCode: 200, body: '{"acknowledged":true}' };
    h.lines.length = 0;
    const resumed = await runFailover(h.options());
    assert.strictEqual(resumed.status, "succeeded", resumed.error);
    assert.strictEqual(resumed.runId, failed.runId);
    assert.ok(h.lines.some((l) => l.startsWith("Resuming failover run")));
    assert.strictEqual(h.aws.route53.commandCalls(UpdateHealthCheckCommand).length, 1);
    assert.strictEqual(upCalls(h.pulumi.calls), 1);
    assert.ok(h.lines.some((l) => l.includes("▶") && l.includes("search-promote")));
    assert.ok(!h.lines.some((l) => l.includes("▶") && l.includes("dns-lever")));
  });

  it("fails a step that exceeds failover.stepTimeoutSeconds and keeps the run resumable", async () => {
    const h = harness();
    h.aws.searchHandler = () => new Promise(() => undefined);
    const config = { ...DR_CONFIG, failover: { ...DR_CONFIG.failover, stepTimeoutSeconds: 1 } };
    const report = await runFailover(h.options({ config }));
    assert.strictEqual(report.status, "failed");
    assert.match(
      report.error ?? "",
      /^search-promote: Step search-promote did not finish within 1 s \(failover.stepTimeoutSeconds\)/,
    );
    assert.strictEqual(h.aws.table.get(PK, `run#${report.runId}`)?.status.S, "failed");
  });

  it("stops starting steps when the operator interrupts (Ctrl-C) and records what finished", async () => {
    const h = harness();
    const abort = new AbortController();
    h.aws.route53.on(UpdateHealthCheckCommand).callsFake(async () => {
      abort.abort(new Error("interrupted by the operator (Ctrl-C)"));
      return {};
    });
    const report = await runFailover(h.options({ signal: abort.signal }));
    assert.strictEqual(report.status, "failed");
    assert.strictEqual(upCalls(h.pulumi.calls), 0);
    assert.strictEqual(h.aws.table.get(PK, "lock"), undefined);
  });
});

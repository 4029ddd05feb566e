import * as assert from "assert";
import { GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { UpdateHealthCheckCommand } from "@aws-sdk/client-route-53";
import { runFailover } from "../../automation/run/controller";
import { FailoverError } from "../../automation/errors";
import { harness, Harness } from "./harness";

const PK = "failover#dr";
const HOUR_MS = 3_600_000;

/** A first run that stops at dns-lever (Route 53 down, no probe data): nothing promoted, mode standby. */
async function runStoppedAtLever(): Promise<{ h: Harness; runId: string }> {
  const h = harness();
  const unavailable = Object.assign(new Error("Service Unavailable"), { $metadata: { httpStatusCode: 503 } });
  h.aws.route53.on(UpdateHealthCheckCommand).rejectsOnce(unavailable).rejects(unavailable);
  const report = await runFailover(h.options());
  assert.strictEqual(report.status, "failed");
  h.aws.route53.on(UpdateHealthCheckCommand).resolves({});
  h.lines.length = 0;
  return { h, runId: report.runId };
}

const lagCalls = (h: Harness) =>
  h.aws.cloudWatch
    .commandCalls(GetMetricDataCommand)
    .filter((c) => c.args[0].input.MetricDataQueries?.[0].Id === "databaseLag").length;

describe("failover resume window", () => {
  it("resumes a recent unfinished run and measures replica lag again", async () => {
    const { h, runId } = await runStoppedAtLever();
    const before = lagCalls(h);
    h.clockOffsetMs = 30 * 60_000;
    const report = await runFailover(h.options());
    assert.strictEqual(report.status, "succeeded", report.error);
    assert.strictEqual(report.runId, runId);
    assert.strictEqual(lagCalls(h), before + 1);
    assert.ok(h.lines.some((l) => l.startsWith("  PASS   database-lag     RDS ReplicaLag 4 s")));
    assert.ok(
      h.lines.some((l) =>
        /NOTE +resuming run \S+ \(failed, last progress 30 min ago, within the 60 min/.test(l),
      ),
    );
  });

  it("refuses to resume a recent run whose replica lag is now over the limit", async () => {
    const { h } = await runStoppedAtLever();
    h.aws.cloudWatch.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        { Id: "databaseLag", Values: [95], StatusCode: "Complete" },
        { Id: "cacheLag", Values: [2], StatusCode: "Complete" },
      ],
    });
    await assert.rejects(
      runFailover(h.options()),
      /^FailoverError: Preflight refused the failover: database-lag\./,
    );
  });

  it("closes an unfinished run older than the window as superseded and starts a new one", async () => {
    const { h, runId } = await runStoppedAtLever();
    h.clockOffsetMs = 2 * HOUR_MS;
    const report = await runFailover(h.options());
    assert.strictEqual(report.status, "succeeded", report.error);
    assert.notStrictEqual(report.runId, runId);
    const old = h.aws.table.get(PK, `run#${runId}`);
    assert.strictEqual(old?.status.S, "superseded");
    assert.strictEqual(old?.supersededBy?.S, report.runId);
    assert.ok(
      h.lines.some(
        (l) =>
          l.includes(`run ${runId} (failed, started `) &&
          l.includes("last progress 120 min ago; done: nothing) is older than the 60 min resume window") &&
          l.includes(`rerun with --resume ${runId}`),
      ),
      h.lines.join("\n"),
    );
    assert.ok(h.lines.includes(`Closed run ${runId} as superseded by run ${report.runId}.`));
    // a later run does not pick the superseded one up again
    h.lines.length = 0;
    const again = await runFailover(h.options());
    assert.strictEqual(again.status, "noop");
  });

  it("does not revive an old run that promoted data: preflight stops, --resume <runId> continues it", async () => {
    const h = harness();
    h.aws.searchHandler = async () => ({ statusCode: 503, body: "{}" });
    const failed = await runFailover(h.options());
    assert.strictEqual(failed.status, "failed");
    h.aws.searchHandler = async (request) =>
      request.method === "GET"
        ? { statusCode: 200, body: '{"index_stats":{}}' }
        : { statusCode: 200, body: '{"acknowledged":true}' };
    h.clockOffsetMs = 3 * HOUR_MS;
    await assert.rejects(runFailover(h.options()), /Preflight refused the failover: stack-standby\./);
    assert.strictEqual(h.aws.table.get(PK, `run#${failed.runId}`)?.status.S, "failed", "left as it was");

    await assert.rejects(runFailover(h.options({ resumeRunId: "20200101T000000Z-000000" })), (e: Error) => {
      assert.ok(e instanceof FailoverError);
      assert.match(
        e.message,
        new RegExp(
          `^--resume 20200101T000000Z-000000: the latest failover run of this stack is ${failed.runId} \\(failed\\)\\. Only the latest unfinished run`,
        ),
      );
      return true;
    });

    h.lines.length = 0;
    const resumed = await runFailover(h.options({ resumeRunId: failed.runId }));
    assert.strictEqual(resumed.status, "succeeded", resumed.error);
    assert.strictEqual(resumed.runId, failed.runId);
    assert.ok(
      h.lines.some((l) => l.startsWith("  PASS   database-lag     promoted by step stack-activate of run")),
    );
    assert.ok(
      h.lines.some((l) => l.startsWith("  PASS   cache-lag        promoted by step cache-promote of run")),
    );
  });

  it("honours a shorter --resume-window-minutes", async () => {
    const { h, runId } = await runStoppedAtLever();
    h.clockOffsetMs = 20 * 60_000;
    const report = await runFailover(h.options({ resumeWindowMinutes: 15 }));
    assert.notStrictEqual(report.runId, runId);
    assert.strictEqual(h.aws.table.get(PK, `run#${runId}`)?.status.S, "superseded");
  });
});

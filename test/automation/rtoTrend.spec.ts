import * as assert from "assert";
import { runFailover } from "../../automation/run/controller";
import { formatReport } from "../../automation/run/report";
import { DR_OUTPUTS_STANDBY } from "./fakes";
import { harness } from "./harness";

const PK = "failover#dr";

describe("measured RTO in the state table and its trend in the report", () => {
  it("stores each completed run's RTO on its record and shows the last runs, newest first", async () => {
    const h = harness();
    const first = await runFailover(h.options());
    assert.strictEqual(first.status, "succeeded", first.error);
    const item = h.aws.table.get(PK, `run#${first.runId}`);
    assert.deepStrictEqual(
      [item?.rtoSeconds, item?.rtoTargetSeconds, item?.withinRto],
      [{ N: String(first.totalSeconds) }, { N: "1800" }, { BOOL: true }],
    );
    assert.deepStrictEqual(first.rtoTrend, [
      {
        runId: first.runId,
        status: "succeeded",
        finishedAt: item?.updatedAt?.S,
        rtoSeconds: first.totalSeconds,
        rtoTargetSeconds: 1800,
        withinRto: true,
      },
    ]);

    // A failback later returns dr to standby; the next drill fails (search access denied): no RTO.
    h.pulumi.outputs = DR_OUTPUTS_STANDBY;
    h.pulumi.mode = "standby";
    h.pulumi.applied.clear();
    h.aws.searchHandler = async () => ({ statusCode: 403, body: '{"message":"denied"}' });
    h.clockOffsetMs = 86_400_000; // the next day (run ids sort by their start time)
    const failed = await runFailover(h.options());
    assert.strictEqual(failed.status, "failed");
    assert.strictEqual(h.aws.table.get(PK, `run#${failed.runId}`)?.rtoSeconds, undefined);
    assert.deepStrictEqual(
      failed.rtoTrend?.map((p) => [p.runId, p.status, p.rtoSeconds]),
      [
        [failed.runId, "failed", undefined],
        [first.runId, "succeeded", first.totalSeconds],
      ],
    );
    const text = formatReport(failed);
    assert.ok(text.includes("  RTO trend (last 2 run(s), newest first):\n"), text);
    assert.ok(text.includes(`    ${failed.runId}  failed, no RTO\n`), text);
    assert.ok(
      text.includes(`    ${first.runId}  ${first.totalSeconds.toFixed(1)} s of 1800 s within target\n`),
      text,
    );
  });

  it("marks a run over its target", async () => {
    const h = harness();
    // Every clock read is 20 minutes later than the one before: the run takes hours.
    let t = Date.now();
    const report = await runFailover(h.options({ now: () => new Date((t += 1_200_000)) }));
    assert.strictEqual(report.withinRto, false);
    assert.deepStrictEqual(h.aws.table.get(PK, `run#${report.runId}`)?.withinRto, { BOOL: false });
    assert.match(
      formatReport(report),
      new RegExp(`    ${report.runId}  \\d+\\.\\d s of 1800 s OVER target\\n`),
    );
  });
});

import * as assert from "assert";
import { UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import { FailoverGlobalReplicationGroupCommand } from "@aws-sdk/client-elasticache";
import { UpdateHealthCheckCommand } from "@aws-sdk/client-route-53";
import { runFailover } from "../../automation/run/controller";
import { RunReport } from "../../automation/run/report";
import { harness, Harness } from "./harness";

const PK = "failover#dr";

/** Another controller takes the lock (as `--force lock` after an expiry would). */
function stealLock(h: Harness) {
  const lock = h.aws.table.get(PK, "lock");
  assert.ok(lock, "the run holds a lock");
  h.aws.table.items.set(h.aws.table.key(PK, "lock"), {
    ...lock,
    runId: { S: "20261121T070000Z-0ther0" },
    owner: { S: "oncall@other-host pid 7" },
    acquiredAt: { S: "2026-11-21T07:00:00.000Z" },
  });
}

const stepStatus = (report: RunReport) => Object.fromEntries(report.steps.map((s) => [s.id, s.status]));

describe("failover lock loss", () => {
  it("aborts the in-flight steps when a renewal finds another run holds the lock", async () => {
    const h = harness();
    // search-promote hangs until aborted; while it runs, another run takes the lock
    h.aws.searchHandler = () => {
      stealLock(h);
      return new Promise(() => undefined);
    };
    const report = await runFailover(h.options({ lockTtlSeconds: 0.3 }));
    assert.strictEqual(report.status, "failed");
    assert.match(
      report.error ?? "",
      /^Run \S+ lost the failover lock on dr: run 20261121T070000Z-0ther0 by oncall@other-host pid 7 took it at 2026-11-21T07:00:00\.000Z\. Running steps were stopped and no new step started\..*rerun the same command to resume this one\.$/,
    );
    const status = stepStatus(report);
    assert.strictEqual(status["search-promote"], "failed");
    assert.strictEqual(status.verify, "not run");
    assert.strictEqual(status["stack-reconcile"], "not run");
    // the other run's lock is left alone, and this run's record says failed (resumable)
    assert.strictEqual(h.aws.table.get(PK, "lock")?.runId.S, "20261121T070000Z-0ther0");
    assert.strictEqual(h.aws.table.get(PK, `run#${report.runId}`)?.status.S, "failed");
  });

  it("checks ownership before each step: no step starts once another run holds the lock", async () => {
    const h = harness();
    h.aws.route53.on(UpdateHealthCheckCommand).callsFake(() => {
      stealLock(h);
      return {};
    });
    const report = await runFailover(h.options());
    assert.strictEqual(report.status, "failed");
    assert.match(report.error ?? "", /^Run \S+ lost the failover lock on dr: run 20261121T070000Z-0ther0/);
    assert.strictEqual(stepStatus(report)["dns-lever"], "succeeded");
    assert.strictEqual(h.aws.primaryCache.commandCalls(FailoverGlobalReplicationGroupCommand).length, 0);
    assert.strictEqual(h.aws.searchRequests.length, 0);
    assert.ok(!h.pulumi.calls.some((c) => c[0] === "up"), JSON.stringify(h.pulumi.calls));
    assert.strictEqual(h.aws.table.get(PK, "lock")?.runId.S, "20261121T070000Z-0ther0");
  });

  it("stops the run after repeated renewal errors, before the lock can expire", async () => {
    const h = harness();
    h.aws.searchHandler = () => {
      h.aws.table.updateError = Object.assign(new Error("Internal Server Error"), {
        name: "InternalServerError",
        $metadata: { httpStatusCode: 500 },
      });
      return new Promise(() => undefined);
    };
    const report = await runFailover(h.options({ lockTtlSeconds: 0.3 }));
    assert.strictEqual(report.status, "failed");
    assert.match(
      report.error ?? "",
      /^Run \S+ could not renew its lock 2 times in a row \(last error: RetriesExhaustedError: dynamodb:UpdateItem was still throttled or failing after 5 attempts/,
    );
    assert.match(
      report.error ?? "",
      /rerun the same command to resume \(after the lock expires, with --force lock\)\.$/,
    );
    assert.ok(h.lines.some((l) => l.startsWith("  ! could not renew the lock (1 of 2)")));
    assert.strictEqual(stepStatus(report).verify, "not run");
  });

  it("renews the lock conditionally on this run as each step starts", async () => {
    const h = harness();
    const report = await runFailover(h.options());
    assert.strictEqual(report.status, "succeeded", report.error);
    const renewals = (h.aws.table.stub?.commandCalls(UpdateItemCommand) ?? []).map((c) => c.args[0].input);
    assert.strictEqual(renewals.length, 6, "one per step; the heartbeat (every 100 s) never fired");
    for (const input of renewals) {
      assert.strictEqual(input.ConditionExpression, "runId = :run");
      assert.deepStrictEqual(input.ExpressionAttributeValues?.[":run"], { S: report.runId });
    }
  });
});

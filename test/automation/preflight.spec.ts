import * as assert from "assert";
import { GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { UpdateHealthCheckCommand } from "@aws-sdk/client-route-53";
import { runFailover } from "../../automation/run/controller";
import { FailoverError } from "../../automation/errors";
import { DR_OUTPUTS_ACTIVE, DR_OUTPUTS_STANDBY } from "./fakes";
import { harness, Harness } from "./harness";

const PK = "failover#dr";

function nothingChanged(h: Harness): void {
  assert.strictEqual(h.aws.route53.commandCalls(UpdateHealthCheckCommand).length, 0);
  assert.ok(!h.pulumi.calls.some((c) => c[0] === "config" || c[0] === "up"), "no config set / up");
  assert.strictEqual(h.aws.table.get(PK, "lock"), undefined);
}

function laggingDatabase(h: Harness, seconds: number): void {
  h.aws.cloudWatch.on(GetMetricDataCommand).resolves({
    MetricDataResults: [
      { Id: "databaseLag", Values: [seconds] },
      { Id: "cacheLag", Values: [1] },
    ],
  });
}

function putLock(h: Harness, runId: string, expiresInSeconds: number): void {
  h.aws.table.items.set(`${PK}|lock`, {
    pk: { S: PK },
    sk: { S: "lock" },
    runId: { S: runId },
    owner: { S: "oncall@runner-7 pid 99" },
    acquiredAt: { S: "2025-06-01T10:00:00.000Z" },
    expiresAt: { N: String(Math.floor(Date.now() / 1000) + expiresInSeconds) },
  });
}

describe("failover preflight", () => {
  it("refuses when replica lag is above failover.maxReplicaLagSeconds, changing nothing", async () => {
    const h = harness();
    laggingDatabase(h, 95);
    await assert.rejects(runFailover(h.options()), (e: Error) => {
      assert.ok(e instanceof FailoverError);
      assert.match(e.message, /^Preflight refused the failover: database-lag\. Nothing was changed\./);
      return true;
    });
    assert.ok(
      h.lines.includes(
        "  FAIL   database-lag     RDS ReplicaLag 95 s (limit 60 s, failover.maxReplicaLagSeconds)",
      ),
    );
    assert.ok(
      h.lines.includes(
        "  PASS   cache-lag        ElastiCache GlobalDatastoreReplicationLag 1 s (limit 60 s, failover.maxReplicaLagSeconds)",
      ),
    );
    nothingChanged(h);
  });

  it("refuses when a lag metric has no datapoints (replication may be broken)", async () => {
    const h = harness();
    h.aws.cloudWatch.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        { Id: "databaseLag", Values: [3] },
        { Id: "cacheLag", Values: [] },
      ],
    });
    await assert.rejects(runFailover(h.options()), /Preflight refused the failover: cache-lag\./);
    nothingChanged(h);
  });

  it("proceeds past a named --force override and names it in the report", async () => {
    const h = harness();
    laggingDatabase(h, 95);
    const report = await runFailover(h.options({ force: new Set(["database-lag"]) }));
    assert.strictEqual(report.status, "succeeded", report.error);
    assert.deepStrictEqual(report.forced, ["database-lag"]);
    assert.ok(h.lines.some((l) => l.startsWith("  FORCED database-lag")));
  });

  it("refuses a dr stack that is already active without a run to resume", async () => {
    const h = harness();
    h.pulumi.outputs = DR_OUTPUTS_ACTIVE;
    await assert.rejects(runFailover(h.options()), /Preflight refused the failover: stack-standby\./);
    nothingChanged(h);
  });

  it("refuses when outputs the controller needs are missing, and no --force can override it", async () => {
    const h = harness();
    const { search: _search, ...withoutSearch } = DR_OUTPUTS_STANDBY;
    h.pulumi.outputs = withoutSearch;
    await assert.rejects(runFailover(h.options({ force: "all" })), (e: Error) => {
      assert.match(
        e.message,
        /no output search\.domainName, search\.endpoint, search\.followRuleName, search\.connectionAlias/,
      );
      return true;
    });
    nothingChanged(h);
  });

  it("refuses while another run holds a live lock, even with --force lock", async () => {
    const h = harness();
    putLock(h, "20250601T100000Z-abc123", 240);
    await assert.rejects(
      runFailover(h.options({ force: new Set(["lock"]) })),
      /Preflight refused the failover: lock\./,
    );
    assert.ok(
      h.lines.some((l) => l.includes("run 20250601T100000Z-abc123 by oncall@runner-7 pid 99 holds the lock")),
    );
    assert.strictEqual(h.aws.route53.commandCalls(UpdateHealthCheckCommand).length, 0);
    assert.strictEqual(h.aws.table.get(PK, "lock")?.runId.S, "20250601T100000Z-abc123");
  });

  it("takes a stale lock only with --force naming it (a bare --force is not enough)", async () => {
    const h = harness();
    putLock(h, "20250601T100000Z-dead00", -600);
    await assert.rejects(runFailover(h.options({ force: "all" })), /Preflight refused the failover: lock\./);
    const report = await runFailover(h.options({ force: new Set(["lock"]) }));
    assert.strictEqual(report.status, "succeeded", report.error);
    assert.deepStrictEqual(report.forced, ["lock"]);
    assert.strictEqual(h.aws.table.get(PK, "lock"), undefined);
  });

  it("loses the race cleanly when another run takes the lock between the check and the write", async () => {
    const h = harness();
    // the other run writes its lock after our preflight passed (while we wait for approval)
    const confirm = async () => {
      putLock(h, "20250601T100500Z-other1", 300);
      return true;
    };
    await assert.rejects(runFailover(h.options({ confirm })), (e: Error) => {
      assert.match(
        e.message,
        /^Another failover holds the lock on dr: run 20250601T100500Z-other1 by oncall@runner-7 pid 99/,
      );
      return true;
    });
    assert.strictEqual(h.aws.route53.commandCalls(UpdateHealthCheckCommand).length, 0);
    assert.strictEqual(h.aws.table.get(PK, "lock")?.runId.S, "20250601T100500Z-other1");
  });
});

import * as assert from "assert";
import { GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import {
  DescribeGlobalReplicationGroupsCommand,
  DisassociateGlobalReplicationGroupCommand,
  FailoverGlobalReplicationGroupCommand,
} from "@aws-sdk/client-elasticache";
import { UpdateHealthCheckCommand } from "@aws-sdk/client-route-53";
import { runFailover } from "../../automation/run/controller";
import { lagQueries } from "../../automation/run/preflight";
import { drView } from "../../automation/stack/drOutputs";
import { DR_OUTPUTS_STANDBY } from "./fakes";
import { DR_OUTPUTS_RESTORE_STANDBY } from "./fakeOutputs";
import { BACKUPS_URN, DB_URN, NODES_URN, STACK_URN } from "./fakePulumi";
import { harness, stackArgs, withEventLog } from "./harness";

const PK = "failover#dr";

describe("failover controller (fake Pulumi CLI, mocked AWS)", () => {
  it("runs the happy path with the exact CLI sequence, on the dr stack only", async () => {
    const h = harness();
    const report = await runFailover(h.options());
    assert.strictEqual(report.status, "succeeded", report.error);
    const outputs = [
      ["stack", "output", "--json", "--stack", "dr"],
      ["stack", "output", "--json", "--show-secrets", "--stack", "dr"],
    ];
    const history = [
      "stack",
      "history",
      "--json",
      "--show-secrets",
      "--page-size",
      "1",
      "--page",
      "1",
      "--stack",
      "dr",
    ];
    assert.deepStrictEqual(withEventLog(h.pulumi.calls), [
      ["stack", "select", "--stack", "dr"],
      // preflight reads the outputs (masked, then plaintext), and again under the lock
      ...outputs,
      ...outputs,
      [
        "config",
        "set",
        "payments-dr:mode",
        "--stack",
        "dr",
        "--plaintext",
        "--non-interactive",
        "--",
        "active",
      ],
      // the engine streams the preview's steps to the Automation API's events server
      ["preview", "--exec-kind", "auto.local", "--event-log", "tcp://127.0.0.1:<port>", "--stack", "dr"],
      // only the in-Region changes, and the root Stack so its outputs are written
      [
        "up",
        "--yes",
        "--skip-preview",
        "--target",
        STACK_URN,
        "--target",
        DB_URN,
        "--target",
        NODES_URN,
        "--exec-kind",
        "auto.local",
        "--stack",
        "dr",
      ],
      // Automation API's up() reads outputs and the update summary itself
      ...outputs,
      history,
      // verify reads the outputs the update produced
      ...outputs,
      // stack-reconcile: the whole stack, the deferred us-east-1 create included
      [
        "up",
        "--yes",
        "--skip-preview",
        "--exec-kind",
        "auto.local",
        "--event-log",
        "tcp://127.0.0.1:<port>",
        "--stack",
        "dr",
      ],
      ...outputs,
      history,
    ]);
    assert.deepStrictEqual([...new Set(stackArgs(h.pulumi.calls))], ["dr"]);
    assert.ok(!h.pulumi.calls.some((args) => args.some((a) => a.includes("primary"))));
    assert.deepStrictEqual([...h.pulumi.applied].sort(), [BACKUPS_URN, DB_URN, NODES_URN].sort());
    assert.deepStrictEqual(report.warnings, []);
    assert.match(
      report.steps.find((s) => s.id === "stack-activate")?.detail ?? "",
      /^pulumi up --target \(2 in-Region change\(s\)\) on the dr stack: .*; deferred to stack-reconcile: database-backups-replication \(create, us-east-1\)$/,
    );
  });

  it("makes exactly the AWS calls of the failover, in the right Regions", async () => {
    const h = harness();
    await runFailover(h.options());
    assert.deepStrictEqual(h.aws.regions, { drRegion: "us-west-2", primaryRegion: "us-east-1" });
    assert.deepStrictEqual(
      h.aws.route53.commandCalls(UpdateHealthCheckCommand).map((c) => c.args[0].input),
      [{ HealthCheckId: "3f1b7d2e-8c4a-4e6b-9a1d-5c2e7f8a9b01", Inverted: true }],
    );
    assert.deepStrictEqual(
      h.aws.primaryCache.commandCalls(FailoverGlobalReplicationGroupCommand).map((c) => c.args[0].input),
      [
        {
          GlobalReplicationGroupId: "ldgnf-payments-cache",
          PrimaryRegion: "us-west-2",
          PrimaryReplicationGroupId: "payments-cache-dr",
        },
      ],
    );
    assert.strictEqual(h.aws.drCache.commandCalls(DisassociateGlobalReplicationGroupCommand).length, 0);
    assert.deepStrictEqual(
      h.aws.drCache.commandCalls(DescribeGlobalReplicationGroupsCommand)[0].args[0].input,
      {
        GlobalReplicationGroupId: "ldgnf-payments-cache",
        ShowMemberInfo: true,
      },
    );
    const lag = h.aws.cloudWatch.commandCalls(GetMetricDataCommand);
    assert.strictEqual(lag.length, 1);
    assert.deepStrictEqual(lag[0].args[0].input.MetricDataQueries, lagQueries(drView(DR_OUTPUTS_STANDBY)));
    const host = "vpc-payments-search-dr-4kq2b7x.us-west-2.es.amazonaws.com";
    assert.deepStrictEqual(h.aws.searchRequests, [
      {
        method: "DELETE",
        host,
        path: "/_plugins/_replication/_autofollow",
        body: { leader_alias: "payments-leader", name: "payments-all-indices" },
      },
      { method: "GET", host, path: "/_plugins/_replication/follower_stats" },
      { method: "POST", host, path: "/_plugins/_replication/payments/_stop", body: {} },
      { method: "POST", host, path: "/_plugins/_replication/refunds/_stop", body: {} },
    ]);
    assert.deepStrictEqual(h.aws.healthRequests, ["https://api.payments.example.com/healthz"]);
  });

  it("records the lock and progress with conditional writes, stores the report and releases the lock", async () => {
    const h = harness();
    const writes: string[] = [];
    h.aws.table.afterWrite = (item, kind) => writes.push(`${kind} ${item?.sk.S ?? "lock"}`);
    const report = await runFailover(h.options());
    assert.strictEqual(writes[0], "put lock");
    assert.strictEqual(writes[writes.length - 1], "delete lock");
    assert.strictEqual(h.aws.table.get(PK, "lock"), undefined);
    const run = h.aws.table.get(PK, `run#${report.runId}`);
    assert.ok(run);
    assert.strictEqual(run.status.S, "succeeded");
    assert.deepStrictEqual(
      JSON.parse(run.report.S ?? "{}").steps.map((s: { id: string }) => s.id),
      ["dns-lever", "cache-promote", "search-promote", "stack-activate", "verify", "stack-reconcile"],
    );
    // one progress write per step between the first and the final save
    assert.strictEqual(writes.filter((w) => w.startsWith("put run#")).length, 1 + 6 + 1);
  });

  it("reports each step's measured duration and the total against the RTO target", async () => {
    const h = harness();
    h.pulumi.upDelayMs = 50;
    const report = await runFailover(h.options());
    assert.strictEqual(report.rtoTargetSeconds, 1800);
    assert.strictEqual(report.withinRto, true);
    const activate = report.steps.find((s) => s.id === "stack-activate");
    assert.ok(activate?.durationSeconds !== undefined && activate.durationSeconds >= 0);
    assert.ok(report.totalSeconds >= (activate?.durationSeconds ?? 0));
    // independent promotions ran in parallel: all three started before any of them finished
    const starts = ["cache-promote", "search-promote", "stack-activate"].map((id) =>
      h.lines.findIndex((l) => l.includes(`▶`) && l.includes(` ${id}:`)),
    );
    const firstDone = h.lines.findIndex(
      (l) => l.includes("✔") && /cache-promote|search-promote|stack-activate/.test(l),
    );
    assert.ok(
      starts.every((i) => i >= 0 && i < firstDone),
      h.lines.join("\n"),
    );
  });

  it("is a no-op that says so when rerun after success", async () => {
    const h = harness();
    await runFailover(h.options());
    const before = {
      cli: h.pulumi.calls.length,
      route53: h.aws.route53.commandCalls(UpdateHealthCheckCommand).length,
    };
    const again = await runFailover(h.options());
    assert.strictEqual(again.status, "noop");
    assert.match(again.message ?? "", /^Nothing to do: run .* already completed this failover/);
    assert.strictEqual(h.aws.route53.commandCalls(UpdateHealthCheckCommand).length, before.route53);
    const newCalls = h.pulumi.calls.slice(before.cli);
    assert.deepStrictEqual(
      newCalls.map((c) => c[0] + " " + c[1]),
      ["stack select", "stack output", "stack output"],
    );
  });

  it("takes the ungraceful path when the primary Region does not answer", async () => {
    const h = harness();
    const timeout = Object.assign(new Error("connect ETIMEDOUT 52.94.0.1:443"), { name: "TimeoutError" });
    h.aws.primaryCache.on(FailoverGlobalReplicationGroupCommand).rejects(timeout);
    // after the disassociation the dr group is no longer a member
    let detached = false;
    h.aws.drCache.on(DisassociateGlobalReplicationGroupCommand).callsFake(() => {
      detached = true;
      return {};
    });
    h.aws.drCache.on(DescribeGlobalReplicationGroupsCommand).callsFake(() => ({
      GlobalReplicationGroups: [
        {
          GlobalReplicationGroupId: "ldgnf-payments-cache",
          Members: [
            {
              ReplicationGroupId: "payments-cache-primary",
              ReplicationGroupRegion: "us-east-1",
              Role: "PRIMARY",
            },
            ...(detached
              ? []
              : [
                  {
                    ReplicationGroupId: "payments-cache-dr",
                    ReplicationGroupRegion: "us-west-2",
                    Role: "SECONDARY",
                  },
                ]),
          ],
        },
      ],
    }));
    const report = await runFailover(h.options());
    assert.strictEqual(report.status, "succeeded", report.error);
    // a network failure is not retried against a Region that does not answer
    assert.strictEqual(h.aws.primaryCache.commandCalls(FailoverGlobalReplicationGroupCommand).length, 1);
    assert.deepStrictEqual(
      h.aws.drCache.commandCalls(DisassociateGlobalReplicationGroupCommand).map((c) => c.args[0].input),
      [
        {
          GlobalReplicationGroupId: "ldgnf-payments-cache",
          ReplicationGroupId: "payments-cache-dr",
          ReplicationGroupRegion: "us-west-2",
        },
      ],
    );
    assert.match(
      report.steps.find((s) => s.id === "cache-promote")?.detail ?? "",
      /^ungraceful: primary Region unreachable/,
    );
  });
});

describe("failover controller per dr strategy", () => {
  it("refuses a backup-restore stack whose outputs do not name its copies, before touching anything", async () => {
    const h = harness();
    const config = { ...h.options().config, strategy: "backup-restore" as const };
    const { copyVaultArn: _vault, ...primary } = DR_OUTPUTS_RESTORE_STANDBY.primary;
    h.pulumi.outputs = { ...DR_OUTPUTS_RESTORE_STANDBY, primary };
    await assert.rejects(
      runFailover(h.options({ config })),
      (e: unknown) =>
        e instanceof Error &&
        e.message ===
          "Preflight failed: the dr stack has no output primary.copyVaultArn (stacks/outputs.ts). " +
            "Run `pulumi up --stack dr` with the current program first.",
    );
    assert.deepStrictEqual(
      h.pulumi.calls.filter((c) => c[0] === "up" || c[0] === "config"),
      [],
    );
  });

  it("runs a pilot-light stack through the same steps to success", async () => {
    const h = harness();
    const config = { ...h.options().config, strategy: "pilot-light" as const };
    const report = await runFailover(h.options({ config }));
    assert.strictEqual(report.status, "succeeded", report.error);
    assert.deepStrictEqual(
      report.steps.map((s) => s.id),
      ["dns-lever", "cache-promote", "search-promote", "stack-activate", "verify", "stack-reconcile"],
    );
  });
});

import * as assert from "assert";
import {
  DescribeGlobalReplicationGroupsCommand,
  FailoverGlobalReplicationGroupCommand,
} from "@aws-sdk/client-elasticache";
import { AcceptInboundConnectionCommand, CreateOutboundConnectionCommand } from "@aws-sdk/client-opensearch";
import { ModifyDBParameterGroupCommand } from "@aws-sdk/client-rds";
import { UpdateHealthCheckCommand } from "@aws-sdk/client-route-53";
import { FAILBACK_PLAN, formatFailbackPlan, runFailback } from "../../../automation/failback/failback";
import { DR_OUTPUTS_ACTIVE } from "../fakes";
import { DR_ARN } from "./fakeFailback";
import { setup } from "./failbackSetup";

const RESEED = [
  "organization/payments-dr/primary: config set --path payments-dr:generation.database 1",
  `organization/payments-dr/primary: config set --path payments-dr:generation.reseedSourceArn ${DR_ARN}`,
  "organization/payments-dr/primary: up",
];
const PROMOTE = [
  "organization/payments-dr/primary: config rm --path payments-dr:generation.reseedSourceArn",
  "organization/payments-dr/primary: up",
];
const STANDBY = [
  "dr: config set payments-dr:mode standby",
  "dr: config set payments-dr:confirmReturnToStandby true",
  "dr: config set --path payments-dr:generation.database 1",
  "dr: up",
  "dr: config rm payments-dr:confirmReturnToStandby",
];

describe("failback (executable, resumable)", () => {
  it("prints the ordered plan with each step's dependencies", () => {
    assert.deepStrictEqual(
      FAILBACK_PLAN.map((s) => s.id),
      [
        "primary-region-answers",
        "reseed-database",
        "reseed-search",
        "wait-in-sync",
        "stop-writes",
        "drain",
        "promote-database",
        "promote-search",
        "cache-switch-back",
        "restore-dns",
        "return-dr-to-standby",
      ],
    );
    assert.match(
      formatFailbackPlan(),
      /^Failback plan \(run once the primary Region is healthy\):\n {2}1\. primary-region-answers: /,
    );
    assert.match(
      formatFailbackPlan(),
      /\n {2}10\. restore-dns: .* \(after promote-database, promote-search, cache-switch-back\)\n/,
    );
  });

  it("re-seeds, drains, switches over and returns dr to standby with the exact stack and AWS calls", async () => {
    const { h, stacks, fb, options } = setup();
    const report = await runFailback(options);
    assert.strictEqual(report.status, "succeeded", report.error);
    assert.deepStrictEqual(
      report.steps.map((s) => [s.id, s.status]),
      FAILBACK_PLAN.map((p) => [p.id, "succeeded"]),
    );
    assert.ok(report.totalSeconds >= 0 && report.steps.every((s) => typeof s.durationSeconds === "number"));
    // The primary re-seed is a NEW generation; the promotion drops only the source; dr gets a new replica.
    assert.deepStrictEqual(stacks.calls, [...RESEED, ...PROMOTE, ...STANDBY]);
    assert.deepStrictEqual(
      fb.primaryOpenSearch.commandCalls(CreateOutboundConnectionCommand).map((c) => c.args[0].input),
      [
        {
          ConnectionAlias: "payments-failback",
          ConnectionMode: "DIRECT",
          LocalDomainInfo: {
            AWSDomainInformation: {
              DomainName: "payments-dr-primary",
              OwnerId: "111122223333",
              Region: "us-east-1",
            },
          },
          RemoteDomainInfo: {
            AWSDomainInformation: {
              DomainName: "payments-search-dr",
              OwnerId: "111122223333",
              Region: "us-west-2",
            },
          },
        },
      ],
    );
    assert.deepStrictEqual(
      fb.drOpenSearch.commandCalls(AcceptInboundConnectionCommand).map((c) => c.args[0].input),
      [{ ConnectionId: "cc-7f3a" }],
    );
    // The stale primary copy of a dr index is snapshotted before it is removed; then the primary follows dr.
    const writes = (requests: { method: string; path: string; body?: unknown }[]) =>
      requests
        .filter((r) => r.method !== "GET")
        .map((r) => `${r.method} ${r.path} ${JSON.stringify(r.body ?? null)}`);
    const runId = report.runId.toLowerCase();
    assert.deepStrictEqual(writes(fb.primarySearchRequests), [
      `PUT /_snapshot/payments-snapshots/failback-${runId}?wait_for_completion=true {"indices":"payments","include_global_state":false}`,
      "DELETE /payments null",
      'POST /_plugins/_replication/_autofollow {"leader_alias":"payments-failback","name":"payments-failback-all","pattern":"*","use_roles":{"leader_cluster_role":"cross_cluster_replication_leader_full_access","follower_cluster_role":"cross_cluster_replication_follower_full_access"}}',
      'DELETE /_plugins/_replication/_autofollow {"leader_alias":"payments-failback","name":"payments-failback-all"}',
      "POST /_plugins/_replication/payments/_stop {}",
      "POST /_plugins/_replication/refunds/_stop {}",
    ]);
    assert.deepStrictEqual(
      h.aws.rds.commandCalls(ModifyDBParameterGroupCommand).map((c) => c.args[0].input),
      [
        {
          DBParameterGroupName: "database-parameters-5d1e2f0",
          Parameters: [
            { ParameterName: "default_transaction_read_only", ParameterValue: "1", ApplyMethod: "immediate" },
          ],
        },
      ],
    );
    assert.deepStrictEqual(
      h.aws.primaryCache.commandCalls(FailoverGlobalReplicationGroupCommand).map((c) => c.args[0].input),
      [
        {
          GlobalReplicationGroupId: "ldgnf-payments-cache",
          PrimaryRegion: "us-east-1",
          PrimaryReplicationGroupId: "payments-cache-primary",
        },
      ],
    );
    assert.deepStrictEqual(
      h.aws.route53.commandCalls(UpdateHealthCheckCommand).map((c) => c.args[0].input),
      [{ HealthCheckId: "3f1b7d2e-8c4a-4e6b-9a1d-5c2e7f8a9b01", Inverted: false }],
    );
    // dr's stale copies (the primary now has every index) are snapshotted, removed, and dr follows primary again.
    assert.deepStrictEqual(writes(h.aws.searchRequests), [
      `PUT /_snapshot/payments-snapshots/failback-${runId}?wait_for_completion=true {"indices":"payments","include_global_state":false}`,
      "DELETE /payments null",
      'POST /_plugins/_replication/_autofollow {"leader_alias":"payments-leader","name":"payments-all-indices","pattern":"*","use_roles":{"leader_cluster_role":"cross_cluster_replication_leader_full_access","follower_cluster_role":"cross_cluster_replication_follower_full_access"}}',
    ]);
    // Writes stop only once replication is in sync, and promotion waits for the drain.
    const started = h.lines.filter((l) => l.includes("▶")).map((l) => l.split(" ")[4].replace(":", ""));
    assert.ok(started.indexOf("stop-writes") > started.indexOf("wait-in-sync"));
    assert.ok(started.indexOf("promote-database") > started.indexOf("drain"));
    assert.ok(started.indexOf("restore-dns") > started.indexOf("cache-switch-back"));
    assert.ok(h.aws.table.get("failback#dr", `run#${report.runId}`));
  });

  it("resumes after a failed promotion without repeating a side effect, and a rerun after success is a no-op", async () => {
    const { h, stacks, fb, options } = setup();
    stacks.primary.failUp = { at: 2, error: new Error("pulumi up: exit code 255") };
    const failed = await runFailback(options);
    assert.strictEqual(failed.status, "failed");
    assert.match(failed.error ?? "", /^promote-database: pulumi up: exit code 255/);
    assert.deepStrictEqual(stacks.calls, [...RESEED, ...PROMOTE]);
    assert.strictEqual(
      h.aws.route53.commandCalls(UpdateHealthCheckCommand).length,
      0,
      "DNS waits for every promotion",
    );

    // Hours later (a re-seed takes hours): still resumed, not superseded, within the failback's window.
    h.clockOffsetMs = 3 * 3600_000;
    const resumed = await runFailback(options);
    assert.strictEqual(resumed.status, "succeeded", resumed.error);
    assert.strictEqual(resumed.runId, failed.runId);
    assert.deepStrictEqual(
      resumed.steps.filter((s) => s.fromEarlierAttempt).map((s) => s.id),
      [
        "primary-region-answers",
        "reseed-database",
        "reseed-search",
        "wait-in-sync",
        "stop-writes",
        "drain",
        "promote-search",
        "cache-switch-back",
      ],
    );
    // The config was already removed by the failed attempt: only the up is repeated.
    assert.deepStrictEqual(stacks.calls, [
      ...RESEED,
      ...PROMOTE,
      "organization/payments-dr/primary: up",
      ...STANDBY,
    ]);
    assert.strictEqual(fb.primaryOpenSearch.commandCalls(CreateOutboundConnectionCommand).length, 1);
    assert.strictEqual(h.aws.rds.commandCalls(ModifyDBParameterGroupCommand).length, 1);
    assert.strictEqual(h.aws.primaryCache.commandCalls(FailoverGlobalReplicationGroupCommand).length, 1);

    const again = await runFailback(options);
    assert.strictEqual(again.status, "noop");
    assert.match(
      again.message ?? "",
      new RegExp(`^Nothing to do: failback run ${failed.runId} completed at `),
    );
    assert.strictEqual(stacks.calls.length, RESEED.length + PROMOTE.length + 1 + STANDBY.length);
  });

  it("resuming an interrupted re-seed keeps its generation instead of creating another", async () => {
    const { stacks, options } = setup();
    stacks.primary.failUp = { at: 1, error: new Error("interrupted") };
    assert.strictEqual((await runFailback(options)).status, "failed");
    assert.strictEqual((await runFailback(options)).status, "succeeded");
    assert.deepStrictEqual(stacks.calls.slice(0, 4), [...RESEED, "organization/payments-dr/primary: up"]);
  });

  it("refuses before any change when the primary cache group left the Global Datastore", async () => {
    const { h, stacks, options } = setup();
    h.aws.primaryCache.on(DescribeGlobalReplicationGroupsCommand).resolves({
      GlobalReplicationGroups: [{ GlobalReplicationGroupId: "ldgnf-payments-cache", Members: [] }],
    });
    const report = await runFailback(options);
    assert.strictEqual(report.status, "failed");
    assert.match(
      report.error ?? "",
      /^primary-region-answers: payments-cache-primary is not a member of ldgnf-payments-cache: /,
    );
    assert.deepStrictEqual(stacks.calls, []);
  });

  it("refuses when dr is in standby and no failback is unfinished", async () => {
    const { h, options } = setup();
    h.pulumi.outputs = { ...DR_OUTPUTS_ACTIVE, mode: "standby" };
    await assert.rejects(
      runFailback(options),
      /^FailoverError: Preflight refused the failback: stack-standby\. Nothing was changed\.$/,
    );
  });
});

import * as assert from "assert";
import {
  DescribeGlobalReplicationGroupsCommand,
  FailoverGlobalReplicationGroupCommand,
} from "@aws-sdk/client-elasticache";
import { UpdateHealthCheckCommand } from "@aws-sdk/client-route-53";
import { FAILBACK_PLAN, formatFailbackPlan, runFailback } from "../../automation/failback/failback";
import { DR_OUTPUTS_ACTIVE } from "./fakes";
import { harness } from "./harness";

describe("failback", () => {
  it("prints the ordered plan, marking which steps are automated", () => {
    const text = formatFailbackPlan();
    assert.deepStrictEqual(
      FAILBACK_PLAN.map((s) => `${s.automated ? "auto" : "manual"}:${s.id}`),
      [
        "auto:primary-region-answers",
        "manual:reseed-database",
        "manual:reseed-search",
        "manual:freeze-writes",
        "auto:cache-switch-back",
        "auto:restore-dns",
        "manual:return-dr-to-standby",
      ],
    );
    assert.match(
      text,
      /^Failback plan \(run once the primary Region is healthy\):\n {2}1\. \[auto {2}\] primary-region-answers/,
    );
  });

  it("runs the automated steps on the failover machinery: cache back to primary, primary back in DNS", async () => {
    const h = harness();
    h.pulumi.outputs = DR_OUTPUTS_ACTIVE;
    h.aws.primaryCache.on(DescribeGlobalReplicationGroupsCommand).resolves({
      GlobalReplicationGroups: [
        {
          GlobalReplicationGroupId: "ldgnf-payments-cache",
          Members: [
            {
              ReplicationGroupId: "payments-cache-primary",
              ReplicationGroupRegion: "us-east-1",
              Role: "SECONDARY",
            },
            { ReplicationGroupId: "payments-cache-dr", ReplicationGroupRegion: "us-west-2", Role: "PRIMARY" },
          ],
        },
      ],
    });
    const report = await runFailback(h.options());
    assert.strictEqual(report.status, "succeeded", report.error);
    assert.deepStrictEqual(
      report.steps.map((s) => s.id),
      ["primary-region-answers", "cache-switch-back", "restore-dns"],
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
    assert.ok(h.aws.table.get("failback#dr", `run#${report.runId}`));
    assert.ok(
      !h.pulumi.calls.some((c) => c[0] === "up" || c[0] === "config"),
      "failback never updates a stack",
    );
  });

  it("refuses to switch the cache back after an ungraceful failover detached it", async () => {
    const h = harness();
    h.pulumi.outputs = DR_OUTPUTS_ACTIVE;
    h.aws.primaryCache.on(DescribeGlobalReplicationGroupsCommand).resolves({
      GlobalReplicationGroups: [{ GlobalReplicationGroupId: "ldgnf-payments-cache", Members: [] }],
    });
    const report = await runFailback(h.options());
    assert.strictEqual(report.status, "failed");
    assert.match(
      report.error ?? "",
      /payments-cache-primary is not a member of ldgnf-payments-cache: re-create the Global Datastore from dr first/,
    );
    assert.strictEqual(h.aws.route53.commandCalls(UpdateHealthCheckCommand).length, 0);
  });
});

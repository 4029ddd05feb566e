import * as assert from "assert";
import { FailoverGlobalReplicationGroupCommand } from "@aws-sdk/client-elasticache";
import { UpdateHealthCheckCommand } from "@aws-sdk/client-route-53";
import { runFailback } from "../../../automation/failback/failback";
import { RunReport } from "../../../automation/run/report";
import { DR_ARN } from "./fakeFailback";
import { setup } from "./failbackSetup";

const PK = "failback#dr";

describe("failback decisions are taken again under the lock (a stale approval)", () => {
  it("does nothing when another failback completed while the prompt was open", async () => {
    const { h, stacks, options } = setup();
    let other: RunReport | undefined;
    let callsByOther: string[] = [];
    const report = await runFailback({
      ...options,
      // A second operator approves first and finishes the whole failback meanwhile.
      confirm: async () => {
        other = await runFailback(options);
        callsByOther = [...stacks.calls];
        return true;
      },
    });
    assert.strictEqual(other?.status, "succeeded", other?.error);
    assert.strictEqual(report.status, "noop");
    assert.strictEqual(report.runId, other?.runId);
    assert.deepStrictEqual(stacks.calls, callsByOther, "no stack change after the stale approval");
    assert.strictEqual(h.aws.primaryCache.commandCalls(FailoverGlobalReplicationGroupCommand).length, 1);
    assert.strictEqual(h.aws.route53.commandCalls(UpdateHealthCheckCommand).length, 1);
    assert.ok(h.lines.includes(`Run ${other?.runId} completed the failback while the approval was pending.`));
    assert.strictEqual(h.aws.table.get(PK, "lock"), undefined, "the lock is released");
  });

  it("refuses to start a second failback when another one started (and failed) meanwhile", async () => {
    const { h, stacks, options } = setup();
    let otherRunId = "";
    await assert.rejects(
      runFailback({
        ...options,
        confirm: async () => {
          stacks.primary.failUp = { at: 1, error: new Error("pulumi up killed") };
          otherRunId = (await runFailback(options)).runId;
          return true;
        },
      }),
      (e: Error) => {
        assert.strictEqual(
          e.message,
          "The state changed while the failback approval was pending: the approved plan was to start a new run, " +
            `the state table now says resume run ${otherRunId} (failed) (latest run ${otherRunId} is failed). ` +
            "Nothing was changed. Rerun the same command to see the new preflight and approve again.",
        );
        return true;
      },
    );
    // Only the other run's re-seed attempt; the stale approval changed nothing.
    assert.deepStrictEqual(stacks.calls, [
      "organization/payments-dr/primary: config set --path payments-dr:generation.database 1",
      `organization/payments-dr/primary: config set --path payments-dr:generation.reseedSourceArn ${DR_ARN}`,
      "organization/payments-dr/primary: up",
    ]);
    assert.strictEqual(h.aws.table.get(PK, "lock"), undefined, "the lock is released");
  });

  it("refuses to undo a finished failback: the state table lost the run but dr is a standby again", async () => {
    const { h, stacks, options } = setup();
    await assert.rejects(
      runFailback({
        ...options,
        confirm: async () => {
          // Changed inside the approval: dr returned to standby by hand, no failback run recorded.
          h.pulumi.outputs = { ...(h.pulumi.outputs as Record<string, unknown>), mode: "standby" };
          return true;
        },
      }),
      /^FailoverError: The state changed while the failback approval was pending: dr stack mode is "standby": no failover to undo\. Nothing was changed\./,
    );
    assert.deepStrictEqual(stacks.calls, []);
  });
});

import * as assert from "assert";
import { UpdateHealthCheckCommand } from "@aws-sdk/client-route-53";
import { FailoverGlobalReplicationGroupCommand } from "@aws-sdk/client-elasticache";
import { runFailover } from "../../automation/run/controller";
import { DR_OUTPUTS_ACTIVE } from "./fakes";
import { harness } from "./harness";

const PK = "failover#dr";
const levers = (h: ReturnType<typeof harness>) => h.aws.route53.commandCalls(UpdateHealthCheckCommand).length;

describe("failover decisions are taken again under the lock (a stale approval)", () => {
  it("does nothing when another run completed the failover while the prompt was open", async () => {
    const h = harness();
    let other: Awaited<ReturnType<typeof runFailover>> | undefined;
    const report = await runFailover(
      h.options({
        // A second operator approves first and finishes the whole failover meanwhile.
        confirm: async () => {
          other = await runFailover(h.options());
          return true;
        },
      }),
    );
    assert.strictEqual(other?.status, "succeeded", other?.error);
    assert.strictEqual(report.status, "noop");
    assert.strictEqual(report.runId, other?.runId);
    assert.strictEqual(levers(h), 1, "the lever is pulled once, by the run that did the failover");
    assert.strictEqual(h.aws.primaryCache.commandCalls(FailoverGlobalReplicationGroupCommand).length, 1);
    assert.ok(h.lines.includes(`Run ${other?.runId} completed the failover while the approval was pending.`));
    assert.strictEqual(h.aws.table.get(PK, "lock"), undefined, "the lock is released");
  });

  it("refuses when a newer run appeared meanwhile instead of starting a second one", async () => {
    const h = harness();
    let otherRunId = "";
    await assert.rejects(
      runFailover(
        h.options({
          confirm: async () => {
            // The other run fails at the lever (access denied) and stays resumable.
            h.aws.route53
              .on(UpdateHealthCheckCommand)
              .rejectsOnce(Object.assign(new Error("denied"), { name: "AccessDenied" }));
            otherRunId = (await runFailover(h.options())).runId;
            return true;
          },
        }),
      ),
      (e: Error) => {
        assert.strictEqual(
          e.message,
          `The state changed while the approval was pending: the approved plan was to start a new run, ` +
            `the state table now says resume run ${otherRunId} (failed) (latest run ${otherRunId} is failed). ` +
            "Nothing was changed. Rerun the same command to see the new preflight and approve again.",
        );
        return true;
      },
    );
    assert.strictEqual(levers(h), 1, "only the other run's (denied) lever call");
    const runs = [...h.aws.table.items.keys()].filter((k) => k.startsWith(`${PK}|run#`));
    assert.deepStrictEqual(runs, [`${PK}|run#${otherRunId}`], "no second run record");
    assert.strictEqual(h.aws.table.get(PK, "lock"), undefined, "the lock is released");
  });

  it("refuses when the dr stack left standby meanwhile (activated by hand)", async () => {
    const h = harness();
    await assert.rejects(
      runFailover(
        h.options({
          confirm: async () => {
            h.pulumi.outputs = DR_OUTPUTS_ACTIVE;
            return true;
          },
        }),
      ),
      /^FailoverError: The state changed while the approval was pending: dr stack mode is "active", expected "standby" \(was it failed over without this controller\?\)\. Nothing was changed\./,
    );
    assert.strictEqual(levers(h), 0);
    assert.ok(!h.pulumi.calls.some((c) => c[0] === "up" || c[0] === "config"));
  });

  it("resumes the run as stored after the approval (its progress moved on), not the copy read before", async () => {
    const h = harness();
    h.aws.route53
      .on(UpdateHealthCheckCommand)
      .rejectsOnce(Object.assign(new Error("denied"), { name: "AccessDenied" }));
    const failed = await runFailover(h.options());
    assert.strictEqual(failed.status, "failed");
    const report = await runFailover(
      h.options({
        confirm: async () => {
          // Another operator resumed it meanwhile and it failed again, one step further.
          const search = h.aws.searchHandler;
          h.aws.searchHandler = async () => ({ statusCode: 403, body: '{"message":"denied"}' });
          const again = await runFailover(h.options());
          h.aws.searchHandler = search;
          assert.strictEqual(again.runId, failed.runId);
          assert.strictEqual(again.steps.find((s) => s.id === "dns-lever")?.status, "succeeded");
          return true;
        },
      }),
    );
    assert.strictEqual(report.status, "succeeded", report.error);
    assert.strictEqual(report.runId, failed.runId);
    assert.strictEqual(levers(h), 2, "denied once, then pulled once: never again after it succeeded");
  });
});

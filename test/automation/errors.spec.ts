import * as assert from "assert";
import { UpdateHealthCheckCommand } from "@aws-sdk/client-route-53";
import { GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { runFailover } from "../../automation/run/controller";
import { FailoverError } from "../../automation/errors";
import { harness } from "./harness";

const PK = "failover#dr";

describe("failover errors from the Pulumi CLI and AWS", () => {
  it("explains a missing dr stack and makes no AWS call", async () => {
    const h = harness();
    h.pulumi.failures.push({
      when: (args) => args[0] === "stack" && args[1] === "select",
      stderr: "error: no stack named 'dr' found",
    });
    await assert.rejects(runFailover(h.options()), (e: Error) => {
      assert.ok(e instanceof FailoverError);
      assert.match(
        e.message,
        /^No stack named 'dr' found in the Pulumi backend \(stack select\)\. Check `pulumi stack ls`/,
      );
      return true;
    });
    assert.deepStrictEqual(h.pulumi.calls, [["stack", "select", "--stack", "dr"]]);
    assert.deepStrictEqual(h.aws.regions, {});
  });

  it("reports a concurrent update of the dr stack as a resumable step failure", async () => {
    const h = harness();
    h.pulumi.failures.push({
      when: (args) => args[0] === "up",
      stderr: "error: [409] Conflict: Another update is currently in progress.",
    });
    const report = await runFailover(h.options());
    assert.strictEqual(report.status, "failed");
    assert.match(
      report.steps.find((s) => s.id === "stack-activate")?.error ?? "",
      /^Another update of stack dr is in progress \(up\)\. Wait for it to finish .* then rerun the same command: completed steps are skipped\.$/,
    );
    assert.strictEqual(h.aws.table.get(PK, `run#${report.runId}`)?.status.S, "failed");
    // the rerun after the other update finished resumes and completes
    h.pulumi.failures = [];
    const resumed = await runFailover(h.options());
    assert.strictEqual(resumed.status, "succeeded", resumed.error);
    assert.strictEqual(h.aws.route53.commandCalls(UpdateHealthCheckCommand).length, 1);
  });

  it("refuses --stack naming the primary stack before any CLI call", async () => {
    for (const stackName of ["primary", "organization/payments-dr/primary"]) {
      const h = harness();
      await assert.rejects(
        runFailover(h.options({ stackName })),
        /^FailoverError: Refusing --stack .*: that is the primary stack/,
      );
      assert.deepStrictEqual(h.pulumi.calls, []);
    }
  });

  it("retries throttled AWS calls with backoff, then succeeds", async () => {
    const h = harness();
    const throttled = Object.assign(new Error("Rate exceeded"), {
      name: "Throttling",
      $metadata: { httpStatusCode: 400 },
    });
    h.aws.route53.on(UpdateHealthCheckCommand).rejectsOnce(throttled).rejectsOnce(throttled).resolves({});
    const sleeps: number[] = [];
    const report = await runFailover(h.options({ retry: { sleep: async (ms) => void sleeps.push(ms) } }));
    assert.strictEqual(report.status, "succeeded", report.error);
    assert.strictEqual(h.aws.route53.commandCalls(UpdateHealthCheckCommand).length, 3);
    assert.deepStrictEqual(sleeps.slice(0, 2), [200, 400]);
  });

  it("names the action and the role on access denied, and stays resumable", async () => {
    const h = harness();
    const denied = Object.assign(
      new Error(
        "User: arn:aws:sts::111122223333:assumed-role/payments-dr-failover-runner/codebuild is not authorized to perform: route53:UpdateHealthCheck on resource: arn:aws:route53:::healthcheck/3f1b7d2e",
      ),
      { name: "AccessDenied", $metadata: { httpStatusCode: 403 } },
    );
    h.aws.route53.on(UpdateHealthCheckCommand).rejects(denied);
    const report = await runFailover(h.options());
    assert.strictEqual(report.status, "failed");
    assert.match(
      report.error ?? "",
      /^dns-lever: Access denied calling route53:UpdateHealthCheck as arn:aws:sts::111122223333:assumed-role\/payments-dr-failover-runner\/codebuild\. Allow route53:UpdateHealthCheck for that role/,
    );
    assert.strictEqual(
      h.aws.route53.commandCalls(UpdateHealthCheckCommand).length,
      1,
      "no retry on access denied",
    );
    assert.strictEqual(h.aws.table.get(PK, `run#${report.runId}`)?.status.S, "failed");
  });

  it("refuses cleanly when CloudWatch denies the lag check", async () => {
    const h = harness();
    h.aws.cloudWatch.on(GetMetricDataCommand).rejects(
      Object.assign(new Error("not authorized"), {
        name: "AccessDeniedException",
        $metadata: { httpStatusCode: 400 },
      }),
    );
    await assert.rejects(
      runFailover(h.options()),
      /^AccessDeniedError: Access denied calling cloudwatch:GetMetricData as the role the controller runs as/,
    );
  });
});

import * as assert from "assert";
import { GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { FailoverGlobalReplicationGroupCommand } from "@aws-sdk/client-elasticache";
import { UpdateHealthCheckCommand } from "@aws-sdk/client-route-53";
import { runFailover } from "../../automation/run/controller";
import { probeQuery, probeState } from "../../automation/steps/dnsLever";
import { parseFailoverArgs } from "../../automation/args";
import { harness, Harness } from "./harness";

const LAG = [
  { Id: "databaseLag", Values: [4], Timestamps: [], StatusCode: "Complete" as const },
  { Id: "cacheLag", Values: [2], Timestamps: [], StatusCode: "Complete" as const },
];

/** Route 53's control plane answers 503 on every attempt; the probe returns `probe` (newest first). */
function impairedRoute53(probe: number[] | "error"): Harness {
  const h = harness();
  h.aws.route53.on(UpdateHealthCheckCommand).rejects(
    Object.assign(new Error("Service Unavailable"), {
      name: "ServiceUnavailable",
      $metadata: { httpStatusCode: 503 },
    }),
  );
  h.aws.cloudWatch.on(GetMetricDataCommand).callsFake((input) => {
    if (input.MetricDataQueries[0].Id !== "primaryHealthy") return { MetricDataResults: LAG };
    if (probe === "error") throw Object.assign(new Error("Access Denied"), { name: "InvalidClientTokenId" });
    return { MetricDataResults: [{ Id: "primaryHealthy", Values: probe, StatusCode: "Complete" }] };
  });
  return h;
}

const probeCalls = (h: Harness) =>
  h.aws.cloudWatch
    .commandCalls(GetMetricDataCommand)
    .filter((c) => c.args[0].input.MetricDataQueries?.[0].Id === "primaryHealthy");

/** Nothing was promoted: no cache failover, no stack update. */
function assertNothingPromoted(h: Harness) {
  assert.strictEqual(h.aws.primaryCache.commandCalls(FailoverGlobalReplicationGroupCommand).length, 0);
  assert.strictEqual(h.aws.searchRequests.length, 0);
  assert.ok(!h.pulumi.calls.some((c) => c[0] === "up" || c[0] === "config"), JSON.stringify(h.pulumi.calls));
}

describe("dns-lever when Route 53's control plane is impaired", () => {
  it("continues with a warning naming the failure when the dr-Region probe shows primary down", async () => {
    const h = impairedRoute53([0, 0, 0, 0, 1]);
    const report = await runFailover(h.options());
    assert.strictEqual(report.status, "succeeded", report.error);
    assert.strictEqual(h.aws.route53.commandCalls(UpdateHealthCheckCommand).length, 5);
    const lever = report.steps.find((s) => s.id === "dns-lever");
    assert.match(
      lever?.detail ?? "",
      /^route53:UpdateHealthCheck on control health check 3f1b7d2e-8c4a-4e6b-9a1d-5c2e7f8a9b01 failed \(RetriesExhaustedError: .*ServiceUnavailable.*\); continuing: the last 3 probes of the primary endpoint failed \(newest first: 0, 0, 0, 0, 1\)/,
    );
    assert.ok(h.lines.some((l) => /WARNING: route53:UpdateHealthCheck .* failed/.test(l)));
    // exactly the probe the failover trigger publishes, in the dr Region's CloudWatch
    const [call] = probeCalls(h);
    assert.deepStrictEqual(call.args[0].input.MetricDataQueries, [
      {
        Id: "primaryHealthy",
        MetricStat: {
          Metric: {
            Namespace: "PaymentsDr/Probe",
            MetricName: "PrimaryEndpointHealthy",
            Dimensions: [{ Name: "Endpoint", Value: "api.payments.example.com" }],
          },
          Period: 60,
          Stat: "Maximum",
        },
        ReturnData: true,
      },
    ]);
    const input = call.args[0].input;
    assert.strictEqual((input.EndTime as Date).getTime() - (input.StartTime as Date).getTime(), 300_000);
    assert.strictEqual(h.aws.regions.drRegion, "us-west-2");
  });

  for (const [name, probe, reason] of [
    ["shows primary up", [0, 1, 1], /the primary endpoint answered a probe in the last 3 minutes/],
    ["has no data", [], /only 0 probe datapoint\(s\) in the last 5 minutes/],
    ["cannot be read", "error", /the probe metric could not be read \(InvalidClientTokenId: Access Denied\)/],
  ] as const) {
    it(`stops before promoting anything when the probe ${name}`, async () => {
      const h = impairedRoute53(probe === "error" ? "error" : [...probe]);
      const report = await runFailover(h.options());
      assert.strictEqual(report.status, "failed");
      const error = report.steps.find((s) => s.id === "dns-lever")?.error ?? "";
      assert.match(error, /^route53:UpdateHealthCheck on control health check \S+ failed \(/);
      assert.match(error, reason);
      assert.match(error, /promoting dr while primary still serves would split writes/);
      assert.match(
        error,
        /only if you have taken primary out of service another way, rerun with --force dns-lever\.$/,
      );
      assertNothingPromoted(h);
    });
  }

  it("continues without reading the probe with --force dns-lever, and a bare --force does not", async () => {
    const bare = impairedRoute53([1, 1, 1]);
    const refused = await runFailover(
      bare.options({ force: parseFailoverArgs(["--to", "dr", "--force"]).force }),
    );
    assert.strictEqual(refused.status, "failed");
    assertNothingPromoted(bare);

    const h = impairedRoute53([1, 1, 1]);
    const report = await runFailover(
      h.options({ force: parseFailoverArgs(["--to", "dr", "--force", "dns-lever"]).force }),
    );
    assert.strictEqual(report.status, "succeeded", report.error);
    assert.match(
      report.steps.find((s) => s.id === "dns-lever")?.detail ?? "",
      /failed \(.*\); overridden with --force dns-lever \(primary taken out of service by the operator\)$/,
    );
    assert.strictEqual(probeCalls(h).length, 0);
  });

  it("judges primary down only from the newest threshold-many probes", () => {
    assert.strictEqual(probeState([0, 0, 0], 3).state, "down");
    assert.strictEqual(probeState([0, 0, 1, 0], 3).state, "up");
    assert.strictEqual(probeState([0, 0], 3).state, "unknown");
    assert.strictEqual(probeQuery("x.example.com").MetricStat.Metric.Dimensions[0].Value, "x.example.com");
  });
});

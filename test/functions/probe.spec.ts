import * as assert from "assert";
import { mockClient } from "aws-sdk-client-mock";
import { CloudWatchClient, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { createHandler, GetStatus, probeOnce, ProbeConfig, readConfig } from "../../functions/probe/handler";
import { PROBE_HEALTHY_METRIC, PROBE_NAMESPACE } from "../../components/failover/failoverTrigger";

const CONFIG: ProbeConfig = {
  targetHost: "ingress-alb-50c173a-6983189000.us-east-1.elb.amazonaws.com",
  hostName: "api.payments.example.com",
  path: "/healthz",
  timeoutMs: 5000,
};

describe("functions/probe", () => {
  const cloudwatch = mockClient(CloudWatchClient);
  beforeEach(() => cloudwatch.reset());

  async function run(getStatus: GetStatus) {
    const result = await createHandler({
      cloudwatch: new CloudWatchClient({ region: "us-west-2" }),
      config: CONFIG,
      getStatus,
      log: () => undefined,
    })();
    const calls = cloudwatch.commandCalls(PutMetricDataCommand);
    assert.strictEqual(calls.length, 1);
    return { result, input: calls[0].args[0].input };
  }

  it("publishes 1 when the primary answers 200", async () => {
    const { result, input } = await run(async () => 200);
    assert.strictEqual(result.healthy, true);
    assert.strictEqual(input.Namespace, "PaymentsDr/Probe");
    assert.deepStrictEqual(input.MetricData?.[0], {
      MetricName: "PrimaryEndpointHealthy",
      Dimensions: [{ Name: "Endpoint", Value: "api.payments.example.com" }],
      Value: 1,
      Unit: "Count",
    });
    assert.strictEqual(input.MetricData?.[1].MetricName, "PrimaryEndpointLatency");
  });

  it("publishes 0 on a 5xx and on a connection or TLS error", async () => {
    assert.strictEqual((await run(async () => 503)).input.MetricData?.[0].Value, 0);
    cloudwatch.reset();
    const { result, input } = await run(async () => {
      throw new Error("Hostname/IP does not match certificate's altnames");
    });
    assert.strictEqual(input.MetricData?.[0].Value, 0);
    assert.strictEqual(result.detail, "Hostname/IP does not match certificate's altnames");
  });

  it("connects to the primary load balancer while presenting the public name", async () => {
    let seen: ProbeConfig | undefined;
    await probeOnce(CONFIG, async (config) => {
      seen = config;
      return 200;
    });
    assert.deepStrictEqual(seen, CONFIG);
  });

  it("publishes into the namespace and metric the alarm watches", () => {
    assert.strictEqual(PROBE_NAMESPACE, "PaymentsDr/Probe");
    assert.strictEqual(PROBE_HEALTHY_METRIC, "PrimaryEndpointHealthy");
  });

  it("reads its environment and refuses an incomplete one", () => {
    assert.deepStrictEqual(
      readConfig({
        TARGET_HOST: CONFIG.targetHost,
        HOST_NAME: CONFIG.hostName,
        HEALTH_PATH: "/healthz",
        TIMEOUT_MS: "5000",
      }),
      CONFIG,
    );
    assert.throws(() => readConfig({ HOST_NAME: "x", HEALTH_PATH: "/" }), /TARGET_HOST is missing/);
    assert.throws(
      () => readConfig({ TARGET_HOST: "a", HOST_NAME: "x", HEALTH_PATH: "/", TIMEOUT_MS: "soon" }),
      /TIMEOUT_MS = "soon": expected a positive integer/,
    );
  });
});

import * as assert from "assert";
import * as http from "http";
import { AddressInfo } from "net";
import { ElastiCacheClient } from "@aws-sdk/client-elasticache";
import { createSignedHttp, peerClientConfig, SignedHttp } from "../../../automation/aws/clients";
import { DeadlineError } from "../../../automation/aws/deadline";
import { failbackSteps } from "../../../automation/failback/failbackSteps";
import { drView } from "../../../automation/stack/drOutputs";
import { DR_OUTPUTS_ACTIVE } from "../fakes";
import { harness } from "../harness";
import { fakeFailbackAws, fakeStacks } from "./fakeFailback";

/** Accepts every connection and never answers: a primary Region that relapsed mid-failback. */
async function hangingServer() {
  let requests = 0;
  const server = http.createServer(() => void requests++);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const credentials = { accessKeyId: "AKIAFAKE", secretAccessKey: "fake" };

function steps(patch: { primaryElastiCache?: ElastiCacheClient; primarySignedHttp?: SignedHttp }) {
  const h = harness();
  const stacks = fakeStacks(() => {});
  const fb = fakeFailbackAws(() => new Date());
  const defs = failbackSteps({
    view: drView(DR_OUTPUTS_ACTIVE),
    drOutputs: DR_OUTPUTS_ACTIVE,
    clients: {
      ...h.aws.clients,
      ...(patch.primaryElastiCache ? { primaryElastiCache: patch.primaryElastiCache } : {}),
    },
    failbackClients: {
      ...fb.clients,
      ...(patch.primarySignedHttp ? { primarySignedHttp: patch.primarySignedHttp } : {}),
    },
    primaryStack: stacks.primary,
    drStack: stacks.dr,
    runId: "20261205T0800Z",
    maxLagSeconds: 30,
    peerTimeoutMs: 300,
    retry: { sleep: async () => {} },
    pollSleep: async () => {},
  });
  const run = (id: string) => {
    const step = defs.find((d) => d.id === id);
    assert.ok(step, id);
    return step.run({ signal: new AbortController().signal, log: () => {} });
  };
  return { run, calls: stacks.calls };
}

describe("failback deadlines on calls into the primary Region", () => {
  it("fails primary-region-answers at the 300 ms deadline when the primary ElastiCache API hangs", async () => {
    const server = await hangingServer();
    // The client's own timeout is far longer: the failback's deadline is what fires.
    const client = new ElastiCacheClient({
      ...peerClientConfig("us-east-1", 30_000),
      endpoint: server.url,
      credentials,
    });
    const { run } = steps({ primaryElastiCache: client });
    const started = Date.now();
    await assert.rejects(run("primary-region-answers"), (e: Error) => {
      assert.ok(e instanceof DeadlineError, `${e.name}: ${e.message}`);
      assert.strictEqual(
        e.message,
        "DescribeGlobalReplicationGroups in the primary Region (us-east-1): no answer within 0.3 s (--peer-timeout-seconds)",
      );
      return true;
    });
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 290 && elapsed < 1500, `${elapsed} ms`);
    // Not retried: a deadline is not a transient 5xx, so the step fails after one request.
    assert.strictEqual(server.requests(), 1);
    client.destroy();
    await server.close();
  });

  it("fails promote-search at the deadline when the primary OpenSearch domain hangs", async () => {
    const server = await hangingServer();
    const signed = createSignedHttp("us-east-1", {
      AWS_ENDPOINT_URL_OPENSEARCH: server.url,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    });
    const { run } = steps({ primarySignedHttp: signed });
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
    process.env.AWS_ACCESS_KEY_ID = credentials.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = credentials.secretAccessKey;
    after(() => {
      for (const [k, v] of [
        ["AWS_ACCESS_KEY_ID", saved.id],
        ["AWS_SECRET_ACCESS_KEY", saved.secret],
      ] as const)
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
    });
    const started = Date.now();
    await assert.rejects(run("promote-search"), (e: Error) => {
      assert.ok(e instanceof DeadlineError, `${e.name}: ${e.message}`);
      assert.match(
        e.message,
        /on vpc-payments-dr-primary-9xk2\.us-east-1\.es\.amazonaws\.com \(the primary Region \(us-east-1\)\): no answer within 0\.3 s/,
      );
      return true;
    });
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 290 && elapsed < 1500, `${elapsed} ms`);
    assert.strictEqual(server.requests(), 1);
    await server.close();
  });

  it("leaves calls that answer in time untouched (the mocked Region answers, the step succeeds)", async () => {
    const { run } = steps({});
    assert.match(await run("promote-search"), /payments-failback/);
  });
});

import * as assert from "assert";
import * as http from "http";
import { AddressInfo } from "net";
import { DescribeGlobalReplicationGroupsCommand, ElastiCacheClient } from "@aws-sdk/client-elasticache";
import { peerClientConfig } from "../../automation/aws/clients";
import { DeadlineError, withDeadline } from "../../automation/aws/deadline";

/** Accepts every connection and never answers: a Region that hangs. */
async function hangingServer(): Promise<{ url: string; requests: () => number; close: () => Promise<void> }> {
  let requests = 0;
  const open = new Set<http.ServerResponse>();
  const server = http.createServer((_req, res) => {
    requests++;
    open.add(res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => requests,
    close: async () => {
      for (const res of open) res.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const credentials = { accessKeyId: "AKIAFAKE", secretAccessKey: "fake" };
const describe_ = new DescribeGlobalReplicationGroupsCommand({ GlobalReplicationGroupId: "g" });

describe("deadlines on calls into the primary Region", () => {
  it("the installed node-http-handler only warns on requestTimeout unless throwOnRequestTimeout is set", async () => {
    const server = await hangingServer();
    const warnings: string[] = [];
    const client = new ElastiCacheClient({
      region: "us-east-1",
      endpoint: server.url,
      credentials,
      maxAttempts: 1,
      requestHandler: { requestTimeout: 200, connectionTimeout: 200 },
      logger: { debug: () => {}, info: () => {}, warn: (m: string) => warnings.push(m), error: () => {} },
    });
    const call = client.send(describe_).then(
      () => "answered",
      () => "failed",
    );
    const outcome = await Promise.race([
      call,
      new Promise((r) => setTimeout(() => r("still waiting"), 1000)),
    ]);
    assert.strictEqual(outcome, "still waiting", "five request timeouts later");
    assert.ok(
      warnings.some((w) => /\[WARN\] a request has exceeded the configured 200 ms requestTimeout/.test(w)),
    );
    client.destroy();
    await server.close();
  });

  it("peerClientConfig fails a hung request at its timeout, for each of its 2 attempts", async () => {
    const server = await hangingServer();
    const client = new ElastiCacheClient({
      ...peerClientConfig("us-east-1", 300),
      endpoint: server.url,
      credentials,
    });
    const started = Date.now();
    await assert.rejects(client.send(describe_), (e: Error) => e.name === "TimeoutError");
    const elapsed = Date.now() - started;
    assert.strictEqual(server.requests(), 2);
    assert.ok(elapsed >= 600 && elapsed < 2500, `${elapsed} ms`);
    client.destroy();
    await server.close();
  });

  it("withDeadline aborts the request itself and rejects at the deadline, retries included", async () => {
    const server = await hangingServer();
    const client = new ElastiCacheClient({
      ...peerClientConfig("us-east-1", 5000),
      endpoint: server.url,
      credentials,
    });
    const started = Date.now();
    await assert.rejects(
      withDeadline(300, undefined, "elasticache:DescribeGlobalReplicationGroups", (signal) =>
        client.send(describe_, { abortSignal: signal }),
      ),
      (e: Error) =>
        e instanceof DeadlineError &&
        e.message ===
          "elasticache:DescribeGlobalReplicationGroups: no answer within 0.3 s (--peer-timeout-seconds)",
    );
    assert.ok(Date.now() - started < 1500);
    assert.strictEqual(server.requests(), 1, "the aborted request is not retried");
    client.destroy();
    await server.close();
  });

  it("withDeadline passes on the caller's abort reason, not a deadline", async () => {
    const parent = new AbortController();
    const reason = new Error("interrupted by the operator (Ctrl-C)");
    setTimeout(() => parent.abort(reason), 50);
    await assert.rejects(
      withDeadline(5000, parent.signal, "x", () => new Promise(() => undefined)),
      (e: Error) => e === reason,
    );
  });
});

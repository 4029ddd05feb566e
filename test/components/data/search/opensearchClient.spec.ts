/**
 * The signed OpenSearch REST client and the REST calls the search admin function makes with it,
 * against a local HTTP server on 127.0.0.1 that records every request and answers from a script.
 */
import * as assert from "assert";
import { createHash, createHmac } from "crypto";
import * as http from "http";
import { AddressInfo } from "net";
import {
  AUTOFOLLOW_PATH,
  createAutoFollowRule,
  deleteAutoFollowRule,
  deleteSnapshotPolicy,
  deleteSnapshotRepository,
  putSnapshotPolicy,
  registerSnapshotRepository,
} from "../../../../functions/searchAdmin/opensearchApi";
import {
  callOpenSearch,
  errorDetails,
  OpenSearchError,
  parseEndpoint,
  retryDelayMs,
  signRequest,
} from "../../../../components/data/search/opensearchClient";
import {
  DEFAULT_FOLLOWER_CLUSTER_ROLE,
  DEFAULT_LEADER_CLUSTER_ROLE,
} from "../../../../components/data/search/searchAdmin";

const credentials = {
  accessKeyId: "AKIDEXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
};
const signingDate = new Date("2024-01-02T03:04:05Z");
const rule = {
  leaderAlias: "payments-primary",
  ruleName: "payments-all",
  pattern: "*",
  leaderClusterRole: DEFAULT_LEADER_CLUSTER_ROLE,
  followerClusterRole: DEFAULT_FOLLOWER_CLUSTER_ROLE,
};

interface Recorded {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

type Reply = { status: number; body?: unknown };

/** A local server answering each request with the next scripted reply (the last one repeats). */
async function scriptedServer(replies: Reply[]) {
  const requests: Recorded[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      requests.push({
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      });
      const reply = replies[Math.min(requests.length - 1, replies.length - 1)];
      res.writeHead(reply.status, { "content-type": "application/json" });
      res.end(
        reply.body === undefined
          ? ""
          : typeof reply.body === "string"
            ? reply.body
            : JSON.stringify(reply.body),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    requests,
    target: { endpoint: `http://127.0.0.1:${port}`, region: "us-west-2" },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const fast = { credentials, baseDelayMs: 1, signingDate };
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
const hmac = (key: Buffer | string, text: string) => createHmac("sha256", key).update(text).digest();

/** The SigV4 Authorization header, computed here from first principles. */
function expectedAuthorization(canonicalRequest: string, signedHeaders: string, region: string): string {
  const scope = `20240102/${region}/es/aws4_request`;
  const stringToSign = ["AWS4-HMAC-SHA256", "20240102T030405Z", scope, sha256(canonicalRequest)].join("\n");
  let key: Buffer = hmac(`AWS4${credentials.secretAccessKey}`, "20240102");
  for (const part of [region, "es", "aws4_request"]) key = hmac(key, part);
  const signature = createHmac("sha256", key).update(stringToSign).digest("hex");
  return `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
}

describe("OpenSearch request signing", () => {
  it("signs with SigV4 for the es service, scoped to the domain's Region, over the exact canonical request", async () => {
    const target = { endpoint: "vpc-payments-dr-abc123.us-west-2.es.amazonaws.com", region: "us-west-2" };
    const signed = await signRequest(
      target,
      { method: "POST", path: AUTOFOLLOW_PATH, body: { a: 1 } },
      credentials,
      signingDate,
    );
    const body = JSON.stringify({ a: 1 });

    assert.strictEqual(signed.protocol, "https:");
    assert.strictEqual(signed.hostname, target.endpoint);
    assert.strictEqual(signed.path, "/_plugins/_replication/_autofollow");
    assert.strictEqual(signed.body, body);
    assert.strictEqual(signed.headers.host, target.endpoint);
    assert.strictEqual(signed.headers["x-amz-date"], "20240102T030405Z");
    assert.strictEqual(signed.headers["x-amz-content-sha256"], sha256(body));

    const signedHeaders = "content-type;host;x-amz-content-sha256;x-amz-date";
    const canonicalRequest = [
      "POST",
      "/_plugins/_replication/_autofollow",
      "",
      "content-type:application/json",
      `host:${target.endpoint}`,
      `x-amz-content-sha256:${sha256(body)}`,
      "x-amz-date:20240102T030405Z",
      "",
      signedHeaders,
      sha256(body),
    ].join("\n");
    assert.strictEqual(
      signed.headers.authorization,
      expectedAuthorization(canonicalRequest, signedHeaders, "us-west-2"),
    );
  });

  it("signs the query string as sorted, encoded parameters and sends it unchanged", async () => {
    const target = { endpoint: "vpc-a.us-east-1.es.amazonaws.com", region: "us-east-1" };
    const path = "/_plugins/_sm/policies/p?if_seq_no=7&if_primary_term=1";
    const signed = await signRequest(target, { method: "PUT", path, body: {} }, credentials, signingDate);
    assert.strictEqual(signed.path, path);
    const signedHeaders = "content-type;host;x-amz-content-sha256;x-amz-date";
    const canonicalRequest = [
      "PUT",
      "/_plugins/_sm/policies/p",
      "if_primary_term=1&if_seq_no=7",
      "content-type:application/json",
      `host:${target.endpoint}`,
      `x-amz-content-sha256:${sha256("{}")}`,
      "x-amz-date:20240102T030405Z",
      "",
      signedHeaders,
      sha256("{}"),
    ].join("\n");
    assert.strictEqual(
      signed.headers.authorization,
      expectedAuthorization(canonicalRequest, signedHeaders, "us-east-1"),
    );
  });

  it("signs the session token of temporary credentials", async () => {
    const target = { endpoint: "vpc-x.us-east-1.es.amazonaws.com", region: "us-east-1" };
    const signed = await signRequest(
      target,
      { method: "DELETE", path: "/_snapshot/repo" },
      { ...credentials, sessionToken: "token-123" },
      signingDate,
    );
    assert.strictEqual(signed.headers["x-amz-security-token"], "token-123");
    assert.match(
      signed.headers.authorization,
      /SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,/,
    );
    assert.match(
      signed.headers.authorization,
      /Credential=AKIDEXAMPLE\/20240102\/us-east-1\/es\/aws4_request/,
    );
    assert.strictEqual(signed.headers["x-amz-content-sha256"], sha256(""));
    assert.strictEqual(signed.body, undefined);
  });

  it("reaches host names over HTTPS and keeps the port of local URLs in the signed host", () => {
    assert.deepStrictEqual(parseEndpoint("vpc-a.us-east-1.es.amazonaws.com"), {
      protocol: "https:",
      hostname: "vpc-a.us-east-1.es.amazonaws.com",
      port: undefined,
      host: "vpc-a.us-east-1.es.amazonaws.com",
    });
    assert.deepStrictEqual(parseEndpoint("http://127.0.0.1:9200"), {
      protocol: "http:",
      hostname: "127.0.0.1",
      port: 9200,
      host: "127.0.0.1:9200",
    });
  });
});

describe("OpenSearch client errors and retries", () => {
  it("sends the signed request the server can verify: host, path, body and body hash", async () => {
    const server = await scriptedServer([{ status: 200, body: { acknowledged: true } }]);
    try {
      assert.strictEqual(await createAutoFollowRule(server.target, rule, fast), "created");
      const [request] = server.requests;
      assert.strictEqual(request.method, "POST");
      assert.strictEqual(request.url, AUTOFOLLOW_PATH);
      assert.strictEqual(request.headers.host, server.target.endpoint.replace("http://", ""));
      assert.deepStrictEqual(JSON.parse(request.body), {
        leader_alias: "payments-primary",
        name: "payments-all",
        pattern: "*",
        use_roles: {
          leader_cluster_role: "cross_cluster_replication_leader_full_access",
          follower_cluster_role: "cross_cluster_replication_follower_full_access",
        },
      });
      assert.strictEqual(request.headers["x-amz-content-sha256"], sha256(request.body));
      assert.match(
        String(request.headers.authorization),
        /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20240102\/us-west-2\/es\//,
      );
    } finally {
      await server.close();
    }
  });

  it("turns a non-2xx answer into an error carrying OpenSearch's error type and reason, without retrying", async () => {
    const body = {
      error: { type: "illegal_argument_exception", reason: "Unknown connection alias [nope]" },
      status: 400,
    };
    const server = await scriptedServer([{ status: 400, body }]);
    try {
      await assert.rejects(createAutoFollowRule(server.target, rule, fast), (error: unknown) => {
        assert.ok(error instanceof OpenSearchError);
        assert.strictEqual(error.status, 400);
        assert.strictEqual(error.errorType, "illegal_argument_exception");
        assert.strictEqual(
          error.message,
          "OpenSearch POST /_plugins/_replication/_autofollow failed with HTTP 400: " +
            "illegal_argument_exception: Unknown connection alias [nope]",
        );
        return true;
      });
      assert.strictEqual(server.requests.length, 1);
    } finally {
      await server.close();
    }
  });

  it("explains a 403 from fine-grained access control", async () => {
    const server = await scriptedServer([
      {
        status: 403,
        body: { message: "no permissions for [cluster:admin/plugins/replication/autofollow/update]" },
      },
    ]);
    try {
      await assert.rejects(
        createAutoFollowRule(server.target, rule, fast),
        /HTTP 403: error: no permissions.*IAM master role/,
      );
    } finally {
      await server.close();
    }
  });

  it("treats a rule that already exists as created, so a retried create is idempotent", async () => {
    const body = {
      error: {
        type: "resource_already_exists_exception",
        reason: "Autofollow rule with name payments-all already exists",
      },
      status: 400,
    };
    const server = await scriptedServer([{ status: 400, body }]);
    try {
      assert.strictEqual(await createAutoFollowRule(server.target, rule, fast), "exists");
    } finally {
      await server.close();
    }
  });

  it("treats 404 on delete as already deleted, for rules and snapshot repositories", async () => {
    const server = await scriptedServer([
      {
        status: 404,
        body: { error: { type: "resource_not_found_exception", reason: "rule does not exist" }, status: 404 },
      },
      {
        status: 404,
        body: { error: { type: "repository_missing_exception", reason: "[payments] missing" }, status: 404 },
      },
    ]);
    try {
      assert.strictEqual(await deleteAutoFollowRule(server.target, rule, fast), "absent");
      assert.strictEqual(await deleteSnapshotRepository(server.target, "payments", fast), "absent");
      assert.deepStrictEqual(
        server.requests.map((r) => [r.method, r.url, r.body]),
        [
          [
            "DELETE",
            AUTOFOLLOW_PATH,
            JSON.stringify({ leader_alias: "payments-primary", name: "payments-all" }),
          ],
          ["DELETE", "/_snapshot/payments", ""],
        ],
      );
    } finally {
      await server.close();
    }
  });

  it("retries throttling and server errors, re-signing each attempt, until one succeeds", async () => {
    const server = await scriptedServer([
      { status: 429 },
      { status: 503 },
      { status: 200, body: { acknowledged: true } },
    ]);
    try {
      const response = await callOpenSearch(server.target, { method: "GET", path: "/_cluster/health" }, fast);
      assert.strictEqual(response.status, 200);
      assert.strictEqual(server.requests.length, 3);
    } finally {
      await server.close();
    }
  });

  it("stops after maxAttempts and reports how many attempts failed", async () => {
    const server = await scriptedServer([
      { status: 500, body: { error: { type: "exception", reason: "boom" } } },
    ]);
    try {
      await assert.rejects(
        callOpenSearch(server.target, { method: "GET", path: "/" }, { ...fast, maxAttempts: 3 }),
        /failed with HTTP 500: exception: boom \(after 3 attempts\)$/,
      );
      assert.strictEqual(server.requests.length, 3);
    } finally {
      await server.close();
    }
  });

  it("reports unreachable endpoints after bounded retries, naming the VPC requirement", async () => {
    const server = await scriptedServer([{ status: 200 }]);
    await server.close();
    await assert.rejects(
      callOpenSearch(server.target, { method: "GET", path: "/" }, { ...fast, maxAttempts: 2 }),
      /failed after 2 attempts: .*VPC endpoint/,
    );
  });

  it("backs off exponentially with a cap", () => {
    assert.deepStrictEqual(
      [1, 2, 3, 4, 10].map((a) => retryDelayMs(a, 250)),
      [250, 500, 1000, 2000, 8000],
    );
  });

  it("reads error text from OpenSearch, service and plain-text bodies", () => {
    assert.deepStrictEqual(errorDetails('{"error":{"type":"t","reason":"r"},"status":400}'), {
      type: "t",
      reason: "r",
    });
    assert.deepStrictEqual(errorDetails('{"message":"User is not authorized"}'), {
      reason: "User is not authorized",
    });
    assert.deepStrictEqual(errorDetails("Bad Gateway"), { reason: "Bad Gateway" });
    assert.deepStrictEqual(errorDetails(""), {});
  });
});

describe("OpenSearch snapshot schedule", () => {
  const policy = {
    policyName: "payments-scheduled",
    repository: "payments-snapshots",
    cron: "0 * * * *",
    maxAgeDays: 35,
  };

  it("creates an hourly Snapshot Management policy into the repository, keeping snapshots for maxAgeDays", async () => {
    const server = await scriptedServer([{ status: 201, body: { _id: "payments-scheduled" } }]);
    try {
      assert.strictEqual(await putSnapshotPolicy(server.target, policy, fast), "created");
      const [request] = server.requests;
      assert.deepStrictEqual(
        [request.method, request.url],
        ["POST", "/_plugins/_sm/policies/payments-scheduled"],
      );
      const body = JSON.parse(request.body);
      assert.deepStrictEqual(body.creation.schedule, { cron: { expression: "0 * * * *", timezone: "UTC" } });
      assert.deepStrictEqual(body.deletion.condition, { max_age: "35d", min_count: 1 });
      assert.strictEqual(body.snapshot_config.repository, "payments-snapshots");
      assert.strictEqual(body.snapshot_config.indices, "*");
    } finally {
      await server.close();
    }
  });

  it("updates an existing policy with optimistic concurrency (if_seq_no, if_primary_term)", async () => {
    const exists = {
      error: {
        type: "version_conflict_engine_exception",
        reason: "[payments-scheduled]: version conflict, document already exists",
      },
      status: 409,
    };
    const server = await scriptedServer([
      { status: 409, body: exists },
      { status: 200, body: { _id: "payments-scheduled", _seq_no: 12, _primary_term: 3, sm_policy: {} } },
      { status: 200, body: { _id: "payments-scheduled" } },
    ]);
    try {
      assert.strictEqual(await putSnapshotPolicy(server.target, policy, fast), "updated");
      assert.deepStrictEqual(
        server.requests.map((r) => [r.method, r.url]),
        [
          ["POST", "/_plugins/_sm/policies/payments-scheduled"],
          ["GET", "/_plugins/_sm/policies/payments-scheduled"],
          ["PUT", "/_plugins/_sm/policies/payments-scheduled?if_seq_no=12&if_primary_term=3"],
        ],
      );
    } finally {
      await server.close();
    }
  });

  it("treats a missing policy as deleted", async () => {
    const server = await scriptedServer([
      {
        status: 404,
        body: { error: { type: "resource_not_found_exception", reason: "SM policy not found" } },
      },
    ]);
    try {
      assert.strictEqual(await deleteSnapshotPolicy(server.target, "payments-scheduled", fast), "absent");
    } finally {
      await server.close();
    }
  });
});

describe("OpenSearch snapshot repository registration", () => {
  it("registers the bucket, its Region and the role OpenSearch assumes, leaving encryption to the bucket's SSE-KMS default", async () => {
    const server = await scriptedServer([{ status: 200, body: { acknowledged: true } }]);
    try {
      await registerSnapshotRepository(
        server.target,
        {
          name: "payments",
          bucket: "payments-search-snapshots",
          bucketRegion: "us-east-1",
          roleArn: "arn:aws:iam::111122223333:role/search-snapshots",
        },
        fast,
      );
      const [request] = server.requests;
      assert.deepStrictEqual([request.method, request.url], ["PUT", "/_snapshot/payments"]);
      // No server_side_encryption: `true` would make the plugin request SSE-S3 and bypass the CMK.
      assert.deepStrictEqual(JSON.parse(request.body), {
        type: "s3",
        settings: {
          bucket: "payments-search-snapshots",
          region: "us-east-1",
          role_arn: "arn:aws:iam::111122223333:role/search-snapshots",
        },
      });
      assert.match(String(request.headers.authorization), /\/us-west-2\/es\/aws4_request/);
    } finally {
      await server.close();
    }
  });
});

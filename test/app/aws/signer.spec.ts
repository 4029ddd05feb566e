import * as assert from "assert";
import { createHash, createHmac } from "crypto";
import { elastiCacheAuthToken, escapeUri, rdsAuthToken, signedSender } from "../../../app/aws/signer";

const CREDENTIALS = () =>
  Promise.resolve({
    accessKeyId: "AKIDEXAMPLE",
    secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
  });
const DATE = new Date("2026-12-05T10:00:00Z");

/** SigV4 query presigning written out from the AWS documentation, independently of @smithy/signature-v4. */
function expectedPresign(
  service: string,
  region: string,
  host: string,
  params: Record<string, string>,
): string {
  const scope = `20261205/${region}/${service}/aws4_request`;
  const query: Record<string, string> = {
    ...params,
    "X-Amz-Algorithm": "AWS4-HMAC-SHA256",
    "X-Amz-Credential": `AKIDEXAMPLE/${scope}`,
    "X-Amz-Date": "20261205T100000Z",
    "X-Amz-Expires": "900",
    "X-Amz-SignedHeaders": "host",
  };
  const canonicalQuery = Object.keys(query)
    .sort()
    .map((k) => `${escapeUri(k)}=${escapeUri(query[k])}`)
    .join("&");
  const emptyHash = createHash("sha256").update("").digest("hex");
  const canonical = ["GET", "/", canonicalQuery, `host:${host}`, "", "host", emptyHash].join("\n");
  const toSign = [
    "AWS4-HMAC-SHA256",
    "20261205T100000Z",
    scope,
    createHash("sha256").update(canonical).digest("hex"),
  ].join("\n");
  const hmac = (key: Buffer | string, data: string) => createHmac("sha256", key).update(data).digest();
  let key = hmac("AWS4wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20261205");
  for (const part of [region, service, "aws4_request"]) key = hmac(key, part);
  const signature = createHmac("sha256", key).update(toSign).digest("hex");
  // The token lists every parameter sorted, the signature included (as the SDK's formatUrl does).
  const all: Record<string, string> = { ...query, "X-Amz-Signature": signature };
  const sorted = Object.keys(all)
    .sort()
    .map((k) => `${escapeUri(k)}=${escapeUri(all[k])}`)
    .join("&");
  return `${host}/?${sorted}`;
}

describe("app: SigV4 tokens and requests", () => {
  it("makes the RDS IAM token for host:port and DBUser, valid 900 s, signed for rds-db in its Region", async () => {
    const host = "payments-db.cxyz.us-west-2.rds.amazonaws.com";
    const token = await rdsAuthToken(
      { region: "us-west-2", hostname: host, port: 5432, user: "payments_app" },
      CREDENTIALS,
      DATE,
    );
    assert.strictEqual(
      token,
      expectedPresign("rds-db", "us-west-2", `${host}:5432`, { Action: "connect", DBUser: "payments_app" }),
    );
    assert.ok(
      token.startsWith(`${host}:5432/?Action=connect&DBUser=payments_app&X-Amz-Algorithm=AWS4-HMAC-SHA256&`),
    );
  });

  it("makes the ElastiCache IAM token for the replication group id (not the endpoint) and user, signed for elasticache", async () => {
    const token = await elastiCacheAuthToken(
      { region: "us-east-1", replicationGroupId: "payments-cache", user: "payments-app" },
      CREDENTIALS,
      DATE,
    );
    assert.strictEqual(
      token,
      expectedPresign("elasticache", "us-east-1", "payments-cache", {
        Action: "connect",
        User: "payments-app",
      }),
    );
    assert.ok(
      token.includes("X-Amz-Credential=AKIDEXAMPLE%2F20261205%2Fus-east-1%2Felasticache%2Faws4_request"),
    );
  });

  it("sends a signed request to the service's Regional endpoint with the signature headers, without a host header", async () => {
    const sent: { url: string; init: RequestInit }[] = [];
    const fakeFetch = (url: string | URL | Request, init?: RequestInit) => {
      sent.push({ url: String(url), init: init! });
      return Promise.resolve(
        new Response("<PublishResponse><MessageId>m</MessageId></PublishResponse>", { status: 200 }),
      );
    };
    const send = signedSender(CREDENTIALS, fakeFetch as typeof fetch, () => DATE);
    const response = await send({
      service: "sns",
      region: "us-west-2",
      method: "POST",
      hostname: "sns.us-west-2.amazonaws.com",
      path: "/",
      headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
      body: "Action=Publish",
    });
    assert.strictEqual(response.status, 200);
    assert.strictEqual(sent.length, 1);
    assert.strictEqual(sent[0].url, "https://sns.us-west-2.amazonaws.com/");
    const headers = sent[0].init.headers as Record<string, string>;
    assert.deepStrictEqual(Object.keys(headers).sort(), ["authorization", "content-type", "x-amz-date"]);
    assert.strictEqual(headers["x-amz-date"], "20261205T100000Z");
    assert.match(
      headers.authorization,
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20261205\/us-west-2\/sns\/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=[0-9a-f]{64}$/,
    );
    assert.strictEqual(headers.host, undefined);
  });
});

import * as assert from "assert";
import { containerCredentials } from "../../../app/aws/credentials";
import { getTopicAttributes, publish, putMetricData, putObject } from "../../../app/aws/services";
import type { AwsRequest, AwsResponse } from "../../../app/aws/signer";

function recorder(response: Partial<AwsResponse> & { headers?: Headers } = {}) {
  const requests: AwsRequest[] = [];
  const send = (request: AwsRequest) => {
    requests.push(request);
    return Promise.resolve({ status: 200, headers: new Headers(), body: "", ...response });
  };
  return { requests, send };
}

describe("app: the AWS calls", () => {
  it("puts the landing object to the bucket's Regional endpoint and returns its version id", async () => {
    const { requests, send } = recorder({ headers: new Headers({ "x-amz-version-id": "v-123" }) });
    const result = await putObject(send, {
      region: "us-east-1",
      bucket: "payments-landing-use1",
      key: "payments/2026/12/05/p 1.jsonl",
      body: "{}\n",
      contentType: "application/x-ndjson",
    });
    assert.deepStrictEqual(result, { versionId: "v-123" });
    assert.deepStrictEqual(requests, [
      {
        service: "s3",
        region: "us-east-1",
        method: "PUT",
        hostname: "payments-landing-use1.s3.us-east-1.amazonaws.com",
        path: "/payments/2026/12/05/p%201.jsonl",
        headers: { "content-type": "application/x-ndjson" },
        body: "{}\n",
      },
    ]);
  });

  it("refuses an object without a version id: the ingest pointer needs one", async () => {
    const { send } = recorder();
    await assert.rejects(
      putObject(send, { region: "us-east-1", bucket: "b-1", key: "k", body: "", contentType: "text/plain" }),
      { message: "s3:PutObject failed: HTTP 200: bucket b-1 returned no version id (is versioning on?)" },
    );
  });

  it("publishes to the topic's Region and returns the MessageId", async () => {
    const { requests, send } = recorder({
      body: "<PublishResponse><PublishResult><MessageId>5f1c-1</MessageId></PublishResult></PublishResponse>",
    });
    const topicArn = "arn:aws:sns:us-west-2:123456789012:ingest-topic";
    assert.strictEqual(
      await publish(send, { region: "us-west-2", topicArn, message: '{"bucket":"b"}' }),
      "5f1c-1",
    );
    assert.strictEqual(requests[0].hostname, "sns.us-west-2.amazonaws.com");
    assert.deepStrictEqual(Object.fromEntries(new URLSearchParams(requests[0].body)), {
      Action: "Publish",
      Version: "2010-03-31",
      TopicArn: topicArn,
      Message: '{"bucket":"b"}',
    });
  });

  it("reports AWS's error code and message, so a denial reads as one", async () => {
    const { send } = recorder({
      status: 403,
      body: "<ErrorResponse><Error><Type>Sender</Type><Code>AuthorizationError</Code><Message>User is not authorized to perform: SNS:GetTopicAttributes</Message></Error></ErrorResponse>",
    });
    await assert.rejects(
      getTopicAttributes(send, { region: "us-east-1", topicArn: "arn:aws:sns:us-east-1:1:t" }),
      {
        name: "AwsCallError",
        message:
          "sns:GetTopicAttributes failed: HTTP 403 AuthorizationError: User is not authorized to perform: SNS:GetTopicAttributes",
      },
    );
  });

  it("puts one Count datapoint with the Region dimension to the named Region", async () => {
    const { requests, send } = recorder();
    await putMetricData(send, {
      region: "us-west-2",
      namespace: "PaymentsDr/Service",
      metricName: "PaymentsAccepted",
      dimension: { name: "Region", value: "us-east-1" },
      value: 1,
      timestamp: new Date("2026-12-05T10:00:00Z"),
    });
    assert.strictEqual(requests[0].hostname, "monitoring.us-west-2.amazonaws.com");
    assert.strictEqual(requests[0].service, "monitoring");
    assert.deepStrictEqual(Object.fromEntries(new URLSearchParams(requests[0].body)), {
      Action: "PutMetricData",
      Version: "2010-08-01",
      Namespace: "PaymentsDr/Service",
      "MetricData.member.1.MetricName": "PaymentsAccepted",
      "MetricData.member.1.Dimensions.member.1.Name": "Region",
      "MetricData.member.1.Dimensions.member.1.Value": "us-east-1",
      "MetricData.member.1.Value": "1",
      "MetricData.member.1.Unit": "Count",
      "MetricData.member.1.Timestamp": "2026-12-05T10:00:00.000Z",
    });
  });
});

describe("app: Pod Identity credentials", () => {
  const env = {
    AWS_CONTAINER_CREDENTIALS_FULL_URI: "http://169.254.170.23/v1/credentials",
    AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE:
      "/var/run/secrets/pods.eks.amazonaws.com/serviceaccount/eks-pod-identity-token",
  };

  it("calls the agent with the token file's content and caches the credentials until 5 minutes before expiry", async () => {
    const calls: string[] = [];
    let now = Date.parse("2026-12-05T10:00:00Z");
    const provider = containerCredentials({
      env,
      now: () => now,
      readToken: (file) => {
        calls.push(`read ${file}`);
        return Promise.resolve("token-1\n");
      },
      fetch: ((url: string, init: RequestInit) => {
        calls.push(`GET ${url} ${JSON.stringify(init.headers)}`);
        return Promise.resolve(
          new Response(
            JSON.stringify({
              AccessKeyId: "ASIA1",
              SecretAccessKey: "s",
              Token: "t",
              Expiration: "2026-12-05T11:00:00Z",
            }),
          ),
        );
      }) as unknown as typeof fetch,
    });
    const first = await provider();
    assert.deepStrictEqual(first, {
      accessKeyId: "ASIA1",
      secretAccessKey: "s",
      sessionToken: "t",
      expiration: new Date("2026-12-05T11:00:00Z"),
    });
    now = Date.parse("2026-12-05T10:54:59Z");
    await provider();
    assert.strictEqual(calls.length, 2, "cached while more than 5 minutes remain");
    now = Date.parse("2026-12-05T10:55:01Z");
    await provider();
    assert.deepStrictEqual(calls, [
      `read ${env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE}`,
      'GET http://169.254.170.23/v1/credentials {"Authorization":"token-1"}',
      `read ${env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE}`,
      'GET http://169.254.170.23/v1/credentials {"Authorization":"token-1"}',
    ]);
  });

  it("says what is missing when the pod has no Pod Identity association", () => {
    assert.throws(() => containerCredentials({ env: {}, fetch }), {
      message:
        "No Pod Identity credentials: AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE are unset. " +
        "Fix: check the pod's service account has a Pod Identity association and the eks-pod-identity-agent add-on runs.",
    });
  });
});

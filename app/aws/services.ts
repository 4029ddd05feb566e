/**
 * The four AWS calls the service makes, each over a signed `fetch` (./signer.ts) in a given Region,
 * with AWS's error text kept in the thrown message so an IAM denial reads as one.
 */
import type { AwsResponse, AwsSend } from "./signer";

export class AwsCallError extends Error {
  constructor(
    readonly operation: string,
    readonly status: number,
    readonly code: string | undefined,
    detail: string,
  ) {
    super(`${operation} failed: HTTP ${status}${code ? ` ${code}` : ""}: ${detail}`);
    this.name = "AwsCallError";
  }
}

/** `<Code>` and `<Message>` of an AWS XML error body (S3, SNS and CloudWatch all answer XML). */
export function xmlValue(body: string, element: string): string | undefined {
  return new RegExp(`<${element}>([^<]*)</${element}>`).exec(body)?.[1];
}

function check(operation: string, response: AwsResponse): AwsResponse {
  if (response.status >= 200 && response.status < 300) return response;
  throw new AwsCallError(
    operation,
    response.status,
    xmlValue(response.body, "Code"),
    xmlValue(response.body, "Message") ?? response.body.slice(0, 200),
  );
}

const FORM = { "content-type": "application/x-www-form-urlencoded; charset=utf-8" };

function form(params: Record<string, string>): string {
  return new URLSearchParams(params).toString();
}

/**
 * A call of an AWS query-protocol API (SNS, CloudWatch): a form POST to the service's Regional
 * endpoint, its status checked.
 */
async function queryCall(
  send: AwsSend,
  operation: string,
  call: { service: string; region: string; params: Record<string, string> },
): Promise<AwsResponse> {
  return check(
    operation,
    await send({
      service: call.service,
      region: call.region,
      method: "POST",
      hostname: `${call.service}.${call.region}.amazonaws.com`,
      path: "/",
      headers: FORM,
      body: form(call.params),
    }),
  );
}

/** S3 PutObject; returns the object's VersionId (the landing buckets are versioned). */
export async function putObject(
  send: AwsSend,
  args: { region: string; bucket: string; key: string; body: string; contentType: string },
): Promise<{ versionId: string }> {
  const path = `/${args.key.split("/").map(encodeURIComponent).join("/")}`;
  const response = check(
    "s3:PutObject",
    await send({
      service: "s3",
      region: args.region,
      method: "PUT",
      hostname: `${args.bucket}.s3.${args.region}.amazonaws.com`,
      path,
      headers: { "content-type": args.contentType },
      body: args.body,
    }),
  );
  const versionId = response.headers.get("x-amz-version-id");
  if (!versionId || versionId === "null") {
    throw new AwsCallError(
      "s3:PutObject",
      response.status,
      undefined,
      `bucket ${args.bucket} returned no version id (is versioning on?)`,
    );
  }
  return { versionId };
}

/** SNS Publish; returns the MessageId. */
export async function publish(
  send: AwsSend,
  args: { region: string; topicArn: string; message: string },
): Promise<string> {
  const response = await queryCall(send, "sns:Publish", {
    service: "sns",
    region: args.region,
    params: { Action: "Publish", Version: "2010-03-31", TopicArn: args.topicArn, Message: args.message },
  });
  const messageId = xmlValue(response.body, "MessageId");
  if (messageId === undefined)
    throw new AwsCallError("sns:Publish", response.status, undefined, "no MessageId in the answer");
  return messageId;
}

/** SNS GetTopicAttributes: proves the topic exists and this identity reaches it. */
export async function getTopicAttributes(
  send: AwsSend,
  args: { region: string; topicArn: string },
): Promise<void> {
  await queryCall(send, "sns:GetTopicAttributes", {
    service: "sns",
    region: args.region,
    params: { Action: "GetTopicAttributes", Version: "2010-03-31", TopicArn: args.topicArn },
  });
}

/** CloudWatch PutMetricData of one Count datapoint with one dimension. */
export async function putMetricData(
  send: AwsSend,
  args: {
    region: string;
    namespace: string;
    metricName: string;
    dimension: { name: string; value: string };
    value: number;
    timestamp: Date;
  },
): Promise<void> {
  await queryCall(send, "cloudwatch:PutMetricData", {
    service: "monitoring",
    region: args.region,
    params: {
      Action: "PutMetricData",
      Version: "2010-08-01",
      Namespace: args.namespace,
      "MetricData.member.1.MetricName": args.metricName,
      "MetricData.member.1.Dimensions.member.1.Name": args.dimension.name,
      "MetricData.member.1.Dimensions.member.1.Value": args.dimension.value,
      "MetricData.member.1.Value": String(args.value),
      "MetricData.member.1.Unit": "Count",
      "MetricData.member.1.Timestamp": args.timestamp.toISOString(),
    },
  });
}

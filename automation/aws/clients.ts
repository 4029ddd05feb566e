/**
 * The AWS clients and HTTP functions the controller uses, created by one injected factory so tests
 * hand in mocked clients (aws-sdk-client-mock) and a fake signed-HTTP function.
 *
 * Every client is in the dr Region except `primaryElastiCache`, used only for the graceful Global
 * Datastore failover (and the failback switch), which the primary Region serves: when that Region
 * does not answer, the cache step takes the ungraceful path through the dr Region instead.
 */
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { ElastiCacheClient } from "@aws-sdk/client-elasticache";
import { RDSClient } from "@aws-sdk/client-rds";
import { Route53Client } from "@aws-sdk/client-route-53";
import * as https from "https";
import { requestOpenSearch } from "../../components/data/search/opensearchClient";
import { createDescribeNodegroup, DescribeNodegroup } from "../state/drState";

export interface HttpResponse {
  readonly statusCode: number;
  readonly body: string;
}

export interface SignedRequest {
  readonly method: "GET" | "POST" | "PUT" | "DELETE";
  /** Host name only, e.g. `vpc-payments-abc.us-west-2.es.amazonaws.com`. */
  readonly host: string;
  readonly path: string;
  readonly body?: unknown;
}

/** A SigV4-signed (service `es`) request to an OpenSearch domain. */
export type SignedHttp = (request: SignedRequest) => Promise<HttpResponse>;

/** An unsigned GET, for the endpoint health verification. */
export type HttpGet = (url: string, timeoutMs: number) => Promise<HttpResponse>;

export interface AwsClients {
  readonly route53: Route53Client;
  /** ElastiCache in the dr Region. */
  readonly elastiCache: ElastiCacheClient;
  /** ElastiCache in the primary Region (graceful Global Datastore failover only). */
  readonly primaryElastiCache: ElastiCacheClient;
  readonly cloudWatch: CloudWatchClient;
  readonly dynamoDb: DynamoDBClient;
  /** RDS in the dr Region (verify: the promoted instance). */
  readonly rds: RDSClient;
  /** `eks:DescribeNodegroup` in the dr Region (verify: the scaled node group). */
  readonly describeNodegroup: DescribeNodegroup;
  readonly signedHttp: SignedHttp;
  readonly httpGet: HttpGet;
}

export interface ClientRegions {
  readonly drRegion: string;
  readonly primaryRegion: string;
}

export type AwsClientFactory = (regions: ClientRegions) => AwsClients;

/** Short timeouts on the primary-Region client: a Region that does not answer must fail fast. */
const PRIMARY_REGION_TIMEOUT_MS = 10_000;

export const createAwsClients: AwsClientFactory = ({ drRegion, primaryRegion }) => ({
  // Route 53 is a global service; its control plane lives in us-east-1 (see the runbook), so the
  // lever call fails fast too and the dns-lever step falls back to the dr-Region probe.
  route53: new Route53Client({
    region: drRegion,
    maxAttempts: 2,
    requestHandler: {
      requestTimeout: PRIMARY_REGION_TIMEOUT_MS,
      connectionTimeout: PRIMARY_REGION_TIMEOUT_MS,
    },
  }),
  elastiCache: new ElastiCacheClient({ region: drRegion }),
  primaryElastiCache: new ElastiCacheClient({
    region: primaryRegion,
    maxAttempts: 2,
    requestHandler: {
      requestTimeout: PRIMARY_REGION_TIMEOUT_MS,
      connectionTimeout: PRIMARY_REGION_TIMEOUT_MS,
    },
  }),
  cloudWatch: new CloudWatchClient({ region: drRegion }),
  dynamoDb: new DynamoDBClient({ region: drRegion }),
  rds: new RDSClient({ region: drRegion }),
  describeNodegroup: createDescribeNodegroup(drRegion),
  signedHttp: createSignedHttp(drRegion),
  httpGet,
});

function send(
  options: https.RequestOptions,
  body: string | undefined,
  timeoutMs: number,
): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const request = https.request({ ...options, timeout: timeoutMs }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () =>
        resolve({ statusCode: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }),
      );
    });
    request.on("timeout", () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on("error", reject);
    if (body !== undefined) request.write(body);
    request.end();
  });
}

/** Signed calls go through the same SigV4 client the follow-rule provider uses. */
export function createSignedHttp(region: string): SignedHttp {
  return async ({ method, host, path, body }) => {
    const response = await requestOpenSearch({ endpoint: host, region }, { method, path, body });
    return { statusCode: response.status, body: response.body };
  };
}

export const httpGet: HttpGet = (url, timeoutMs) => {
  const target = new URL(url);
  return send(
    { method: "GET", hostname: target.hostname, path: `${target.pathname}${target.search}` },
    undefined,
    timeoutMs,
  );
};

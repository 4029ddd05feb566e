/**
 * The AWS clients and HTTP functions the controller uses, created by one injected factory so tests
 * hand in mocked clients (aws-sdk-client-mock) and a fake signed-HTTP function.
 *
 * Every client is in the dr Region except `primaryElastiCache`, used only for the graceful Global
 * Datastore failover (and the failback switch), which the primary Region serves: when that Region
 * does not answer, the cache step takes the ungraceful path through the dr Region instead.
 */
import { BackupClient } from "@aws-sdk/client-backup";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { ElastiCacheClient } from "@aws-sdk/client-elasticache";
import { RDSClient } from "@aws-sdk/client-rds";
import { EKSClient } from "@aws-sdk/client-eks";
import { Route53Client } from "@aws-sdk/client-route-53";
import { S3Client } from "@aws-sdk/client-s3";
import * as http from "http";
import * as https from "https";
import { requestOpenSearch } from "../../components/data/search/opensearchClient";
import { createDescribeNodegroup, DescribeNodegroup } from "../state/drState";
import { DEFAULT_PEER_TIMEOUT_MS } from "./deadline";
import { openSearchEndpoint } from "./endpoints";

export interface HttpResponse {
  readonly statusCode: number;
  readonly body: string;
}

export interface SignedRequest {
  readonly method: "GET" | "POST" | "PUT" | "DELETE";
  /**
   * The domain endpoint as the dr stack outputs it: a host name
   * (`vpc-payments-abc.us-west-2.es.amazonaws.com`, reached over HTTPS) or a URL with scheme and port.
   */
  readonly host: string;
  readonly path: string;
  readonly body?: unknown;
}

/** A SigV4-signed (service `es`) request to an OpenSearch domain. */
export type SignedHttp = (request: SignedRequest) => Promise<HttpResponse>;

/** An unsigned GET, for the endpoint health verification; `url` keeps its scheme and port. */
export type HttpGet = (url: string, timeoutMs: number, signal?: AbortSignal) => Promise<HttpResponse>;

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
  /** AWS Backup in the dr Region (backup-restore: the copy vault's recovery points). */
  readonly backup: BackupClient;
  /** S3 in the dr Region (backup-restore: the exported cache snapshots' replica bucket). */
  readonly s3: S3Client;
  /** `eks:DescribeNodegroup` in the dr Region (verify: the scaled node group). */
  readonly describeNodegroup: DescribeNodegroup;
  readonly signedHttp: SignedHttp;
  readonly httpGet: HttpGet;
}

export interface ClientRegions {
  readonly drRegion: string;
  readonly primaryRegion: string;
  /**
   * Deadline of one call into the primary Region (Route 53's control plane included), retries
   * included: the request is abandoned when it passes (`throwOnRequestTimeout`). @default 10000
   */
  readonly peerTimeoutMs?: number;
}

export type AwsClientFactory = (regions: ClientRegions) => AwsClients;

/**
 * Client settings for calls into the primary Region. `@smithy/node-http-handler` (4.14) only logs
 * a warning when a request outlives `requestTimeout` unless `throwOnRequestTimeout` is set, and
 * `connectionTimeout` does not fire on a server that accepts the connection and never answers:
 * without the flag a hung Region holds the call until the step timeout. Callers add an outer
 * deadline (`withDeadline`) so the retries stay inside the same bound.
 */
export function peerClientConfig(region: string, timeoutMs: number) {
  return {
    region,
    maxAttempts: 2,
    requestHandler: { requestTimeout: timeoutMs, connectionTimeout: timeoutMs, throwOnRequestTimeout: true },
  };
}

/**
 * Every SDK client resolves its endpoint the standard way (`AWS_ENDPOINT_URL`,
 * `AWS_ENDPOINT_URL_<SERVICE>`, `endpoint_url` in the profile), so the whole controller can be run
 * against a local stand-in; the OpenSearch domain calls follow the same variables (endpoints.ts).
 */
export const createAwsClients: AwsClientFactory = ({ drRegion, primaryRegion, peerTimeoutMs }) => {
  const peer = peerTimeoutMs ?? DEFAULT_PEER_TIMEOUT_MS;
  return {
    // Route 53 is a global service whose control plane is in us-east-1 (the primary's usual
    // Region): the lever gets the peer deadline, and the dns-lever step falls back to the probe.
    route53: new Route53Client(peerClientConfig(drRegion, peer)),
    elastiCache: new ElastiCacheClient({ region: drRegion }),
    primaryElastiCache: new ElastiCacheClient(peerClientConfig(primaryRegion, peer)),
    cloudWatch: new CloudWatchClient({ region: drRegion }),
    dynamoDb: new DynamoDBClient({ region: drRegion }),
    rds: new RDSClient({ region: drRegion }),
    backup: new BackupClient({ region: drRegion }),
    s3: new S3Client({ region: drRegion }),
    describeNodegroup: createDescribeNodegroup(new EKSClient({ region: drRegion })),
    signedHttp: createSignedHttp(drRegion),
    httpGet,
  };
};

/** Signed calls go through the same SigV4 client the follow-rule provider uses. */
export function createSignedHttp(region: string, env: NodeJS.ProcessEnv = process.env): SignedHttp {
  return async ({ method, host, path, body }) => {
    const target = openSearchEndpoint(host, env);
    const response = await requestOpenSearch(
      { endpoint: target.endpoint, region },
      { method, path: `${target.pathPrefix}${path}`, body },
    );
    return { statusCode: response.status, body: response.body };
  };
}

export const httpGet: HttpGet = (url, timeoutMs, signal) => {
  const target = new URL(url);
  const transport = target.protocol === "http:" ? http : https;
  return new Promise((resolve, reject) => {
    const request = transport.request(
      target,
      { method: "GET", timeout: timeoutMs, ...(signal ? { signal } : {}) },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("error", reject);
        response.on("end", () =>
          resolve({ statusCode: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }),
        );
      },
    );
    request.on("timeout", () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on("error", reject);
    request.end();
  });
};

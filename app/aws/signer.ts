/**
 * SigV4 over plain `fetch`, and the presigned authentication tokens of RDS and ElastiCache. The
 * service calls four AWS APIs (S3 PutObject, SNS Publish/GetTopicAttributes, CloudWatch
 * PutMetricData); signing them with @smithy/signature-v4 keeps the bundle a fraction of what the
 * SDK clients weigh, which is what lets it ship in a ConfigMap.
 */
import { Sha256 } from "@aws-crypto/sha256-js";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import type { CredentialProvider, Fetch } from "./credentials";

export interface AwsRequest {
  readonly service: string;
  readonly region: string;
  readonly method: "GET" | "POST" | "PUT";
  readonly hostname: string;
  readonly path: string;
  readonly query?: Record<string, string>;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

export interface AwsResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
}

/** Sends one signed request; the caller interprets the status. */
export type AwsSend = (request: AwsRequest) => Promise<AwsResponse>;

/** RFC 3986 encoding, as SigV4 and the SDK's query builder use it. */
export function escapeUri(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

export function queryString(query: Record<string, string | string[] | null>): string {
  return Object.keys(query)
    .sort()
    .map((key) => `${escapeUri(key)}=${escapeUri(String(query[key] ?? ""))}`)
    .join("&");
}

function signer(service: string, region: string, credentials: CredentialProvider): SignatureV4 {
  return new SignatureV4({
    service,
    region,
    credentials,
    sha256: Sha256,
    // S3 signs the path as sent; every other service signs it URI-encoded once more.
    uriEscapePath: service !== "s3",
    applyChecksum: service === "s3",
  });
}

/** A sender that signs with `credentials` and sends with `fetchImpl`. */
export function signedSender(
  credentials: CredentialProvider,
  fetchImpl: Fetch,
  now: () => Date = () => new Date(),
): AwsSend {
  return async (request) => {
    const unsigned = new HttpRequest({
      method: request.method,
      protocol: "https:",
      hostname: request.hostname,
      path: request.path,
      query: request.query ?? {},
      headers: { host: request.hostname, ...request.headers },
      body: request.body,
    });
    const signed = await signer(request.service, request.region, credentials).sign(unsigned, {
      signingDate: now(),
    });
    const headers = { ...signed.headers };
    delete headers.host; // fetch sets it from the URL
    const search = request.query ? `?${queryString(request.query)}` : "";
    const response = await fetchImpl(`https://${request.hostname}${request.path}${search}`, {
      method: request.method,
      headers,
      body: request.body,
    });
    return { status: response.status, headers: response.headers, body: await response.text() };
  };
}

/** A presigned token is valid this long; RDS and ElastiCache both accept at most 15 minutes. */
export const TOKEN_EXPIRY_SECONDS = 900;

interface TokenRequest {
  readonly service: "rds-db" | "elasticache";
  readonly region: string;
  readonly protocol: "https:" | "http:";
  readonly hostname: string;
  readonly port?: number;
  readonly query: Record<string, string>;
}

async function presignedToken(
  request: TokenRequest,
  credentials: CredentialProvider,
  signingDate: Date,
): Promise<string> {
  const host = request.port === undefined ? request.hostname : `${request.hostname}:${request.port}`;
  const unsigned = new HttpRequest({
    method: "GET",
    protocol: request.protocol,
    hostname: request.hostname,
    port: request.port,
    path: "/",
    query: request.query,
    headers: { host },
  });
  const presigned = await new SignatureV4({
    service: request.service,
    region: request.region,
    credentials,
    sha256: Sha256,
  }).presign(unsigned, { expiresIn: TOKEN_EXPIRY_SECONDS, signingDate });
  // The token is the presigned URL without its scheme (as the SDK's RDS Signer and the
  // ElastiCache IAM authentication examples produce it).
  return `${host}/?${queryString(presigned.query ?? {})}`;
}

/** The RDS IAM authentication token: the password of a role granted `rds_iam`, valid 15 minutes. */
export function rdsAuthToken(
  args: { region: string; hostname: string; port: number; user: string },
  credentials: CredentialProvider,
  signingDate: Date = new Date(),
): Promise<string> {
  return presignedToken(
    {
      service: "rds-db",
      region: args.region,
      protocol: "https:",
      hostname: args.hostname,
      port: args.port,
      query: { Action: "connect", DBUser: args.user },
    },
    credentials,
    signingDate,
  );
}

/**
 * The ElastiCache IAM authentication token: signed for the replication group id (not the
 * endpoint) and the user id, sent as the password of `AUTH <user> <token>`.
 */
export function elastiCacheAuthToken(
  args: { region: string; replicationGroupId: string; user: string },
  credentials: CredentialProvider,
  signingDate: Date = new Date(),
): Promise<string> {
  return presignedToken(
    {
      service: "elasticache",
      region: args.region,
      protocol: "http:",
      hostname: args.replicationGroupId,
      query: { Action: "connect", User: args.user },
    },
    credentials,
    signingDate,
  );
}

/**
 * Signed REST calls to an Amazon OpenSearch Service domain (SigV4, service `es`), with bounded
 * retries and OpenSearch's error bodies turned into clear errors. `opensearchApi.ts` builds the
 * follow rule and snapshot repository calls on it.
 *
 * Pure module: the dynamic providers in `searchFollowRule.ts` reach it, and Pulumi serialises
 * those providers with every function they reach. Dependencies are therefore loaded inside the
 * functions (`await import(...)`), so the serialised closure holds small functions, not the SDKs.
 */
import type { AwsCredentialIdentity } from "@smithy/types";

export interface OpenSearchTarget {
  /**
   * The domain endpoint: a host name (`vpc-...es.amazonaws.com`, reached over HTTPS) or a full URL
   * (`http://127.0.0.1:9200`, for tests against a local server).
   */
  readonly endpoint: string;
  /** The domain's Region: part of the SigV4 credential scope. */
  readonly region: string;
}

export interface OpenSearchRequest {
  readonly method: "GET" | "PUT" | "POST" | "DELETE";
  /** Absolute path, e.g. `/_plugins/_replication/_autofollow`. */
  readonly path: string;
  /** JSON-serialised into the request body when present. */
  readonly body?: unknown;
}

export interface CallOptions {
  /** @default - the AWS SDK's default credential chain (environment, profile, SSO, instance role) */
  readonly credentials?: AwsCredentialIdentity;
  /** Attempts for throttling (429), server errors (5xx) and network errors. @default 4 */
  readonly maxAttempts?: number;
  /** First retry delay; doubles per attempt, capped at 8 s. @default 250 */
  readonly baseDelayMs?: number;
  /** Per-attempt socket timeout. @default 30000 */
  readonly timeoutMs?: number;
  /** Signing time. @default - now */
  readonly signingDate?: Date;
}

export interface OpenSearchResponse {
  readonly status: number;
  readonly body: string;
}

/** A non-2xx answer, with OpenSearch's own error type and reason when its body carries them. */
export class OpenSearchError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly errorType: string | undefined,
    readonly reason: string | undefined,
    readonly attempts: number,
  ) {
    super(
      `OpenSearch ${method} ${path} failed with HTTP ${status}` +
        (errorType || reason ? `: ${errorType ?? "error"}: ${reason ?? "(no reason given)"}` : "") +
        (attempts > 1 ? ` (after ${attempts} attempts)` : "") +
        hint(status),
    );
    this.name = "OpenSearchError";
  }
}

function hint(status: number): string {
  if (status === 401 || status === 403) {
    return (
      ". The signing identity must be the domain's IAM master role, or be mapped to a role with " +
      "cross-cluster replication or snapshot permissions in fine-grained access control."
    );
  }
  return "";
}

/** Splits an endpoint into what the request and the signature need. */
export function parseEndpoint(endpoint: string): {
  protocol: "https:" | "http:";
  hostname: string;
  port: number | undefined;
  host: string;
} {
  const url = new URL(/^https?:\/\//.test(endpoint) ? endpoint : `https://${endpoint}`);
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new Error(`Unsupported OpenSearch endpoint "${endpoint}": expected a host name or an http(s) URL.`);
  }
  const port = url.port === "" ? undefined : Number(url.port);
  return { protocol: url.protocol, hostname: url.hostname, port, host: url.host };
}

export interface SignedRequest {
  readonly method: string;
  readonly protocol: "https:" | "http:";
  readonly hostname: string;
  readonly port: number | undefined;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: string | undefined;
}

/** Signs one request with SigV4 for the `es` service in the target's Region. */
export async function signRequest(
  target: OpenSearchTarget,
  request: OpenSearchRequest,
  credentials: AwsCredentialIdentity,
  signingDate: Date = new Date(),
): Promise<SignedRequest> {
  const { SignatureV4 } = await import("@smithy/signature-v4");
  const { HttpRequest } = await import("@smithy/protocol-http");
  const { Sha256 } = await import("@aws-crypto/sha256-js");
  const { protocol, hostname, port, host } = parseEndpoint(target.endpoint);
  const body = request.body === undefined ? undefined : JSON.stringify(request.body);
  const headers: Record<string, string> = { host };
  if (body !== undefined) headers["content-type"] = "application/json";
  // The query string is signed as sorted parameters, not as part of the path.
  const [pathname, search = ""] = request.path.split("?", 2);
  const query = Object.fromEntries(new URLSearchParams(search));
  const unsigned = new HttpRequest({
    method: request.method,
    protocol,
    hostname,
    port,
    path: pathname,
    query,
    headers,
    body,
  });
  const signer = new SignatureV4({ service: "es", region: target.region, credentials, sha256: Sha256 });
  const signed = await signer.sign(unsigned, { signingDate });
  return {
    method: request.method,
    protocol,
    hostname,
    port,
    path: request.path,
    headers: { ...signed.headers },
    body,
  };
}

/** Throttling and server-side failures are worth retrying; client errors are not. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 500 || status === 502 || status === 503 || status === 504;
}

export function retryDelayMs(attempt: number, baseDelayMs: number): number {
  return Math.min(baseDelayMs * 2 ** (attempt - 1), 8000);
}

/** OpenSearch error bodies: `{"error":{"root_cause":[...],"type":"...","reason":"..."},"status":400}`. */
export function errorDetails(body: string): { type?: string; reason?: string } {
  try {
    const parsed = JSON.parse(body) as { error?: unknown; message?: unknown; Message?: unknown };
    if (typeof parsed.error === "object" && parsed.error !== null) {
      const error = parsed.error as { type?: unknown; reason?: unknown };
      return {
        type: typeof error.type === "string" ? error.type : undefined,
        reason: typeof error.reason === "string" ? error.reason : undefined,
      };
    }
    if (typeof parsed.error === "string") return { reason: parsed.error };
    // The service front end (IAM denials, throttling) answers `{"message": "..."}`.
    const message = parsed.message ?? parsed.Message;
    if (typeof message === "string") return { reason: message };
  } catch {
    // Not JSON: fall through to the raw text.
  }
  const text = body.trim();
  return text ? { reason: text.slice(0, 500) } : {};
}

async function send(signed: SignedRequest, timeoutMs: number): Promise<OpenSearchResponse> {
  const transport = signed.protocol === "https:" ? await import("https") : await import("http");
  return new Promise((resolve, reject) => {
    const req = transport.request(
      {
        method: signed.method,
        hostname: signed.hostname,
        port: signed.port,
        path: signed.path,
        // An explicit length: Node sends DELETE bodies unframed otherwise (no chunked encoding).
        headers: {
          ...signed.headers,
          "content-length": String(signed.body === undefined ? 0 : Buffer.byteLength(signed.body)),
        },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }),
        );
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`timed out after ${timeoutMs} ms`)));
    req.on("error", reject);
    if (signed.body !== undefined) req.write(signed.body);
    req.end();
  });
}

/**
 * Signs and sends one request, whatever its answer: callers that interpret statuses themselves
 * (the failover controller's "already stopped" cases) use this; `callOpenSearch` adds retries.
 */
export async function requestOpenSearch(
  target: OpenSearchTarget,
  request: OpenSearchRequest,
  options: Pick<CallOptions, "credentials" | "timeoutMs" | "signingDate"> = {},
): Promise<OpenSearchResponse> {
  const credentials = options.credentials ?? (await defaultCredentials());
  return send(
    await signRequest(target, request, credentials, options.signingDate),
    options.timeoutMs ?? 30000,
  );
}

async function defaultCredentials(): Promise<AwsCredentialIdentity> {
  return (await import("@aws-sdk/credential-provider-node")).defaultProvider()();
}

/**
 * Sends a signed request, retrying throttling, 5xx and network errors with exponential backoff
 * (bounded by `maxAttempts`). Resolves with a 2xx response; throws `OpenSearchError` otherwise.
 */
export async function callOpenSearch(
  target: OpenSearchTarget,
  request: OpenSearchRequest,
  options: CallOptions = {},
): Promise<OpenSearchResponse> {
  const maxAttempts = Math.max(1, options.maxAttempts ?? 4);
  const baseDelayMs = options.baseDelayMs ?? 250;
  const credentials = options.credentials ?? (await defaultCredentials());
  let last: OpenSearchResponse | undefined;
  let attempts = 0;
  while (attempts < maxAttempts) {
    attempts++;
    // Re-signed per attempt: a signature is only valid for a few minutes.
    const signed = await signRequest(target, request, credentials, options.signingDate);
    let networkError: unknown;
    try {
      last = await send(signed, options.timeoutMs ?? 30000);
      if (last.status >= 200 && last.status < 300) return last;
      if (!isRetryableStatus(last.status)) break;
    } catch (error) {
      networkError = error;
    }
    if (networkError !== undefined && attempts >= maxAttempts) {
      throw new Error(
        `OpenSearch ${request.method} ${request.path} on ${target.endpoint} failed after ${attempts} attempts: ` +
          `${networkError instanceof Error ? networkError.message : String(networkError)}. ` +
          "The caller must reach the domain's VPC endpoint (run from inside the VPC or over a VPN/peering).",
      );
    }
    if (attempts < maxAttempts) await new Promise((r) => setTimeout(r, retryDelayMs(attempts, baseDelayMs)));
  }
  const { status, body } = last as OpenSearchResponse;
  const details = errorDetails(body);
  throw new OpenSearchError(request.method, request.path, status, details.type, details.reason, attempts);
}

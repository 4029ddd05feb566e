/**
 * Promotes the OpenSearch follower: deletes the autofollow rule (so no new leader index starts
 * replicating) and stops replication on every follower index, which turns each into a normal,
 * writable index. Both are REST calls on the follower domain (dr Region), signed with SigV4; each
 * is idempotent (an already-deleted rule or an index not replicating counts as done).
 */
import { awsCall, RetryPolicy } from "../aws/awsCall";
import { HttpResponse, SignedHttp, SignedRequest } from "../aws/clients";

export interface FollowerPromotion {
  readonly host: string;
  readonly connectionAlias: string;
  readonly followRuleName: string;
}

/** Shapes a non-2xx answer like an AWS SDK error so `awsCall` retries 429/5xx and names 403s. */
class OpenSearchHttpError extends Error {
  readonly $metadata: { httpStatusCode: number };
  constructor(
    readonly request: SignedRequest,
    readonly response: HttpResponse,
  ) {
    super(
      `${request.method} ${request.path} answered ${response.statusCode}: ${response.body.slice(0, 500)}`,
    );
    this.name = response.statusCode === 403 ? "AccessDenied" : "OpenSearchHttpError";
    this.$metadata = { httpStatusCode: response.statusCode };
  }
}

async function call(
  http: SignedHttp,
  action: string,
  request: SignedRequest,
  accept: (response: HttpResponse) => boolean,
  retry?: RetryPolicy,
): Promise<HttpResponse> {
  return awsCall(
    action,
    async () => {
      const response = await http(request);
      if ((response.statusCode >= 200 && response.statusCode < 300) || accept(response)) return response;
      throw new OpenSearchHttpError(request, response);
    },
    retry,
  );
}

const mentions = (response: HttpResponse, ...phrases: string[]) =>
  phrases.some((p) => response.body.toLowerCase().includes(p.toLowerCase()));

export async function promoteFollower(
  http: SignedHttp,
  target: FollowerPromotion,
  retry?: RetryPolicy,
): Promise<string> {
  const { host } = target;
  await call(
    http,
    "es:ESHttpDelete",
    {
      method: "DELETE",
      host,
      path: "/_plugins/_replication/_autofollow",
      body: { leader_alias: target.connectionAlias, name: target.followRuleName },
    },
    (r) => r.statusCode === 404 || mentions(r, "does not exist", "not found"),
    retry,
  );
  const stats = await call(
    http,
    "es:ESHttpGet",
    { method: "GET", host, path: "/_plugins/_replication/follower_stats" },
    () => false,
    retry,
  );
  const indices = Object.keys(
    (JSON.parse(stats.body || "{}") as { index_stats?: Record<string, unknown> }).index_stats ?? {},
  ).sort();
  for (const index of indices) {
    await call(
      http,
      "es:ESHttpPost",
      { method: "POST", host, path: `/_plugins/_replication/${encodeURIComponent(index)}/_stop`, body: {} },
      (r) => r.statusCode === 400 && mentions(r, "no replication in progress", "not a replicated index"),
      retry,
    );
  }
  return (
    `autofollow rule ${target.followRuleName} removed; replication stopped on ${indices.length} ` +
    `index(es)${indices.length ? `: ${indices.join(", ")}` : ""}`
  );
}

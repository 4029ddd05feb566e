/**
 * OpenSearch during a failback. Cross-cluster replication only runs follower <- leader over a
 * connection that starts at the follower, and a follower index cannot be created where an index of
 * that name exists. So making a domain follow again (primary during the re-seed, dr when it returns
 * to standby) takes: a connection from it to the leader (accepted on the leader's side), its stale
 * copies of the leader's indices snapshotted into its own repository and then removed (the data
 * stays in the snapshot, in the repository bucket replicated to the peer Region), and an
 * autofollow rule. Each call is idempotent, so a resumed step repeats it safely.
 */
import {
  AcceptInboundConnectionCommand,
  CreateOutboundConnectionCommand,
  DescribeOutboundConnectionsCommand,
  OpenSearchClient,
} from "@aws-sdk/client-opensearch";
import {
  DEFAULT_FOLLOWER_CLUSTER_ROLE,
  DEFAULT_LEADER_CLUSTER_ROLE,
} from "../../components/data/search/searchAdmin";
import { awsCall, RetryPolicy } from "../aws/awsCall";
import { HttpResponse, SignedHttp, SignedRequest } from "../aws/clients";
import { FailoverError } from "../errors";

/** The reversed connection's alias on the primary domain, and its autofollow rule. */
export const REVERSE_ALIAS = "payments-failback";
export const REVERSE_RULE = "payments-failback-all";
/** The snapshot repository both domains register (components/data/search/search.ts). */
export const SNAPSHOT_REPOSITORY = "payments-snapshots";

export interface SearchDomain {
  readonly domainName: string;
  /** Host name of the domain's endpoint. */
  readonly host: string;
  readonly region: string;
  readonly ownerId: string;
  /** Signed REST calls to this domain. */
  readonly http: SignedHttp;
}

export class SearchHttpError extends Error {
  readonly $metadata: { httpStatusCode: number };
  constructor(request: SignedRequest, response: HttpResponse) {
    super(
      `${request.method} ${request.path} on ${request.host} answered ${response.statusCode}: ${response.body.slice(0, 300)}`,
    );
    this.name = response.statusCode === 403 ? "AccessDenied" : "OpenSearchHttpError";
    this.$metadata = { httpStatusCode: response.statusCode };
  }
}

/** A REST call through awsCall (retries 429/5xx, names 403s); `accept` admits idempotent answers. */
export function rest(
  domain: SearchDomain,
  action: string,
  request: Omit<SignedRequest, "host">,
  retry?: RetryPolicy,
  accept: (r: HttpResponse) => boolean = () => false,
): Promise<HttpResponse> {
  const full = { ...request, host: domain.host };
  return awsCall(
    action,
    async () => {
      const response = await domain.http(full);
      if ((response.statusCode >= 200 && response.statusCode < 300) || accept(response)) return response;
      throw new SearchHttpError(full, response);
    },
    retry,
  );
}

const says = (r: HttpResponse, ...phrases: string[]) =>
  phrases.some((p) => r.body.toLowerCase().includes(p.toLowerCase()));

/** The connection follower -> leader under `alias`, created and accepted if missing; resolves once ACTIVE. */
export async function ensureConnection(
  clients: { follower: OpenSearchClient; leader: OpenSearchClient },
  follower: SearchDomain,
  leader: SearchDomain,
  alias: string,
  wait: (reason: string) => Promise<void>,
  retry?: RetryPolicy,
): Promise<string> {
  for (;;) {
    const described = await awsCall(
      "es:DescribeOutboundConnections",
      () =>
        clients.follower.send(
          new DescribeOutboundConnectionsCommand({
            Filters: [{ Name: "local-domain-info.domain-name", Values: [follower.domainName] }],
          }),
        ),
      retry,
    );
    const connection = (described.Connections ?? []).find(
      (c) =>
        c.ConnectionAlias === alias &&
        c.RemoteDomainInfo?.AWSDomainInformation?.DomainName === leader.domainName &&
        !["DELETED", "DELETING", "REJECTED", "REJECTING"].includes(c.ConnectionStatus?.StatusCode ?? ""),
    );
    const status = connection?.ConnectionStatus?.StatusCode;
    if (connection && status === "ACTIVE") return connection.ConnectionId ?? "";
    if (!connection) {
      await awsCall(
        "es:CreateOutboundConnection",
        () =>
          clients.follower.send(
            new CreateOutboundConnectionCommand({
              ConnectionAlias: alias,
              ConnectionMode: "DIRECT",
              LocalDomainInfo: {
                AWSDomainInformation: {
                  DomainName: follower.domainName,
                  OwnerId: follower.ownerId,
                  Region: follower.region,
                },
              },
              RemoteDomainInfo: {
                AWSDomainInformation: {
                  DomainName: leader.domainName,
                  OwnerId: leader.ownerId,
                  Region: leader.region,
                },
              },
            }),
          ),
        retry,
      );
    } else if (status === "PENDING_ACCEPTANCE") {
      await awsCall(
        "es:AcceptInboundConnection",
        () =>
          clients.leader.send(new AcceptInboundConnectionCommand({ ConnectionId: connection.ConnectionId })),
        retry,
      );
    } else {
      await wait(`connection ${connection.ConnectionId} is ${status ?? "unknown"}`);
    }
  }
}

async function indexNames(domain: SearchDomain, retry?: RetryPolicy): Promise<string[]> {
  const r = await rest(
    domain,
    "es:ESHttpGet",
    { method: "GET", path: "/_cat/indices?format=json&h=index" },
    retry,
  );
  return (JSON.parse(r.body || "[]") as { index?: string }[])
    .map((i) => i.index ?? "")
    .filter((name) => name !== "" && !name.startsWith("."))
    .sort();
}

/**
 * The follower's own indices that the leader also has (its stale copies): snapshotted as
 * `<snapshot>` into the follower's repository, then deleted. Returns their names.
 */
export async function clearStaleCopies(
  follower: SearchDomain,
  leader: SearchDomain,
  snapshot: string,
  retry?: RetryPolicy,
): Promise<string[]> {
  const leaderIndices = new Set(await indexNames(leader, retry));
  const stale = (await indexNames(follower, retry)).filter((name) => leaderIndices.has(name));
  if (stale.length === 0) return [];
  await rest(
    follower,
    "es:ESHttpPut",
    {
      method: "PUT",
      path: `/_snapshot/${SNAPSHOT_REPOSITORY}/${encodeURIComponent(snapshot)}?wait_for_completion=true`,
      body: { indices: stale.join(","), include_global_state: false },
    },
    retry,
    (r) => r.statusCode === 400 && says(r, "already exists"),
  );
  const check = await rest(
    follower,
    "es:ESHttpGet",
    { method: "GET", path: `/_snapshot/${SNAPSHOT_REPOSITORY}/${encodeURIComponent(snapshot)}` },
    retry,
  );
  const state = (JSON.parse(check.body || "{}") as { snapshots?: { state?: string }[] }).snapshots?.[0]
    ?.state;
  if (state !== "SUCCESS") {
    throw new FailoverError(
      `snapshot ${snapshot} of ${stale.join(", ")} on ${follower.domainName} is ${state ?? "missing"}, not SUCCESS: ` +
        "no index was deleted. Check the repository, then rerun to resume.",
    );
  }
  for (const index of stale) {
    await rest(
      follower,
      "es:ESHttpDelete",
      { method: "DELETE", path: `/${encodeURIComponent(index)}` },
      retry,
      (r) => r.statusCode === 404,
    );
  }
  return stale;
}

/** The autofollow rule on the follower (an existing rule of that name counts as created). */
export async function startAutoFollow(
  domain: SearchDomain,
  alias: string,
  rule: string,
  retry?: RetryPolicy,
): Promise<void> {
  await rest(
    domain,
    "es:ESHttpPost",
    {
      method: "POST",
      path: "/_plugins/_replication/_autofollow",
      body: {
        leader_alias: alias,
        name: rule,
        pattern: "*",
        use_roles: {
          leader_cluster_role: DEFAULT_LEADER_CLUSTER_ROLE,
          follower_cluster_role: DEFAULT_FOLLOWER_CLUSTER_ROLE,
        },
      },
    },
    retry,
    (r) => r.statusCode === 400 && says(r, "already exists"),
  );
}

export interface FollowerState {
  readonly syncing: number;
  /** `index: why` for every follower index not syncing. */
  readonly problems: readonly string[];
}

/** `follower_stats` of a follower domain: how many indices sync, and which do not. */
export async function followerState(domain: SearchDomain, retry?: RetryPolicy): Promise<FollowerState> {
  const r = await rest(
    domain,
    "es:ESHttpGet",
    { method: "GET", path: "/_plugins/_replication/follower_stats" },
    retry,
  );
  const stats = JSON.parse(r.body || "{}") as {
    num_syncing_indices?: number;
    num_bootstrapping_indices?: number;
    num_paused_indices?: number;
    num_failed_indices?: number;
  };
  const problems = [
    ...(stats.num_bootstrapping_indices
      ? [`${stats.num_bootstrapping_indices} index(es) bootstrapping`]
      : []),
    ...(stats.num_paused_indices ? [`${stats.num_paused_indices} index(es) paused`] : []),
    ...(stats.num_failed_indices ? [`${stats.num_failed_indices} index(es) failed`] : []),
  ];
  return { syncing: stats.num_syncing_indices ?? 0, problems };
}

/** Follower indices whose checkpoint is behind their leader's (empty once drained). */
export async function checkpointsBehind(domain: SearchDomain, retry?: RetryPolicy): Promise<string[]> {
  const r = await rest(
    domain,
    "es:ESHttpGet",
    { method: "GET", path: "/_plugins/_replication/follower_stats" },
    retry,
  );
  const indices = Object.keys(
    (JSON.parse(r.body || "{}") as { index_stats?: Record<string, unknown> }).index_stats ?? {},
  ).sort();
  const behind: string[] = [];
  for (const index of indices) {
    const status = await rest(
      domain,
      "es:ESHttpGet",
      { method: "GET", path: `/_plugins/_replication/${encodeURIComponent(index)}/_status` },
      retry,
    );
    const details = (
      JSON.parse(status.body || "{}") as {
        syncing_details?: { leader_checkpoint?: number; follower_checkpoint?: number };
      }
    ).syncing_details;
    if (!details || details.follower_checkpoint !== details.leader_checkpoint) {
      behind.push(
        `${index} (leader ${details?.leader_checkpoint ?? "?"}, follower ${details?.follower_checkpoint ?? "?"})`,
      );
    }
  }
  return behind;
}

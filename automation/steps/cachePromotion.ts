/**
 * Makes the dr replication group the writable cache.
 *
 * Graceful path: `FailoverGlobalReplicationGroup` (PrimaryRegion = dr Region, PrimaryReplicationGroupId
 * = dr group), sent to the primary Region; the old primary stays in the Global Datastore as a
 * secondary, which is what failback needs. Ungraceful path, when the primary Region does not answer
 * (network error, timeout, 5xx after retries): `DisassociateGlobalReplicationGroup` of the dr group,
 * sent to the dr Region, which leaves it a standalone, writable replication group. The graceful call
 * has a deadline (`peerTimeoutMs`, retries included) that aborts it: a Region that accepts the
 * connection and never answers is "unreachable" after one deadline, not after the step timeout. The
 * FailoverGlobalReplicationGroup API has no "force" parameter (checked against the API reference),
 * so detaching the secondary is the only promotion that does not need the primary Region. Writes
 * not yet replicated are lost on that path (bounded by the preflight lag check).
 */
import {
  DescribeGlobalReplicationGroupsCommand,
  DisassociateGlobalReplicationGroupCommand,
  ElastiCacheClient,
  FailoverGlobalReplicationGroupCommand,
  GlobalReplicationGroupNotFoundFault,
} from "@aws-sdk/client-elasticache";
import { AccessDeniedError, awsCall, RetriesExhaustedError, RetryPolicy } from "../aws/awsCall";
import { DEFAULT_PEER_TIMEOUT_MS, withDeadline } from "../aws/deadline";

export interface CachePromotion {
  readonly globalReplicationGroupId: string;
  readonly drReplicationGroupId: string;
  readonly drRegion: string;
}

export interface CacheClients {
  readonly dr: ElastiCacheClient;
  readonly primary: ElastiCacheClient;
}

/** The member's role in the Global Datastore, or `detached` when it is no longer a member. */
export async function memberRole(
  client: ElastiCacheClient,
  globalReplicationGroupId: string,
  replicationGroupId: string,
  retry?: RetryPolicy,
): Promise<"PRIMARY" | "SECONDARY" | "detached"> {
  try {
    const result = await awsCall(
      "elasticache:DescribeGlobalReplicationGroups",
      () =>
        client.send(
          new DescribeGlobalReplicationGroupsCommand({
            GlobalReplicationGroupId: globalReplicationGroupId,
            ShowMemberInfo: true,
          }),
        ),
      retry,
    );
    const member = result.GlobalReplicationGroups?.[0]?.Members?.find(
      (m) => m.ReplicationGroupId === replicationGroupId,
    );
    if (!member) return "detached";
    return member.Role === "PRIMARY" ? "PRIMARY" : "SECONDARY";
  } catch (error) {
    if (error instanceof GlobalReplicationGroupNotFoundFault) return "detached";
    throw error;
  }
}

/** The primary Region did not answer: a network failure, or server errors outlasting retries. */
export function regionUnreachable(error: unknown): boolean {
  if (error instanceof AccessDeniedError) return false;
  if (error instanceof RetriesExhaustedError) return true;
  const status = (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
  return status === undefined || status >= 500;
}

export async function promoteCache(
  clients: CacheClients,
  target: CachePromotion,
  options: {
    retry?: RetryPolicy;
    log?: (line: string) => void;
    /** The step's signal: an interrupted step never falls through to the ungraceful path. */
    signal?: AbortSignal;
    /** Deadline of the graceful call into the primary Region. @default 10000 */
    peerTimeoutMs?: number;
  } = {},
): Promise<string> {
  const role = await memberRole(
    clients.dr,
    target.globalReplicationGroupId,
    target.drReplicationGroupId,
    options.retry,
  );
  if (role === "PRIMARY") return `${target.drReplicationGroupId} is already the Global Datastore primary`;
  if (role === "detached") return `${target.drReplicationGroupId} is already detached (standalone, writable)`;
  try {
    await withDeadline(
      options.peerTimeoutMs ?? DEFAULT_PEER_TIMEOUT_MS,
      options.signal,
      "elasticache:FailoverGlobalReplicationGroup in the primary Region",
      (signal) =>
        awsCall(
          "elasticache:FailoverGlobalReplicationGroup",
          () =>
            clients.primary.send(
              new FailoverGlobalReplicationGroupCommand({
                GlobalReplicationGroupId: target.globalReplicationGroupId,
                PrimaryRegion: target.drRegion,
                PrimaryReplicationGroupId: target.drReplicationGroupId,
              }),
              { abortSignal: signal },
            ),
          { ...options.retry, maxAttempts: 2 },
        ),
    );
    return `graceful Global Datastore failover started: ${target.drReplicationGroupId} (${target.drRegion}) becomes primary`;
  } catch (error) {
    if (options.signal?.aborted || !regionUnreachable(error)) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    options.log?.(`primary Region did not answer (${reason}); taking the ungraceful path`);
  }
  await awsCall(
    "elasticache:DisassociateGlobalReplicationGroup",
    () =>
      clients.dr.send(
        new DisassociateGlobalReplicationGroupCommand({
          GlobalReplicationGroupId: target.globalReplicationGroupId,
          ReplicationGroupId: target.drReplicationGroupId,
          ReplicationGroupRegion: target.drRegion,
        }),
      ),
    options.retry,
  );
  return (
    `ungraceful: primary Region unreachable, ${target.drReplicationGroupId} disassociated from ` +
    `${target.globalReplicationGroupId} and is now a standalone writable group`
  );
}

/**
 * OpenSearch cross-cluster replication (CCR). A connection alone copies nothing: the leader's
 * owner must accept it and a follow rule on the follower (the connection's local side) must start
 * replication. Then the follower is a replica of the leader (like an RDS read replica), and a
 * leader declared in this stack has a copy in the follower's Region.
 */
import { addCoverage, copyVerdict, Coverage, CoverageMap } from "./coverage";
import { restViews } from "../lib/restRequests";
import { StackIndex, StackNode } from "../lib/stackIndex";
import { get, isUnknown, show, str, UNKNOWN, Unknown } from "../lib/values";

const DOMAINS = ["aws:opensearch/domain:Domain", "aws:elasticsearch/domain:Domain"];
const CONNECTION = "aws:opensearch/outboundConnection:OutboundConnection";
const ACCEPTER = "aws:opensearch/inboundConnectionAccepter:InboundConnectionAccepter";

export function searchCoverage(index: StackIndex, map: CoverageMap): void {
  for (const connection of index.byType(CONNECTION)) {
    const what = `cross-cluster connection ${connection.name}`;
    const local = {
      name: str(connection.props, "localDomainInfo", "domainName"),
      region: str(connection.props, "localDomainInfo", "region"),
    };
    const remote = {
      name: str(connection.props, "remoteDomainInfo", "domainName"),
      region: str(connection.props, "remoteDomainInfo", "region"),
    };
    const followers = typeof local.name === "string" ? index.find(DOMAINS, local.name) : [];
    const leaders = typeof remote.name === "string" ? index.find(DOMAINS, remote.name) : [];
    const running = replicationRuns(index, connection, followers);
    if (running !== true) {
      const verdict: Coverage = {
        ok: running,
        detail: `${what} (with ${show(remote.name)}) replicates nothing: expected an InboundConnectionAccepter for it and a follow rule (leaderAlias ${show(str(connection.props, "connectionAlias"))}) on the follower domain, declared in this stack`,
      };
      for (const domain of [...followers, ...leaders]) addCoverage(map, domain, verdict);
      continue;
    }
    for (const follower of followers) {
      const verdict = copyVerdict(
        `${what} (replica of ${show(remote.name)})`,
        follower.region,
        remote.region,
        undefined,
        false,
      );
      addCoverage(
        map,
        follower,
        verdict.ok === true
          ? {
              ok: true,
              detail: `replica of domain ${String(remote.name)} in ${String(remote.region)} (${what})`,
            }
          : verdict,
      );
    }
    for (const leader of leaders) {
      const key = followers.length > 0 ? get(followers[0].props, "encryptAtRest", "kmsKeyId") : undefined;
      addCoverage(
        map,
        leader,
        copyVerdict(`${what} (follower ${show(local.name)})`, leader.region, local.region, key, false),
      );
    }
  }
}

/**
 * Whether replication runs over `connection`: an accepter in the stack resolves to it, and some
 * resource declares a follow rule (`leaderAlias` = its alias) on a follower domain (by `endpoint`,
 * or by `domainName` in a Lambda invocation's input: `policies/lib/restRequests.ts`).
 */
function replicationRuns(
  index: StackIndex,
  connection: StackNode,
  followers: StackNode[],
): boolean | Unknown {
  let unknown = false;
  const accepted = index.byType(ACCEPTER).some((accepter) => {
    const found = index.resolve(accepter, "connectionId", get(accepter.props, "connectionId"), [CONNECTION]);
    if (found === UNKNOWN) unknown = true;
    return found !== UNKNOWN && found.includes(connection);
  });
  const alias = str(connection.props, "connectionAlias");
  const endpoints = followers.map((f) => str(f.props, "endpoint"));
  const names = followers.map((f) => str(f.props, "domainName"));
  // A follow rule: a resource on the follower's endpoint, or an invocation naming the follower.
  const followed = restViews(index).some(({ node, props, invocation }) => {
    if (props === UNKNOWN) {
      if (followers.some((f) => node.dependencies.includes(f.urn))) unknown = true;
      return false;
    }
    const leaderAlias = str(props, "leaderAlias");
    if (leaderAlias === undefined) return false;
    const on = invocation ? str(props, "domainName") : str(props, "endpoint");
    const known = invocation ? names : endpoints;
    if (leaderAlias === UNKNOWN || alias === UNKNOWN || isUnknown(on) || known.includes(UNKNOWN)) {
      unknown = true;
      return false;
    }
    return leaderAlias === alias && on !== undefined && known.includes(on);
  });
  if (accepted && followed) return true;
  return unknown ? UNKNOWN : false;
}

/**
 * Deadlines on every failback call into the primary Region. The failback runs once that Region
 * answers again, but it may relapse mid-run; a call that hangs must fail its step within seconds
 * (the step's error is kept and the run resumes) instead of holding it until the 4 h step timeout.
 * Unlike the failover there is no fallback path: the deadline turns a hang into a resumable error.
 *
 * Each `send` / signed request gets its own `withDeadline` (`--peer-timeout-seconds`): the SDK
 * request is aborted through `abortSignal`, and a caller's own abortSignal (the step's) still
 * aborts it. Wrapping the client rather than each call site also bounds the calls made inside
 * shared helpers (memberRole, ensureConnection, the OpenSearch REST calls).
 */
import { AwsClients, SignedHttp } from "../aws/clients";
import { DEFAULT_PEER_TIMEOUT_MS, withDeadline } from "../aws/deadline";
import { FailbackClients } from "./failbackClients";

interface Sends {
  send(command: unknown, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
}

/** `client` with every `send` bounded by `timeoutMs`; other members are the client's own. */
export function boundedClient<C extends object>(
  client: C,
  where: string,
  timeoutMs: number = DEFAULT_PEER_TIMEOUT_MS,
): C {
  const target = client as unknown as Sends;
  return new Proxy(client, {
    get(object, property, receiver) {
      if (property !== "send") return Reflect.get(object, property, receiver) as unknown;
      return (command: { constructor: { name: string } }, options: { abortSignal?: AbortSignal } = {}) =>
        withDeadline(
          timeoutMs,
          options.abortSignal,
          `${command.constructor.name.replace(/Command$/, "")} in ${where}`,
          (abortSignal) => target.send(command, { ...options, abortSignal }),
        );
    },
  });
}

/**
 * `http` with every request bounded by `timeoutMs`. The signed-request function takes no signal,
 * so the socket is left to its own timeouts; the caller is released at the deadline.
 */
export function boundedHttp(
  http: SignedHttp,
  where: string,
  timeoutMs: number = DEFAULT_PEER_TIMEOUT_MS,
): SignedHttp {
  return (request) =>
    withDeadline(
      timeoutMs,
      undefined,
      `${request.method} ${request.path} on ${request.host} (${where})`,
      () => http(request),
    );
}

/** The failback's clients with every primary-Region one (and Route 53's control plane) bounded. */
export function boundPrimaryRegion(
  deps: {
    readonly clients: AwsClients;
    readonly failbackClients: FailbackClients;
    readonly peerTimeoutMs?: number;
  },
  primaryRegion: string,
): { clients: AwsClients; failbackClients: FailbackClients } {
  const where = `the primary Region (${primaryRegion})`;
  const bound = <C extends object>(client: C) => boundedClient(client, where, deps.peerTimeoutMs);
  return {
    clients: {
      ...deps.clients,
      primaryElastiCache: bound(deps.clients.primaryElastiCache),
      route53: bound(deps.clients.route53),
    },
    failbackClients: {
      ...deps.failbackClients,
      primaryCloudWatch: bound(deps.failbackClients.primaryCloudWatch),
      primaryOpenSearch: bound(deps.failbackClients.primaryOpenSearch),
      primarySignedHttp: boundedHttp(deps.failbackClients.primarySignedHttp, where, deps.peerTimeoutMs),
    },
  };
}

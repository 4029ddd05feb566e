/**
 * The clients a failback needs beyond the failover's (automation/aws/clients.ts): it works in the
 * primary Region too, which by then answers again. Created by an injected factory, so tests hand
 * in aws-sdk-client-mock clients and a fake signed-HTTP function.
 */
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { OpenSearchClient } from "@aws-sdk/client-opensearch";
import { ClientRegions, createSignedHttp, peerClientConfig, SignedHttp } from "../aws/clients";
import { DEFAULT_PEER_TIMEOUT_MS } from "../aws/deadline";

export interface FailbackClients {
  /** CloudWatch in the primary Region: the re-seeded replicas' lag is published there. */
  readonly primaryCloudWatch: CloudWatchClient;
  /** OpenSearch in the primary Region: the reverse connection starts at the primary domain. */
  readonly primaryOpenSearch: OpenSearchClient;
  /** OpenSearch in the dr Region: the dr domain accepts the reverse connection. */
  readonly drOpenSearch: OpenSearchClient;
  /** SigV4-signed REST calls to the primary domain (primary Region). */
  readonly primarySignedHttp: SignedHttp;
}

export type FailbackClientFactory = (regions: ClientRegions) => FailbackClients;

/** Primary-Region clients abandon a hung request (peerClientConfig); failbackSteps adds the deadline. */
export const createFailbackClients: FailbackClientFactory = ({ drRegion, primaryRegion, peerTimeoutMs }) => ({
  primaryCloudWatch: new CloudWatchClient(
    peerClientConfig(primaryRegion, peerTimeoutMs ?? DEFAULT_PEER_TIMEOUT_MS),
  ),
  primaryOpenSearch: new OpenSearchClient(
    peerClientConfig(primaryRegion, peerTimeoutMs ?? DEFAULT_PEER_TIMEOUT_MS),
  ),
  drOpenSearch: new OpenSearchClient({ region: drRegion }),
  primarySignedHttp: createSignedHttp(primaryRegion),
});

/**
 * Doubles for the failback: in-memory stacks that record every config change and `up` and derive
 * their outputs from their config the way the program does (stacks/databases.ts), and mocked
 * primary-Region and OpenSearch clients with a healthy, in-sync default.
 */
import { CloudWatchClient, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import {
  AcceptInboundConnectionCommand,
  CreateOutboundConnectionCommand,
  DescribeOutboundConnectionsCommand,
  OpenSearchClient,
} from "@aws-sdk/client-opensearch";
import { AwsClientStub, mockClient } from "aws-sdk-client-mock";
import { HttpResponse, SignedRequest } from "../../../automation/aws/clients";
import { FailbackClients } from "../../../automation/failback/failbackClients";
import { FailbackStackOps } from "../../../automation/failback/failbackStacks";
import { DR_OUTPUTS_ACTIVE, DR_OUTPUTS_STANDBY } from "../fakeOutputs";

export const PRIMARY_OUTPUTS = {
  role: "primary",
  mode: "active",
  region: "us-east-1",
  database: {
    instanceIdentifier: "payments-dr-primary",
    instanceArn: "arn:aws:rds:us-east-1:111122223333:db:payments-dr-primary",
    isReplica: false,
    generation: 0,
  },
  cache: { replicationGroupId: "payments-cache-primary", generation: 0 },
  search: {
    domainName: "payments-dr-primary",
    domainArn: "arn:aws:es:us-east-1:111122223333:domain/payments-dr-primary",
    endpoint: "vpc-payments-dr-primary-9xk2.us-east-1.es.amazonaws.com",
  },
};

export const DR_ARN = DR_OUTPUTS_ACTIVE.database.instanceArn;

/** A stack whose outputs follow its config; `calls` lists `<stack>: <operation>` in order. */
export class FakeStack implements FailbackStackOps {
  readonly config = new Map<string, string>();
  /** Throws once from the nth `up` (1-based), then works. */
  failUp?: { readonly at: number; readonly error: Error };
  private ups = 0;

  constructor(
    readonly name: string,
    readonly calls: string[],
    public current: Record<string, unknown>,
    private readonly onUp: (stack: FakeStack) => Record<string, unknown>,
  ) {}

  async outputs() {
    return this.current;
  }
  async getConfig(key: string) {
    return this.config.get(key);
  }
  async setConfig(key: string, value: string, path = false) {
    this.calls.push(`${this.name}: config set${path ? " --path" : ""} ${key} ${value}`);
    this.config.set(key, value);
  }
  async removeConfig(key: string, path = false) {
    this.calls.push(`${this.name}: config rm${path ? " --path" : ""} ${key}`);
    this.config.delete(key);
  }
  async up() {
    this.ups++;
    this.calls.push(`${this.name}: up`);
    if (this.failUp?.at === this.ups) throw this.failUp.error;
    this.current = this.onUp(this);
    return "create 5, same 140";
  }
}

export function fakeStacks(onDrOutputs: (outputs: Record<string, unknown>) => void) {
  const calls: string[] = [];
  const primary = new FakeStack("organization/payments-dr/primary", calls, PRIMARY_OUTPUTS, (s) => {
    const generation = Number(s.config.get("payments-dr:generation.database") ?? 0);
    const id = generation ? `payments-dr-primary-g${generation}` : "payments-dr-primary";
    return {
      ...PRIMARY_OUTPUTS,
      database: {
        instanceIdentifier: id,
        instanceArn: `arn:aws:rds:us-east-1:111122223333:db:${id}`,
        isReplica: s.config.has("payments-dr:generation.reseedSourceArn"),
        generation,
      },
    };
  });
  const dr = new FakeStack(
    "dr",
    calls,
    { ...DR_OUTPUTS_ACTIVE, database: { ...DR_OUTPUTS_ACTIVE.database, generation: 0 } },
    (s) => {
      const generation = Number(s.config.get("payments-dr:generation.database") ?? 0);
      const outputs = {
        ...DR_OUTPUTS_STANDBY,
        mode: s.config.get("payments-dr:mode") ?? "active",
        database: {
          ...DR_OUTPUTS_STANDBY.database,
          instanceIdentifier: `payments-db-dr-g${generation}`,
          generation,
        },
      };
      onDrOutputs(outputs);
      return outputs;
    },
  );
  return { calls, primary, dr };
}

export interface FakeFailbackAws {
  readonly clients: FailbackClients;
  readonly primaryCloudWatch: AwsClientStub<CloudWatchClient>;
  readonly primaryOpenSearch: AwsClientStub<OpenSearchClient>;
  readonly drOpenSearch: AwsClientStub<OpenSearchClient>;
  readonly primarySearchRequests: SignedRequest[];
  primarySearchHandler: (request: SignedRequest) => Promise<HttpResponse>;
}

const json = (body: unknown, statusCode = 200): HttpResponse => ({ statusCode, body: JSON.stringify(body) });

/** Answers of a follower domain: `own` indices, replication stats of `following`, equal checkpoints. */
export function searchDomain(own: string[], following: string[]) {
  return async (request: SignedRequest): Promise<HttpResponse> => {
    if (request.path.startsWith("/_cat/indices")) return json(own.map((index) => ({ index })));
    if (request.path === "/_plugins/_replication/follower_stats")
      return json({
        num_syncing_indices: following.length,
        index_stats: Object.fromEntries(following.map((i) => [i, {}])),
      });
    if (request.path.endsWith("/_status"))
      return json({ status: "SYNCING", syncing_details: { leader_checkpoint: 41, follower_checkpoint: 41 } });
    if (request.method === "GET" && request.path.startsWith("/_snapshot/"))
      return json({ snapshots: [{ state: "SUCCESS" }] });
    return json({ acknowledged: true });
  };
}

export function fakeFailbackAws(now: () => Date): FakeFailbackAws {
  const cw = new CloudWatchClient({ region: "us-east-1" });
  const primaryOs = new OpenSearchClient({ region: "us-east-1" });
  const drOs = new OpenSearchClient({ region: "us-west-2" });
  const fake: FakeFailbackAws = {
    primaryCloudWatch: mockClient(cw),
    primaryOpenSearch: mockClient(primaryOs),
    drOpenSearch: mockClient(drOs),
    primarySearchRequests: [],
    primarySearchHandler: searchDomain([".kibana", "payments", "refunds-2025"], ["payments", "refunds"]),
    clients: undefined as unknown as FailbackClients,
  };
  // Datapoints stamped "now": lag 0 after the freeze.
  fake.primaryCloudWatch.on(GetMetricDataCommand).callsFake(() => ({
    MetricDataResults: [
      { Id: "databaseLag", Values: [0], Timestamps: [now()] },
      { Id: "cacheLag", Values: [1], Timestamps: [now()] },
    ],
  }));
  let status: string | undefined;
  fake.primaryOpenSearch.on(DescribeOutboundConnectionsCommand).callsFake(() => ({
    Connections: status
      ? [
          {
            ConnectionId: "cc-7f3a",
            ConnectionAlias: "payments-failback",
            RemoteDomainInfo: { AWSDomainInformation: { DomainName: "payments-search-dr" } },
            ConnectionStatus: { StatusCode: status },
          },
        ]
      : [],
  }));
  fake.primaryOpenSearch.on(CreateOutboundConnectionCommand).callsFake(() => {
    status = "PENDING_ACCEPTANCE";
    return { ConnectionId: "cc-7f3a" };
  });
  fake.drOpenSearch.on(AcceptInboundConnectionCommand).callsFake(() => {
    status = "ACTIVE";
    return {};
  });
  (fake as { clients: FailbackClients }).clients = {
    primaryCloudWatch: cw,
    primaryOpenSearch: primaryOs,
    drOpenSearch: drOs,
    primarySignedHttp: (request) => {
      fake.primarySearchRequests.push(request);
      return fake.primarySearchHandler(request);
    },
  };
  return fake;
}

/**
 * A local HTTP server standing in for AWS, reached by the controller's real SDK clients through
 * `AWS_ENDPOINT_URL`. It speaks each protocol the controller uses: DynamoDB and CloudWatch (JSON
 * 1.0, `X-Amz-Target`), ElastiCache and RDS (query protocol, XML answers), Route 53 (REST-XML),
 * EKS (REST-JSON), the OpenSearch domain's REST API, and the ingress health GET.
 *
 * The calling Region is read from each request's SigV4 credential scope, so the primary Region
 * (us-east-1, where Route 53's control plane also signs) can be made to answer 503 or to hang
 * (accept and never answer). RDS and EKS answer from the fake `pulumi`'s state file: the database
 * is promoted and the nodes scaled once the fake `up` applied them.
 */
import * as fs from "fs";
import * as http from "http";
import { AddressInfo } from "net";

export interface AwsCall {
  /** e.g. `dynamodb:PutItem`, `route53:UpdateHealthCheck`, `es:DELETE /_plugins/...`, `health:GET /healthz`. */
  readonly action: string;
  readonly region: string;
  /** Milliseconds since the server started. */
  readonly at: number;
}

type Item = Record<string, Record<string, unknown>>;

export class FakeAwsServer {
  readonly calls: AwsCall[] = [];
  readonly table = new Map<string, Item>();
  /** How the primary Region (us-east-1) answers. */
  peer: "ok" | "5xx" | "hang" = "ok";
  /** Newest-first values of the dr-Region probe of the primary endpoint (1 = healthy). */
  probe: number[] = [1, 1, 1];
  /** The dr cache's role in the Global Datastore (the primary Region's group has the other role). */
  cacheRole: "SECONDARY" | "PRIMARY" | "detached" = "SECONDARY";
  /** The dr copy vault's recovery points (AWS Backup REST-JSON shape; dates in epoch seconds). */
  recoveryPoints: Record<string, unknown>[] = [];
  /** Status of the reversed OpenSearch connection (failback), once created. */
  private connection?: string;
  readonly started = Date.now();
  private readonly server = http.createServer((req, res) => this.handle(req, res));
  private readonly hung = new Set<http.ServerResponse>();

  constructor(private readonly pulumiStateFile: string) {}

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    for (const res of this.hung) res.destroy();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  actions(): string[] {
    return this.calls.map((c) => c.action);
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const scope = /Credential=[^/]+\/\d+\/([^/]+)\/([^/]+)\//.exec(req.headers.authorization ?? "");
      const region = scope?.[1] ?? "";
      const service = scope?.[2] ?? "";
      const action = this.actionOf(req, service, body);
      this.calls.push({ action, region, at: Date.now() - this.started });
      // Route 53's control plane is in us-east-1 (with an endpoint override the SDK signs with
      // the client's Region instead, so the service, not the scope, says where it is served).
      const peer = region === "us-east-1" || service === "route53";
      if (peer && this.peer === "hang") {
        this.hung.add(res);
        return;
      }
      if (peer && this.peer === "5xx") {
        res.writeHead(503, { "content-type": "text/xml" });
        res.end(errorXml("ServiceUnavailable", "Service Unavailable"));
        return;
      }
      try {
        this.answer(action, region, req, body, res);
      } catch (error) {
        res.writeHead(500, { "content-type": "text/plain" });
        res.end(`fake AWS: ${String(error)}`);
      }
    });
  }

  private actionOf(req: http.IncomingMessage, service: string, body: string): string {
    const target = req.headers["x-amz-target"];
    if (typeof target === "string") return `${service}:${target.split(".").pop()}`;
    if (service === "elasticache" || service === "rds") {
      return `${service}:${new URLSearchParams(body).get("Action")}`;
    }
    const path = (req.url ?? "").split("?")[0];
    if (service === "route53")
      return /^\/2013-04-01\/healthcheck\//.test(path) ? "route53:UpdateHealthCheck" : `route53:${path}`;
    if (service === "eks") return "eks:DescribeNodegroup";
    if (service === "es") return `es:${req.method} ${path}`;
    if (service === "backup") return `backup:${req.method} ${path}`;
    return `health:${req.method} ${path}`;
  }

  private pulumiOutputs(): Record<string, Record<string, unknown>> {
    return (
      JSON.parse(fs.readFileSync(this.pulumiStateFile, "utf8")) as {
        outputs: Record<string, Record<string, unknown>>;
      }
    ).outputs;
  }

  private answer(
    action: string,
    region: string,
    req: http.IncomingMessage,
    body: string,
    res: http.ServerResponse,
  ): void {
    const json = (status: number, value: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "application/x-amz-json-1.0", ...headers });
      res.end(JSON.stringify(value));
    };
    const xml = (text: string) => {
      res.writeHead(200, { "content-type": "text/xml" });
      res.end(text);
    };
    if (/^backup:GET \/backup-vaults\/[^/]+\/recovery-points$/.test(action)) {
      json(200, { RecoveryPoints: this.recoveryPoints });
      return;
    }
    if (action.startsWith("dynamodb:")) {
      const result = this.dynamo(action.slice("dynamodb:".length), JSON.parse(body) as Record<string, never>);
      if (result === "conditional") {
        json(400, {
          __type: "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException",
          message: "The conditional request failed",
        });
      } else json(200, result);
      return;
    }
    if (action === "monitoring:GetMetricData") {
      const input = JSON.parse(body) as { MetricDataQueries: { Id: string }[] };
      // In the primary Region (failback): the re-seeded replica caught up, on a fresh datapoint.
      const primary = region === "us-east-1";
      const values: Record<string, number[]> = {
        databaseLag: primary ? [0] : [4, 6, 3],
        cacheLag: primary ? [0] : [2, 1],
        primaryHealthy: this.probe,
      };
      const newest = primary ? Math.ceil(Date.now() / 1000) + 5 : Math.floor(Date.now() / 1000);
      json(200, {
        MetricDataResults: input.MetricDataQueries.map((q) => ({
          Id: q.Id,
          Values: values[q.Id] ?? [],
          Timestamps: (values[q.Id] ?? []).map((_, i) => newest - 60 * i),
          StatusCode: "Complete",
        })),
      });
      return;
    }
    if (action === "route53:UpdateHealthCheck") {
      const id = (req.url ?? "").split("/").pop();
      return xml(
        `<?xml version="1.0"?><UpdateHealthCheckResponse xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><HealthCheck><Id>${id}</Id><CallerReference>fake</CallerReference><HealthCheckConfig><Type>CALCULATED</Type><Inverted>${/<Inverted>true/.test(body)}</Inverted></HealthCheckConfig><HealthCheckVersion>2</HealthCheckVersion></HealthCheck></UpdateHealthCheckResponse>`,
      );
    }
    if (action === "elasticache:DescribeGlobalReplicationGroups") {
      const entry = (id: string, r: string, role: string) =>
        `<GlobalReplicationGroupMember><ReplicationGroupId>${id}</ReplicationGroupId><ReplicationGroupRegion>${r}</ReplicationGroupRegion><Role>${role}</Role><Status>associated</Status></GlobalReplicationGroupMember>`;
      const member =
        entry("payments-cache-primary", "us-east-1", this.cacheRole === "PRIMARY" ? "SECONDARY" : "PRIMARY") +
        (this.cacheRole === "detached" ? "" : entry("payments-cache-dr", "us-west-2", this.cacheRole));
      return xml(
        query(
          "DescribeGlobalReplicationGroups",
          `<GlobalReplicationGroups><GlobalReplicationGroup><GlobalReplicationGroupId>ldgnf-payments-cache</GlobalReplicationGroupId><Members>${member}</Members></GlobalReplicationGroup></GlobalReplicationGroups>`,
        ),
      );
    }
    if (action === "elasticache:FailoverGlobalReplicationGroup") {
      const target = new URLSearchParams(body).get("PrimaryReplicationGroupId");
      this.cacheRole = target === "payments-cache-primary" ? "SECONDARY" : "PRIMARY";
      return xml(
        query(
          "FailoverGlobalReplicationGroup",
          "<GlobalReplicationGroup><GlobalReplicationGroupId>ldgnf-payments-cache</GlobalReplicationGroupId></GlobalReplicationGroup>",
        ),
      );
    }
    if (action === "elasticache:DisassociateGlobalReplicationGroup") {
      this.cacheRole = "detached";
      return xml(
        query(
          "DisassociateGlobalReplicationGroup",
          "<GlobalReplicationGroup><GlobalReplicationGroupId>ldgnf-payments-cache</GlobalReplicationGroupId></GlobalReplicationGroup>",
        ),
      );
    }
    if (action === "rds:DescribeDBInstances") {
      const db = this.pulumiOutputs().database;
      const source = db.isReplica
        ? "<ReadReplicaSourceDBInstanceIdentifier>arn:aws:rds:us-east-1:111122223333:db:payments-db-primary</ReadReplicaSourceDBInstanceIdentifier>"
        : "";
      return xml(
        query(
          "DescribeDBInstances",
          `<DBInstances><DBInstance><DBInstanceIdentifier>${String(db.instanceIdentifier)}</DBInstanceIdentifier><DBInstanceStatus>available</DBInstanceStatus>${source}<DBParameterGroups><DBParameterGroup><DBParameterGroupName>database-parameters-5d1e2f0</DBParameterGroupName><ParameterApplyStatus>in-sync</ParameterApplyStatus></DBParameterGroup></DBParameterGroups></DBInstance></DBInstances>`,
        ),
      );
    }
    if (action === "rds:ModifyDBParameterGroup") {
      const name = new URLSearchParams(body).get("DBParameterGroupName") ?? "";
      return xml(query("ModifyDBParameterGroup", `<DBParameterGroupName>${name}</DBParameterGroupName>`));
    }
    if (action.startsWith("es:") && action.includes(" /2021-01-01/opensearch/cc/")) {
      const connection = () =>
        this.connection
          ? [
              {
                ConnectionId: "cc-failback",
                ConnectionAlias: "payments-failback",
                RemoteDomainInfo: { AWSDomainInformation: { DomainName: "payments-search-dr" } },
                ConnectionStatus: { StatusCode: this.connection },
              },
            ]
          : [];
      if (action.endsWith("/outboundConnection/search")) return json(200, { Connections: connection() });
      if (action.endsWith("/outboundConnection")) {
        this.connection = "PENDING_ACCEPTANCE";
        return json(200, { ConnectionId: "cc-failback", ConnectionStatus: { StatusCode: this.connection } });
      }
      if (action.endsWith("/accept")) {
        this.connection = "ACTIVE";
        return json(200, { Connection: connection()[0] });
      }
    }
    if (action === "es:GET /_cat/indices") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end("[]");
      return;
    }
    if (action.startsWith("es:GET /_plugins/_replication/") && action.endsWith("/_status")) {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          status: "SYNCING",
          syncing_details: { leader_checkpoint: 41, follower_checkpoint: 41 },
        }),
      );
      return;
    }
    if (action === "eks:DescribeNodegroup") {
      const desiredSize = Number(this.pulumiOutputs().eks.desiredNodeCount);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          nodegroup: { status: "ACTIVE", scalingConfig: { desiredSize, minSize: 1, maxSize: 6 } },
        }),
      );
      return;
    }
    if (action === "es:GET /_plugins/_replication/follower_stats") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ num_syncing_indices: 2, index_stats: { payments: {}, refunds: {} } }));
      return;
    }
    if (action.startsWith("es:")) {
      res.writeHead(200, { "content-type": "application/json" });
      res.end('{"acknowledged":true}');
      return;
    }
    if (action === "health:GET /healthz") {
      res.writeHead(200, { "content-type": "text/plain" });
      res.end("ok");
      return;
    }
    res.writeHead(404, { "content-type": "text/plain" });
    res.end(`fake AWS: no handler for ${action}`);
  }

  /** The four condition expressions of stateStore.ts; anything else is a test failure. */
  private dynamo(op: string, input: Record<string, never>): unknown {
    const values = (input.ExpressionAttributeValues ?? {}) as Record<string, Record<string, string>>;
    const keyOf = (key: Item) => `${String(key.pk.S)}|${String(key.sk.S)}`;
    const holds = (item: Item | undefined, condition: string | undefined): boolean => {
      if (!condition) return true;
      if (condition === "attribute_not_exists(pk)") return item === undefined;
      if (!item) return false;
      return condition.split(" AND ").every((part) => {
        const [attr, placeholder] = part.split(" = ");
        const expected = values[placeholder];
        if (!expected) throw new Error(`unsupported condition ${condition}`);
        return JSON.stringify(item[attr]) === JSON.stringify(expected);
      });
    };
    if (op === "GetItem")
      return { ...(this.table.has(keyOf(input.Key)) ? { Item: this.table.get(keyOf(input.Key)) } : {}) };
    if (op === "PutItem") {
      const item = input.Item as Item;
      if (!holds(this.table.get(keyOf(item)), input.ConditionExpression)) return "conditional";
      this.table.set(keyOf(item), item);
      return {};
    }
    if (op === "UpdateItem") {
      const current = this.table.get(keyOf(input.Key));
      if (!holds(current, input.ConditionExpression)) return "conditional";
      if (input.UpdateExpression !== "SET expiresAt = :expiry")
        throw new Error(`unsupported update ${String(input.UpdateExpression)}`);
      this.table.set(keyOf(input.Key), { ...(current as Item), expiresAt: values[":expiry"] });
      return {};
    }
    if (op === "DeleteItem") {
      if (!holds(this.table.get(keyOf(input.Key)), input.ConditionExpression)) return "conditional";
      this.table.delete(keyOf(input.Key));
      return {};
    }
    if (op === "Query") {
      const items = [...this.table.values()]
        .filter((i) => i.pk.S === values[":pk"].S && String(i.sk.S).startsWith(values[":run"].S))
        .sort((a, b) => (String(a.sk.S) < String(b.sk.S) ? 1 : -1));
      return { Items: items.slice(0, (input.Limit as number | undefined) ?? items.length) };
    }
    throw new Error(`unsupported DynamoDB operation ${op}`);
  }
}

function query(action: string, result: string): string {
  return `<?xml version="1.0"?><${action}Response><${action}Result>${result}</${action}Result><ResponseMetadata><RequestId>fake</RequestId></ResponseMetadata></${action}Response>`;
}

function errorXml(code: string, message: string): string {
  return `<?xml version="1.0"?><ErrorResponse><Error><Type>Receiver</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>fake</RequestId></ErrorResponse>`;
}

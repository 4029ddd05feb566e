/**
 * Test doubles for the failover controller: a recording fake of the Pulumi CLI (fakePulumi.ts), an
 * in-memory DynamoDB table behind aws-sdk-client-mock, and per-Region mocked AWS clients.
 */
import { CloudWatchClient, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
  AttributeValue,
} from "@aws-sdk/client-dynamodb";
import {
  DescribeGlobalReplicationGroupsCommand,
  ElastiCacheClient,
  FailoverGlobalReplicationGroupCommand,
} from "@aws-sdk/client-elasticache";
import { DescribeDBInstancesCommand, RDSClient } from "@aws-sdk/client-rds";
import { Route53Client, UpdateHealthCheckCommand } from "@aws-sdk/client-route-53";
import { AwsClientStub, mockClient } from "aws-sdk-client-mock";
import { BackupClient } from "@aws-sdk/client-backup";
import { S3Client } from "@aws-sdk/client-s3";
import { AwsClients, HttpResponse, SignedRequest } from "../../automation/aws/clients";
import { NodegroupState } from "../../automation/state/drState";

export { DR_OUTPUTS_ACTIVE, DR_OUTPUTS_STANDBY } from "./fakeOutputs";
export { FakePulumi } from "./fakePulumi";

type Item = Record<string, AttributeValue>;

/** An in-memory DynamoDB table that evaluates the controller's condition expressions. */
export class FakeTable {
  readonly items = new Map<string, Item>();
  /** When set, every call throws it (the process "crashed" or the table is unreachable). */
  down?: Error;
  /** The mocked client, to assert the calls made. */
  stub?: AwsClientStub<DynamoDBClient>;
  /** When set, lock renewals (UpdateItem) throw it: the table is failing for this call only. */
  updateError?: Error;
  /** Called after each successful write, for crash injection. */
  afterWrite?: (item: Item | undefined, kind: string) => void;

  key(pk: string, sk: string): string {
    return `${pk}|${sk}`;
  }

  get(pk: string, sk: string): Item | undefined {
    return this.items.get(this.key(pk, sk));
  }

  attach(client: DynamoDBClient): void {
    const mock = mockClient(client);
    this.stub = mock;
    const guard = () => {
      if (this.down) throw this.down;
    };
    const fail = () => {
      throw new ConditionalCheckFailedException({ message: "The conditional request failed", $metadata: {} });
    };
    const check = (existing: Item | undefined, expr: string | undefined, values: Item = {}) => {
      if (!expr) return;
      if (expr === "attribute_not_exists(pk)") return existing ? fail() : undefined;
      if (!existing) return fail();
      for (const clause of expr.split(" AND ")) {
        const [attr, placeholder] = clause.split(" = ");
        if (JSON.stringify(existing[attr]) !== JSON.stringify(values[placeholder])) fail();
      }
    };
    mock.on(GetItemCommand).callsFake((input) => {
      guard();
      return { Item: this.get(input.Key.pk.S, input.Key.sk.S) };
    });
    mock.on(PutItemCommand).callsFake((input) => {
      guard();
      const k = this.key(input.Item.pk.S, input.Item.sk.S);
      check(this.items.get(k), input.ConditionExpression, input.ExpressionAttributeValues);
      this.items.set(k, input.Item);
      this.afterWrite?.(input.Item, "put");
      return {};
    });
    mock.on(UpdateItemCommand).callsFake((input) => {
      guard();
      if (this.updateError) throw this.updateError;
      const k = this.key(input.Key.pk.S, input.Key.sk.S);
      const existing = this.items.get(k);
      check(existing, input.ConditionExpression, input.ExpressionAttributeValues);
      this.items.set(k, { ...existing, expiresAt: input.ExpressionAttributeValues[":expiry"] });
      return {};
    });
    mock.on(DeleteItemCommand).callsFake((input) => {
      guard();
      const k = this.key(input.Key.pk.S, input.Key.sk.S);
      check(this.items.get(k), input.ConditionExpression, input.ExpressionAttributeValues);
      this.items.delete(k);
      this.afterWrite?.(undefined, "delete");
      return {};
    });
    mock.on(QueryCommand).callsFake((input) => {
      guard();
      const pk = input.ExpressionAttributeValues[":pk"].S;
      const prefix = input.ExpressionAttributeValues[":run"].S;
      const matches = [...this.items.values()]
        .filter((i) => i.pk.S === pk && (i.sk.S ?? "").startsWith(prefix))
        .sort((a, b) => ((a.sk.S ?? "") < (b.sk.S ?? "") ? 1 : -1));
      return { Items: matches.slice(0, input.Limit ?? matches.length) };
    });
  }
}

export interface FakeAws {
  readonly clients: AwsClients;
  readonly route53: AwsClientStub<Route53Client>;
  readonly drCache: AwsClientStub<ElastiCacheClient>;
  readonly primaryCache: AwsClientStub<ElastiCacheClient>;
  readonly cloudWatch: AwsClientStub<CloudWatchClient>;
  /** RDS in the dr Region: by default the promoted, available instance. */
  readonly rds: AwsClientStub<RDSClient>;
  /** AWS Backup and S3 in the dr Region (backup-restore); no answers set by default. */
  readonly backup: AwsClientStub<BackupClient>;
  readonly s3: AwsClientStub<S3Client>;
  /** What eks:DescribeNodegroup answers (default: ACTIVE at 3 nodes); calls in `nodegroupRequests`. */
  nodegroup: NodegroupState | (() => NodegroupState);
  readonly nodegroupRequests: string[][];
  readonly table: FakeTable;
  readonly searchRequests: SignedRequest[];
  searchHandler: (request: SignedRequest) => Promise<HttpResponse>;
  readonly healthRequests: string[];
  readonly regions: { drRegion?: string; primaryRegion?: string };
}

const members = (drRole: "PRIMARY" | "SECONDARY") => ({
  GlobalReplicationGroups: [
    {
      GlobalReplicationGroupId: "ldgnf-payments-cache",
      Status: "available",
      Members: [
        {
          ReplicationGroupId: "payments-cache-primary",
          ReplicationGroupRegion: "us-east-1",
          Role: drRole === "PRIMARY" ? "SECONDARY" : "PRIMARY",
        },
        { ReplicationGroupId: "payments-cache-dr", ReplicationGroupRegion: "us-west-2", Role: drRole },
      ],
    },
  ],
});

/** Mocked clients with healthy defaults: lag 4 s / 2 s, graceful cache failover, follower with two indices. */
export function fakeAws(): FakeAws {
  const route53Client = new Route53Client({ region: "us-west-2" });
  const drCacheClient = new ElastiCacheClient({ region: "us-west-2" });
  const primaryCacheClient = new ElastiCacheClient({ region: "us-east-1" });
  const cloudWatchClient = new CloudWatchClient({ region: "us-west-2" });
  const dynamoClient = new DynamoDBClient({ region: "us-west-2" });
  const rdsClient = new RDSClient({ region: "us-west-2" });
  const backupClient = new BackupClient({ region: "us-west-2" });
  const s3Client = new S3Client({ region: "us-west-2" });
  const table = new FakeTable();
  table.attach(dynamoClient);
  let failedOver = false;
  const fake: FakeAws = {
    route53: mockClient(route53Client),
    drCache: mockClient(drCacheClient),
    primaryCache: mockClient(primaryCacheClient),
    cloudWatch: mockClient(cloudWatchClient),
    rds: mockClient(rdsClient),
    backup: mockClient(backupClient),
    s3: mockClient(s3Client),
    nodegroup: { status: "ACTIVE", desiredSize: 3, minSize: 1, maxSize: 6, healthIssues: [] },
    nodegroupRequests: [],
    table,
    searchRequests: [],
    healthRequests: [],
    regions: {},
    searchHandler: async (request) => {
      if (request.method === "GET") {
        return {
          statusCode: 200,
          body: JSON.stringify({ num_syncing_indices: 2, index_stats: { payments: {}, refunds: {} } }),
        };
      }
      return { statusCode: 200, body: '{"acknowledged":true}' };
    },
    clients: undefined as unknown as AwsClients,
  };
  fake.route53.on(UpdateHealthCheckCommand).resolves({});
  fake.drCache
    .on(DescribeGlobalReplicationGroupsCommand)
    .callsFake(() => members(failedOver ? "PRIMARY" : "SECONDARY"));
  fake.primaryCache.on(FailoverGlobalReplicationGroupCommand).callsFake(() => {
    failedOver = true;
    return {};
  });
  fake.cloudWatch.on(GetMetricDataCommand).resolves({
    MetricDataResults: [
      { Id: "databaseLag", Values: [4, 6, 3], Timestamps: [], StatusCode: "Complete" },
      { Id: "cacheLag", Values: [2, 1], Timestamps: [], StatusCode: "Complete" },
    ],
  });
  fake.rds.on(DescribeDBInstancesCommand).resolves({
    DBInstances: [{ DBInstanceIdentifier: "payments-db-dr", DBInstanceStatus: "available" }],
  });
  const clients: AwsClients = {
    route53: route53Client,
    elastiCache: drCacheClient,
    primaryElastiCache: primaryCacheClient,
    cloudWatch: cloudWatchClient,
    dynamoDb: dynamoClient,
    rds: rdsClient,
    backup: backupClient,
    s3: s3Client,
    describeNodegroup: async (clusterName, nodegroupName) => {
      fake.nodegroupRequests.push([clusterName, nodegroupName]);
      return typeof fake.nodegroup === "function" ? fake.nodegroup() : fake.nodegroup;
    },
    signedHttp: (request) => {
      fake.searchRequests.push(request);
      return fake.searchHandler(request);
    },
    httpGet: async (url) => {
      fake.healthRequests.push(url);
      return { statusCode: 200, body: "ok" };
    },
  };
  (fake as { clients: AwsClients }).clients = clients;
  return fake;
}

import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { formatStackCost, stackCost } from "../../model/cost/cost";
import { PRICES, PriceTable } from "../../model/cost/prices";
import { RenderedResource, RenderedStack } from "../../model/rendered";

const EAST = "us-east-1";
const WEST = "us-west-2";

function resource(
  stack: string,
  type: string,
  name: string,
  region: string | null,
  inputs: Record<string, unknown> = {},
  outputs: Record<string, unknown> = {},
  custom = true,
): RenderedResource {
  return {
    urn: `urn:pulumi:${stack}::payments-dr::${type}::${name}`,
    id: name,
    type,
    name,
    custom,
    parent: null,
    provider: null,
    region,
    inputs,
    outputs: { ...inputs, ...outputs },
    dependencies: [],
    protect: false,
    ignoreChanges: [],
    replaceOnChanges: [],
    deleteBeforeReplace: false,
    retainOnDelete: false,
  };
}

const stack = (name: string, region: string, resources: RenderedResource[]): RenderedStack => ({
  stack: name,
  project: "payments-dr",
  config: { "aws:region": region },
  resources,
  outputs: {},
});

/** Round prices so every figure below is checkable by hand. */
const entry = (unit: string, east: number, west = east) => ({
  unit,
  usd: { [EAST]: east, [WEST]: west },
  source: "https://aws.amazon.com/pricing/",
  taken: "2026-12-01",
  basis: "test",
});
const TABLE: PriceTable = {
  currency: "USD",
  hoursPerMonth: 730,
  prices: {
    "rds.postgres.db.r6g.large": entry("instance-hour", 0.2),
    "rds.gp3": entry("GB-month", 0.1),
    "rds.backup": entry("GB-month", 0.1),
    "transfer.interRegion": entry("GB", 0.02),
    "elasticache.cache.r7g.large": entry("node-hour", 0.2, 0.25),
    "elasticache.backup": entry("GB-month", 0.1),
    "ec2.instance.m6i.large": entry("instance-hour", 0.1),
    "ebs.gp3": entry("GB-month", 0.08),
    "nat.hour": entry("gateway-hour", 0.05),
    "nat.processed": entry("GB", 0.05),
  },
};

describe("cost model (ESTIMATE from rendered resources)", () => {
  it("prices a Multi-AZ read replica: two instances, two copies of storage, backups beyond the free allowance and the replication transfer billed in the source Region", () => {
    const replica = resource("dr", "aws:rds/instance:Instance", "database", WEST, {
      engine: "postgres",
      instanceClass: "db.r6g.large",
      multiAz: true,
      allocatedStorage: 100,
      storageType: "gp3",
      backupRetentionPeriod: 14,
      replicateSourceDb: `arn:aws:rds:${EAST}:111122223333:db:payments-dr-primary`,
    });
    const cost = stackCost(stack("dr", WEST, [replica]), undefined, TABLE);
    assert.deepStrictEqual(
      cost.lines.map((l) => [l.item, l.region, l.quantity, l.unitUsd, l.monthlyUsd]),
      [
        // 2 x 730 h x $0.2
        ["db.r6g.large instance hours (Multi-AZ: 2 instances)", WEST, 1460, 0.2, 292],
        ["gp3 storage (Multi-AZ: 2 instances)", WEST, 200, 0.1, 20],
        // 100 GB x (1 + 0.05 x 13 days) - 100 GB free = 65 GB
        ["automated backups beyond the free allowance (14 days)", WEST, 65, 0.1, 6.5],
        // 100 GB x 5% x 30 days, sent from us-east-1
        ["replication from the source instance", EAST, 150, 0.02, 3],
      ],
    );
    assert.strictEqual(cost.monthlyUsd, 321.5);
    assert.strictEqual(cost.estimate, true);
  });

  it("reads a Global Datastore secondary's node type from the primary member in the other stack, and prices its replication", () => {
    const primaryGroup = resource(
      "primary",
      "aws:elasticache/replicationGroup:ReplicationGroup",
      "cache",
      EAST,
      {
        replicationGroupId: "payments-primary",
        nodeType: "cache.r7g.large",
        numCacheClusters: 2,
      },
    );
    const global = resource(
      "primary",
      "aws:elasticache/globalReplicationGroup:GlobalReplicationGroup",
      "cache-global",
      EAST,
      { primaryReplicationGroupId: "payments-primary" },
      { globalReplicationGroupId: "ldgnf-payments" },
    );
    const secondary = resource("dr", "aws:elasticache/replicationGroup:ReplicationGroup", "cache", WEST, {
      replicationGroupId: "payments-dr",
      globalReplicationGroupId: "ldgnf-payments",
      numCacheClusters: 2,
      snapshotRetentionLimit: 7,
    });
    const primary = stack("primary", EAST, [primaryGroup, global]);
    const dr = stack("dr", WEST, [secondary]);
    assert.deepStrictEqual(
      stackCost(dr, [primary, dr], TABLE).lines.map((l) => [l.item, l.region, l.monthlyUsd]),
      [
        // 2 x 730 h x $0.25 (the us-west-2 price)
        ["2 x cache.r7g.large node hours", WEST, 365],
        // 10 GB assumed x 7 snapshots x $0.1
        ["7 daily snapshots", WEST, 7],
        // 10 GB x 5% x 30 days x $0.02
        ["Global Datastore replication", EAST, 0.3],
      ],
    );
    assert.deepStrictEqual(stackCost(dr, [dr], TABLE).unpriced, [
      {
        urn: secondary.urn,
        type: secondary.type,
        name: "cache",
        reason: "node type not rendered (a Global Datastore secondary whose primary is not rendered)",
      },
    ]);
  });

  it("prices nodes at the node group's desired size with the launch template's root volume, and NAT gateways from the awsx VPC component", () => {
    const template = resource(
      "dr",
      "aws:ec2/launchTemplate:LaunchTemplate",
      "template",
      WEST,
      { blockDeviceMappings: [{ ebs: { volumeSize: 50, volumeType: "gp3" } }] },
      { id: "lt-1" },
    );
    const nodes = resource("dr", "aws:eks/nodeGroup:NodeGroup", "nodes", WEST, {
      instanceTypes: ["m6i.large"],
      launchTemplate: { id: "lt-1" },
      scalingConfig: { desiredSize: 1, minSize: 1, maxSize: 6 },
    });
    const vpc = resource(
      "dr",
      "awsx:ec2:Vpc",
      "vpc",
      WEST,
      { natGateways: { strategy: "OnePerAz" }, numberOfAvailabilityZones: 3 },
      {},
      false,
    );
    const cost = stackCost(stack("dr", WEST, [template, nodes, vpc]), undefined, TABLE);
    assert.deepStrictEqual(
      cost.lines.map((l) => [l.item, l.monthlyUsd]),
      [
        ["1 x m6i.large node hours (desired size)", 73],
        ["1 x 50 GB gp3 root volumes", 4],
        ["3 NAT gateway hours (OnePerAz)", 109.5],
        ["NAT data processed (100 GB per gateway, assumed)", 15],
      ],
    );
    assert.strictEqual(cost.monthlyUsd, 201.5);
  });

  it("prices a node group scaled to zero at nothing, and lists what it cannot price instead of counting it as zero", () => {
    const idle = resource("dr", "aws:eks/nodeGroup:NodeGroup", "nodes", WEST, {
      instanceTypes: ["m6i.large"],
      scalingConfig: { desiredSize: 0, minSize: 0, maxSize: 6 },
    });
    const unknownType = resource("dr", "aws:memorydb/cluster:Cluster", "ledger", WEST, {});
    const noPrice = resource("dr", "aws:eks/cluster:Cluster", "cluster", WEST, {});
    const lambda = resource("dr", "aws:lambda/function:Function", "fn", WEST, {});
    const cost = stackCost(stack("dr", WEST, [idle, unknownType, noPrice, lambda]), undefined, TABLE);
    assert.deepStrictEqual(
      cost.lines.map((l) => [l.item, l.monthlyUsd]),
      [["0 x m6i.large node hours (desired size)", 0]],
    );
    assert.deepStrictEqual(
      cost.unpriced.map((u) => [u.name, u.reason]),
      [
        ["nodes", "no price ebs.gp2 for us-west-2 (0 x 20 GB gp2 root volumes)"],
        ["ledger", "no pricing rule for this type"],
        ["cluster", "no price eks.cluster for us-west-2 (control plane hours)"],
      ],
    );
    assert.deepStrictEqual(
      cost.usageBased.map((u) => u.name),
      ["fn"],
    );
    assert.strictEqual(cost.monthlyUsd, 0);
  });

  it("labels its text as an estimate and lists what is not in the total", () => {
    const unknownType = resource("dr", "aws:memorydb/cluster:Cluster", "ledger", WEST, {});
    assert.deepStrictEqual(formatStackCost(stackCost(stack("dr", WEST, [unknownType]), undefined, TABLE)), [
      "  Monthly cost ESTIMATE for dr: $0.00 (on-demand list prices, model/cost/priceTable.json)",
      "    NOT PRICED (not in the total):",
      "      aws:memorydb/cluster:Cluster ledger: no pricing rule for this type",
    ]);
  });

  it("gives every price in the table a source page on aws.amazon.com, a date or an explicit null, a basis and both Regions", () => {
    const problems = Object.entries(PRICES.prices).flatMap(([key, p]) => [
      ...(/^https:\/\/aws\.amazon\.com\//.test(p.source) ? [] : [`${key}: source ${p.source}`]),
      ...(p.taken === null || /^\d{4}-\d{2}(-\d{2})?$/.test(p.taken) ? [] : [`${key}: taken ${p.taken}`]),
      ...(p.taken === null && !/unverified/.test(p.basis)
        ? [`${key}: undated without saying unverified`]
        : []),
      ...(p.basis.length > 10 ? [] : [`${key}: basis`]),
      ...[EAST, WEST].filter((r) => typeof p.usd[r] !== "number").map((r) => `${key}: no ${r} price`),
    ]);
    assert.deepStrictEqual(problems, []);
  });

  it("lists every price of the table in docs/cost-model.md with the same figures and dates", () => {
    const doc = fs.readFileSync(path.join(__dirname, "../../docs/cost-model.md"), "utf8");
    const missing = Object.entries(PRICES.prices)
      .map(
        ([key, p]) =>
          `| \`${key}\` | ${p.unit} | ${p.usd[EAST]} | ${p.usd[WEST]} | ${p.source} | ${p.taken ?? "none (unverified)"} |`,
      )
      .filter((row) => !doc.includes(row));
    assert.deepStrictEqual(missing, []);
  });
});

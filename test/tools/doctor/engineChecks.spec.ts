import * as assert from "assert";
import { DescribeCacheEngineVersionsCommand } from "@aws-sdk/client-elasticache";
import { ListInstanceTypeDetailsCommand, ListVersionsCommand } from "@aws-sdk/client-opensearch";
import { DescribeOrderableDBInstanceOptionsCommand } from "@aws-sdk/client-rds";
import { DescribeOrderableClusterOptionsCommand } from "@aws-sdk/client-redshift";
import {
  byVersion,
  cacheCheck,
  databaseCheck,
  searchCheck,
  warehouseCheck,
} from "../../../tools/doctor/engineChecks";
import { context, drConfig, lineOf, mocks, resetMocks } from "./fixtures";

describe("doctor: orderable engines and classes", () => {
  beforeEach(resetMocks);

  describe("RDS PostgreSQL", () => {
    it("passes for a major version with an orderable minor on the class, reading every page", async () => {
      mocks.rds
        .on(DescribeOrderableDBInstanceOptionsCommand, { Marker: undefined })
        .resolves({ OrderableDBInstanceOptions: [{ EngineVersion: "15.10" }], Marker: "p2" })
        .on(DescribeOrderableDBInstanceOptionsCommand, { Marker: "p2" })
        .resolves({ OrderableDBInstanceOptions: [{ EngineVersion: "16.6" }, { EngineVersion: "16.10" }] });
      assert.strictEqual(
        await lineOf(databaseCheck),
        "PASS rds.orderable: postgres 16 on db.r6g.large in us-west-2 (16.10 newest)",
      );
      assert.deepStrictEqual(
        mocks.rds.commandCalls(DescribeOrderableDBInstanceOptionsCommand)[0].args[0].input,
        {
          Engine: "postgres",
          DBInstanceClass: "db.r6g.large",
          Vpc: true,
          Marker: undefined,
        },
      );
    });

    it("fails for a pinned minor that is no longer orderable, naming the orderable minors and the major-only fix", async () => {
      mocks.rds.on(DescribeOrderableDBInstanceOptionsCommand).resolves({
        OrderableDBInstanceOptions: [
          { EngineVersion: "16.8" },
          { EngineVersion: "16.6" },
          { EngineVersion: "17.2" },
        ],
      });
      const config = drConfig();
      const ctx = context({ ...config, database: { ...config.database, engineVersion: "16.4" } });
      assert.strictEqual(
        await lineOf(databaseCheck, ctx),
        "FAIL rds.orderable: postgres 16.4 is not orderable on db.r6g.large in us-west-2 (orderable 16.x: 16.6, 16.8). " +
          "Fix: pulumi config set --path payments-dr:database.engineVersion 16",
      );
    });

    it("fails when the class is not orderable at all", async () => {
      mocks.rds.on(DescribeOrderableDBInstanceOptionsCommand).resolves({ OrderableDBInstanceOptions: [] });
      assert.strictEqual(
        await lineOf(databaseCheck),
        "FAIL rds.orderable: db.r6g.large is not orderable for postgres in us-west-2. " +
          "Fix: pulumi config set --path payments-dr:database.instanceClass <a class orderable in the Region>",
      );
    });
  });

  describe("ElastiCache", () => {
    it("passes when the engine version is offered", async () => {
      mocks.elasticache
        .on(DescribeCacheEngineVersionsCommand, { Engine: "redis", EngineVersion: "7.1" })
        .resolves({ CacheEngineVersions: [{ Engine: "redis", EngineVersion: "7.1" }] });
      assert.strictEqual(await lineOf(cacheCheck), "PASS elasticache.engine: redis 7.1 in us-west-2");
    });

    it("fails when it is not", async () => {
      mocks.elasticache.on(DescribeCacheEngineVersionsCommand).resolves({ CacheEngineVersions: [] });
      assert.strictEqual(
        await lineOf(cacheCheck),
        "FAIL elasticache.engine: redis 7.1 is not offered in us-west-2. Fix: pulumi config set --path payments-dr:cache.engineVersion <a version aws elasticache describe-cache-engine-versions --engine redis lists>",
      );
    });
  });

  describe("OpenSearch", () => {
    it("passes when the version is listed and the instance type is offered for it", async () => {
      mocks.opensearch.on(ListVersionsCommand).resolves({ Versions: ["OpenSearch_2.19", "OpenSearch_2.17"] });
      mocks.opensearch.on(ListInstanceTypeDetailsCommand, { EngineVersion: "OpenSearch_2.17" }).resolves({
        InstanceTypeDetails: [{ InstanceType: "r6g.large.search" }, { InstanceType: "m6g.large.search" }],
      });
      assert.strictEqual(
        await lineOf(searchCheck),
        "PASS opensearch.orderable: OpenSearch_2.17 on r6g.large.search in us-west-2",
      );
    });

    it("fails on a version the Region does not offer, proposing the newest", async () => {
      mocks.opensearch
        .on(ListVersionsCommand)
        .resolves({ Versions: ["OpenSearch_2.9", "OpenSearch_2.19", "Elasticsearch_7.10"] });
      const config = drConfig();
      const ctx = context({ ...config, search: { ...config.search, engineVersion: "OpenSearch_1.0" } });
      assert.strictEqual(
        await lineOf(searchCheck, ctx),
        "FAIL opensearch.orderable: OpenSearch_1.0 is not offered in us-west-2. " +
          "Fix: pulumi config set --path payments-dr:search.engineVersion OpenSearch_2.19",
      );
      assert.strictEqual(mocks.opensearch.commandCalls(ListInstanceTypeDetailsCommand).length, 0);
    });

    it("fails on an instance type not offered for the version", async () => {
      mocks.opensearch.on(ListVersionsCommand).resolves({ Versions: ["OpenSearch_2.17"] });
      mocks.opensearch
        .on(ListInstanceTypeDetailsCommand)
        .resolves({ InstanceTypeDetails: [{ InstanceType: "m6g.large.search" }] });
      assert.strictEqual(
        await lineOf(searchCheck),
        "FAIL opensearch.orderable: r6g.large.search is not offered for OpenSearch_2.17 in us-west-2. " +
          "Fix: pulumi config set --path payments-dr:search.instanceType <one of the types ListInstanceTypeDetails lists>",
      );
    });
  });

  describe("Redshift", () => {
    it("passes when the node type is orderable", async () => {
      mocks.redshift
        .on(DescribeOrderableClusterOptionsCommand, { NodeType: "ra3.xlplus" })
        .resolves({ OrderableClusterOptions: [{ NodeType: "ra3.xlplus", ClusterType: "multi-node" }] });
      assert.strictEqual(await lineOf(warehouseCheck), "PASS redshift.orderable: ra3.xlplus in us-west-2");
    });

    it("fails when it is not", async () => {
      mocks.redshift.on(DescribeOrderableClusterOptionsCommand).resolves({ OrderableClusterOptions: [] });
      assert.strictEqual(
        await lineOf(warehouseCheck),
        "FAIL redshift.orderable: ra3.xlplus is not orderable in us-west-2. Fix: pulumi config set --path payments-dr:warehouse.nodeType <a type aws redshift describe-orderable-cluster-options lists>",
      );
    });
  });

  it("orders versions numerically", () => {
    assert.deepStrictEqual(["16.10", "16.4", "16.8"].sort(byVersion), ["16.4", "16.8", "16.10"]);
    assert.deepStrictEqual(["OpenSearch_2.17", "OpenSearch_2.9"].sort(byVersion), [
      "OpenSearch_2.9",
      "OpenSearch_2.17",
    ]);
  });
});

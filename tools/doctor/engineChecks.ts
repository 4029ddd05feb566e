/**
 * Every engine version and instance class the stack's configuration names is orderable in its
 * Region: what AWS would otherwise refuse half-way through the first `up`.
 */
import { DescribeCacheEngineVersionsCommand } from "@aws-sdk/client-elasticache";
import {
  ListInstanceTypeDetailsCommand,
  ListInstanceTypeDetailsCommandOutput,
  ListVersionsCommand,
} from "@aws-sdk/client-opensearch";
import { DescribeOrderableDBInstanceOptionsCommand } from "@aws-sdk/client-rds";
import { DescribeOrderableClusterOptionsCommand } from "@aws-sdk/client-redshift";
import { Check, fail, pass } from "./types";

const setFix = (key: string, value: string) => `pulumi config set --path payments-dr:${key} ${value}`;

/**
 * RDS PostgreSQL: the class with the configured version. A major-only version (`16`) matches any
 * of its minors, the way RDS resolves it on create.
 */
export const databaseCheck: Check = {
  id: "rds.orderable",
  describe: (c) =>
    `postgres ${c.database.engineVersion} on ${c.database.instanceClass} orderable in ${c.region} (RDS DescribeOrderableDBInstanceOptions)`,
  actions: ["rds:DescribeOrderableDBInstanceOptions"],
  async run(ctx) {
    const { engineVersion, instanceClass } = ctx.config.database;
    const versions = new Set<string>();
    let marker: string | undefined;
    do {
      const page = await ctx.clients.rds.send(
        new DescribeOrderableDBInstanceOptionsCommand({
          Engine: "postgres",
          DBInstanceClass: instanceClass,
          Vpc: true,
          Marker: marker,
        }),
      );
      for (const option of page.OrderableDBInstanceOptions ?? []) {
        if (option.EngineVersion) versions.add(option.EngineVersion);
      }
      marker = page.Marker;
    } while (marker);
    const matches = [...versions].filter((v) => v === engineVersion || v.startsWith(`${engineVersion}.`));
    if (matches.length > 0) {
      return pass(
        `postgres ${engineVersion} on ${instanceClass} in ${ctx.config.region} (${matches.sort(byVersion).pop()} newest)`,
      );
    }
    const major = engineVersion.split(".")[0];
    const sameMajor = [...versions].filter((v) => v.split(".")[0] === major).sort(byVersion);
    return fail(
      versions.size === 0
        ? `${instanceClass} is not orderable for postgres in ${ctx.config.region}`
        : `postgres ${engineVersion} is not orderable on ${instanceClass} in ${ctx.config.region}` +
            (sameMajor.length ? ` (orderable ${major}.x: ${sameMajor.join(", ")})` : ""),
      versions.size === 0
        ? setFix("database.instanceClass", "<a class orderable in the Region>")
        : setFix(
            "database.engineVersion",
            sameMajor.length ? major : ([...versions].sort(byVersion).pop() ?? "16"),
          ),
    );
  },
};

export const cacheCheck: Check = {
  id: "elasticache.engine",
  describe: (c) =>
    `redis ${c.cache.engineVersion} offered in ${c.region} (ElastiCache DescribeCacheEngineVersions)`,
  actions: ["elasticache:DescribeCacheEngineVersions"],
  async run(ctx) {
    const { engineVersion } = ctx.config.cache;
    const answer = await ctx.clients.elasticache.send(
      new DescribeCacheEngineVersionsCommand({ Engine: "redis", EngineVersion: engineVersion }),
    );
    return (answer.CacheEngineVersions ?? []).length > 0
      ? pass(`redis ${engineVersion} in ${ctx.config.region}`)
      : fail(
          `redis ${engineVersion} is not offered in ${ctx.config.region}`,
          setFix(
            "cache.engineVersion",
            "<a version aws elasticache describe-cache-engine-versions --engine redis lists>",
          ),
        );
  },
};

export const searchCheck: Check = {
  id: "opensearch.orderable",
  describe: (c) =>
    `${c.search.engineVersion} on ${c.search.instanceType} offered in ${c.region} (OpenSearch ListVersions, ListInstanceTypeDetails)`,
  actions: ["es:ListVersions", "es:ListInstanceTypeDetails"],
  async run(ctx) {
    const { engineVersion, instanceType } = ctx.config.search;
    const versions: string[] = [];
    let token: string | undefined;
    do {
      const page = await ctx.clients.opensearch.send(
        new ListVersionsCommand({ MaxResults: 100, NextToken: token }),
      );
      versions.push(...(page.Versions ?? []));
      token = page.NextToken;
    } while (token);
    if (!versions.includes(engineVersion)) {
      const newest =
        versions
          .filter((v) => v.startsWith("OpenSearch_"))
          .sort(byVersion)
          .pop() ?? "OpenSearch_2.19";
      return fail(
        `${engineVersion} is not offered in ${ctx.config.region}`,
        setFix("search.engineVersion", newest),
      );
    }
    const types: string[] = [];
    token = undefined;
    do {
      const page: ListInstanceTypeDetailsCommandOutput = await ctx.clients.opensearch.send(
        new ListInstanceTypeDetailsCommand({
          EngineVersion: engineVersion,
          MaxResults: 100,
          NextToken: token,
        }),
      );
      for (const detail of page.InstanceTypeDetails ?? [])
        if (detail.InstanceType) types.push(detail.InstanceType);
      token = page.NextToken;
    } while (token);
    return types.includes(instanceType)
      ? pass(`${engineVersion} on ${instanceType} in ${ctx.config.region}`)
      : fail(
          `${instanceType} is not offered for ${engineVersion} in ${ctx.config.region}`,
          setFix("search.instanceType", "<one of the types ListInstanceTypeDetails lists>"),
        );
  },
};

export const warehouseCheck: Check = {
  id: "redshift.orderable",
  describe: (c) =>
    `${c.warehouse.nodeType} orderable in ${c.region} (Redshift DescribeOrderableClusterOptions)`,
  actions: ["redshift:DescribeOrderableClusterOptions"],
  async run(ctx) {
    const { nodeType } = ctx.config.warehouse;
    const answer = await ctx.clients.redshift.send(
      new DescribeOrderableClusterOptionsCommand({ NodeType: nodeType }),
    );
    return (answer.OrderableClusterOptions ?? []).length > 0
      ? pass(`${nodeType} in ${ctx.config.region}`)
      : fail(
          `${nodeType} is not orderable in ${ctx.config.region}`,
          setFix("warehouse.nodeType", "<a type aws redshift describe-orderable-cluster-options lists>"),
        );
  },
};

/** Orders `16.4` before `16.10` and `OpenSearch_2.9` before `OpenSearch_2.17`. */
export function byVersion(a: string, b: string): number {
  const parts = (v: string) => (v.match(/\d+/g) ?? []).map(Number);
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? -1) - (y[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}

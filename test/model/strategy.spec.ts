import * as assert from "assert";
import { findCrossRegionLinks } from "../../model/links";
import { storeRecoveries } from "../../model/recovery";
import { rtoCriticalPath } from "../../model/rto";
import { strategyFigures, worstRpo } from "../../model/strategy";
import { RenderedStack } from "../../model/rendered";
import { renderTestStack } from "../helpers/stacks";
import { asBackupRestore, asPilotLight } from "./strategyFixtures";

describe("strategy figures (modelled RPO and RTO of what the dr stack renders)", function () {
  this.timeout(60_000);
  let primary: RenderedStack;
  let dr: RenderedStack;
  before(async () => {
    primary = await renderTestStack("primary");
    dr = await renderTestStack("dr");
  });

  const modes = (p: RenderedStack, d: RenderedStack) =>
    Object.fromEntries(
      storeRecoveries(p, d)
        .filter((s) => !s.type.startsWith("aws:s3/"))
        .map((s) => [s.name, [s.mode, s.rpoSeconds, s.recoverySeconds, s.step ?? null]]),
    );

  it("warm standby: live replicas promoted or failed over, worst RPO the buckets' RTC, and the same RTO as the posture's critical path", () => {
    assert.deepStrictEqual(modes(primary, dr), {
      "failover-state-table": ["copy", 1, 0, null],
      "search-domain": ["replica", 60, 0, null],
      "cache-replication-group": ["replica", 1, 120, "global-datastore-failover"],
      "warehouse-cluster": ["replica", 450, 0, null],
      "database-instance": ["replica", 60, 300, "promote"],
    });
    const figures = strategyFigures(primary, dr);
    assert.deepStrictEqual(
      [figures.strategy, figures.worstRpoSeconds, figures.worstRpoStore, figures.rtoSeconds],
      ["warm-standby", 900, "objects-app-bucket", 645],
    );
    assert.strictEqual(
      figures.rtoSeconds,
      rtoCriticalPath(dr).reduce((sum, s) => sum + s.seconds, 0),
    );
    assert.deepStrictEqual([figures.meetsRpoTarget, figures.meetsRtoTarget], [true, true]);
  });

  it("backup and restore: every store restored from its best copy in the dr Region, the cluster created, and both targets missed", () => {
    const restored = asBackupRestore(dr);
    assert.deepStrictEqual(modes(primary, restored), {
      "failover-state-table": ["copy", 1, 0, null],
      // hourly snapshots + 300 s export + 900 s RTC; 1200 s domain + 5 s/GB x 150 GB
      "search-domain": ["restore", 4800, 1950, "restore"],
      // 90-minute export + 300 s + 900 s RTC; 900 s + 20 s/GB x 10 GB
      "cache-replication-group": ["restore", 6600, 1100, "restore"],
      // 8-hourly snapshot + 300 s copy (the dual ingest has no cluster to load into); 900 s + 2 s/GB x 100 GB
      "warehouse-cluster": ["restore", 29100, 1100, "restore"],
      // automated-backup replication (300 s logs + 300 s copy); 900 s + 6 s/GB x 100 GB
      "database-instance": ["restore", 600, 1500, "restore"],
    });
    const figures = strategyFigures(primary, restored);
    assert.deepStrictEqual(
      figures.rtoCriticalPath.map((s) => s.seconds),
      // detect, controller, preflight, recovery points, max(DNS 90, up 60 + max(1950, cluster 900 + 240 + 300)), verify
      [180, 60, 15, 30, 2010, 30],
    );
    assert.deepStrictEqual(
      [figures.strategy, figures.worstRpoSeconds, figures.worstRpoStore, figures.rtoSeconds],
      ["backup-restore", 29100, "warehouse-cluster", 2325],
    );
    assert.deepStrictEqual([figures.meetsRpoTarget, figures.meetsRtoTarget], [false, false]);
  });

  it("pilot light: live replicas and a cluster scaled from zero keep the RTO; dropping the dual-ingest warehouse costs its RPO", () => {
    const withWarehouse = strategyFigures(primary, asPilotLight(dr));
    assert.deepStrictEqual(
      withWarehouse.rtoCriticalPath.map((s) => s.seconds),
      // up: 60 + max(promotion 300, scale from zero 240 + workload 60)
      [180, 60, 15, 360, 30],
    );
    assert.deepStrictEqual([withWarehouse.worstRpoSeconds, withWarehouse.rtoSeconds], [900, 645]);
    const without = strategyFigures(primary, asPilotLight(dr, { warehouse: false }));
    assert.deepStrictEqual(
      [
        without.worstRpoSeconds,
        without.worstRpoStore,
        without.rtoSeconds,
        without.meetsRpoTarget,
        without.meetsRtoTarget,
      ],
      // 180 + 60 + 15 + 30 + (60 + 1100) + 30
      [29100, "warehouse-cluster", 1475, false, true],
    );
  });

  it("reports a store with no copy reaching the dr Region as unrecoverable, with an unbounded RPO and no RTO", () => {
    const links = findCrossRegionLinks([primary, dr]);
    assert.ok(links.length > 0);
    const lonely = {
      ...primary,
      resources: [
        ...primary.resources,
        {
          ...primary.resources.find((r) => r.type === "aws:s3/bucket:Bucket")!,
          urn: "urn:lonely",
          name: "scratch",
          id: "scratch-1",
          outputs: { bucket: "scratch-1", arn: "arn:aws:s3:::scratch-1" },
        },
      ],
    };
    const figures = strategyFigures(lonely, dr);
    const scratch = figures.stores.find((s) => s.name === "scratch");
    assert.deepStrictEqual(
      [scratch?.mode, scratch?.rpoSeconds, scratch?.recoverySeconds, scratch?.rpoBasis],
      ["unrecoverable", null, null, "no copy with a bound reaches us-west-2"],
    );
    assert.deepStrictEqual(
      [figures.worstRpoSeconds, figures.worstRpoStore, figures.rtoSeconds],
      [null, "scratch", null],
    );
  });

  it("takes an unbounded store as the worst", () => {
    assert.deepStrictEqual(
      worstRpo([
        { name: "a", rpoSeconds: 5 },
        { name: "b", rpoSeconds: null },
      ]),
      { seconds: null, store: "b" },
    );
    assert.deepStrictEqual(
      worstRpo([
        { name: "a", rpoSeconds: 5 },
        { name: "b", rpoSeconds: 9 },
      ]),
      { seconds: 9, store: "b" },
    );
  });
});

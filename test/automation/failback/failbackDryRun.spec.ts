import * as assert from "assert";
import {
  FailbackDryRun,
  failbackDryRun,
  failbackDryRunJson,
  formatFailbackDryRun,
} from "../../../automation/failback/failbackDryRun";

const stage = (result: FailbackDryRun, id: string) => {
  const found = result.stages.find((s) => s.id === id);
  assert.ok(found, `stage ${id}`);
  return found;
};
const names = (refs: readonly { urn: string }[]) => refs.map((r) => r.urn.split("::").pop()).sort();

describe("failback dry run (offline renderings of each stack update)", function () {
  this.timeout(600_000);
  let result: FailbackDryRun;
  before(async () => {
    result = await failbackDryRun("dr");
  });

  it("re-seeds primary into a new database generation, a replica of dr's promoted instance, replacing and deleting nothing", () => {
    const reseed = stage(result, "primary-reseed");
    assert.strictEqual(reseed.stack, "primary");
    assert.deepStrictEqual(reseed.config, [
      "payments-dr:generation.database=1",
      "payments-dr:generation.reseedSourceArn=arn:aws:rds:us-west-2:111122223333:db:payments-dr-dr",
    ]);
    assert.deepStrictEqual(names(reseed.diff.created), [
      "database-g1",
      "database-g1-instance",
      "database-g1-parameters",
      "database-g1-security-group",
      "database-g1-subnets",
    ]);
    // The pods follow the new generation in place: their environment names its endpoint, their
    // identity's rds-db:connect its resource id.
    assert.deepStrictEqual(names(reseed.diff.updated), [
      "backup-databases",
      "payments-deployment",
      "payments-identity-policy",
    ]);
    assert.deepStrictEqual(
      [reseed.diff.replaced, reseed.diff.deleted, reseed.dataStoreViolations],
      [[], [], []],
    );
  });

  it("promotes the re-seeded replica in place: only replicateSourceDb changes, its backup replication is created", () => {
    const promote = stage(result, "primary-promote");
    assert.deepStrictEqual(
      promote.diff.updated.map((u) => [u.urn.split("::").pop(), u.paths]),
      [["database-g1-instance", ["replicateSourceDb"]]],
    );
    assert.deepStrictEqual(names(promote.diff.created), ["database-g1-backups-replication"]);
    assert.deepStrictEqual([promote.diff.replaced, promote.diff.deleted], [[], []]);
  });

  it("returns dr to standby with a NEW replica and never touches the promoted instance", () => {
    const standby = stage(result, "dr-standby");
    assert.deepStrictEqual(standby.config, [
      "payments-dr:mode=standby",
      "payments-dr:confirmReturnToStandby=true",
      "payments-dr:generation.database=1",
    ]);
    assert.deepStrictEqual(names(standby.diff.created), [
      "database-g1",
      "database-g1-instance",
      "database-g1-parameters",
      "database-g1-security-group",
      "database-g1-subnets",
    ]);
    const touched = [...standby.diff.updated, ...standby.diff.replaced, ...standby.diff.deleted].map(
      (r) => r.urn,
    );
    assert.ok(
      !touched.some((urn) => /::database-(instance|backups-replication)$/.test(urn)),
      touched.join("\n"),
    );
    // The restore tests follow the primary's current database (its ARN changes with the generation).
    assert.deepStrictEqual(names(standby.diff.updated), [
      "backup-databases",
      "eks-nodes",
      "payments-deployment",
      "payments-hpa",
      "payments-identity-policy",
      "restore-testing-database",
    ]);
    assert.deepStrictEqual(
      [standby.diff.replaced, standby.diff.deleted, standby.dataStoreViolations],
      [[], [], []],
    );
  });

  it("after an ungraceful failover adds a new Global Datastore member next to the detached one", () => {
    const detached = stage(result, "dr-standby-cache-detached");
    assert.deepStrictEqual(detached.config.slice(-1), ["payments-dr:generation.cache=1"]);
    const created = names(detached.diff.created);
    assert.ok(created.includes("cache-g1-replication-group"));
    assert.ok(
      !created.includes("cache-g1-app-user"),
      "the Region's one IAM app user is shared, not duplicated",
    );
    const touched = [...detached.diff.updated, ...detached.diff.replaced, ...detached.diff.deleted].map(
      (r) => r.urn,
    );
    assert.ok(
      !touched.some((urn) => /::cache-(replication-group|app-user|users)$/.test(urn)),
      touched.join("\n"),
    );
    assert.deepStrictEqual([detached.diff.replaced, detached.diff.deleted], [[], []]);
  });

  it("prints each stage's diff and a JSON verdict", () => {
    const text = formatFailbackDryRun(result);
    assert.match(
      text,
      /\nStack dr — dr-standby: .*\n {2}config: payments-dr:mode=standby, .*\n {2}5 created, 6 updated in place, 0 replaced, 0 deleted\n/,
    );
    assert.strictEqual(text.match(/No data store is replaced or deleted\./g)?.length, 4);
    assert.strictEqual(failbackDryRunJson(result).dataStoresSafe, true);
  });
});

import * as assert from "assert";
import { checkModeTransition, ConfigError, parseStackConfig } from "../../stacks/config";
import { storeGenerations } from "../../stacks/generation";
import { applyOverrides, readStackConfig } from "../../tools/render/stackFiles";

const parse = (stack: "dr" | "primary", overrides: string[]) =>
  parseStackConfig(applyOverrides(readStackConfig(stack), overrides, "payments-dr"), stack);
const refused = (stack: "dr" | "primary", overrides: string[], key: string, message: string) =>
  assert.throws(
    () => parse(stack, overrides),
    (e: unknown) => e instanceof ConfigError && e.key === key && e.message === message,
  );

describe("store generations (payments-dr:generation)", () => {
  it("defaults to generation 0 with nothing retired", () => {
    assert.deepStrictEqual(parse("dr", []).generation, {
      database: 0,
      cache: 0,
      retiredDatabases: [],
      retiredCaches: [],
    });
  });

  it("declares every unretired generation, the last one current, generation 0 under the old names", () => {
    assert.deepStrictEqual(storeGenerations("database", "payments-dr-dr", 2, [1]), [
      { generation: 0, name: "database", identifier: "payments-dr-dr", current: false },
      { generation: 2, name: "database-g2", identifier: "payments-dr-dr-g2", current: true },
    ]);
  });

  it("takes a re-seed source only on primary, only from the peer Region, only for a new generation", () => {
    const arn = "arn:aws:rds:us-west-2:111122223333:db:payments-dr-dr";
    assert.deepStrictEqual(
      parse("primary", ["payments-dr:generation.database=1", `payments-dr:generation.reseedSourceArn=${arn}`])
        .generation.reseedSourceArn,
      arn,
    );
    refused(
      "primary",
      ["payments-dr:generation.reseedSourceArn=arn:aws:rds:us-east-1:111122223333:db:payments-dr-primary"],
      "payments-dr:generation.reseedSourceArn",
      'Invalid config payments-dr:generation.reseedSourceArn = "arn:aws:rds:us-east-1:111122223333:db:payments-dr-primary": ' +
        "expected the ARN of the dr stack's RDS instance in us-west-2 (arn:aws:rds:us-west-2:<account>:db:<id>). " +
        "Fix: pulumi config set --path payments-dr:generation.reseedSourceArn arn:aws:rds:us-west-2:111122223333:db:payments-dr-dr",
    );
    refused(
      "primary",
      [`payments-dr:generation.reseedSourceArn=${arn}`],
      "payments-dr:generation.database",
      "Invalid config payments-dr:generation.database = 0: expected at least 1 with reseedSourceArn: the re-seed is a new " +
        "instance, never generation 0. Fix: pulumi config set --path payments-dr:generation.database 1",
    );
    refused(
      "dr",
      [`payments-dr:generation.reseedSourceArn=${arn}`],
      "payments-dr:generation.reseedSourceArn",
      `Invalid config payments-dr:generation.reseedSourceArn = "${arn}": expected no value on the dr stack (dr replicates ` +
        "the primary stack's instance). Fix: pulumi config set --path payments-dr:generation.reseedSourceArn ''",
    );
  });

  it("refuses a live generation as retired, cache generation 0 as retired, and a cache generation on primary", () => {
    refused(
      "dr",
      ["payments-dr:generation.database=1", "payments-dr:generation.retiredDatabases=[1]"],
      "payments-dr:generation.retiredDatabases",
      "Invalid config payments-dr:generation.retiredDatabases = [1]: expected earlier generations than the current one " +
        "(1): a live store is never retired. Fix: pulumi config set --path payments-dr:generation.retiredDatabases '[0]'",
    );
    refused(
      "dr",
      ["payments-dr:generation.cache=2", "payments-dr:generation.retiredCaches=[0]"],
      "payments-dr:generation.retiredCaches",
      "Invalid config payments-dr:generation.retiredCaches = [0]: expected generations from 1: cache generation 0 owns " +
        "the app user the later generations share. Fix: pulumi config set --path payments-dr:generation.retiredCaches '[1]'",
    );
    refused(
      "primary",
      ["payments-dr:generation.cache=1"],
      "payments-dr:generation.cache",
      "Invalid config payments-dr:generation.cache = 1: expected 0 on the primary stack (it owns the Global Datastore; " +
        "only dr members get generations). Fix: pulumi config set --path payments-dr:generation.cache 0",
    );
  });

  it("lets a failed-over dr return to standby only with a database generation above the promoted one", () => {
    const confirmed = (generation: number) =>
      parse("dr", [
        "payments-dr:confirmReturnToStandby=true",
        `payments-dr:generation.database=${generation}`,
      ]);
    assert.throws(
      () => checkModeTransition(confirmed(0), "active", 0),
      (e: unknown) =>
        e instanceof ConfigError &&
        e.key === "payments-dr:generation.database" &&
        e.message ===
          "Invalid config payments-dr:generation.database = 0: returning the dr stack to standby needs a new read replica, " +
            "so a generation above 0 (the promoted instance's, which RDS cannot turn back into a replica and which is kept). " +
            "Fix: pulumi config set --path payments-dr:generation.database 1 --stack dr",
    );
    assert.throws(() => checkModeTransition(confirmed(1), "active", 1), /generation above 1/);
    assert.doesNotThrow(() => checkModeTransition(confirmed(1), "active", 0));
    assert.doesNotThrow(() => checkModeTransition(confirmed(2), "active", 1));
  });
});

import { deepStrictEqual, ok, strictEqual, throws } from "assert";
import * as path from "path";
import { ENV, parseIngestEnv } from "../../functions/ingest/config";
import { buildLoad, MAX_STATEMENT_BYTES, MAX_STATEMENTS, parseJsonLines } from "../../functions/ingest/sql";

const VALID = {
  [ENV.clusterIdentifier]: "payments-dr-warehouse",
  [ENV.databaseName]: "payments",
  [ENV.sources]: JSON.stringify([
    { publishedBucket: "landing-a", readBucket: "landing-a-replica", replica: true },
  ]),
  [ENV.replicationWaitSeconds]: "900",
  [ENV.replicaPollSeconds]: "20",
  [ENV.statementWaitSeconds]: "60",
};
const KEY = "a".repeat(64);

describe("ingest consumer configuration", () => {
  it("parses the environment the component sets", () => {
    deepStrictEqual(parseIngestEnv(VALID), {
      clusterIdentifier: "payments-dr-warehouse",
      databaseName: "payments",
      sources: [{ publishedBucket: "landing-a", readBucket: "landing-a-replica", replica: true }],
      replicationWaitSeconds: 900,
      replicaPollSeconds: 20,
      statementWaitSeconds: 60,
    });
  });

  it("names the variable, the bad value, the expected value and the fix", () => {
    throws(() => parseIngestEnv({ ...VALID, [ENV.replicationWaitSeconds]: "soon" }), {
      name: "IngestConfigError",
      message:
        'Invalid environment variable REPLICATION_WAIT_SECONDS = "soon": expected an integer number of seconds ' +
        "from 1 to 1209600. Fix: redeploy the stack (the Ingest component sets it); do not edit the function by hand.",
    });
    throws(
      () => parseIngestEnv({ ...VALID, [ENV.clusterIdentifier]: undefined }),
      /CLUSTER_IDENTIFIER = \(unset\)/,
    );
    throws(
      () => parseIngestEnv({ ...VALID, [ENV.sources]: "[]" }),
      /SOURCES = "\[\]": expected a non-empty JSON array/,
    );
    throws(
      () =>
        parseIngestEnv({
          ...VALID,
          [ENV.sources]: JSON.stringify([
            { publishedBucket: "landing-a", readBucket: "x-1", replica: false },
            { publishedBucket: "landing-a", readBucket: "x-2", replica: true },
          ]),
        }),
      /each publishedBucket at most once/,
    );
  });

  it("fails the cold start, before any message is read, when the environment is invalid", () => {
    const handlerPath = path.resolve(__dirname, "../../functions/ingest/handler.ts");
    const saved = { ...process.env };
    try {
      Object.assign(process.env, VALID, { [ENV.databaseName]: "Bad-Name" });
      delete require.cache[require.resolve(handlerPath)];
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      throws(() => require(handlerPath), /Invalid environment variable DATABASE_NAME = "Bad-Name"/);
      Object.assign(process.env, VALID);
      delete require.cache[require.resolve(handlerPath)];
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      strictEqual(typeof require(handlerPath).handler, "function");
    } finally {
      process.env = saved;
      delete require.cache[require.resolve(handlerPath)];
    }
  });
});

describe("ingest load statements", () => {
  it("splits large objects into statements within the Data API's 100 KB limit", () => {
    const line = JSON.stringify({ pad: "x".repeat(20_000) });
    const rows = parseJsonLines(Array.from({ length: 12 }, () => line).join("\n"));
    ok(rows.ok);
    const load = buildLoad(KEY, "s3://b/k?versionId=v", rows.rows);
    ok(load.ok);
    const stage = load.sqls.filter((s) => s.startsWith("INSERT INTO ingest_stage"));
    strictEqual(stage.length, 6);
    ok(load.sqls.every((s) => s.length <= MAX_STATEMENT_BYTES));
    strictEqual(stage.join("").split("JSON_PARSE").length - 1, 12);
  });

  it("refuses an object that would need more than 40 statements", () => {
    const line = JSON.stringify({ pad: "x".repeat(30_000) });
    const rows = parseJsonLines(Array.from({ length: MAX_STATEMENTS }, () => line).join("\n"));
    ok(rows.ok);
    const load = buildLoad(KEY, "s3://b/k?versionId=v", rows.rows);
    strictEqual(load.ok, false);
    ok(!load.ok && /more than the Data API's 40/.test(load.reason));
  });

  it("never puts object text into SQL except as hex", () => {
    const rows = parseJsonLines(`{"note":"x'); DROP TABLE public.ingest_rows; --"}`);
    ok(rows.ok);
    const load = buildLoad(KEY, "s3://b/k'--?versionId=v", rows.rows);
    ok(load.ok);
    ok(load.sqls.every((s) => !s.includes("DROP") && !s.includes("'--")));
  });
});

import { deepStrictEqual, strictEqual } from "assert";
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import {
  BatchExecuteStatementCommand,
  DescribeStatementCommand,
  RedshiftDataClient,
} from "@aws-sdk/client-redshift-data";
import { mockClient } from "aws-sdk-client-mock";
import { loadKeyOf } from "../../functions/ingest/message";
import { createConsumer } from "../../functions/ingest/processor";
import { SCHEMA_SQLS } from "../../functions/ingest/sql";
import {
  DR_ENV,
  DR_LANDING,
  event,
  FakeClock,
  notFound,
  PRIMARY_LANDING,
  record,
  recordingLogger,
  REPLICA_LANDING,
  s3Body,
  START_MS,
} from "./ingestHelpers";

const s3Mock = mockClient(S3Client);
const rsMock = mockClient(RedshiftDataClient);

const VERSION = "3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY";
const POINTER = { bucket: PRIMARY_LANDING, key: "batches/2025/01/15/b-0001.jsonl", versionId: VERSION };
const LOAD_KEY = loadKeyOf(POINTER);
const OBJECT = '{"paymentId":"p-1","amountCents":1250}\n\n{"paymentId":"p-2","amountCents":99}\n';
const hex = (s: string) => Buffer.from(s, "utf8").toString("hex");

const EXPECTED_LOAD_SQLS = [
  "LOCK public.ingest_loads",
  "CREATE TEMP TABLE ingest_batch (load_key CHAR(64), source_uri VARCHAR(4096), row_count INTEGER)",
  "INSERT INTO ingest_batch (load_key, source_uri, row_count) VALUES (:load_key, :source_uri, :row_count)",
  "CREATE TEMP TABLE ingest_stage (line_number INTEGER, payload SUPER)",
  "INSERT INTO ingest_stage (line_number, payload) VALUES " +
    `(1, JSON_PARSE(FROM_VARBYTE(FROM_HEX('${hex('{"paymentId":"p-1","amountCents":1250}')}'), 'utf8'))), ` +
    `(3, JSON_PARSE(FROM_VARBYTE(FROM_HEX('${hex('{"paymentId":"p-2","amountCents":99}')}'), 'utf8')))`,
  "INSERT INTO public.ingest_rows (load_key, line_number, payload, loaded_at) SELECT b.load_key, s.line_number, " +
    "s.payload, GETDATE() FROM ingest_stage s CROSS JOIN ingest_batch b " +
    "WHERE NOT EXISTS (SELECT 1 FROM public.ingest_loads l WHERE l.load_key = b.load_key)",
  "INSERT INTO public.ingest_loads (load_key, source_uri, row_count, loaded_at) SELECT b.load_key, b.source_uri, " +
    "b.row_count, GETDATE() FROM ingest_batch b " +
    "WHERE NOT EXISTS (SELECT 1 FROM public.ingest_loads l WHERE l.load_key = b.load_key)",
];

function setup(env = DR_ENV) {
  const clock = new FakeClock();
  const log = recordingLogger();
  const consume = createConsumer({
    env,
    s3: new S3Client({ region: "us-west-2" }),
    redshift: new RedshiftDataClient({ region: "us-west-2" }),
    now: clock.now,
    sleep: clock.sleep,
    log,
  });
  return { clock, log, consume };
}

/** The load statements submitted, without the one-off schema statement. */
function loadCalls() {
  return rsMock
    .commandCalls(BatchExecuteStatementCommand)
    .map((c) => c.args[0].input)
    .filter((input) => input.StatementName !== "ingest-schema");
}

describe("ingest consumer", () => {
  beforeEach(() => {
    s3Mock.reset();
    rsMock.reset();
    rsMock.on(BatchExecuteStatementCommand).resolves({ Id: "stmt-1" });
    rsMock.on(DescribeStatementCommand).resolves({ Id: "stmt-1", Status: "FINISHED" });
  });

  it("reads the pointed object version from this Region's replica bucket and loads it in one transaction", async () => {
    s3Mock.on(GetObjectCommand).resolves(s3Body(OBJECT));
    const { consume } = setup();
    const response = await consume(event(record("m-1", POINTER)));

    deepStrictEqual(response, { batchItemFailures: [] });
    deepStrictEqual(
      s3Mock.commandCalls(GetObjectCommand).map((c) => c.args[0].input),
      [{ Bucket: REPLICA_LANDING, Key: POINTER.key, VersionId: VERSION }],
    );
    deepStrictEqual(loadCalls(), [
      {
        ClusterIdentifier: "payments-dr-warehouse",
        Database: "payments",
        WithEvent: false,
        Sqls: EXPECTED_LOAD_SQLS,
        Parameters: [
          { name: "load_key", value: LOAD_KEY },
          { name: "source_uri", value: `s3://${PRIMARY_LANDING}/${POINTER.key}?versionId=${VERSION}` },
          { name: "row_count", value: "2" },
        ],
        StatementName: `ingest-${LOAD_KEY.slice(0, 16)}`,
      },
    ]);
  });

  it("creates the ingest tables once per container, before the first load", async () => {
    s3Mock.on(GetObjectCommand).resolves(s3Body(OBJECT));
    const { consume } = setup();
    await consume(event(record("m-1", POINTER)));
    await consume(event(record("m-2", POINTER)));

    const calls = rsMock.commandCalls(BatchExecuteStatementCommand).map((c) => c.args[0].input);
    deepStrictEqual(calls[0], {
      ClusterIdentifier: "payments-dr-warehouse",
      Database: "payments",
      WithEvent: false,
      Sqls: [...SCHEMA_SQLS],
      StatementName: "ingest-schema",
    });
    strictEqual(calls.filter((c) => c.StatementName === "ingest-schema").length, 1);
    strictEqual(calls.length, 3);
  });

  it("reports every message failed, without throwing, when the tables cannot be created", async () => {
    rsMock
      .on(DescribeStatementCommand)
      .resolves({ Id: "stmt-1", Status: "FAILED", Error: "permission denied" });
    const { consume, log } = setup();
    const response = await consume(event(record("m-1", POINTER), record("m-2", POINTER)));

    deepStrictEqual(response, { batchItemFailures: [{ itemIdentifier: "m-1" }, { itemIdentifier: "m-2" }] });
    strictEqual(s3Mock.commandCalls(GetObjectCommand).length, 0);
    strictEqual(log.lines[0].level, "error");
  });

  it("accepts a raw pointer body as well as the SNS envelope", async () => {
    s3Mock.on(GetObjectCommand).resolves(s3Body(OBJECT));
    const { consume } = setup();
    const response = await consume(event(record("m-raw", POINTER, { raw: true })));

    deepStrictEqual(response, { batchItemFailures: [] });
    deepStrictEqual(loadCalls()[0].Parameters?.[0], { name: "load_key", value: LOAD_KEY });
  });

  it("reports malformed messages as failed items without blocking the rest of the batch", async () => {
    s3Mock.on(GetObjectCommand).resolves(s3Body(OBJECT));
    const { consume, log } = setup();
    const response = await consume(
      event(
        record("bad-json", "not json", { raw: true }),
        record("good", POINTER),
        record("no-version", { bucket: PRIMARY_LANDING, key: "k.jsonl" }),
        record("bad-envelope", JSON.stringify({ Type: "Notification", Message: 42 }), { raw: true }),
        record("bad-bucket", { ...POINTER, bucket: "Not_A_Bucket" }),
      ),
    );

    deepStrictEqual(response, {
      batchItemFailures: [
        { itemIdentifier: "bad-json" },
        { itemIdentifier: "no-version" },
        { itemIdentifier: "bad-envelope" },
        { itemIdentifier: "bad-bucket" },
      ],
    });
    strictEqual(s3Mock.commandCalls(GetObjectCommand).length, 1);
    deepStrictEqual(
      log.lines.filter((l) => l.message === "Malformed ingest message").map((l) => l.fields.messageId),
      ["bad-json", "no-version", "bad-envelope", "bad-bucket"],
    );
  });

  it("refuses a message that names a bucket this consumer does not read", async () => {
    const { consume, log } = setup();
    const response = await consume(event(record("m-1", { ...POINTER, bucket: "someone-elses-bucket" })));

    deepStrictEqual(response, { batchItemFailures: [{ itemIdentifier: "m-1" }] });
    strictEqual(s3Mock.commandCalls(GetObjectCommand).length, 0);
    deepStrictEqual(log.lines.at(-1)?.fields.servedBuckets, [PRIMARY_LANDING, DR_LANDING]);
  });

  it("gives a redelivered or duplicate-published message the same load key and the same guarded load", async () => {
    s3Mock.on(GetObjectCommand).resolves(s3Body(OBJECT));
    const { consume } = setup();
    await consume(event(record("m-1", POINTER, { snsMessageId: "sns-a" })));
    await consume(event(record("m-1", POINTER, { snsMessageId: "sns-a" })));
    await consume(event(record("m-9", POINTER, { snsMessageId: "sns-b", raw: true })));

    const [first, ...again] = loadCalls();
    for (const call of again) {
      deepStrictEqual(call.Sqls, first.Sqls);
      deepStrictEqual(call.Parameters, first.Parameters);
    }
    // The guard that makes the second commit a no-op, and the lock that serialises racing consumers.
    strictEqual(first.Sqls?.[0], "LOCK public.ingest_loads");
    strictEqual(
      first.Sqls?.filter((s) => s.includes("WHERE NOT EXISTS (SELECT 1 FROM public.ingest_loads")).length,
      2,
    );
  });

  it("reports only the message whose load statement failed", async () => {
    s3Mock
      .on(GetObjectCommand, { Key: "bad.jsonl" })
      .resolves(s3Body('{"a":1}\n'))
      .on(GetObjectCommand, { Key: POINTER.key })
      .resolves(s3Body(OBJECT));
    rsMock.on(BatchExecuteStatementCommand).callsFake((input) => ({
      Id: input.Parameters?.[1]?.value.includes("bad.jsonl") ? "stmt-bad" : "stmt-ok",
    }));
    rsMock
      .on(DescribeStatementCommand, { Id: "stmt-bad" })
      .resolves({ Status: "FAILED", Error: "ERROR: invalid JSON" })
      .on(DescribeStatementCommand, { Id: "stmt-ok" })
      .resolves({ Status: "FINISHED" });
    const { consume, log } = setup();
    const response = await consume(
      event(record("good", POINTER), record("bad", { ...POINTER, key: "bad.jsonl" })),
    );

    deepStrictEqual(response, { batchItemFailures: [{ itemIdentifier: "bad" }] });
    const failure = log.lines.find((l) => l.message === "Load statement did not finish");
    strictEqual(failure?.fields.key, "bad.jsonl");
    strictEqual(failure?.fields.error, "Error: statement stmt-bad FAILED: ERROR: invalid JSON");
  });

  it("polls DescribeStatement until the load finishes", async () => {
    s3Mock.on(GetObjectCommand).resolves(s3Body(OBJECT));
    rsMock
      .on(DescribeStatementCommand)
      .resolvesOnce({ Status: "FINISHED" }) // the schema statement
      .resolvesOnce({ Status: "SUBMITTED" })
      .resolvesOnce({ Status: "STARTED" })
      .resolves({ Status: "FINISHED" });
    const { consume, clock } = setup();
    const response = await consume(event(record("m-1", POINTER)));

    deepStrictEqual(response, { batchItemFailures: [] });
    deepStrictEqual(
      rsMock.commandCalls(DescribeStatementCommand).map((c) => c.args[0].input),
      [{ Id: "stmt-1" }, { Id: "stmt-1" }, { Id: "stmt-1" }, { Id: "stmt-1" }],
    );
    deepStrictEqual(clock.sleeps, [250, 500]);
  });

  it("reports a load still running after the bounded wait as failed", async () => {
    s3Mock.on(GetObjectCommand).resolves(s3Body(OBJECT));
    rsMock.on(DescribeStatementCommand).resolvesOnce({ Status: "FINISHED" }).resolves({ Status: "STARTED" });
    const { consume, clock, log } = setup();
    const response = await consume(event(record("m-1", POINTER)));

    deepStrictEqual(response, { batchItemFailures: [{ itemIdentifier: "m-1" }] });
    strictEqual(
      clock.sleeps.reduce((a, b) => a + b, 0),
      DR_ENV.statementWaitSeconds * 1000,
    );
    strictEqual(log.lines.at(-1)?.message, "Load statement did not finish");
  });

  it("waits in-invocation for an object replication has not delivered yet, then loads it", async () => {
    s3Mock.on(GetObjectCommand).rejectsOnce(notFound()).rejectsOnce(notFound()).resolves(s3Body(OBJECT));
    const { consume, clock } = setup();
    const response = await consume(event(record("m-1", POINTER)));

    deepStrictEqual(response, { batchItemFailures: [] });
    deepStrictEqual(clock.sleeps, [1000, 2000]);
    strictEqual(loadCalls().length, 1);
  });

  it("hands a not-yet-replicated object back to SQS while within the replication budget", async () => {
    s3Mock.on(GetObjectCommand).rejects(notFound("NoSuchVersion"));
    const { consume, clock, log } = setup();
    const response = await consume(event(record("m-1", POINTER)));

    deepStrictEqual(response, { batchItemFailures: [{ itemIdentifier: "m-1" }] });
    deepStrictEqual(clock.sleeps, [1000, 2000, 4000, 8000, 5000]);
    strictEqual(loadCalls().length, 0);
    const line = log.lines.at(-1);
    strictEqual(line?.level, "warn");
    deepStrictEqual(
      { key: line?.fields.key, readBucket: line?.fields.readBucket, ageSeconds: line?.fields.ageSeconds },
      { key: POINTER.key, readBucket: REPLICA_LANDING, ageSeconds: 20 },
    );
  });

  it("fails visibly, with an error naming the key, once the replication budget is spent", async () => {
    s3Mock.on(GetObjectCommand).rejects(notFound());
    const { consume, log } = setup();
    const sentMs = START_MS - 900 * 1000;
    const response = await consume(event(record("m-1", POINTER, { sentMs })));

    deepStrictEqual(response, { batchItemFailures: [{ itemIdentifier: "m-1" }] });
    const line = log.lines.at(-1);
    strictEqual(line?.level, "error");
    strictEqual(
      line?.message,
      "Batch object was not replicated within the replication budget; it will reach the DLQ",
    );
    deepStrictEqual(
      {
        key: line?.fields.key,
        ageSeconds: line?.fields.ageSeconds,
        budget: line?.fields.replicationWaitSeconds,
      },
      { key: POINTER.key, ageSeconds: 920, budget: 900 },
    );
  });

  it("does not wait for replication on a bucket in its own Region: a missing object there is an error", async () => {
    s3Mock.on(GetObjectCommand).rejects(notFound());
    const { consume, clock, log } = setup();
    const response = await consume(event(record("m-1", { ...POINTER, bucket: DR_LANDING })));

    deepStrictEqual(response, { batchItemFailures: [{ itemIdentifier: "m-1" }] });
    deepStrictEqual(clock.sleeps, []);
    deepStrictEqual(s3Mock.commandCalls(GetObjectCommand)[0].args[0].input.Bucket, DR_LANDING);
    strictEqual(log.lines.at(-1)?.message, "Batch object does not exist");
  });

  it("reports an access error on the object as failed without retrying in-invocation", async () => {
    const denied = Object.assign(new Error("Access Denied"), {
      name: "AccessDenied",
      $metadata: { httpStatusCode: 403 },
    });
    s3Mock.on(GetObjectCommand).rejects(denied);
    const { consume, clock } = setup();
    const response = await consume(event(record("m-1", POINTER)));

    deepStrictEqual(response, { batchItemFailures: [{ itemIdentifier: "m-1" }] });
    deepStrictEqual(clock.sleeps, []);
  });

  it("reports an object that is not JSON Lines as failed and loads nothing", async () => {
    s3Mock.on(GetObjectCommand).resolves(s3Body('{"ok":1}\n[1,2]\n'));
    const { consume, log } = setup();
    const response = await consume(event(record("m-1", POINTER)));

    deepStrictEqual(response, { batchItemFailures: [{ itemIdentifier: "m-1" }] });
    strictEqual(loadCalls().length, 0);
    strictEqual(log.lines.at(-1)?.fields.reason, "line 2 is not a JSON object");
  });

  it("refuses an object larger than the Data API can take before downloading it", async () => {
    s3Mock.on(GetObjectCommand).resolves({ ...s3Body("{}"), ContentLength: 4 * 1024 * 1024 + 1 });
    const { consume } = setup();
    const response = await consume(event(record("m-1", POINTER)));

    deepStrictEqual(response, { batchItemFailures: [{ itemIdentifier: "m-1" }] });
    strictEqual(loadCalls().length, 0);
  });
});

import * as assert from "assert";
import { mockClient } from "aws-sdk-client-mock";
import {
  CopySnapshotCommand,
  CreateSnapshotCommand,
  DeleteSnapshotCommand,
  DescribeSnapshotsCommand,
  ElastiCacheClient,
  Snapshot,
} from "@aws-sdk/client-elasticache";
import { ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import {
  ExportConfig,
  readConfig,
  runExport,
  snapshotNameFor,
  timeOfSnapshot,
} from "../../functions/cacheSnapshotExport/handler";

const GROUP = "payments-dr-primary";
const BUCKET = "objects-cache-snapshots-bucket-5b1ca3a";
const PREFIX = `${GROUP}-export`;
const CONFIG: ExportConfig = {
  replicationGroupId: GROUP,
  bucketName: BUCKET,
  snapshotPrefix: PREFIX,
  intervalMinutes: 90,
  keepSnapshots: 2,
  staleAfterMinutes: 180,
};
const NOW = new Date("2026-03-01T12:00:00Z");
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);
const nameAt = (m: number) => snapshotNameFor(PREFIX, minutesAgo(m));
const snapshot = (name: string, status = "available"): Snapshot => ({
  SnapshotName: name,
  SnapshotStatus: status,
  SnapshotSource: "manual",
  ReplicationGroupId: GROUP,
});
/** The exported object of a snapshot, as ElastiCache names it (`<name>-0001.rdb`). */
const exportedAt = (m: number, lastModifiedMinutesAgo = m - 10) => ({
  Key: `${nameAt(m)}-0001.rdb`,
  LastModified: minutesAgo(lastModifiedMinutesAgo),
});
const fault = (name: string, message = name) => Object.assign(new Error(message), { name });

describe("functions/cacheSnapshotExport", () => {
  const elasticache = mockClient(ElastiCacheClient);
  const s3 = mockClient(S3Client);
  const clients = { elasticache: new ElastiCacheClient({}), s3: new S3Client({}) };
  const lines: string[] = [];
  const run = () => runExport(CONFIG, clients, NOW, (line) => lines.push(line));
  const given = (snapshots: Snapshot[], objects: { Key: string; LastModified: Date }[]) => {
    elasticache.on(DescribeSnapshotsCommand).resolves({ Snapshots: snapshots });
    s3.on(ListObjectsV2Command).resolves({ Contents: objects, IsTruncated: false });
  };
  const inputs = (command: unknown): unknown[] =>
    elasticache.commandCalls(command as never).map((call) => call.args[0].input);

  beforeEach(() => {
    elasticache.reset();
    s3.reset();
    lines.length = 0;
    elasticache.on(CreateSnapshotCommand).resolves({});
    elasticache.on(CopySnapshotCommand).resolves({});
    elasticache.on(DeleteSnapshotCommand).resolves({});
  });

  it("names snapshots after the scheduled minute, in lower case, and reads the time back", () => {
    assert.strictEqual(snapshotNameFor("Payments-Export", NOW), "payments-export-202603011200");
    assert.deepStrictEqual(timeOfSnapshot("payments-export-202603011200"), NOW);
    assert.strictEqual(timeOfSnapshot(`${GROUP}-final`), undefined);
  });

  it("on the first run, lists only its own manual snapshots and exports, and snapshots the replication group", async () => {
    given([], []);
    const result = await run();
    assert.deepStrictEqual(inputs(DescribeSnapshotsCommand), [
      { ReplicationGroupId: GROUP, SnapshotSource: "user", MaxRecords: 50, Marker: undefined },
    ]);
    assert.deepStrictEqual(
      s3.commandCalls(ListObjectsV2Command).map((c) => c.args[0].input),
      [{ Bucket: BUCKET, Prefix: `${PREFIX}-`, ContinuationToken: undefined }],
    );
    assert.deepStrictEqual(inputs(CreateSnapshotCommand), [
      { ReplicationGroupId: GROUP, SnapshotName: `${PREFIX}-202603011200` },
    ]);
    assert.deepStrictEqual(inputs(CopySnapshotCommand), []);
    assert.deepStrictEqual(inputs(DeleteSnapshotCommand), []);
    assert.strictEqual(result.created, `${PREFIX}-202603011200`);
    assert.deepStrictEqual(JSON.parse(lines[0]).problems, []);
  });

  it("exports each available snapshot of its own that is not in the bucket yet, to the same name", async () => {
    given(
      [
        snapshot(nameAt(30)),
        snapshot(nameAt(120)),
        snapshot(nameAt(200), "copying"),
        snapshot("operator-before-upgrade"),
      ],
      [exportedAt(120)],
    );
    const result = await run();
    assert.deepStrictEqual(inputs(CopySnapshotCommand), [
      { SourceSnapshotName: nameAt(30), TargetSnapshotName: nameAt(30), TargetBucket: BUCKET },
    ]);
    assert.deepStrictEqual(result.exported, [nameAt(30)]);
  });

  it("takes no new snapshot before its newest one is an interval old", async () => {
    given([snapshot(nameAt(89))], [exportedAt(89)]);
    await run();
    assert.deepStrictEqual(inputs(CreateSnapshotCommand), []);
    given([snapshot(nameAt(90))], [exportedAt(90)]);
    await run();
    assert.deepStrictEqual(inputs(CreateSnapshotCommand), [
      { ReplicationGroupId: GROUP, SnapshotName: `${PREFIX}-202603011200` },
    ]);
  });

  it("defers, without failing, while a snapshot is still being created or another backup runs", async () => {
    given([snapshot(nameAt(100), "creating")], [exportedAt(190)]);
    const first = await run();
    assert.deepStrictEqual(inputs(CreateSnapshotCommand), []);
    assert.match(first.deferred[0], /is still being created/);

    elasticache.reset();
    given([], [exportedAt(100)]);
    elasticache
      .on(CreateSnapshotCommand)
      .rejects(fault("InvalidReplicationGroupStateFault", "backup in progress"));
    const second = await run();
    assert.match(second.deferred[0], /InvalidReplicationGroupStateFault: backup in progress/);
    assert.strictEqual(second.created, undefined);
  });

  it("is idempotent on retry: an existing snapshot or export counts as done", async () => {
    given([snapshot(nameAt(95))], [exportedAt(190)]);
    elasticache.on(CreateSnapshotCommand).rejects(fault("SnapshotAlreadyExistsFault"));
    elasticache.on(CopySnapshotCommand).rejects(fault("SnapshotAlreadyExistsFault"));
    const result = await run();
    assert.strictEqual(result.created, `${PREFIX}-202603011200`);
    assert.deepStrictEqual(result.exported, [nameAt(95)]);
    assert.deepStrictEqual(result.problems, []);
  });

  it("a retry of the run that created the snapshot creates nothing more", async () => {
    given([snapshot(nameAt(0), "creating")], [exportedAt(90)]);
    await run();
    assert.deepStrictEqual(inputs(CreateSnapshotCommand), []);
  });

  it("deletes its own exported snapshots beyond the newest two, and nothing else", async () => {
    given(
      [
        snapshot(nameAt(10)),
        snapshot(nameAt(100)),
        snapshot(nameAt(190)),
        snapshot(nameAt(280)),
        snapshot(nameAt(370)), // not exported: kept until it is
        snapshot("operator-before-upgrade"),
      ],
      [exportedAt(10, 5), exportedAt(100), exportedAt(190), exportedAt(280)],
    );
    const result = await run();
    assert.deepStrictEqual(inputs(DeleteSnapshotCommand), [
      { SnapshotName: nameAt(190) },
      { SnapshotName: nameAt(280) },
    ]);
    assert.deepStrictEqual(result.deleted, [nameAt(190), nameAt(280)]);
  });

  it("reports and throws a failed step after doing the others, so the Errors alarm fires", async () => {
    given([snapshot(nameAt(100))], [exportedAt(190)]);
    elasticache
      .on(CopySnapshotCommand)
      .rejects(fault("AccessDenied", `ElastiCache has not been granted WRITE permissions ${BUCKET}`));
    await assert.rejects(
      run(),
      new RegExp(
        `^Error: Cache snapshot export of ${GROUP} failed: export of ${nameAt(100)} to s3://${BUCKET} failed: AccessDenied`,
      ),
    );
    assert.deepStrictEqual(inputs(CreateSnapshotCommand).length, 1);
    const logged = JSON.parse(lines[0]);
    assert.strictEqual(logged.replicationGroupId, GROUP);
    assert.strictEqual(logged.problems.length, 1);
  });

  it("fails when the newest export is older than two intervals", async () => {
    given([snapshot(nameAt(150), "creating")], [exportedAt(250, 181)]);
    await assert.rejects(
      run(),
      /the newest export in s3:\/\/.* is from 2026-03-01T08:59:00.000Z: expected one within 180 minutes/,
    );
  });

  it("fails when its snapshots have not been exported for two intervals", async () => {
    given([snapshot(nameAt(181), "creating")], []);
    await assert.rejects(run(), /the newest export in .* is missing/);
  });

  it("reports a snapshot ElastiCache marked failed, and deletes it", async () => {
    given([snapshot(nameAt(30), "failed")], [exportedAt(100)]);
    await assert.rejects(run(), /snapshot .* failed in ElastiCache/);
    assert.deepStrictEqual(inputs(DeleteSnapshotCommand), [{ SnapshotName: nameAt(30) }]);
  });

  it("reads every page of snapshots and objects", async () => {
    elasticache
      .on(DescribeSnapshotsCommand, { Marker: undefined })
      .resolves({ Snapshots: [snapshot(nameAt(100))], Marker: "page-2" })
      .on(DescribeSnapshotsCommand, { Marker: "page-2" })
      .resolves({ Snapshots: [snapshot(nameAt(10))] });
    s3.on(ListObjectsV2Command, { ContinuationToken: undefined })
      .resolves({ Contents: [exportedAt(100)], IsTruncated: true, NextContinuationToken: "t2" })
      .on(ListObjectsV2Command, { ContinuationToken: "t2" })
      .resolves({ Contents: [], IsTruncated: false });
    const result = await run();
    assert.deepStrictEqual(result.exported, [nameAt(10)]);
    assert.strictEqual(elasticache.commandCalls(DescribeSnapshotsCommand).length, 2);
    assert.strictEqual(s3.commandCalls(ListObjectsV2Command).length, 2);
  });

  it("refuses an incomplete deployment with the missing variable's name", () => {
    const env = {
      REPLICATION_GROUP_ID: GROUP,
      TARGET_BUCKET: BUCKET,
      SNAPSHOT_PREFIX: PREFIX,
      INTERVAL_MINUTES: "90",
      KEEP_SNAPSHOTS: "2",
      STALE_AFTER_MINUTES: "180",
    };
    assert.deepStrictEqual(readConfig(env), CONFIG);
    assert.throws(() => readConfig({ ...env, TARGET_BUCKET: "" }), /TARGET_BUCKET is missing/);
    assert.throws(
      () => readConfig({ ...env, KEEP_SNAPSHOTS: "0" }),
      /KEEP_SNAPSHOTS = "0": expected a positive integer/,
    );
  });
});

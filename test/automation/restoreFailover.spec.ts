import * as assert from "assert";
import { ListRecoveryPointsByBackupVaultCommand } from "@aws-sdk/client-backup";
import { GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeReplicationGroupsCommand } from "@aws-sdk/client-elasticache";
import { UpdateHealthCheckCommand } from "@aws-sdk/client-route-53";
import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import { restoreActivateTimeout, runFailover } from "../../automation/run/controller";
import { DR_OUTPUTS_RESTORE_ACTIVE, DR_OUTPUTS_RESTORE_STANDBY } from "./fakeOutputs";
import { DR_CONFIG, harness, Harness } from "./harness";

const DB_POINT = "arn:aws:rds:us-west-2:111122223333:snapshot:awsbackup:job-newest";
const CACHE_KEY = "payments-cache-primary-export-202612051200-0001.rdb";
const CACHE_ARN = `arn:aws:s3:::payments-dr-primary-cache-snapshots-replica/${CACHE_KEY}`;
const config = { ...DR_CONFIG, strategy: "backup-restore" as const };
const ago = (seconds: number) => new Date(Date.now() - seconds * 1000);

/** A backup-restore dr stack in standby, with a 10-minute-old RDS copy and a 5-minute-old cache export. */
function restoreHarness(points?: object[], exportAgeSeconds = 300): Harness {
  const h = harness();
  h.pulumi.outputs = DR_OUTPUTS_RESTORE_STANDBY;
  h.pulumi.activeOutputs = DR_OUTPUTS_RESTORE_ACTIVE;
  h.aws.backup.on(ListRecoveryPointsByBackupVaultCommand).resolves({
    RecoveryPoints: points ?? [
      {
        RecoveryPointArn: `${DB_POINT}-old`,
        ResourceType: "RDS",
        Status: "COMPLETED",
        CreationDate: ago(5000),
      },
      { RecoveryPointArn: DB_POINT, ResourceType: "RDS", Status: "COMPLETED", CreationDate: ago(600) },
      {
        RecoveryPointArn: `${DB_POINT}-partial`,
        ResourceType: "RDS",
        Status: "PARTIAL",
        CreationDate: ago(60),
      },
    ],
  });
  h.aws.s3.on(ListObjectsV2Command).resolves({
    IsTruncated: false,
    Contents: [
      { Key: "payments-cache-primary-export-202612051100-0001.rdb", LastModified: ago(3900) },
      { Key: CACHE_KEY, LastModified: ago(exportAgeSeconds) },
    ],
  });
  h.aws.drCache
    .on(DescribeReplicationGroupsCommand)
    .resolves({ ReplicationGroups: [{ ReplicationGroupId: "payments-cache-dr", Status: "available" }] });
  return h;
}

const configSets = (h: Harness) => h.pulumi.calls.filter((c) => c[0] === "config" && c[1] === "set");
const changes = (h: Harness) =>
  h.pulumi.calls.filter((c) => c[0] === "up" || (c[0] === "config" && c[1] === "set"));
const setCall = (key: string, value: string) => [
  "config",
  "set",
  "--path",
  key,
  "--stack",
  "dr",
  "--plaintext",
  "--non-interactive",
  "--",
  value,
];

describe("failover of a backup-restore dr stack (fake Pulumi CLI, mocked AWS)", () => {
  it("finds the newest copies, sets them as restore config, activates the stack, and reports each step's time", async () => {
    const h = restoreHarness();
    const report = await runFailover(h.options({ config }));
    assert.strictEqual(report.status, "succeeded", report.error);
    assert.deepStrictEqual(
      report.steps.map((s) => s.id),
      [
        "find-restore-points",
        "dns-lever",
        "set-restore-config",
        "stack-activate",
        "verify",
        "stack-reconcile",
      ],
    );
    assert.ok(report.steps.every((s) => s.status === "succeeded" && typeof s.durationSeconds === "number"));
    assert.deepStrictEqual(
      h.aws.backup.commandCalls(ListRecoveryPointsByBackupVaultCommand).map((c) => c.args[0].input),
      [{ BackupVaultName: "payments-dr-primary-copies", ByResourceType: "RDS" }],
    );
    assert.deepStrictEqual(
      h.aws.s3.commandCalls(ListObjectsV2Command).map((c) => c.args[0].input),
      [{ Bucket: "payments-dr-primary-cache-snapshots-replica", Prefix: "payments-cache-primary-export-" }],
    );
    assert.deepStrictEqual(configSets(h), [
      setCall("payments-dr:restore.database", DB_POINT),
      setCall("payments-dr:restore.cache", CACHE_ARN),
      setCall("payments-dr:mode", "active"),
    ]);
    // no replica to measure: the lag preflight does not run
    assert.strictEqual(h.aws.cloudWatch.commandCalls(GetMetricDataCommand).length, 0);
    assert.strictEqual(h.aws.route53.commandCalls(UpdateHealthCheckCommand).length, 1);
    assert.match(
      report.steps[0].detail ?? "",
      new RegExp(
        `^database ${DB_POINT} \\(60\\d s old\\); cache ${CACHE_ARN} \\(30\\d s old\\); RPO target 900 s$`,
      ),
    );
    assert.strictEqual(
      report.steps.find((s) => s.id === "verify")?.detail,
      "RDS payments-db-dr restored and available; cache payments-cache-dr available; node group payments-dr-nodes " +
        "at 3 nodes; https://api.payments.example.com/healthz healthy",
    );
  });

  it("refuses before any change when the copy vault holds no COMPLETED RDS recovery point", async () => {
    const h = restoreHarness([
      { RecoveryPointArn: DB_POINT, ResourceType: "RDS", Status: "PARTIAL", CreationDate: ago(60) },
    ]);
    const report = await runFailover(h.options({ config }));
    assert.strictEqual(report.status, "failed");
    assert.strictEqual(
      report.error,
      "find-restore-points: No COMPLETED RDS recovery point in backup vault payments-dr-primary-copies for the " +
        "database: nothing to restore from (1 RDS point(s) in other states). Fix: check the primary's backup plan " +
        "copy action (docs/strategies.md), or restore from a snapshot you verified with pulumi config set --path " +
        "payments-dr:restore.database <arn>.",
    );
    assert.deepStrictEqual(changes(h), []);
    assert.strictEqual(h.aws.route53.commandCalls(UpdateHealthCheckCommand).length, 0);
  });

  it("refuses a database copy older than targets.rpoSeconds", async () => {
    const h = restoreHarness([
      { RecoveryPointArn: DB_POINT, ResourceType: "RDS", Status: "COMPLETED", CreationDate: ago(1000) },
    ]);
    const report = await runFailover(h.options({ config }));
    assert.strictEqual(report.status, "failed");
    assert.match(
      report.error ?? "",
      /^find-restore-points: The newest COMPLETED RDS recovery point in backup vault payments-dr-primary-copies .* is 10\d\d s old: expected at most payments-dr:targets.rpoSeconds \(900 s\)/,
    );
    assert.deepStrictEqual(changes(h), []);
    assert.strictEqual(h.aws.route53.commandCalls(UpdateHealthCheckCommand).length, 0);
  });

  it("refuses a cache export older than targets.rpoSeconds, naming the object", async () => {
    const h = restoreHarness(undefined, 1200);
    const report = await runFailover(h.options({ config }));
    assert.strictEqual(report.status, "failed");
    assert.match(
      report.error ?? "",
      new RegExp(
        `^find-restore-points: The newest exported cache snapshot in bucket payments-dr-primary-cache-snapshots-replica \\(${CACHE_KEY}, written .*\\) is 120\\d s old: expected at most payments-dr:targets.rpoSeconds \\(900 s\\)`,
      ),
    );
    assert.deepStrictEqual(changes(h), []);
  });

  it("resumes after an up that fails midway without setting the config again", async () => {
    const h = restoreHarness();
    h.pulumi.failures.push({
      when: (args) => args[0] === "up",
      stderr:
        "error: creating RDS DB Instance (restore to point in time): operation error RDS: RestoreDBInstanceFromDBSnapshot, StatusCode: 500\n",
    });
    const first = await runFailover(h.options({ config }));
    assert.strictEqual(first.status, "failed");
    assert.match(
      first.error ?? "",
      /^stack-activate: pulumi up on stack dr exited with code 255: creating RDS DB Instance/,
    );
    assert.strictEqual(configSets(h).length, 3);
    const routeCalls = h.aws.route53.commandCalls(UpdateHealthCheckCommand).length;

    h.pulumi.failures.length = 0;
    h.lines.length = 0;
    const second = await runFailover(h.options({ config }));
    assert.strictEqual(second.status, "succeeded", second.error);
    assert.strictEqual(second.runId, first.runId);
    assert.strictEqual(configSets(h).length, 3);
    assert.strictEqual(h.aws.route53.commandCalls(UpdateHealthCheckCommand).length, routeCalls);
    for (const id of ["find-restore-points", "dns-lever", "set-restore-config"]) {
      assert.ok(
        h.lines.some((l) => l.startsWith(`  ↷ ${id}: already done in this run`)),
        id,
      );
    }
  });

  it("changes no config that already names the copies found (a rerun is safe)", async () => {
    const h = restoreHarness();
    h.pulumi.config.set("payments-dr:restore.database", DB_POINT);
    h.pulumi.config.set("payments-dr:restore.cache", CACHE_ARN);
    h.pulumi.mode = "active";
    const report = await runFailover(h.options({ config }));
    assert.strictEqual(report.status, "succeeded", report.error);
    assert.deepStrictEqual(configSets(h), []);
    assert.strictEqual(
      report.steps.find((s) => s.id === "set-restore-config")?.detail,
      "already set; nothing changed",
    );
  });

  it("gives stack-activate at least the RTO target: a restore outlasts a promotion", () => {
    assert.strictEqual(restoreActivateTimeout(config), 1800);
    const slow = { ...config, failover: { ...config.failover, stepTimeoutSeconds: 3600 } };
    assert.strictEqual(restoreActivateTimeout(slow), 3600);
  });
});

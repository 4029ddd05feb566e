import * as assert from "assert";
import { mockClient } from "aws-sdk-client-mock";
import {
  BackupClient,
  DescribeRestoreJobCommand,
  GetRecoveryPointRestoreMetadataCommand,
  ListRecoveryPointsByBackupVaultCommand,
  StartRestoreJobCommand,
} from "@aws-sdk/client-backup";
import { DeleteTableCommand, DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
import { EC2Client } from "@aws-sdk/client-ec2";
import { DeleteDBInstanceCommand, DescribeDBInstancesCommand, RDSClient } from "@aws-sdk/client-rds";
import {
  DeleteBucketCommand,
  DeleteObjectsCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { parseFailoverArgs } from "../../automation/args";
import { UsageError } from "../../automation/errors";
import { defaultCopyVault } from "../../automation/restore-drill/command";
import { DrillOptions, runRestoreDrill } from "../../automation/restore-drill/drill";
import { drillExitCode, formatDrillReport } from "../../automation/restore-drill/report";

const ACCOUNT = "111122223333";
const VAULT = "payments-dr-primary-copies";
const ROLE = `arn:aws:iam::${ACCOUNT}:role/payments-dr-dr-backup`;
const rp = (id: string) => `arn:aws:backup:us-west-2:${ACCOUNT}:recovery-point:${id}`;
const DB_SOURCE = `arn:aws:rds:us-east-1:${ACCOUNT}:db:payments-dr-primary`;
const TABLE_SOURCE = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/payments-dr-failover-state`;
const BUCKET_SOURCE = "arn:aws:s3:::payments-dr-primary-app";
const SCRATCH_DB = `arn:aws:rds:us-west-2:${ACCOUNT}:db:drill-d1-rds`;
const SCRATCH_TABLE = `arn:aws:dynamodb:us-west-2:${ACCOUNT}:table/drill-d1-dynamodb`;
const SCRATCH_BUCKET = "arn:aws:s3:::drill-d1-s3";

describe("restore drill (npm run failover -- restore-drill)", () => {
  const backup = mockClient(BackupClient);
  const rds = mockClient(RDSClient);
  const dynamo = mockClient(DynamoDBClient);
  const s3 = mockClient(S3Client);
  const lines: string[] = [];

  beforeEach(() => {
    for (const m of [backup, rds, dynamo, s3]) m.reset();
    lines.length = 0;
    backup
      .on(ListRecoveryPointsByBackupVaultCommand)
      .resolvesOnce({
        RecoveryPoints: [
          {
            RecoveryPointArn: rp("db-old"),
            ResourceArn: DB_SOURCE,
            ResourceType: "RDS",
            Status: "COMPLETED",
            CreationDate: new Date("2026-12-04T01:00:00Z"),
          },
          {
            RecoveryPointArn: rp("db-new"),
            ResourceArn: DB_SOURCE,
            ResourceType: "RDS",
            Status: "COMPLETED",
            CreationDate: new Date("2026-12-05T01:00:00Z"),
          },
          {
            RecoveryPointArn: rp("db-partial"),
            ResourceArn: DB_SOURCE,
            ResourceType: "RDS",
            Status: "PARTIAL",
            CreationDate: new Date("2026-12-05T02:00:00Z"),
          },
          {
            RecoveryPointArn: rp("eks"),
            ResourceArn: "arn:aws:eks:us-east-1:1:cluster/c",
            ResourceType: "EKS",
            Status: "COMPLETED",
            CreationDate: new Date("2026-12-05T01:00:00Z"),
          },
        ],
        NextToken: "page-2",
      })
      .resolvesOnce({
        RecoveryPoints: [
          {
            RecoveryPointArn: rp("table"),
            ResourceArn: TABLE_SOURCE,
            ResourceType: "DynamoDB",
            Status: "COMPLETED",
            CreationDate: new Date("2026-12-05T01:00:00Z"),
          },
          {
            RecoveryPointArn: rp("bucket"),
            ResourceArn: BUCKET_SOURCE,
            ResourceType: "S3",
            Status: "COMPLETED",
            CreationDate: new Date("2026-12-05T01:00:00Z"),
          },
        ],
      });
    backup.on(GetRecoveryPointRestoreMetadataCommand, { RecoveryPointArn: rp("db-new") }).resolves({
      RestoreMetadata: {
        DBInstanceIdentifier: "payments-dr-primary",
        PubliclyAccessible: "true",
        Engine: "postgres",
        DBSubnetGroupName: "primary-subnets",
      },
    });
    backup.on(GetRecoveryPointRestoreMetadataCommand, { RecoveryPointArn: rp("table") }).resolves({
      RestoreMetadata: { originalTableName: "payments-dr-failover-state" },
    });
    backup.on(GetRecoveryPointRestoreMetadataCommand, { RecoveryPointArn: rp("bucket") }).resolves({
      RestoreMetadata: { DestinationBucketName: "payments-dr-primary-app", NewBucket: "false" },
    });
    backup.on(StartRestoreJobCommand, { ResourceType: "RDS" }).resolves({ RestoreJobId: "job-rds" });
    backup.on(StartRestoreJobCommand, { ResourceType: "DynamoDB" }).resolves({ RestoreJobId: "job-ddb" });
    backup.on(StartRestoreJobCommand, { ResourceType: "S3" }).resolves({ RestoreJobId: "job-s3" });
    const completed = (arn: string, minutes: number) => ({
      Status: "COMPLETED" as const,
      CreatedResourceArn: arn,
      CreationDate: new Date("2026-12-05T10:00:00Z"),
      CompletionDate: new Date(Date.parse("2026-12-05T10:00:00Z") + minutes * 60_000),
    });
    backup
      .on(DescribeRestoreJobCommand, { RestoreJobId: "job-rds" })
      .resolvesOnce({ Status: "RUNNING", PercentDone: "40.00%" })
      .resolves(completed(SCRATCH_DB, 21));
    backup.on(DescribeRestoreJobCommand, { RestoreJobId: "job-ddb" }).resolves(completed(SCRATCH_TABLE, 4));
    backup.on(DescribeRestoreJobCommand, { RestoreJobId: "job-s3" }).resolves(completed(SCRATCH_BUCKET, 9));
    rds.on(DescribeDBInstancesCommand).resolves({ DBInstances: [{ DBInstanceStatus: "available" }] });
    rds.on(DeleteDBInstanceCommand).resolves({});
    dynamo.on(ScanCommand).resolves({ Count: 1, Items: [{}] });
    dynamo.on(DeleteTableCommand).resolves({});
    s3.on(ListObjectsV2Command).resolves({ KeyCount: 1 });
    s3.on(ListObjectVersionsCommand)
      .resolvesOnce({
        Versions: [{ Key: "a", VersionId: "v1" }],
        DeleteMarkers: [{ Key: "b", VersionId: "m1" }],
        IsTruncated: false,
      })
      .resolves({});
    s3.on(DeleteObjectsCommand).resolves({});
    s3.on(DeleteBucketCommand).resolves({});
  });

  function options(overrides: Partial<DrillOptions> = {}): DrillOptions {
    return {
      backup: new BackupClient({ region: "us-west-2" }),
      clients: {
        rds: new RDSClient({ region: "us-west-2" }),
        dynamoDb: new DynamoDBClient({ region: "us-west-2" }),
        s3: new S3Client({ region: "us-west-2" }),
        ec2: new EC2Client({ region: "us-west-2" }),
      },
      vaultName: VAULT,
      restoreRoleArn: ROLE,
      placement: {
        region: "us-west-2",
        dbSubnetGroupName: "payments-dr-dr-db",
        securityGroupIds: ["sg-0dr"],
      },
      drillId: "d1",
      deadlineMs: 60_000,
      pollMs: 0,
      dryRun: false,
      log: (line) => lines.push(line),
      sleep: () => Promise.resolve(),
      ...overrides,
    };
  }

  it("restores the latest completed copy of each drilled type into scratch names with safe metadata", async () => {
    const report = await runRestoreDrill(options());
    assert.deepStrictEqual(
      backup.commandCalls(ListRecoveryPointsByBackupVaultCommand).map((c) => c.args[0].input),
      [
        { BackupVaultName: VAULT, NextToken: undefined },
        { BackupVaultName: VAULT, NextToken: "page-2" },
      ],
    );
    assert.deepStrictEqual(
      backup.commandCalls(StartRestoreJobCommand).map((c) => c.args[0].input),
      [
        {
          RecoveryPointArn: rp("table"),
          IamRoleArn: ROLE,
          ResourceType: "DynamoDB",
          IdempotencyToken: "drill-d1-dynamodb",
          Metadata: { originalTableName: "payments-dr-failover-state", targetTableName: "drill-d1-dynamodb" },
        },
        {
          RecoveryPointArn: rp("db-new"),
          IamRoleArn: ROLE,
          ResourceType: "RDS",
          IdempotencyToken: "drill-d1-rds",
          Metadata: {
            Engine: "postgres",
            DBInstanceIdentifier: "drill-d1-rds",
            DBSubnetGroupName: "payments-dr-dr-db",
            VpcSecurityGroupIds: '["sg-0dr"]',
            PubliclyAccessible: "false",
            MultiAZ: "false",
            DeletionProtection: "false",
          },
        },
        {
          RecoveryPointArn: rp("bucket"),
          IamRoleArn: ROLE,
          ResourceType: "S3",
          IdempotencyToken: "drill-d1-s3",
          Metadata: { DestinationBucketName: "drill-d1-s3", NewBucket: "true", CreationToken: "drill-d1-s3" },
        },
      ],
    );
    assert.deepStrictEqual(
      report.stores.map((s) => [s.resourceType, s.outcome, s.restoreSeconds, s.cleanup, s.detail]),
      [
        ["DynamoDB", "restored", 240, "deleted", "holds items"],
        [
          "EKS",
          "skipped",
          undefined,
          undefined,
          "EKS is not drilled here (AWS Backup restore testing covers it)",
        ],
        ["RDS", "restored", 1260, "deleted", "instance status available"],
        ["S3", "restored", 540, "deleted", "holds objects"],
      ],
    );
    assert.strictEqual(report.passed, true);
    assert.strictEqual(drillExitCode(report), 0);
    assert.deepStrictEqual(dynamo.commandCalls(ScanCommand)[0].args[0].input, {
      TableName: "drill-d1-dynamodb",
      Limit: 1,
    });
    assert.deepStrictEqual(rds.commandCalls(DeleteDBInstanceCommand)[0].args[0].input, {
      DBInstanceIdentifier: "drill-d1-rds",
      SkipFinalSnapshot: true,
      DeleteAutomatedBackups: true,
    });
    assert.deepStrictEqual(s3.commandCalls(DeleteObjectsCommand)[0].args[0].input, {
      Bucket: "drill-d1-s3",
      Delete: {
        Objects: [
          { Key: "a", VersionId: "v1" },
          { Key: "b", VersionId: "m1" },
        ],
        Quiet: true,
      },
    });
    assert.deepStrictEqual(s3.commandCalls(DeleteBucketCommand)[0].args[0].input, { Bucket: "drill-d1-s3" });
    assert.ok(lines.includes("RDS: job-rds RUNNING 40.00%"), lines.join("\n"));
    assert.ok(lines.includes("RDS: job-rds COMPLETED"), lines.join("\n"));
  });

  it("a failed restore is reported, nothing is left to delete, and the drill fails", async () => {
    backup.on(DescribeRestoreJobCommand, { RestoreJobId: "job-ddb" }).resolves({
      Status: "FAILED",
      StatusMessage: "Access denied to KMS key",
    });
    const report = await runRestoreDrill(options());
    const ddb = report.stores.find((s) => s.resourceType === "DynamoDB");
    assert.deepStrictEqual(
      [ddb?.outcome, ddb?.detail, ddb?.cleanup],
      ["failed", "restore job FAILED: Access denied to KMS key", "nothing to delete"],
    );
    assert.strictEqual(dynamo.commandCalls(DeleteTableCommand).length, 0);
    assert.strictEqual(report.passed, false);
    assert.strictEqual(drillExitCode(report), 1);
    // The other stores were still validated and cleaned up.
    assert.strictEqual(rds.commandCalls(DeleteDBInstanceCommand).length, 1);
    assert.strictEqual(s3.commandCalls(DeleteBucketCommand).length, 1);
  });

  it("a restore past the deadline is reported with the command to find and delete it; the rest is cleaned", async () => {
    backup
      .on(DescribeRestoreJobCommand, { RestoreJobId: "job-rds" })
      .resolves({ Status: "RUNNING", PercentDone: "10.00%" });
    const report = await runRestoreDrill(
      options({ deadlineMs: 30, pollMs: 5, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) }),
    );
    const db = report.stores.find((s) => s.resourceType === "RDS");
    assert.strictEqual(db?.outcome, "timed-out");
    assert.strictEqual(
      db?.detail,
      "no result within 0.03 s (--deadline-minutes); AWS Backup cannot stop a restore job",
    );
    assert.deepStrictEqual(report.leftovers, [
      "aws backup describe-restore-job --region us-west-2 --restore-job-id job-rds # then delete its CreatedResourceArn",
    ]);
    assert.strictEqual(rds.commandCalls(DeleteDBInstanceCommand).length, 0);
    assert.strictEqual(dynamo.commandCalls(DeleteTableCommand).length, 1);
    assert.strictEqual(drillExitCode(report), 1);
  });

  it("a failed deletion is reported with the exact delete command, after validation", async () => {
    dynamo
      .on(DeleteTableCommand)
      .rejects(Object.assign(new Error("not authorized"), { name: "AccessDeniedException" }));
    const report = await runRestoreDrill(options());
    assert.deepStrictEqual(report.leftovers, [
      "aws dynamodb delete-table --region us-west-2 --table-name drill-d1-dynamodb",
    ]);
    assert.strictEqual(report.passed, false);
    const text = formatDrillReport(report);
    assert.match(text, /NOT CLEANED UP: run these to delete the scratch resources/);
    assert.match(text, /\n {4}aws dynamodb delete-table --region us-west-2 --table-name drill-d1-dynamodb\n/);
    assert.match(text, /Result: FAIL\n$/);
  });

  it("a restored resource without data fails validation and is still deleted", async () => {
    dynamo.on(ScanCommand).resolves({ Count: 0, Items: [] });
    const report = await runRestoreDrill(options());
    const ddb = report.stores.find((s) => s.resourceType === "DynamoDB");
    assert.deepStrictEqual([ddb?.outcome, ddb?.detail, ddb?.cleanup], ["invalid", "no item", "deleted"]);
    assert.strictEqual(report.passed, false);
  });

  it("--dry-run lists the recovery points and starts, validates and deletes nothing", async () => {
    const report = await runRestoreDrill(options({ dryRun: true }));
    assert.deepStrictEqual(
      backup.calls().map((c) => c.args[0].constructor.name),
      ["ListRecoveryPointsByBackupVaultCommand", "ListRecoveryPointsByBackupVaultCommand"],
    );
    assert.deepStrictEqual(
      report.stores.map((s) => [s.resourceType, s.outcome, s.recoveryPointArn]),
      [
        ["DynamoDB", "planned", rp("table")],
        ["EKS", "skipped", rp("eks")],
        ["RDS", "planned", rp("db-new")],
        ["S3", "planned", rp("bucket")],
      ],
    );
    assert.deepStrictEqual([rds.calls().length, dynamo.calls().length, s3.calls().length], [0, 0, 0]);
    assert.strictEqual(drillExitCode(report), 0);
    assert.match(formatDrillReport(report), /Result: PLANNED/);
  });

  it("skips RDS without the dr subnet group instead of restoring into a default VPC", async () => {
    const report = await runRestoreDrill(
      options({ placement: { region: "us-west-2", securityGroupIds: ["sg-0dr"] } }),
    );
    const db = report.stores.find((s) => s.resourceType === "RDS");
    assert.deepStrictEqual(
      [db?.outcome, db?.detail],
      ["skipped", "needs --db-subnet-group (the dr database subnet group)"],
    );
    assert.deepStrictEqual(
      backup.commandCalls(StartRestoreJobCommand).map((c) => c.args[0].input.ResourceType),
      ["DynamoDB", "S3"],
    );
  });

  describe("arguments", () => {
    it("parses the drill's options", () => {
      const args = parseFailoverArgs([
        "restore-drill",
        "--restore-role-arn",
        ROLE,
        "--db-subnet-group",
        "payments-dr-dr-db",
        "--security-group-ids",
        "sg-1,sg-2",
        "--availability-zone",
        "us-west-2a",
        "--deadline-minutes",
        "90",
        "--json",
      ]);
      assert.strictEqual(args.command, "restore-drill");
      assert.strictEqual(args.json, true);
      assert.deepStrictEqual(args.drill, {
        securityGroupIds: ["sg-1", "sg-2"],
        deadlineMinutes: 90,
        dryRun: false,
        restoreRoleArn: ROLE,
        dbSubnetGroup: "payments-dr-dr-db",
        availabilityZone: "us-west-2a",
      });
      assert.deepStrictEqual(parseFailoverArgs(["restore-drill", "--dry-run"]).drill, {
        securityGroupIds: [],
        deadlineMinutes: 240,
        dryRun: true,
      });
    });

    it("refuses misuse with the usage text", () => {
      const cases: [string[], RegExp][] = [
        [
          ["restore-drill", "--deadline-minutes", "0"],
          /Invalid --deadline-minutes "0": expected a whole number of minutes from 1 to 1440/,
        ],
        [
          ["restore-drill", "--yes"],
          /restore-drill takes only --stack, --dry-run, --json, --verbose and its own options/,
        ],
        [["restore-drill", "--to", "dr"], /restore-drill takes no --to: it restores in the dr Region/],
        [["--to", "dr", "--vault", "v"], /--vault applies to restore-drill only/],
      ];
      for (const [argv, expected] of cases) {
        assert.throws(
          () => parseFailoverArgs(argv),
          (e: unknown) =>
            e instanceof UsageError &&
            expected.test(e.message) &&
            /npm run failover -- restore-drill/.test(e.message),
        );
      }
    });

    it("defaults to the dr Region's copy vault of the primary stack", () => {
      assert.strictEqual(
        defaultCopyVault({ project: "payments-dr", primaryStack: "organization/payments-dr/primary" }),
        VAULT,
      );
    });
  });
});

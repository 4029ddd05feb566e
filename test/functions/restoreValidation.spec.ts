import * as assert from "assert";
import { mockClient } from "aws-sdk-client-mock";
import {
  BackupClient,
  DescribeRestoreJobCommand,
  DescribeRestoreJobCommandOutput,
  PutRestoreValidationResultCommand,
} from "@aws-sdk/client-backup";
import { CloudWatchClient, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeTableCommand, DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { DescribeVolumesCommand, EC2Client } from "@aws-sdk/client-ec2";
import { DescribeDBInstancesCommand, RDSClient } from "@aws-sdk/client-rds";
import { ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import {
  readValidatorConfig,
  validateRestoreJob,
  ValidatorConfig,
} from "../../functions/restoreValidation/handler";
import { validateRestoredResource } from "../../functions/restoreValidation/checks";

const PLAN = "arn:aws:backup:us-west-2:111122223333:restore-testing-plan:payments_dr_dr_restore_tests-abc";
const MARKER_KEY = { pk: { S: "restore-test#marker" }, sk: { S: "marker" } };
const CONFIG: ValidatorConfig = {
  restoreTestingPlanArn: PLAN,
  expectations: {
    markerObjectKey: "payments-dr/restore-test-marker.json",
    markerItemKey: MARKER_KEY,
    dbSubnetGroupName: "restore-tests-subnets",
  },
};
const CREATED = new Date("2026-12-05T06:00:00Z");
const COMPLETED = new Date("2026-12-05T06:21:40Z");

const backup = mockClient(BackupClient);
const cloudwatch = mockClient(CloudWatchClient);
const s3 = mockClient(S3Client);
const dynamodb = mockClient(DynamoDBClient);
const rds = mockClient(RDSClient);
const ec2 = mockClient(EC2Client);
const clients = () => ({
  backup: new BackupClient({}),
  cloudwatch: new CloudWatchClient({}),
  s3: new S3Client({}),
  dynamodb: new DynamoDBClient({}),
  rds: new RDSClient({}),
  ec2: new EC2Client({}),
});

function job(overrides: Partial<DescribeRestoreJobCommandOutput>): DescribeRestoreJobCommandOutput {
  return {
    $metadata: {},
    RestoreJobId: "job-1",
    Status: "COMPLETED",
    CreatedBy: { RestoreTestingPlanArn: PLAN },
    CreationDate: CREATED,
    CompletionDate: COMPLETED,
    ...overrides,
  };
}

describe("restore-test validation (functions/restoreValidation)", () => {
  beforeEach(() => {
    for (const m of [backup, cloudwatch, s3, dynamodb, rds, ec2]) m.reset();
    backup.on(PutRestoreValidationResultCommand).resolves({});
    cloudwatch.on(PutMetricDataCommand).resolves({});
  });

  it("validates a restored bucket by its marker object, records the duration and reports SUCCESSFUL", async () => {
    backup.on(DescribeRestoreJobCommand).resolves(
      job({
        ResourceType: "S3",
        CreatedResourceArn: "arn:aws:s3:::awsbackup-restore-test-123",
        SourceResourceArn: "arn:aws:s3:::objects-app-bucket-1a2b",
        RecoveryPointArn: "arn:aws:backup:us-west-2:111122223333:recovery-point:rp-1",
      }),
    );
    s3.on(ListObjectsV2Command).resolves({ Contents: [{ Key: "payments-dr/restore-test-marker.json" }] });

    const result = await validateRestoreJob({ restoreJobId: "job-1" }, CONFIG, clients());

    assert.deepStrictEqual(s3.commandCalls(ListObjectsV2Command)[0].args[0].input, {
      Bucket: "awsbackup-restore-test-123",
      MaxKeys: 1,
      Prefix: "payments-dr/restore-test-marker.json",
    });
    assert.deepStrictEqual(cloudwatch.commandCalls(PutMetricDataCommand)[0].args[0].input, {
      Namespace: "PaymentsDr/Restore",
      MetricData: [
        {
          MetricName: "RestoreDurationSeconds",
          Dimensions: [
            { Name: "ResourceType", Value: "S3" },
            { Name: "Store", Value: "objects-app-bucket-1a2b" },
          ],
          Timestamp: COMPLETED,
          Value: 1300,
          Unit: "Seconds",
        },
      ],
    });
    assert.deepStrictEqual(backup.commandCalls(PutRestoreValidationResultCommand)[0].args[0].input, {
      RestoreJobId: "job-1",
      ValidationStatus: "SUCCESSFUL",
      ValidationStatusMessage:
        "bucket awsbackup-restore-test-123 holds the marker object payments-dr/restore-test-marker.json; " +
        "restore took 1300 s (S3 objects-app-bucket-1a2b)",
    });
    assert.deepStrictEqual(result, {
      restoreJobId: "job-1",
      status: "SUCCESSFUL",
      message:
        "bucket awsbackup-restore-test-123 holds the marker object payments-dr/restore-test-marker.json; " +
        "restore took 1300 s (S3 objects-app-bucket-1a2b)",
      seconds: 1300,
    });
  });

  it("reports FAILED when the restored table lacks the marker item", async () => {
    backup.on(DescribeRestoreJobCommand).resolves(
      job({
        ResourceType: "DynamoDB",
        CreatedResourceArn: "arn:aws:dynamodb:us-west-2:111122223333:table/awsbackup-restore-test-9",
        SourceResourceArn: "arn:aws:dynamodb:us-east-1:111122223333:table/payments-dr-primary-failover-state",
      }),
    );
    dynamodb.on(DescribeTableCommand).resolves({ Table: { TableStatus: "ACTIVE" } });
    dynamodb.on(GetItemCommand).resolves({});

    await validateRestoreJob({ restoreJobId: "job-1" }, CONFIG, clients());

    assert.deepStrictEqual(dynamodb.commandCalls(GetItemCommand)[0].args[0].input, {
      TableName: "awsbackup-restore-test-9",
      Key: MARKER_KEY,
      ConsistentRead: true,
    });
    assert.deepStrictEqual(backup.commandCalls(PutRestoreValidationResultCommand)[0].args[0].input, {
      RestoreJobId: "job-1",
      ValidationStatus: "FAILED",
      ValidationStatusMessage:
        'table awsbackup-restore-test-9: expected the marker item {"pk":{"S":"restore-test#marker"},"sk":{"S":"marker"}}, ' +
        "found none; restore took 1300 s (DynamoDB payments-dr-primary-failover-state)",
    });
  });

  it("checks a restored DB instance's state, encryption, privacy and subnet group, saying no row was read", async () => {
    backup.on(DescribeRestoreJobCommand).resolves(
      job({
        ResourceType: "RDS",
        CreatedResourceArn: "arn:aws:rds:us-west-2:111122223333:db:awsbackup-restore-test-db",
        SourceResourceArn: "arn:aws:rds:us-east-1:111122223333:db:payments-dr-primary",
      }),
    );
    rds.on(DescribeDBInstancesCommand).resolves({
      DBInstances: [
        {
          DBInstanceStatus: "available",
          StorageEncrypted: true,
          PubliclyAccessible: false,
          AllocatedStorage: 100,
          DBSubnetGroup: { DBSubnetGroupName: "restore-tests-subnets" },
        },
      ],
    });

    await validateRestoreJob({ restoreJobId: "job-1" }, CONFIG, clients());

    assert.deepStrictEqual(rds.commandCalls(DescribeDBInstancesCommand)[0].args[0].input, {
      DBInstanceIdentifier: "awsbackup-restore-test-db",
    });
    assert.strictEqual(
      backup.commandCalls(PutRestoreValidationResultCommand)[0].args[0].input.ValidationStatusMessage,
      "DB instance awsbackup-restore-test-db available, encrypted, private, 100 GiB in restore-tests-subnets " +
        "(instance state only: no row was read); restore took 1300 s (RDS payments-dr-primary)",
    );
  });

  it("fails a DB instance that came back public or in another subnet group, naming each problem", async () => {
    rds.on(DescribeDBInstancesCommand).resolves({
      DBInstances: [
        {
          DBInstanceStatus: "available",
          StorageEncrypted: true,
          PubliclyAccessible: true,
          AllocatedStorage: 100,
          DBSubnetGroup: { DBSubnetGroupName: "default" },
        },
      ],
    });
    const outcome = await validateRestoredResource(
      {
        restoreJobId: "job-1",
        resourceType: "RDS",
        createdResourceArn: "arn:aws:rds:us-west-2:111122223333:db:awsbackup-restore-test-db",
        recoveryPointArn: "arn:aws:rds:us-west-2:111122223333:snapshot:awsbackup:job-1",
      },
      { rds: new RDSClient({}) },
      CONFIG.expectations,
    );
    assert.deepStrictEqual(outcome, {
      status: "FAILED",
      message:
        "DB instance awsbackup-restore-test-db: publicly accessible; subnet group default (expected restore-tests-subnets)",
    });
  });

  it("checks a restored volume against the recovery point's snapshot and backed-up size", async () => {
    ec2.on(DescribeVolumesCommand).resolves({
      Volumes: [{ State: "available", Encrypted: true, Size: 20, SnapshotId: "snap-0abc" }],
    });
    const restored = {
      restoreJobId: "job-1",
      resourceType: "EBS",
      createdResourceArn: "arn:aws:ec2:us-west-2:111122223333:volume/vol-0123",
      recoveryPointArn: "arn:aws:ec2:us-west-2::snapshot/snap-0abc",
      backupSizeInBytes: 20 * 2 ** 30,
    };
    assert.deepStrictEqual(await validateRestoredResource(restored, { ec2: new EC2Client({}) }, {}), {
      status: "SUCCESSFUL",
      message: "volume vol-0123 available, encrypted, 20 GiB from snap-0abc",
    });
    assert.deepStrictEqual(ec2.commandCalls(DescribeVolumesCommand)[0].args[0].input, {
      VolumeIds: ["vol-0123"],
    });
    assert.deepStrictEqual(
      await validateRestoredResource(
        { ...restored, backupSizeInBytes: 30 * 2 ** 30 },
        { ec2: new EC2Client({}) },
        {},
      ),
      { status: "FAILED", message: "volume vol-0123: size 20 GiB (expected 30 GiB)" },
    );
  });

  it("turns an AWS error into a FAILED result that AWS Backup still receives", async () => {
    backup
      .on(DescribeRestoreJobCommand)
      .resolves(job({ ResourceType: "S3", CreatedResourceArn: "arn:aws:s3:::awsbackup-restore-test-123" }));
    s3.on(ListObjectsV2Command).rejects(Object.assign(new Error("Access Denied"), { name: "AccessDenied" }));
    await validateRestoreJob({ restoreJobId: "job-1" }, CONFIG, clients());
    const input = backup.commandCalls(PutRestoreValidationResultCommand)[0].args[0].input;
    assert.strictEqual(input.ValidationStatus, "FAILED");
    assert.match(
      String(input.ValidationStatusMessage),
      /^S3 arn:aws:s3:::awsbackup-restore-test-123: AccessDenied: Access Denied; restore took 1300 s \(S3 unknown\)$/,
    );
  });

  it("ignores a restore job of another plan or no plan: nothing validated, nothing reported", async () => {
    backup.on(DescribeRestoreJobCommand).resolves(job({ CreatedBy: undefined, ResourceType: "S3" }));
    const result = await validateRestoreJob({ restoreJobId: "job-1" }, CONFIG, clients());
    assert.deepStrictEqual(result, { skipped: `restore job job-1 is not a test of ${PLAN}` });
    assert.strictEqual(backup.commandCalls(PutRestoreValidationResultCommand).length, 0);
    assert.strictEqual(cloudwatch.commandCalls(PutMetricDataCommand).length, 0);
  });

  it("reads its environment and refuses a missing plan or an unparsable marker key", () => {
    assert.deepStrictEqual(
      readValidatorConfig({
        RESTORE_TESTING_PLAN_ARN: PLAN,
        MARKER_OBJECT_KEY: "m.json",
        MARKER_ITEM_KEY: JSON.stringify(MARKER_KEY),
      }),
      { restoreTestingPlanArn: PLAN, expectations: { markerObjectKey: "m.json", markerItemKey: MARKER_KEY } },
    );
    assert.throws(() => readValidatorConfig({}), /^Error: RESTORE_TESTING_PLAN_ARN is not set$/);
    assert.throws(
      () => readValidatorConfig({ RESTORE_TESTING_PLAN_ARN: PLAN, MARKER_ITEM_KEY: "{pk" }),
      /^Error: MARKER_ITEM_KEY is not JSON: \{pk$/,
    );
  });
});

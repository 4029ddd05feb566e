import * as assert from "assert";
import { mockClient } from "aws-sdk-client-mock";
import { BackupClient, DescribeRestoreJobCommand, ListTagsCommand } from "@aws-sdk/client-backup";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { CreateOpsItemCommand, SSMClient } from "@aws-sdk/client-ssm";
import { readRestoreCompletedConfig, recordRestore } from "../../functions/restoreCompleted/handler";

const TOPIC = "arn:aws:sns:us-west-2:111122223333:failover-trigger-operators-1a2b";
const CONFIG = { operatorTopicArn: TOPIC, stackName: "dr" };
const RP = "arn:aws:backup:us-west-2:111122223333:recovery-point:rp-1";
const SOURCE = "arn:aws:dynamodb:us-east-1:111122223333:table/payments-dr-primary-failover-state";
const CREATED = "arn:aws:dynamodb:us-west-2:111122223333:table/failover-state-restored";

const backup = mockClient(BackupClient);
const ssm = mockClient(SSMClient);
const sns = mockClient(SNSClient);
const clients = () => ({ backup: new BackupClient({}), ssm: new SSMClient({}), sns: new SNSClient({}) });

describe("restore automation (functions/restoreCompleted)", () => {
  beforeEach(() => {
    backup.reset();
    ssm.reset();
    sns.reset();
  });

  it("records an OpsItem with what was restored, from where and to where, and notifies the operators", async () => {
    backup.on(DescribeRestoreJobCommand).resolves({
      RestoreJobId: "job-7",
      Status: "COMPLETED",
      ResourceType: "DynamoDB",
      RecoveryPointArn: RP,
      SourceResourceArn: SOURCE,
      CreatedResourceArn: CREATED,
      CreationDate: new Date("2026-12-05T08:00:00Z"),
      CompletionDate: new Date("2026-12-05T08:12:00Z"),
    });
    backup.on(ListTagsCommand).resolves({ Tags: { app: "payments", "payments-dr:stack": "primary" } });
    ssm.on(CreateOpsItemCommand).resolves({ OpsItemId: "oi-0123456789ab" });
    sns.on(PublishCommand).resolves({ MessageId: "m-1" });

    const result = await recordRestore("job-7", CONFIG, clients());

    assert.deepStrictEqual(result, { restoreJobId: "job-7", opsItemId: "oi-0123456789ab" });
    assert.deepStrictEqual(backup.commandCalls(ListTagsCommand)[0].args[0].input, { ResourceArn: RP });
    assert.deepStrictEqual(ssm.commandCalls(CreateOpsItemCommand)[0].args[0].input, {
      Title: "Restored DynamoDB payments-dr-primary-failover-state from AWS Backup (dr)",
      Source: "payments-dr",
      Category: "Recovery",
      Severity: "3",
      Description:
        `AWS Backup restore job job-7 restored DynamoDB payments-dr-primary-failover-state from recovery point ${RP} ` +
        `to ${CREATED} in 720 s. Re-integrate it: point the workload or its config at the restored resource ` +
        "(or copy the data back), confirm the data, then resolve this OpsItem.",
      OperationalData: {
        "/aws/resources": { Type: "SearchableString", Value: JSON.stringify([{ arn: CREATED }]) },
        restoreJobId: { Type: "SearchableString", Value: "job-7" },
        resourceType: { Type: "SearchableString", Value: "DynamoDB" },
        recoveryPointArn: { Type: "SearchableString", Value: RP },
        sourceResourceArn: { Type: "SearchableString", Value: SOURCE },
        createdResourceArn: { Type: "SearchableString", Value: CREATED },
        originalTags: { Type: "String", Value: '{"app":"payments","payments-dr:stack":"primary"}' },
        restoreDurationSeconds: { Type: "String", Value: "720" },
      },
    });
    assert.deepStrictEqual(sns.commandCalls(PublishCommand)[0].args[0].input, {
      TopicArn: TOPIC,
      Subject: "payments-dr: restored DynamoDB payments-dr-primary-failover-state",
      Message: [
        "AWS Backup restore job job-7 completed in 720 s.",
        `Restored: DynamoDB payments-dr-primary-failover-state (original ${SOURCE})`,
        `From recovery point: ${RP}`,
        `Created: ${CREATED}`,
        'Original tags: {"app":"payments","payments-dr:stack":"primary"}',
        "OpsItem: oi-0123456789ab (Systems Manager > OpsCenter). Re-integrate the resource, then resolve it.",
      ].join("\n"),
    });
  });

  it("leaves restore tests alone: no OpsItem, no notification", async () => {
    backup.on(DescribeRestoreJobCommand).resolves({
      RestoreJobId: "job-8",
      Status: "COMPLETED",
      CreatedBy: { RestoreTestingPlanArn: "arn:aws:backup:us-west-2:111122223333:restore-testing-plan:p-1" },
    });
    const result = await recordRestore("job-8", CONFIG, clients());
    assert.deepStrictEqual(result, {
      skipped:
        "restore job job-8 is a restore test of arn:aws:backup:us-west-2:111122223333:restore-testing-plan:p-1",
    });
    assert.strictEqual(ssm.commandCalls(CreateOpsItemCommand).length, 0);
    assert.strictEqual(sns.commandCalls(PublishCommand).length, 0);
  });

  it("does not notify when the OpsItem cannot be recorded (the error reaches Lambda's retry)", async () => {
    backup
      .on(DescribeRestoreJobCommand)
      .resolves({ RestoreJobId: "job-9", Status: "COMPLETED", RecoveryPointArn: RP });
    backup.on(ListTagsCommand).resolves({ Tags: {} });
    ssm.on(CreateOpsItemCommand).rejects(new Error("throttled"));
    await assert.rejects(recordRestore("job-9", CONFIG, clients()), /throttled/);
    assert.strictEqual(sns.commandCalls(PublishCommand).length, 0);
  });

  it("requires the operator topic and the stack name", () => {
    assert.throws(
      () => readRestoreCompletedConfig({ STACK_NAME: "dr" }),
      /^Error: OPERATOR_TOPIC_ARN is not set$/,
    );
    assert.deepStrictEqual(
      readRestoreCompletedConfig({ OPERATOR_TOPIC_ARN: TOPIC, STACK_NAME: "dr" }),
      CONFIG,
    );
  });
});

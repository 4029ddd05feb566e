/**
 * IAM statements of the restore testing role and the restore functions, least privilege: restore
 * tests name their resources `awsbackup-restore-test-...`, so the validator reads only those.
 */
import * as pulumi from "@pulumi/pulumi";
import { RESTORE_DURATION_METRIC } from "../../model/restoreTime";

/** AWS Backup's restore-test resources carry this name prefix (targetTableName, instance, bucket). */
export const RESTORE_TEST_NAME_PREFIX = "awsbackup-restore-test-";

/** The restore role decrypts the copies and encrypts the restored resources with exactly these keys. */
export function restoreRoleStatements(keyArns: pulumi.Input<string>[]): Record<string, unknown>[] {
  return [
    {
      Sid: "UseTheCopiesAndTargetKeys",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey*", "kms:ReEncrypt*"],
      Resource: keyArns,
    },
    {
      Sid: "GrantTheKeysToTheRestoringService",
      Effect: "Allow",
      Action: "kms:CreateGrant",
      Resource: keyArns,
      Condition: { Bool: { "kms:GrantIsForAWSResource": true } },
    },
  ];
}

export function validatorStatements(args: {
  region: string;
  accountId: pulumi.Input<string>;
  dataKeyArn: pulumi.Input<string>;
}): Record<string, unknown>[] {
  const { region, accountId } = args;
  return [
    {
      // Restore jobs have no resource ARN in IAM: these two actions take "*" only.
      Sid: "ReadTheJobAndReportTheVerdict",
      Effect: "Allow",
      Action: ["backup:DescribeRestoreJob", "backup:PutRestoreValidationResult"],
      Resource: "*",
    },
    {
      Sid: "RecordTheRestoreDuration",
      Effect: "Allow",
      Action: "cloudwatch:PutMetricData",
      Resource: "*",
      Condition: { StringEquals: { "cloudwatch:namespace": RESTORE_DURATION_METRIC.namespace } },
    },
    {
      Sid: "ListRestoredBuckets",
      Effect: "Allow",
      Action: "s3:ListBucket",
      Resource: `arn:aws:s3:::${RESTORE_TEST_NAME_PREFIX}*`,
    },
    {
      Sid: "ReadRestoredTables",
      Effect: "Allow",
      Action: ["dynamodb:DescribeTable", "dynamodb:GetItem"],
      Resource: pulumi.interpolate`arn:aws:dynamodb:${region}:${accountId}:table/${RESTORE_TEST_NAME_PREFIX}*`,
    },
    {
      Sid: "DecryptRestoredTableItems",
      Effect: "Allow",
      Action: "kms:Decrypt",
      Resource: args.dataKeyArn,
      Condition: { StringEquals: { "kms:ViaService": `dynamodb.${region}.amazonaws.com` } },
    },
    {
      Sid: "DescribeRestoredDatabases",
      Effect: "Allow",
      Action: "rds:DescribeDBInstances",
      Resource: pulumi.interpolate`arn:aws:rds:${region}:${accountId}:db:${RESTORE_TEST_NAME_PREFIX}*`,
    },
    {
      // EC2 Describe* actions support no resource-level permission.
      Sid: "DescribeRestoredVolumes",
      Effect: "Allow",
      Action: "ec2:DescribeVolumes",
      Resource: "*",
    },
  ];
}

/** The restore automation function: read the job and its recovery point's tags, record, notify. */
export function restoreCompletedStatements(args: {
  region: string;
  accountId: pulumi.Input<string>;
  operatorTopicArn: pulumi.Input<string>;
  messagingKeyArn: pulumi.Input<string>;
}): Record<string, unknown>[] {
  return [
    { Sid: "ReadTheJob", Effect: "Allow", Action: "backup:DescribeRestoreJob", Resource: "*" },
    {
      Sid: "ReadTheRecoveryPointTags",
      Effect: "Allow",
      Action: "backup:ListTags",
      Resource: pulumi.interpolate`arn:aws:backup:${args.region}:${args.accountId}:recovery-point:*`,
    },
    // OpsCenter authorises CreateOpsItem on no resource (the OpsItem does not exist yet).
    { Sid: "RecordTheOpsItem", Effect: "Allow", Action: "ssm:CreateOpsItem", Resource: "*" },
    { Sid: "NotifyOperators", Effect: "Allow", Action: "sns:Publish", Resource: args.operatorTopicArn },
    {
      Sid: "EncryptForTheOperatorTopic",
      Effect: "Allow",
      Action: ["kms:GenerateDataKey", "kms:Decrypt"],
      Resource: args.messagingKeyArn,
    },
  ];
}

/**
 * Restore, proven: the primary writes a marker into every store the restore tests cover; the dr
 * stack tests the primary's cross-Region copies (which land in the primary's copy vault in the dr
 * Region) on a schedule, validates each restore and records its duration, and turns every real
 * restore completed in its Region into an OpsItem and an operator notice.
 *
 * The dr stack's own copies (in the primary Region once it is active) are not restore-tested: the
 * tests would have to run in the primary Region, in the primary stack's network, which the dr
 * stack must not depend on (DESIGN.md principle 2).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { RestoreAutomation } from "../components/data/restoreAutomation";
import { RESTORE_TEST_MARKER, RestoreTesting } from "../components/data/restoreTesting";
import { FAILOVER_STATE_KEYS } from "../components/failover/failoverState";
import { StackContext } from "./context";
import { OBJECT_STORE_ROLES } from "./dataTier";
import type { DataTier } from "./dataTier";

export interface RestoreOutputs {
  readonly restoreTesting?: {
    readonly planName: pulumi.Output<string>;
    readonly planArn: pulumi.Output<string>;
    readonly validatorFunctionName: pulumi.Output<string>;
    readonly restoreCompletedFunctionName: pulumi.Output<string>;
  };
}

/** primary: the marker object in each backed-up bucket and the marker item in the failover state table. */
export function composeRestoreMarkers(ctx: StackContext, dataTier: DataTier): void {
  const marker = JSON.stringify({
    purpose: "AWS Backup restore tests check that a restore brings this object back",
    stack: ctx.config.stackName,
  });
  for (const role of OBJECT_STORE_ROLES) {
    const store = dataTier.objectStores[role];
    new aws.s3.BucketObjectv2(`restore-test-marker-${role}`, {
      bucket: store.bucketName,
      key: RESTORE_TEST_MARKER.objectKey,
      content: marker,
      contentType: "application/json",
      serverSideEncryption: "aws:kms",
      kmsKeyId: store.keyArn,
      region: ctx.config.region,
      tags: ctx.tags,
    });
  }
  new aws.dynamodb.TableItem("restore-test-marker-failover-state", {
    tableName: dataTier.outputs.failoverState.tableName,
    hashKey: FAILOVER_STATE_KEYS.hashKey,
    rangeKey: FAILOVER_STATE_KEYS.rangeKey,
    item: JSON.stringify({
      [FAILOVER_STATE_KEYS.hashKey]: { S: RESTORE_TEST_MARKER.item.pk },
      [FAILOVER_STATE_KEYS.rangeKey]: { S: RESTORE_TEST_MARKER.item.sk },
      purpose: { S: "AWS Backup restore tests check that a restore brings this item back" },
    }),
    region: ctx.config.region,
  });
}

/** dr: restore testing of the primary's copies and restore automation, in the dr Region. */
export function composeRestore(
  ctx: StackContext,
  deps: { operatorTopicArn: pulumi.Input<string> },
): RestoreOutputs {
  const { config, primary } = ctx;
  if (config.role !== "dr" || !primary) return {};
  const backup = config.backup;
  const testing = new RestoreTesting("restore-testing", {
    region: config.region,
    accountId: ctx.accountId,
    planName: `${config.project}_${config.stackName}_restore_tests`,
    vaultArns: [primary.require("backup.copyVaultArn")],
    vaultKeyArns: [primary.require("peerKeys.backup")],
    databaseArns: [primary.require("database.instanceArn")],
    // Literal paths, so the doctor's list of required primary outputs (tools/doctor) sees them.
    bucketArns: [
      primary.require("objects.buckets.app"),
      primary.require("objects.buckets.landing"),
      primary.require("objects.buckets.searchSnapshots"),
    ].map((bucket) => bucket.apply((name) => `arn:aws:s3:::${name}`)),
    tableArns: [primary.require("failoverState.tableArn")],
    dataKeyArn: ctx.keys.arns.data,
    objectsKeyArn: ctx.keys.arns.objects,
    logKeyArn: ctx.keys.arns.messaging,
    vpcId: ctx.network.vpcId,
    privateSubnetIds: ctx.network.privateSubnetIds,
    scheduleExpression: backup.restoreTestScheduleExpression,
    startWindowHours: backup.restoreTestStartWindowHours,
    validationWindowHours: backup.restoreTestValidationWindowHours,
    selectionWindowDays: backup.restoreTestSelectionWindowDays,
    tags: ctx.tags,
  });
  const automation = new RestoreAutomation("restore-completed", {
    region: config.region,
    accountId: ctx.accountId,
    stackName: config.stackName,
    operatorTopicArn: deps.operatorTopicArn,
    messagingKeyArn: ctx.keys.arns.messaging,
    tags: ctx.tags,
  });
  return {
    restoreTesting: {
      planName: testing.planName,
      planArn: testing.planArn,
      validatorFunctionName: testing.validatorFunctionName,
      restoreCompletedFunctionName: automation.functionName,
    },
  };
}

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PROTECTED_VOLUME_TAG } from "../../model/workload";
import { lambdaFunction } from "../lambda/lambdaFunction";
import { restoreJobCompletedPattern } from "./restoreEvents";
import { restoreRoleStatements, validatorStatements } from "./restoreTestingPolicies";

/**
 * The marker the primary stack writes into every restore-tested bucket and table: data written
 * before a backup, which a restore of that backup must bring back (functions/restoreValidation).
 */
export const RESTORE_TEST_MARKER = {
  objectKey: "payments-dr/restore-test-marker.json",
  item: { pk: "restore-test#marker", sk: "marker" },
} as const;

/** Restore testing plan and selection names: letters, digits and underscores, at most 50. */
export function restoreTestingName(...parts: string[]): string {
  return parts
    .join("_")
    .replace(/[^A-Za-z0-9_]/g, "_")
    .slice(0, 50);
}

export interface RestoreTestingArgs {
  /** The Region the copies land in and the tests run in (the dr stack's). */
  readonly region: string;
  readonly accountId: pulumi.Input<string>;
  /** Plan name (before sanitising): `<project>_<stack>_restore_tests`. */
  readonly planName: string;
  /** The vaults whose recovery points are tested: the primary's copy vault in this Region. */
  readonly vaultArns: pulumi.Input<string>[];
  /** KMS keys that encrypt the tested recovery points (the copy vault's key). */
  readonly vaultKeyArns: pulumi.Input<string>[];
  /** The protected (source) resources, by ARN: copies keep their source's ARN. */
  readonly databaseArns: pulumi.Input<string>[];
  readonly bucketArns: pulumi.Input<string>[];
  readonly tableArns: pulumi.Input<string>[];
  /** Keys in this Region for the restored resources. */
  readonly dataKeyArn: pulumi.Input<string>;
  readonly objectsKeyArn: pulumi.Input<string>;
  /** Log group key (CloudWatch Logs may use it). */
  readonly logKeyArn: pulumi.Input<string>;
  /** The VPC restored databases land in, unreachable (a security group with no ingress). */
  readonly vpcId: pulumi.Input<string>;
  readonly privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
  readonly scheduleExpression: string;
  readonly startWindowHours: number;
  readonly validationWindowHours: number;
  readonly selectionWindowDays: number;
  /**
   * Log retention of the validation function.
   *
   * @default 365
   */
  readonly logRetentionDays?: number;
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * AWS Backup restore testing of the copies in this Region: a plan that picks the latest copy
 * within the selection window on a schedule, one selection per protected resource type (RDS, S3,
 * DynamoDB, EBS; AWS Backup's restore testing does not accept EKS), restore metadata that keeps the
 * restored resources private and encrypted with this Region's keys, and the validation function
 * that checks each restored resource and reports to AWS Backup.
 */
export class RestoreTesting extends pulumi.ComponentResource {
  public readonly planName: pulumi.Output<string>;
  public readonly planArn: pulumi.Output<string>;
  public readonly roleArn: pulumi.Output<string>;
  public readonly validatorFunctionName: pulumi.Output<string>;
  public readonly dbSubnetGroupName: pulumi.Output<string>;

  constructor(name: string, args: RestoreTestingArgs, opts?: pulumi.ComponentResourceOptions) {
    super("payments-dr:components:RestoreTesting", name, {}, opts);
    const tags = args.tags ?? {};
    const region = args.region;

    const role = new aws.iam.Role(
      `${name}-role`,
      {
        description: `AWS Backup restore testing in ${region}`,
        assumeRolePolicy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            { Effect: "Allow", Principal: { Service: "backup.amazonaws.com" }, Action: "sts:AssumeRole" },
          ],
        }),
        tags,
      },
      { parent: this },
    );
    const attachments = [
      "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
      "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Restore",
    ].map(
      (policyArn) =>
        new aws.iam.RolePolicyAttachment(
          `${name}-role-${policyArn.split("/").pop()}`,
          { role: role.name, policyArn },
          { parent: this },
        ),
    );
    const keys = new aws.iam.RolePolicy(
      `${name}-role-keys`,
      {
        role: role.name,
        policy: pulumi.jsonStringify({
          Version: "2012-10-17",
          Statement: restoreRoleStatements([...args.vaultKeyArns, args.dataKeyArn, args.objectsKeyArn]),
        }),
      },
      { parent: this },
    );

    // Restored databases land here: private subnets, a security group that admits nothing.
    const subnets = new aws.rds.SubnetGroup(
      `${name}-db-subnets`,
      { description: "Restore tests: private subnets", subnetIds: args.privateSubnetIds, region, tags },
      { parent: this },
    );
    const isolated = new aws.ec2.SecurityGroup(
      `${name}-db-isolated`,
      {
        description: "Restore tests: restored databases accept no connection",
        vpcId: args.vpcId,
        ingress: [],
        egress: [],
        region,
        tags,
      },
      { parent: this },
    );

    const plan = new aws.backup.RestoreTestingPlan(
      `${name}-plan`,
      {
        name: restoreTestingName(args.planName),
        region,
        scheduleExpression: args.scheduleExpression,
        scheduleExpressionTimezone: "Etc/UTC",
        startWindowHours: args.startWindowHours,
        recoveryPointSelection: {
          algorithm: "LATEST_WITHIN_WINDOW",
          includeVaults: args.vaultArns,
          // Cross-Region copies are snapshots, also of stores backed up continuously.
          recoveryPointTypes: ["SNAPSHOT"],
          selectionWindowDays: args.selectionWindowDays,
        },
        tags,
      },
      { parent: this },
    );

    const selection = (
      role_: string,
      protectedResourceType: string,
      resources: Pick<
        aws.backup.RestoreTestingSelectionArgs,
        "protectedResourceArns" | "protectedResourceConditions"
      >,
      restoreMetadataOverrides: Record<string, pulumi.Input<string>>,
    ) =>
      new aws.backup.RestoreTestingSelection(
        `${name}-${role_}`,
        {
          name: restoreTestingName(role_),
          restoreTestingPlanName: plan.name,
          protectedResourceType,
          iamRoleArn: role.arn,
          ...resources,
          restoreMetadataOverrides,
          validationWindowHours: args.validationWindowHours,
          region,
        },
        { parent: this, dependsOn: [...attachments, keys] },
      );

    selection(
      "database",
      "RDS",
      { protectedResourceArns: args.databaseArns },
      {
        dbSubnetGroupName: subnets.name,
        vpcSecurityGroupIds: pulumi.jsonStringify([isolated.id]),
        publiclyAccessible: "false",
      },
    );
    selection(
      "buckets",
      "S3",
      { protectedResourceArns: args.bucketArns },
      { encryptionType: "SSE-KMS", kmsKey: args.objectsKeyArn },
    );
    selection(
      "failover_state",
      "DynamoDB",
      { protectedResourceArns: args.tableArns },
      { encryptionType: "KMS", kmsMasterKeyArn: args.dataKeyArn },
    );
    // The cluster's volumes, wherever AWS Backup holds a copy of one (the tag its StorageClass writes).
    selection(
      "volumes",
      "EBS",
      {
        protectedResourceArns: ["*"],
        protectedResourceConditions: {
          stringEquals: [
            { key: `aws:ResourceTag/${PROTECTED_VOLUME_TAG.key}`, value: PROTECTED_VOLUME_TAG.value },
          ],
        },
      },
      { kmsKeyId: args.dataKeyArn },
    );

    const validator = lambdaFunction(
      `${name}-validator`,
      {
        source: "restoreValidation",
        description: "Validates restore-test restores and reports to AWS Backup",
        environment: {
          RESTORE_TESTING_PLAN_ARN: plan.arn,
          MARKER_OBJECT_KEY: RESTORE_TEST_MARKER.objectKey,
          MARKER_ITEM_KEY: JSON.stringify({
            pk: { S: RESTORE_TEST_MARKER.item.pk },
            sk: { S: RESTORE_TEST_MARKER.item.sk },
          }),
          DB_SUBNET_GROUP_NAME: subnets.name,
        },
        statements: validatorStatements({ region, accountId: args.accountId, dataKeyArn: args.dataKeyArn }),
        region,
        tags,
        logKeyArn: args.logKeyArn,
        retentionDays: args.logRetentionDays ?? 365,
      },
      this,
    );
    const rule = new aws.cloudwatch.EventRule(
      `${name}-completed`,
      {
        description: "Restore jobs COMPLETED: the validator keeps those of the restore testing plan",
        eventPattern: JSON.stringify(restoreJobCompletedPattern()),
        region,
        tags,
      },
      { parent: this },
    );
    new aws.cloudwatch.EventTarget(
      `${name}-completed-target`,
      { rule: rule.name, arn: validator.arn, region },
      { parent: this },
    );
    new aws.lambda.Permission(
      `${name}-validator-invoke`,
      {
        function: validator.name,
        action: "lambda:InvokeFunction",
        principal: "events.amazonaws.com",
        sourceArn: rule.arn,
        region,
      },
      { parent: this },
    );

    this.planName = plan.name;
    this.planArn = plan.arn;
    this.roleArn = role.arn;
    this.validatorFunctionName = validator.name;
    this.dbSubnetGroupName = subnets.name;
    this.registerOutputs({ planArn: this.planArn, validatorFunctionName: this.validatorFunctionName });
  }
}

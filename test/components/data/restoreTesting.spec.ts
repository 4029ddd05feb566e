import * as assert from "assert";
import { restoreTestingName } from "../../../components/data/restoreTesting";
import { RenderedStack } from "../../../tools/render/render";
import { find, findAll, renderTestStack } from "../../helpers/stacks";

const SELECTION = "aws:backup/restoreTestingSelection:RestoreTestingSelection";
const policyOf = (stack: RenderedStack, name: string) =>
  JSON.parse(String(find(stack, "aws:iam/rolePolicy:RolePolicy", name).inputs.policy)) as {
    Statement: Record<string, unknown>[];
  };

describe("restore testing of the primary's copies (dr stack, components/data/restoreTesting.ts)", () => {
  let dr: RenderedStack;
  let primary: RenderedStack;
  const out = (s: RenderedStack, path: string): unknown =>
    path.split(".").reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], s.outputs);

  before(async () => {
    [dr, primary] = await Promise.all([renderTestStack("dr"), renderTestStack("primary")]);
  });

  it("declares the plan in the dr Region over the primary's copy vault: latest snapshot copy of the last 7 days, weekly", () => {
    const plan = find(dr, "aws:backup/restoreTestingPlan:RestoreTestingPlan", "restore-testing-plan");
    assert.deepStrictEqual(plan.inputs, {
      name: "payments_dr_dr_restore_tests",
      region: "us-west-2",
      scheduleExpression: "cron(0 6 ? * SAT *)",
      scheduleExpressionTimezone: "Etc/UTC",
      startWindowHours: 24,
      recoveryPointSelection: {
        algorithm: "LATEST_WITHIN_WINDOW",
        includeVaults: ["arn:aws:backup:us-west-2:111122223333:backup-vault:payments-dr-primary-copies"],
        recoveryPointTypes: ["SNAPSHOT"],
        selectionWindowDays: 7,
      },
      tags: dr.resources.find((r) => r.name === "restore-testing-plan")?.inputs.tags,
    });
    assert.strictEqual(
      out(primary, "backup.copyVaultArn"),
      "arn:aws:backup:us-west-2:111122223333:backup-vault:payments-dr-primary-copies",
    );
  });

  it("selects the primary's database, buckets and failover state table by ARN, and tagged volumes, each with dr-Region overrides", () => {
    const role = find(dr, "aws:iam/role:Role", "restore-testing-role").outputs.arn;
    const dataKey = out(dr, "keys.data");
    const common = {
      iamRoleArn: role,
      restoreTestingPlanName: "payments_dr_dr_restore_tests",
      validationWindowHours: 4,
      region: "us-west-2",
    };
    const subnets = find(dr, "aws:rds/subnetGroup:SubnetGroup", "restore-testing-db-subnets").outputs.name;
    const isolated = find(dr, "aws:ec2/securityGroup:SecurityGroup", "restore-testing-db-isolated").id;
    const buckets = out(primary, "objects.buckets") as Record<string, string>;
    assert.deepStrictEqual(Object.fromEntries(findAll(dr, SELECTION).map((s) => [s.name, s.inputs])), {
      "restore-testing-database": {
        ...common,
        name: "database",
        protectedResourceType: "RDS",
        protectedResourceArns: [out(primary, "database.instanceArn")],
        restoreMetadataOverrides: {
          dbSubnetGroupName: subnets,
          vpcSecurityGroupIds: JSON.stringify([isolated]),
          publiclyAccessible: "false",
        },
      },
      "restore-testing-buckets": {
        ...common,
        name: "buckets",
        protectedResourceType: "S3",
        protectedResourceArns: [buckets.app, buckets.landing, buckets.searchSnapshots].map(
          (b) => `arn:aws:s3:::${b}`,
        ),
        restoreMetadataOverrides: { encryptionType: "SSE-KMS", kmsKey: out(dr, "keys.objects") },
      },
      "restore-testing-failover_state": {
        ...common,
        name: "failover_state",
        protectedResourceType: "DynamoDB",
        protectedResourceArns: [out(primary, "failoverState.tableArn")],
        restoreMetadataOverrides: { encryptionType: "KMS", kmsMasterKeyArn: dataKey },
      },
      "restore-testing-volumes": {
        ...common,
        name: "volumes",
        protectedResourceType: "EBS",
        protectedResourceArns: ["*"],
        protectedResourceConditions: {
          stringEquals: [{ key: "aws:ResourceTag/payments-dr:volume-protection", value: "dlm-cross-region" }],
        },
        restoreMetadataOverrides: { kmsKeyId: dataKey },
      },
    });
  });

  it("lands restored databases in the dr VPC behind a security group with no ingress and no egress", () => {
    const sg = find(dr, "aws:ec2/securityGroup:SecurityGroup", "restore-testing-db-isolated");
    assert.deepStrictEqual(
      [sg.inputs.ingress, sg.inputs.egress, sg.inputs.vpcId],
      [[], [], out(dr, "network.vpcId")],
    );
  });

  it("lets the restore role use exactly the copy vault's key and the dr data and objects keys", () => {
    const keys = [out(primary, "peerKeys.backup"), out(dr, "keys.data"), out(dr, "keys.objects")];
    assert.deepStrictEqual(policyOf(dr, "restore-testing-role-keys").Statement, [
      {
        Sid: "UseTheCopiesAndTargetKeys",
        Effect: "Allow",
        Action: ["kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey*", "kms:ReEncrypt*"],
        Resource: keys,
      },
      {
        Sid: "GrantTheKeysToTheRestoringService",
        Effect: "Allow",
        Action: "kms:CreateGrant",
        Resource: keys,
        Condition: { Bool: { "kms:GrantIsForAWSResource": true } },
      },
    ]);
    assert.deepStrictEqual(
      findAll(dr, "aws:iam/rolePolicyAttachment:RolePolicyAttachment")
        .filter((a) => a.name.startsWith("restore-testing-role-"))
        .map((a) => a.inputs.policyArn),
      [
        "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
        "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Restore",
      ],
    );
  });

  it("limits the validator to restore-test resources, the metric namespace and the verdict calls", () => {
    const [logs, ...rest] = policyOf(dr, "restore-testing-validator-policy").Statement;
    assert.deepStrictEqual(logs.Action, ["logs:CreateLogStream", "logs:PutLogEvents"]);
    assert.deepStrictEqual(rest, [
      {
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
        Condition: { StringEquals: { "cloudwatch:namespace": "PaymentsDr/Restore" } },
      },
      {
        Sid: "ListRestoredBuckets",
        Effect: "Allow",
        Action: "s3:ListBucket",
        Resource: "arn:aws:s3:::awsbackup-restore-test-*",
      },
      {
        Sid: "ReadRestoredTables",
        Effect: "Allow",
        Action: ["dynamodb:DescribeTable", "dynamodb:GetItem"],
        Resource: "arn:aws:dynamodb:us-west-2:111122223333:table/awsbackup-restore-test-*",
      },
      {
        Sid: "DecryptRestoredTableItems",
        Effect: "Allow",
        Action: "kms:Decrypt",
        Resource: out(dr, "keys.data"),
        Condition: { StringEquals: { "kms:ViaService": "dynamodb.us-west-2.amazonaws.com" } },
      },
      {
        Sid: "DescribeRestoredDatabases",
        Effect: "Allow",
        Action: "rds:DescribeDBInstances",
        Resource: "arn:aws:rds:us-west-2:111122223333:db:awsbackup-restore-test-*",
      },
      { Sid: "DescribeRestoredVolumes", Effect: "Allow", Action: "ec2:DescribeVolumes", Resource: "*" },
    ]);
  });

  it("runs the validator on nodejs24.x with the plan, markers and subnet group it checks against", () => {
    const fn = find(dr, "aws:lambda/function:Function", "restore-testing-validator");
    assert.strictEqual(fn.inputs.runtime, "nodejs24.x");
    assert.deepStrictEqual((fn.inputs.environment as { variables: unknown }).variables, {
      RESTORE_TESTING_PLAN_ARN: find(
        dr,
        "aws:backup/restoreTestingPlan:RestoreTestingPlan",
        "restore-testing-plan",
      ).outputs.arn,
      MARKER_OBJECT_KEY: "payments-dr/restore-test-marker.json",
      MARKER_ITEM_KEY: '{"pk":{"S":"restore-test#marker"},"sk":{"S":"marker"}}',
      DB_SUBNET_GROUP_NAME: find(dr, "aws:rds/subnetGroup:SubnetGroup", "restore-testing-db-subnets").outputs
        .name,
    });
  });

  it("invokes the validator and the restore automation from restore jobs COMPLETED in the dr Region", () => {
    const pattern = {
      source: ["aws.backup"],
      "detail-type": ["Restore Job State Change"],
      detail: { status: ["COMPLETED"] },
    };
    for (const [rule, target, permission, fn] of [
      [
        "restore-testing-completed",
        "restore-testing-completed-target",
        "restore-testing-validator-invoke",
        "restore-testing-validator",
      ],
      [
        "restore-completed-rule",
        "restore-completed-target",
        "restore-completed-invoke",
        "restore-completed-function",
      ],
    ]) {
      const r = find(dr, "aws:cloudwatch/eventRule:EventRule", rule);
      const f = find(dr, "aws:lambda/function:Function", fn);
      assert.deepStrictEqual(
        [JSON.parse(String(r.inputs.eventPattern)), r.inputs.region],
        [pattern, "us-west-2"],
      );
      assert.deepStrictEqual(find(dr, "aws:cloudwatch/eventTarget:EventTarget", target).inputs, {
        rule: r.outputs.name,
        arn: f.outputs.arn,
        region: "us-west-2",
      });
      const p = find(dr, "aws:lambda/permission:Permission", permission).inputs;
      assert.deepStrictEqual(
        [p.principal, p.sourceArn, p.function],
        ["events.amazonaws.com", r.outputs.arn, f.outputs.name],
      );
    }
  });

  it("lets the restore automation read jobs and recovery point tags, create OpsItems and publish to the operator topic only", () => {
    const [, ...rest] = policyOf(dr, "restore-completed-function-policy").Statement;
    assert.deepStrictEqual(rest, [
      { Sid: "ReadTheJob", Effect: "Allow", Action: "backup:DescribeRestoreJob", Resource: "*" },
      {
        Sid: "ReadTheRecoveryPointTags",
        Effect: "Allow",
        Action: "backup:ListTags",
        Resource: "arn:aws:backup:us-west-2:111122223333:recovery-point:*",
      },
      { Sid: "RecordTheOpsItem", Effect: "Allow", Action: "ssm:CreateOpsItem", Resource: "*" },
      {
        Sid: "NotifyOperators",
        Effect: "Allow",
        Action: "sns:Publish",
        Resource: out(dr, "failoverTrigger.operatorTopicArn"),
      },
      {
        Sid: "EncryptForTheOperatorTopic",
        Effect: "Allow",
        Action: ["kms:GenerateDataKey", "kms:Decrypt"],
        Resource: out(dr, "keys.messaging"),
      },
    ]);
  });

  it("has the primary write the markers the validator looks for, and declares no restore testing itself", () => {
    const objects = findAll(primary, "aws:s3/bucketObjectv2:BucketObjectv2");
    const buckets = out(primary, "objects.buckets") as Record<string, string>;
    assert.deepStrictEqual(
      objects.map((o) => [o.name, o.inputs.bucket, o.inputs.key, o.inputs.serverSideEncryption]),
      ["app", "landing", "searchSnapshots"].map((role) => [
        `restore-test-marker-${role}`,
        buckets[role],
        "payments-dr/restore-test-marker.json",
        "aws:kms",
      ]),
    );
    const item = find(primary, "aws:dynamodb/tableItem:TableItem", "restore-test-marker-failover-state");
    assert.deepStrictEqual(JSON.parse(String(item.inputs.item)).pk, { S: "restore-test#marker" });
    assert.deepStrictEqual(JSON.parse(String(item.inputs.item)).sk, { S: "marker" });
    assert.strictEqual(findAll(primary, "aws:backup/restoreTestingPlan:RestoreTestingPlan").length, 0);
  });

  it("names plans and selections with the characters AWS Backup accepts, at most 50", () => {
    assert.strictEqual(
      restoreTestingName("payments-dr", "dr", "restore-tests"),
      "payments_dr_dr_restore_tests",
    );
    assert.strictEqual(restoreTestingName("x".repeat(60)).length, 50);
  });
});

import * as assert from "assert";
import { mockClient } from "aws-sdk-client-mock";
import { CodeBuildClient } from "@aws-sdk/client-codebuild";
import { CloudWatchClient, DescribeAlarmHistoryCommand } from "@aws-sdk/client-cloudwatch";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { validateDetectionSignalsArgs } from "../../../components/failover/detectionSignals";
import {
  HEALTH_SERVICE_BY_MODULE,
  healthDelivery,
  healthServicesFor,
  TOPOLOGY_HEALTH_SERVICES,
} from "../../../components/failover/healthEvents";
import { createHandler } from "../../../functions/failoverTrigger/handler";
import { parseTypeToken } from "../../../tools/render/synth";
import { RenderedStack } from "../../../tools/render/render";
import { find, findAll, renderTestStack } from "../../helpers/stacks";
import { alarmMessage, AUTOMATIC, snsEvent } from "../../functions/triggerFixtures";

const ACCOUNT = "111122223333";
const SERVICES = [
  "ACM",
  "BACKUP",
  "CLOUDWATCH",
  "CODEBUILD",
  "DYNAMODB",
  "EBS",
  "EC2",
  "ECR",
  "EKS",
  "ELASTICACHE",
  "ELASTICLOADBALANCING",
  "ES",
  "EVENTS",
  "IAM",
  "KMS",
  "LAMBDA",
  "NATGATEWAY",
  "RDS",
  "REDSHIFT",
  "ROUTE53",
  "S3",
  "SECRETSMANAGER",
  "SNS",
  "SQS",
  "VPC",
];
const ANOMALY = "payments-dr-dr-payments-accepted-anomaly";
const COMPOSITE = "payments-dr-dr-primary-outage-corroborated";
const PROBE = "payments-dr-dr-primary-endpoint-down";
const AUTOMATIC_MODE = [
  "payments-dr:failover.mode=automatic",
  "payments-dr:failover.operatorEmail=sre-oncall@example.com",
];

function arnOf(stack: RenderedStack, type: string, name: string): string {
  return String(find(stack, type, name).outputs.arn);
}

describe("detection signals", function () {
  this.timeout(300_000);

  describe("AWS Health", () => {
    it("watches every service the stacks deploy: each rendered @pulumi/aws module has Health codes", async () => {
      for (const stack of [await renderTestStack("primary"), await renderTestStack("dr", AUTOMATIC_MODE)]) {
        const modules = new Set(
          stack.resources.filter((r) => r.type.startsWith("aws:")).map((r) => parseTypeToken(r.type).module),
        );
        const codes = healthServicesFor(modules);
        for (const code of codes) assert.ok(TOPOLOGY_HEALTH_SERVICES.includes(code), code);
      }
      assert.deepStrictEqual(TOPOLOGY_HEALTH_SERVICES, SERVICES);
    });

    it("refuses a module with no Health entry instead of skipping it", () => {
      assert.throws(
        () => healthServicesFor(["rds", "memorydb"]),
        /module "memorydb" has no entry in HEALTH_SERVICE_BY_MODULE/,
      );
      assert.deepStrictEqual(HEALTH_SERVICE_BY_MODULE.opensearch, ["ES"]);
    });

    it("dr: one rule on its default bus for the primary's, its own and global events, to the operator topic", async () => {
      const dr = await renderTestStack("dr");
      const rule = find(dr, "aws:cloudwatch/eventRule:EventRule", "detection-health");
      assert.strictEqual(rule.inputs.eventBusName, undefined);
      assert.strictEqual(rule.region, "us-west-2");
      assert.deepStrictEqual(JSON.parse(String(rule.inputs.eventPattern)), {
        source: ["aws.health"],
        "detail-type": ["AWS Health Event"],
        detail: { service: SERVICES, eventRegion: ["us-east-1", "us-west-2", "global"] },
      });
      const target = find(dr, "aws:cloudwatch/eventTarget:EventTarget", "detection-health-operators");
      assert.deepStrictEqual(target.inputs, {
        rule: rule.outputs.name,
        arn: arnOf(dr, "aws:sns/topic:Topic", "failover-trigger-operators"),
        region: "us-west-2",
      });
    });

    it("dr: the operator topic admits EventBridge for the Health rule only, CloudWatch for this account's alarms", async () => {
      const dr = await renderTestStack("dr");
      const topicArn = arnOf(dr, "aws:sns/topic:Topic", "failover-trigger-operators");
      const policy = find(dr, "aws:sns/topicPolicy:TopicPolicy", "detection-operators-policy");
      assert.strictEqual(policy.inputs.arn, topicArn);
      assert.deepStrictEqual(JSON.parse(String(policy.inputs.policy)), {
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "HealthRulePublishes",
            Effect: "Allow",
            Principal: { Service: "events.amazonaws.com" },
            Action: "sns:Publish",
            Resource: topicArn,
            Condition: {
              ArnEquals: {
                "aws:SourceArn": arnOf(dr, "aws:cloudwatch/eventRule:EventRule", "detection-health"),
              },
            },
          },
          {
            Sid: "CloudWatchAlarmsPublish",
            Effect: "Allow",
            Principal: { Service: "cloudwatch.amazonaws.com" },
            Action: "sns:Publish",
            Resource: topicArn,
            Condition: {
              StringEquals: { "aws:SourceAccount": ACCOUNT },
              ArnLike: { "aws:SourceArn": `arn:aws:cloudwatch:us-west-2:${ACCOUNT}:alarm:*` },
            },
          },
        ],
      });
    });

    it("primary: forwards its own and global Health events to the dr Region's default bus through a role", async () => {
      const primary = await renderTestStack("primary");
      const rule = find(primary, "aws:cloudwatch/eventRule:EventRule", "health-forwarder-rule");
      assert.strictEqual(rule.region, "us-east-1");
      assert.deepStrictEqual(JSON.parse(String(rule.inputs.eventPattern)), {
        source: ["aws.health"],
        "detail-type": ["AWS Health Event"],
        detail: { service: SERVICES, eventRegion: ["us-east-1", "global"] },
      });
      const bus = `arn:aws:events:us-west-2:${ACCOUNT}:event-bus/default`;
      const role = find(primary, "aws:iam/role:Role", "health-forwarder-role");
      const target = find(primary, "aws:cloudwatch/eventTarget:EventTarget", "health-forwarder-target");
      assert.deepStrictEqual(target.inputs, {
        rule: rule.outputs.name,
        arn: bus,
        roleArn: role.outputs.arn,
        region: "us-east-1",
      });
      assert.deepStrictEqual(JSON.parse(String(role.inputs.assumeRolePolicy)), {
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: "events.amazonaws.com" },
            Action: "sts:AssumeRole",
            Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
          },
        ],
      });
      const policy = find(primary, "aws:iam/rolePolicy:RolePolicy", "health-forwarder-put-events");
      assert.strictEqual(policy.inputs.role, role.outputs.name);
      assert.deepStrictEqual(JSON.parse(String(policy.inputs.policy)), {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: "events:PutEvents", Resource: bus }],
      });
      assert.deepStrictEqual(primary.outputs.healthForwarder, {
        ruleName: rule.outputs.name,
        targetBusArn: bus,
      });
    });

    it("only primary forwards, only dr watches", async () => {
      const primary = await renderTestStack("primary");
      const dr = await renderTestStack("dr");
      assert.deepStrictEqual(
        findAll(dr, "aws:cloudwatch/eventTarget:EventTarget").filter((t) => t.inputs.roleArn !== undefined),
        [],
      );
      assert.strictEqual(primary.outputs.detection, undefined);
      assert.strictEqual(dr.outputs.healthForwarder, undefined);
      assert.deepStrictEqual(
        findAll(primary, "aws:cloudwatch/compositeAlarm:CompositeAlarm").map((a) => a.name),
        [],
      );
    });

    it("states what the dr Region receives directly and what only forwarding brings", () => {
      assert.deepStrictEqual(healthDelivery("us-east-1", "us-west-2"), {
        direct: "public events of us-east-1 (us-west-2 is its Health backup Region); global events",
        forwardedOnly: "account-specific events of us-east-1",
      });
      assert.deepStrictEqual(healthDelivery("us-west-2", "us-east-1"), {
        direct: "public events of us-west-2 (us-east-1 is its Health backup Region); global events",
        forwardedOnly: "account-specific events of us-west-2",
      });
      assert.deepStrictEqual(healthDelivery("eu-west-1", "eu-central-1"), {
        direct: "nothing",
        forwardedOnly: "every event of eu-west-1, public and account-specific",
      });
    });
  });

  describe("business metric", () => {
    it("alarms when PaymentsAccepted mirrored into dr falls below its band or stops, notifying operators", async () => {
      const dr = await renderTestStack("dr");
      const alarm = find(dr, "aws:cloudwatch/metricAlarm:MetricAlarm", "detection-payments-anomaly");
      const operators = arnOf(dr, "aws:sns/topic:Topic", "failover-trigger-operators");
      const { alarmDescription: _d, tags: _t, ...settings } = alarm.inputs;
      assert.deepStrictEqual(settings, {
        name: ANOMALY,
        metricQueries: [
          {
            id: "m1",
            returnData: true,
            metric: {
              namespace: "PaymentsDr/Service",
              metricName: "PaymentsAccepted",
              dimensions: { Region: "us-east-1" },
              stat: "Sum",
              period: 60,
            },
          },
          {
            id: "band",
            returnData: true,
            expression: "ANOMALY_DETECTION_BAND(m1, 3)",
            label: "PaymentsAccepted (expected)",
          },
        ],
        thresholdMetricId: "band",
        comparisonOperator: "LessThanLowerThreshold",
        evaluationPeriods: 5,
        datapointsToAlarm: 5,
        treatMissingData: "breaching",
        alarmActions: [operators],
        okActions: [operators],
        region: "us-west-2",
      });
    });

    it("combines probe AND anomaly in a composite alarm that notifies operators", async () => {
      const dr = await renderTestStack("dr");
      const composite = find(dr, "aws:cloudwatch/compositeAlarm:CompositeAlarm", "detection-corroborated");
      const operators = arnOf(dr, "aws:sns/topic:Topic", "failover-trigger-operators");
      const { alarmDescription: _d, tags: _t, ...settings } = composite.inputs;
      assert.deepStrictEqual(settings, {
        alarmName: COMPOSITE,
        alarmRule: `ALARM("${PROBE}") AND ALARM("${ANOMALY}")`,
        alarmActions: [operators],
        okActions: [operators],
        region: "us-west-2",
      });
      assert.deepStrictEqual(dr.outputs.detection, {
        healthRuleName: find(dr, "aws:cloudwatch/eventRule:EventRule", "detection-health").outputs.name,
        anomalyAlarmName: ANOMALY,
        compositeAlarmName: COMPOSITE,
        healthDeliveredDirectly:
          "public events of us-east-1 (us-west-2 is its Health backup Region); global events",
        healthForwardedOnly: "account-specific events of us-east-1",
      });
    });

    it("refuses a band or window that would page on noise", () => {
      const base = {
        region: "us-west-2",
        primaryRegion: "us-east-1",
        healthServices: ["EC2"],
        anomalyBandWidth: 3,
        anomalyEvaluationMinutes: 5,
      };
      assert.doesNotThrow(() => validateDetectionSignalsArgs(base));
      assert.throws(
        () => validateDetectionSignalsArgs({ ...base, anomalyEvaluationMinutes: 1 }),
        /anomalyEvaluationMinutes = 1: expected an integer of at least 2/,
      );
      assert.throws(
        () => validateDetectionSignalsArgs({ ...base, anomalyBandWidth: 0 }),
        /anomalyBandWidth = 0: expected a number of standard deviations above 0, at most 10/,
      );
      assert.throws(
        () => validateDetectionSignalsArgs({ ...base, region: "us-east-1" }),
        /region = primaryRegion = us-east-1/,
      );
    });
  });

  describe("automatic failover still requires the probe", () => {
    it("in automatic mode, only the probe alarm reaches the trigger's topic", async () => {
      const dr = await renderTestStack("dr", AUTOMATIC_MODE);
      const triggerTopic = arnOf(dr, "aws:sns/topic:Topic", "failover-trigger-alarms");
      const toTrigger = [
        ...findAll(dr, "aws:cloudwatch/metricAlarm:MetricAlarm"),
        ...findAll(dr, "aws:cloudwatch/compositeAlarm:CompositeAlarm"),
      ].filter((a) =>
        ["alarmActions", "okActions", "insufficientDataActions"].some((k) =>
          ((a.inputs[k] as string[] | undefined) ?? []).includes(triggerTopic),
        ),
      );
      assert.deepStrictEqual(
        toTrigger.map((a) => a.inputs.name ?? a.inputs.alarmName),
        [PROBE],
      );
      assert.deepStrictEqual(
        findAll(dr, "aws:cloudwatch/eventTarget:EventTarget")
          .filter((t) => t.inputs.arn === triggerTopic)
          .map((t) => t.name),
        [],
      );
    });

    it("the trigger refuses the anomaly and composite alarms even if one reached it: no build starts", async () => {
      const sns = mockClient(SNSClient);
      const codebuild = mockClient(CodeBuildClient);
      const cloudwatch = mockClient(CloudWatchClient);
      try {
        sns.on(PublishCommand).resolves({ MessageId: "m" });
        cloudwatch.on(DescribeAlarmHistoryCommand).resolves({ AlarmHistoryItems: [] });
        const handle = createHandler({
          sns: new SNSClient({ region: "us-west-2" }),
          codebuild: new CodeBuildClient({ region: "us-west-2" }),
          cloudwatch: new CloudWatchClient({ region: "us-west-2" }),
          config: AUTOMATIC,
          log: () => undefined,
        });
        for (const name of [ANOMALY, COMPOSITE]) {
          const outcomes = await handle(
            snsEvent(
              alarmMessage({
                AlarmName: name,
                AlarmArn: `arn:aws:cloudwatch:us-west-2:${ACCOUNT}:alarm:${name}`,
              }),
            ),
          );
          assert.deepStrictEqual(
            outcomes.map((o) => o.action),
            ["rejected"],
          );
          assert.match(outcomes[0].detail, new RegExp(`the alarm ${name} is not ${PROBE}`));
        }
        assert.deepStrictEqual(codebuild.calls(), []);
        assert.deepStrictEqual(cloudwatch.calls(), []);
      } finally {
        sns.restore();
        codebuild.restore();
        cloudwatch.restore();
      }
    });
  });
});

import * as assert from "assert";
import { mockClient } from "aws-sdk-client-mock";
import {
  BatchGetBuildsCommand,
  CodeBuildClient,
  ListBuildsForProjectCommand,
  StartBuildCommand,
} from "@aws-sdk/client-codebuild";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { CloudWatchClient, DescribeAlarmHistoryCommand } from "@aws-sdk/client-cloudwatch";
import type { SNSEvent } from "aws-lambda";
import {
  createHandler,
  idempotencyToken,
  parseAlarmMessage,
  readConfig,
  TriggerConfig,
} from "../../functions/failoverTrigger/handler";
import { ALARM, alarmMessage, AUTOMATIC, MANUAL, OPERATORS, PROJECT, snsEvent } from "./triggerFixtures";

describe("functions/failoverTrigger", () => {
  const sns = mockClient(SNSClient);
  const codebuild = mockClient(CodeBuildClient);
  const cloudwatch = mockClient(CloudWatchClient);
  const lines: string[] = [];

  beforeEach(() => {
    sns.reset();
    codebuild.reset();
    cloudwatch.reset();
    lines.length = 0;
    sns.on(PublishCommand).resolves({ MessageId: "published-1" });
    // Armed: no state change in the arming window before the alarm.
    cloudwatch.on(DescribeAlarmHistoryCommand).resolves({ AlarmHistoryItems: [] });
  });

  function handlerFor(config: TriggerConfig) {
    return createHandler({
      sns: new SNSClient({ region: "us-west-2" }),
      codebuild: new CodeBuildClient({ region: "us-west-2" }),
      cloudwatch: new CloudWatchClient({ region: "us-west-2" }),
      config,
      log: (line) => lines.push(line),
    });
  }

  describe("manual mode", () => {
    it("publishes the exact failover command to the operator topic and starts nothing", async () => {
      const outcomes = await handlerFor(MANUAL)(snsEvent(alarmMessage()));
      assert.deepStrictEqual(outcomes, [
        { action: "notified", detail: `${ALARM} went from OK to ALARM at 2026-01-01T00:03:12.345+0000` },
      ]);
      const calls = sns.commandCalls(PublishCommand);
      assert.strictEqual(calls.length, 1);
      assert.deepStrictEqual(calls[0].args[0].input, {
        TopicArn: OPERATORS,
        Subject: "payments-dr: primary endpoint down - failover needs an operator",
        Message: [
          `The alarm ${ALARM} (US West (Oregon)) went from OK to ALARM at 2026-01-01T00:03:12.345+0000.`,
          "Reason: Threshold Crossed: 3 out of the last 3 datapoints [0.0 (01/01/26 00:02:00)] were less than the threshold (1.0).",
          "",
          "Nothing has been changed: failover.mode is manual. To fail over to the dr stack (dr), run from a checkout of payments-dr:",
          "",
          "  npm run failover -- --to dr --stack dr",
          "",
          "Preview the steps and the resource diff first with:",
          "",
          "  npm run failover -- --to dr --stack dr --dry-run",
        ].join("\n"),
      });
      assert.strictEqual(codebuild.calls().length, 0);
    });
  });

  describe("automatic mode", () => {
    it("starts the runner with exact parameters when no build is running, and tells operators", async () => {
      codebuild.on(ListBuildsForProjectCommand).resolves({ ids: [`${PROJECT}:old-1`] });
      codebuild
        .on(BatchGetBuildsCommand)
        .resolves({ builds: [{ id: `${PROJECT}:old-1`, buildStatus: "SUCCEEDED" }] });
      codebuild
        .on(StartBuildCommand)
        .resolves({ build: { id: `${PROJECT}:new-2`, buildStatus: "IN_PROGRESS" } });

      const outcomes = await handlerFor(AUTOMATIC)(snsEvent(alarmMessage()));

      assert.deepStrictEqual(outcomes, [
        {
          action: "build-started",
          detail: `${ALARM} went from OK to ALARM at 2026-01-01T00:03:12.345+0000`,
          buildId: `${PROJECT}:new-2`,
        },
      ]);
      assert.deepStrictEqual(codebuild.commandCalls(ListBuildsForProjectCommand)[0].args[0].input, {
        projectName: PROJECT,
        sortOrder: "DESCENDING",
      });
      assert.deepStrictEqual(codebuild.commandCalls(BatchGetBuildsCommand)[0].args[0].input, {
        ids: [`${PROJECT}:old-1`],
      });
      const starts = codebuild.commandCalls(StartBuildCommand);
      assert.strictEqual(starts.length, 1);
      assert.deepStrictEqual(starts[0].args[0].input, {
        projectName: PROJECT,
        idempotencyToken: idempotencyToken(parseAlarmMessage(alarmMessage())),
      });
      assert.match(starts[0].args[0].input.idempotencyToken as string, /^[0-9a-f]{64}$/);
      const published = sns.commandCalls(PublishCommand)[0].args[0].input;
      assert.strictEqual(published.Subject, "payments-dr: automatic failover to dr started");
      assert.match(
        String(published.Message),
        /running as build payments-dr-dr-failover:new-2 of payments-dr-dr-failover/,
      );
    });

    it("does not start a second build while one is in progress", async () => {
      codebuild
        .on(ListBuildsForProjectCommand)
        .resolves({ ids: [`${PROJECT}:running-3`, `${PROJECT}:old-1`] });
      codebuild.on(BatchGetBuildsCommand).resolves({
        builds: [
          { id: `${PROJECT}:running-3`, buildStatus: "IN_PROGRESS" },
          { id: `${PROJECT}:old-1`, buildStatus: "FAILED" },
        ],
      });

      const outcomes = await handlerFor(AUTOMATIC)(snsEvent(alarmMessage()));

      assert.deepStrictEqual(
        outcomes.map((o) => o.action),
        ["build-already-running"],
      );
      assert.strictEqual(codebuild.commandCalls(StartBuildCommand).length, 0);
      assert.match(
        String(sns.commandCalls(PublishCommand)[0].args[0].input.Message),
        /already has build payments-dr-dr-failover:running-3 in progress/,
      );
    });

    it("gives a redelivered alarm the same idempotency token, and a new transition a new one", () => {
      const first = parseAlarmMessage(alarmMessage());
      assert.strictEqual(idempotencyToken(first), idempotencyToken(parseAlarmMessage(alarmMessage())));
      const later = parseAlarmMessage(alarmMessage({ StateChangeTime: "2026-01-02T00:00:00.000+0000" }));
      assert.notStrictEqual(idempotencyToken(first), idempotencyToken(later));
    });

    it("falls back to telling operators the manual command when StartBuild fails", async () => {
      codebuild.on(ListBuildsForProjectCommand).resolves({ ids: [] });
      const refused = Object.assign(new Error("Project cannot have more than 1 concurrent builds"), {
        name: "AccountLimitExceededException",
      });
      codebuild.on(StartBuildCommand).rejects(refused);

      const outcomes = await handlerFor(AUTOMATIC)(snsEvent(alarmMessage()));

      assert.deepStrictEqual(outcomes, [
        {
          action: "build-not-started",
          detail: "AccountLimitExceededException: Project cannot have more than 1 concurrent builds",
        },
      ]);
      assert.strictEqual(
        codebuild.commandCalls(BatchGetBuildsCommand).length,
        0,
        "no builds listed: nothing to describe",
      );
      assert.match(
        String(sns.commandCalls(PublishCommand)[0].args[0].input.Message),
        /Run the failover by hand: npm run failover -- --to dr --stack dr$/,
      );
    });
  });

  describe("transitions it ignores", () => {
    for (const state of ["OK", "INSUFFICIENT_DATA"]) {
      it(`ignores ${state} in both modes`, async () => {
        for (const config of [MANUAL, AUTOMATIC]) {
          const outcomes = await handlerFor(config)(
            snsEvent(alarmMessage({ NewStateValue: state, OldStateValue: "ALARM" })),
          );
          assert.deepStrictEqual(outcomes, [{ action: "ignored", detail: `${ALARM} is now ${state}` }]);
        }
        assert.strictEqual(sns.calls().length, 0);
        assert.strictEqual(codebuild.calls().length, 0);
      });
    }
  });

  describe("malformed input", () => {
    const cases: [string, SNSEvent, RegExp][] = [
      [
        "a message that is not JSON",
        snsEvent("ALARM! primary is down"),
        /the SNS message is not JSON: "ALARM! primary is down"/,
      ],
      ["JSON that is not an object", snsEvent("[1,2]"), /JSON but not an object/],
      [
        "an alarm without NewStateValue",
        snsEvent(alarmMessage({ NewStateValue: undefined })),
        /has no NewStateValue \(expected a non-empty string, got undefined\)/,
      ],
      [
        "an alarm without AlarmName",
        snsEvent(alarmMessage({ AlarmName: 42 })),
        /has no AlarmName \(expected a non-empty string, got 42\)/,
      ],
      [
        "another alarm",
        snsEvent(alarmMessage({ AlarmName: "someone-elses-alarm" })),
        /the alarm someone-elses-alarm is not payments-dr-dr-primary-endpoint-down/,
      ],
      ["an event without records", { Records: [] }, /the event has no SNS records/],
    ];
    for (const [what, event, reason] of cases) {
      it(`reports ${what} to operators and starts nothing`, async () => {
        const outcomes = await handlerFor(AUTOMATIC)(event);
        assert.strictEqual(outcomes.length, 1);
        assert.strictEqual(outcomes[0].action, "rejected");
        assert.match(outcomes[0].detail, reason);
        assert.strictEqual(codebuild.calls().length, 0);
        const published = sns.commandCalls(PublishCommand);
        assert.strictEqual(published.length, 1);
        assert.strictEqual(
          published[0].args[0].input.Subject,
          "payments-dr: failover trigger received an unreadable message",
        );
        assert.match(String(published[0].args[0].input.Message), /Nothing was started\./);
        assert.match(lines[0], /^REJECTED: /);
      });
    }

    it("still acts on the good record of a batch that also holds a bad one", async () => {
      const outcomes = await handlerFor(MANUAL)(snsEvent("not json", alarmMessage()));
      assert.deepStrictEqual(
        outcomes.map((o) => o.action),
        ["rejected", "notified"],
      );
    });
  });

  describe("configuration", () => {
    it("reads the deployed environment", () => {
      assert.deepStrictEqual(
        readConfig({
          FAILOVER_MODE: "automatic",
          STACK_NAME: "dr",
          ALARM_NAME: ALARM,
          OPERATOR_TOPIC_ARN: OPERATORS,
          RUNNER_PROJECT_NAME: PROJECT,
          ARM_AFTER_HEALTHY_MINUTES: "30",
        }),
        AUTOMATIC,
      );
      assert.deepStrictEqual(
        readConfig({
          FAILOVER_MODE: "manual",
          STACK_NAME: "dr",
          ALARM_NAME: ALARM,
          OPERATOR_TOPIC_ARN: OPERATORS,
        }),
        {
          ...MANUAL,
          runnerProjectName: undefined,
        },
      );
    });

    it("fails clearly on an incomplete deployment", () => {
      assert.throws(
        () =>
          readConfig({
            FAILOVER_MODE: "automatic",
            STACK_NAME: "dr",
            ALARM_NAME: ALARM,
            OPERATOR_TOPIC_ARN: OPERATORS,
          }),
        /Environment variable RUNNER_PROJECT_NAME is missing/,
      );
      assert.throws(
        () =>
          readConfig({
            FAILOVER_MODE: "automatic",
            STACK_NAME: "dr",
            ALARM_NAME: ALARM,
            OPERATOR_TOPIC_ARN: OPERATORS,
            RUNNER_PROJECT_NAME: PROJECT,
            ARM_AFTER_HEALTHY_MINUTES: "0",
          }),
        /^Error: Environment variable ARM_AFTER_HEALTHY_MINUTES = "0": expected an integer from 1 to 1440\.$/,
      );
      assert.throws(
        () => readConfig({ FAILOVER_MODE: "auto" }),
        /FAILOVER_MODE = "auto": expected manual or automatic/,
      );
    });
  });
});

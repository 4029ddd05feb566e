import * as assert from "assert";
import { mockClient } from "aws-sdk-client-mock";
import { CloudWatchClient, DescribeAlarmHistoryCommand } from "@aws-sdk/client-cloudwatch";
import {
  BatchGetBuildsCommand,
  CodeBuildClient,
  ListBuildsForProjectCommand,
  StartBuildCommand,
} from "@aws-sdk/client-codebuild";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { createHandler, TriggerConfig } from "../../functions/failoverTrigger/handler";
import { parseStateChangeTime } from "../../functions/failoverTrigger/arming";
import { ALARM, alarmMessage, AUTOMATIC, MANUAL, PROJECT, snsEvent } from "./triggerFixtures";

/** The fixture's alarm fires at 2026-01-01T00:03:12.345Z; arming looks at the 30 minutes before. */
const WINDOW = {
  AlarmName: ALARM,
  HistoryItemType: "StateUpdate",
  StartDate: new Date("2025-12-31T23:33:12.345Z"),
  EndDate: new Date("2026-01-01T00:03:07.345Z"),
  ScanBy: "TimestampDescending",
  MaxRecords: 100,
  NextToken: undefined,
};

function stateUpdate(at: string, from: string, to: string) {
  return {
    AlarmName: ALARM,
    Timestamp: new Date(at),
    HistoryItemType: "StateUpdate" as const,
    HistorySummary: `Alarm updated from ${from} to ${to}`,
    HistoryData: JSON.stringify({
      version: "1.0",
      oldState: { stateValue: from, stateReason: "..." },
      newState: { stateValue: to, stateReason: "..." },
    }),
  };
}

describe("functions/failoverTrigger arming", () => {
  const sns = mockClient(SNSClient);
  const codebuild = mockClient(CodeBuildClient);
  const cloudwatch = mockClient(CloudWatchClient);

  beforeEach(() => {
    sns.reset();
    codebuild.reset();
    cloudwatch.reset();
    sns.on(PublishCommand).resolves({ MessageId: "published-1" });
    codebuild.on(ListBuildsForProjectCommand).resolves({ ids: [] });
    codebuild.on(BatchGetBuildsCommand).resolves({ builds: [] });
    codebuild.on(StartBuildCommand).resolves({ build: { id: `${PROJECT}:new-1` } });
  });

  const handlerFor = (config: TriggerConfig) =>
    createHandler({
      sns: new SNSClient({ region: "us-west-2" }),
      codebuild: new CodeBuildClient({ region: "us-west-2" }),
      cloudwatch: new CloudWatchClient({ region: "us-west-2" }),
      config,
      log: () => undefined,
    });

  for (const from of ["INSUFFICIENT_DATA", ""]) {
    it(`ignores ${from || "an unknown state"} -> ALARM in both modes (a new alarm right after deployment)`, async () => {
      for (const config of [MANUAL, AUTOMATIC]) {
        const outcomes = await handlerFor(config)(snsEvent(alarmMessage({ OldStateValue: from })));
        assert.deepStrictEqual(outcomes, [
          {
            action: "ignored",
            detail: `${ALARM} went from ${from || "unknown"} to ALARM: only OK -> ALARM is acted on`,
          },
        ]);
      }
      assert.strictEqual(sns.calls().length, 0);
      assert.strictEqual(codebuild.calls().length, 0);
      assert.strictEqual(cloudwatch.calls().length, 0);
    });
  }

  it("starts the runner on OK -> ALARM when the alarm made no state change in the 30 minutes before", async () => {
    cloudwatch.on(DescribeAlarmHistoryCommand).resolves({ AlarmHistoryItems: [] });
    const outcomes = await handlerFor(AUTOMATIC)(snsEvent(alarmMessage()));
    assert.deepStrictEqual(
      outcomes.map((o) => o.action),
      ["build-started"],
    );
    const reads = cloudwatch.commandCalls(DescribeAlarmHistoryCommand);
    assert.deepStrictEqual(
      reads.map((c) => c.args[0].input),
      [WINDOW],
    );
    assert.strictEqual(codebuild.commandCalls(StartBuildCommand).length, 1);
  });

  it("stays disarmed when the alarm went OK less than 30 minutes before: tells operators, starts nothing", async () => {
    cloudwatch.on(DescribeAlarmHistoryCommand).resolves({
      AlarmHistoryItems: [stateUpdate("2025-12-31T23:50:00.000Z", "ALARM", "OK")],
    });
    const outcomes = await handlerFor(AUTOMATIC)(snsEvent(alarmMessage()));
    const reason =
      "the alarm changed state 1 time(s) in the 30 minutes before this ALARM " +
      "(latest ALARM -> OK at 2025-12-31T23:50:00.000Z); automatic failover arms once the primary " +
      "has been healthy (alarm OK) for 30 minutes";
    assert.deepStrictEqual(outcomes, [
      {
        action: "disarmed",
        detail: `${ALARM} went from OK to ALARM at 2026-01-01T00:03:12.345+0000; ${reason}`,
      },
    ]);
    assert.strictEqual(codebuild.calls().length, 0);
    const published = sns.commandCalls(PublishCommand).map((c) => c.args[0].input);
    assert.strictEqual(published.length, 1);
    assert.strictEqual(
      published[0].Subject,
      "payments-dr: primary endpoint down - automatic failover disarmed, needs an operator",
    );
    assert.ok(
      String(published[0].Message).startsWith(
        `Automatic failover did not start: ${reason}.\n\nThe alarm ${ALARM}`,
      ),
    );
    assert.match(String(published[0].Message), /\n {2}npm run failover -- --to dr --stack dr\n/);
  });

  it("reads every page of the history: a change on the second page disarms", async () => {
    cloudwatch
      .on(DescribeAlarmHistoryCommand, { NextToken: undefined })
      .resolves({ AlarmHistoryItems: [], NextToken: "page-2" })
      .on(DescribeAlarmHistoryCommand, { NextToken: "page-2" })
      .resolves({ AlarmHistoryItems: [stateUpdate("2025-12-31T23:40:00.000Z", "INSUFFICIENT_DATA", "OK")] });
    const outcomes = await handlerFor(AUTOMATIC)(snsEvent(alarmMessage()));
    assert.deepStrictEqual(
      outcomes.map((o) => o.action),
      ["disarmed"],
    );
    assert.deepStrictEqual(
      cloudwatch.commandCalls(DescribeAlarmHistoryCommand).map((c) => c.args[0].input.NextToken),
      [undefined, "page-2"],
    );
  });

  it("stays disarmed when the history cannot be read", async () => {
    cloudwatch
      .on(DescribeAlarmHistoryCommand)
      .rejects(Object.assign(new Error("User is not authorized"), { name: "AccessDenied" }));
    const outcomes = await handlerFor(AUTOMATIC)(snsEvent(alarmMessage()));
    assert.deepStrictEqual(outcomes, [
      {
        action: "disarmed",
        detail:
          `${ALARM} went from OK to ALARM at 2026-01-01T00:03:12.345+0000; ` +
          "the alarm history could not be read (AccessDenied: User is not authorized)",
      },
    ]);
    assert.strictEqual(codebuild.calls().length, 0);
  });

  it("measures the window with the configured minutes", async () => {
    cloudwatch.on(DescribeAlarmHistoryCommand).resolves({ AlarmHistoryItems: [] });
    await handlerFor({ ...AUTOMATIC, armAfterHealthyMinutes: 120 })(snsEvent(alarmMessage()));
    assert.deepStrictEqual(
      cloudwatch.commandCalls(DescribeAlarmHistoryCommand)[0].args[0].input.StartDate,
      new Date("2025-12-31T22:03:12.345Z"),
    );
  });

  it("never reads the history in manual mode: operators are told on every OK -> ALARM", async () => {
    const outcomes = await handlerFor(MANUAL)(snsEvent(alarmMessage()));
    assert.deepStrictEqual(
      outcomes.map((o) => o.action),
      ["notified"],
    );
    assert.strictEqual(cloudwatch.calls().length, 0);
  });

  it("parses CloudWatch's StateChangeTime, offset without a colon", () => {
    assert.deepStrictEqual(
      parseStateChangeTime("2026-01-01T00:03:12.345+0000"),
      new Date("2026-01-01T00:03:12.345Z"),
    );
    assert.deepStrictEqual(
      parseStateChangeTime("2026-01-01T02:03:12.345+0200"),
      new Date("2026-01-01T00:03:12.345Z"),
    );
    assert.strictEqual(parseStateChangeTime("yesterday"), undefined);
  });
});

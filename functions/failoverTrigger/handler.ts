/**
 * Failover trigger: subscribed to the dr Region's detection topic, it receives the CloudWatch
 * alarm that watches the primary endpoint and acts on its OK → ALARM transitions only.
 *
 * - `manual` mode: tells operators (the operator topic) the exact command to run.
 * - `automatic` mode: if armed (the alarm was OK for `armAfterHealthyMinutes` before it fired, see
 *   arming.ts), starts the failover controller on the CodeBuild runner in the dr Region, unless a
 *   build of it is already running, and tells operators which build it started; if disarmed, tells
 *   operators the manual command instead.
 *
 * Transitions to OK or INSUFFICIENT_DATA, and into ALARM from anything but OK (a new alarm's first
 * evaluation right after deployment is INSUFFICIENT_DATA → ALARM), are ignored. A message it cannot
 * read, or an alarm other than the one it was deployed for, is reported to operators and starts
 * nothing.
 */
import { createHash } from "crypto";
import {
  BatchGetBuildsCommand,
  CodeBuildClient,
  ListBuildsForProjectCommand,
  StartBuildCommand,
} from "@aws-sdk/client-codebuild";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import type { SNSEvent } from "aws-lambda";
import { armingVerdict, MAX_ARM_AFTER_HEALTHY_MINUTES, parseStateChangeTime } from "./arming";

export type TriggerMode = "manual" | "automatic";

export interface TriggerConfig {
  readonly mode: TriggerMode;
  /** The dr stack the controller fails over to (`--stack`). */
  readonly stackName: string;
  /** The alarm this trigger was deployed for; any other alarm is refused. */
  readonly alarmName: string;
  readonly operatorTopicArn: string;
  /** automatic mode: the CodeBuild project that runs the controller. */
  readonly runnerProjectName?: string;
  /** automatic mode: minutes the alarm must have been OK before an ALARM may start the runner. */
  readonly armAfterHealthyMinutes?: number;
}

export interface AlarmNotification {
  readonly alarmName: string;
  readonly newState: string;
  readonly oldState: string;
  readonly reason: string;
  readonly stateChangeTime: string;
  readonly region: string;
}

export type Outcome =
  | { readonly action: "ignored"; readonly detail: string }
  | { readonly action: "rejected"; readonly detail: string }
  | { readonly action: "notified"; readonly detail: string }
  | { readonly action: "disarmed"; readonly detail: string }
  | { readonly action: "build-started"; readonly detail: string; readonly buildId: string }
  | { readonly action: "build-already-running"; readonly detail: string; readonly buildId: string }
  | { readonly action: "build-not-started"; readonly detail: string };

export class MalformedAlarmMessage extends Error {}

/** How many recent builds are checked for one still running (the runner allows one at a time). */
const RECENT_BUILDS_CHECKED = 10;

export function failoverCommand(stackName: string): string {
  return `npm run failover -- --to dr --stack ${stackName}`;
}

/** Reads and validates the function's environment; a deployment mistake fails loudly at cold start. */
export function readConfig(env: NodeJS.ProcessEnv): TriggerConfig {
  const required = (key: string): string => {
    const value = env[key];
    if (!value)
      throw new Error(`Environment variable ${key} is missing: the trigger was deployed incompletely.`);
    return value;
  };
  const mode = required("FAILOVER_MODE");
  if (mode !== "manual" && mode !== "automatic") {
    throw new Error(`Environment variable FAILOVER_MODE = "${mode}": expected manual or automatic.`);
  }
  const config: TriggerConfig = {
    mode,
    stackName: required("STACK_NAME"),
    alarmName: required("ALARM_NAME"),
    operatorTopicArn: required("OPERATOR_TOPIC_ARN"),
    runnerProjectName: mode === "automatic" ? required("RUNNER_PROJECT_NAME") : undefined,
  };
  if (mode === "manual") return config;
  const arm = required("ARM_AFTER_HEALTHY_MINUTES");
  const minutes = /^\d+$/.test(arm) ? Number(arm) : NaN;
  if (!(minutes >= 1 && minutes <= MAX_ARM_AFTER_HEALTHY_MINUTES)) {
    throw new Error(
      `Environment variable ARM_AFTER_HEALTHY_MINUTES = "${arm}": expected an integer from 1 to ${MAX_ARM_AFTER_HEALTHY_MINUTES}.`,
    );
  }
  return { ...config, armAfterHealthyMinutes: minutes };
}

/** Parses the CloudWatch alarm notification an SNS message carries. */
export function parseAlarmMessage(message: string): AlarmNotification {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    throw new MalformedAlarmMessage(`the SNS message is not JSON: ${JSON.stringify(message.slice(0, 200))}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new MalformedAlarmMessage(
      "the SNS message is JSON but not an object (expected a CloudWatch alarm notification)",
    );
  }
  const body = parsed as Record<string, unknown>;
  const text = (key: string, optional = false): string => {
    const value = body[key];
    if (typeof value === "string" && value !== "") return value;
    if (optional) return "";
    throw new MalformedAlarmMessage(
      `the alarm notification has no ${key} (expected a non-empty string, got ${JSON.stringify(value)})`,
    );
  };
  return {
    alarmName: text("AlarmName"),
    newState: text("NewStateValue"),
    oldState: text("OldStateValue", true),
    reason: text("NewStateReason", true),
    stateChangeTime: text("StateChangeTime"),
    region: text("Region", true),
  };
}

export interface TriggerDeps {
  readonly sns: SNSClient;
  readonly codebuild: CodeBuildClient;
  /** Reads the alarm's history to decide whether automatic failover is armed. */
  readonly cloudwatch: CloudWatchClient;
  readonly config: TriggerConfig;
  readonly log?: (line: string) => void;
}

export function createHandler(deps: TriggerDeps): (event: SNSEvent) => Promise<Outcome[]> {
  const { sns, codebuild, cloudwatch, config } = deps;
  const log = deps.log ?? ((line: string) => console.log(line));

  const notify = async (subject: string, message: string): Promise<void> => {
    await sns.send(
      new PublishCommand({ TopicArn: config.operatorTopicArn, Subject: subject, Message: message }),
    );
  };

  const reject = async (detail: string): Promise<Outcome> => {
    log(`REJECTED: ${detail}`);
    await notify(
      "payments-dr: failover trigger received an unreadable message",
      `The failover trigger for stack ${config.stackName} received a message it cannot act on: ${detail}.\n\n` +
        "Nothing was started. Check what publishes to the detection topic, and the alarm " +
        `${config.alarmName} itself. To fail over by hand: ${failoverCommand(config.stackName)}`,
    );
    return { action: "rejected", detail };
  };

  const onAlarm = async (alarm: AlarmNotification): Promise<Outcome> => {
    const what = `${alarm.alarmName} went from ${alarm.oldState || "unknown"} to ALARM at ${alarm.stateChangeTime}`;
    if (config.mode === "manual") {
      await notify(
        "payments-dr: primary endpoint down - failover needs an operator",
        manualMessage(config, alarm),
      );
      log(`NOTIFIED: ${what}; operators were sent the failover command`);
      return { action: "notified", detail: what };
    }
    const alarmTime = parseStateChangeTime(alarm.stateChangeTime);
    const verdict = alarmTime
      ? await armingVerdict(cloudwatch, alarm.alarmName, alarmTime, config.armAfterHealthyMinutes as number)
      : { armed: false, detail: `the StateChangeTime ${alarm.stateChangeTime} is not a time` };
    if (!verdict.armed) {
      log(`DISARMED: ${what}; ${verdict.detail}`);
      await notify(
        "payments-dr: primary endpoint down - automatic failover disarmed, needs an operator",
        `Automatic failover did not start: ${verdict.detail}.\n\n${manualMessage(config, alarm)}`,
      );
      return { action: "disarmed", detail: `${what}; ${verdict.detail}` };
    }
    const projectName = config.runnerProjectName as string;
    const running = await runningBuild(codebuild, projectName);
    if (running) {
      log(`ALREADY RUNNING: ${what}; build ${running} is in progress, not starting another`);
      await notify(
        "payments-dr: failover already running",
        `${what}. The failover runner ${projectName} already has build ${running} in progress; no new build was started.`,
      );
      return { action: "build-already-running", detail: what, buildId: running };
    }
    try {
      const started = await codebuild.send(
        new StartBuildCommand({ projectName, idempotencyToken: idempotencyToken(alarm) }),
      );
      const buildId = started.build?.id ?? "unknown";
      log(`STARTED: ${what}; build ${buildId}`);
      await notify(
        "payments-dr: automatic failover to dr started",
        `${what}. Reason: ${alarm.reason}\n\nThe failover controller is running as build ${buildId} of ${projectName}.\n` +
          `Follow it: aws codebuild batch-get-builds --ids ${buildId}`,
      );
      return { action: "build-started", detail: what, buildId };
    } catch (error) {
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      log(`NOT STARTED: ${what}; StartBuild failed: ${reason}`);
      await notify(
        "payments-dr: automatic failover could not start",
        `${what}. Starting ${projectName} failed (${reason}).\n\nRun the failover by hand: ${failoverCommand(config.stackName)}`,
      );
      return { action: "build-not-started", detail: reason };
    }
  };

  return async (event: SNSEvent): Promise<Outcome[]> => {
    const records = Array.isArray(event?.Records) ? event.Records : [];
    if (records.length === 0) return [await reject("the event has no SNS records")];
    const outcomes: Outcome[] = [];
    for (const record of records) {
      const message = record?.Sns?.Message;
      if (typeof message !== "string") {
        outcomes.push(await reject("an SNS record has no Message"));
        continue;
      }
      let alarm: AlarmNotification;
      try {
        alarm = parseAlarmMessage(message);
      } catch (error) {
        if (!(error instanceof MalformedAlarmMessage)) throw error;
        outcomes.push(await reject(error.message));
        continue;
      }
      if (alarm.alarmName !== config.alarmName) {
        outcomes.push(
          await reject(
            `the alarm ${alarm.alarmName} is not ${config.alarmName}, the alarm this trigger serves`,
          ),
        );
      } else if (alarm.newState !== "ALARM") {
        log(`IGNORED: ${alarm.alarmName} is now ${alarm.newState}`);
        outcomes.push({ action: "ignored", detail: `${alarm.alarmName} is now ${alarm.newState}` });
      } else if (alarm.oldState !== "OK") {
        // No evidence the primary was ever healthy: a new alarm's first evaluation, or a redelivery
        // oddity. The alarm's next OK → ALARM is the one acted on.
        const detail = `${alarm.alarmName} went from ${alarm.oldState || "unknown"} to ALARM: only OK -> ALARM is acted on`;
        log(`IGNORED: ${detail}`);
        outcomes.push({ action: "ignored", detail });
      } else {
        outcomes.push(await onAlarm(alarm));
      }
    }
    return outcomes;
  };
}

export function manualMessage(config: TriggerConfig, alarm: AlarmNotification): string {
  return [
    `The alarm ${alarm.alarmName} (${alarm.region || "dr Region"}) went from ${alarm.oldState || "unknown"} to ALARM at ${alarm.stateChangeTime}.`,
    `Reason: ${alarm.reason || "not given"}`,
    "",
    `Nothing has been changed: failover.mode is manual. To fail over to the dr stack (${config.stackName}), run from a checkout of payments-dr:`,
    "",
    `  ${failoverCommand(config.stackName)}`,
    "",
    "Preview the steps and the resource diff first with:",
    "",
    `  ${failoverCommand(config.stackName)} --dry-run`,
  ].join("\n");
}

/** Same alarm transition, same token: a redelivered message cannot start a second build. */
export function idempotencyToken(alarm: AlarmNotification): string {
  return createHash("sha256").update(`${alarm.alarmName}|${alarm.stateChangeTime}`).digest("hex");
}

async function runningBuild(codebuild: CodeBuildClient, projectName: string): Promise<string | undefined> {
  const listed = await codebuild.send(
    new ListBuildsForProjectCommand({ projectName, sortOrder: "DESCENDING" }),
  );
  const ids = (listed.ids ?? []).slice(0, RECENT_BUILDS_CHECKED);
  if (ids.length === 0) return undefined;
  const described = await codebuild.send(new BatchGetBuildsCommand({ ids }));
  return described.builds?.find((build) => build.buildStatus === "IN_PROGRESS")?.id;
}

let cached: ((event: SNSEvent) => Promise<Outcome[]>) | undefined;

/** The Lambda entry point; clients use the function's own Region (the dr Region). */
export async function handler(event: SNSEvent): Promise<Outcome[]> {
  cached ??= createHandler({
    sns: new SNSClient({}),
    codebuild: new CodeBuildClient({}),
    cloudwatch: new CloudWatchClient({}),
    config: readConfig(process.env),
  });
  return cached(event);
}

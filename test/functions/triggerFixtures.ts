/** Fixtures shared by the failover trigger's specs: its configs and CloudWatch's SNS alarm message. */
import type { SNSEvent } from "aws-lambda";
import type { TriggerConfig } from "../../functions/failoverTrigger/handler";

export const ALARM = "payments-dr-dr-primary-endpoint-down";
export const OPERATORS = "arn:aws:sns:us-west-2:111122223333:failover-trigger-operators-8fe9209";
export const PROJECT = "payments-dr-dr-failover";
export const MANUAL: TriggerConfig = {
  mode: "manual",
  stackName: "dr",
  alarmName: ALARM,
  operatorTopicArn: OPERATORS,
};
export const AUTOMATIC: TriggerConfig = {
  ...MANUAL,
  mode: "automatic",
  runnerProjectName: PROJECT,
  armAfterHealthyMinutes: 30,
};

export function alarmMessage(overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    AlarmName: ALARM,
    AlarmDescription:
      "The primary endpoint api.payments.example.com failed 3 consecutive probes from us-west-2.",
    AWSAccountId: "111122223333",
    NewStateValue: "ALARM",
    NewStateReason:
      "Threshold Crossed: 3 out of the last 3 datapoints [0.0 (01/01/26 00:02:00)] were less than the threshold (1.0).",
    StateChangeTime: "2026-01-01T00:03:12.345+0000",
    Region: "US West (Oregon)",
    AlarmArn: `arn:aws:cloudwatch:us-west-2:111122223333:alarm:${ALARM}`,
    OldStateValue: "OK",
    ...overrides,
  });
}

export function snsEvent(...messages: string[]): SNSEvent {
  return {
    Records: messages.map((Message, i) => ({
      EventSource: "aws:sns",
      EventVersion: "1.0",
      EventSubscriptionArn: `arn:aws:sns:us-west-2:111122223333:failover-trigger-alarms-70ec3b9:sub-${i}`,
      Sns: {
        Type: "Notification",
        MessageId: `message-${i}`,
        TopicArn: "arn:aws:sns:us-west-2:111122223333:failover-trigger-alarms-70ec3b9",
        Subject: `ALARM: "${ALARM}" in US West (Oregon)`,
        Message,
        Timestamp: "2026-01-01T00:03:12.500Z",
        SignatureVersion: "1",
        Signature: "EXAMPLE",
        SigningCertUrl: "https://sns.us-west-2.amazonaws.com/cert.pem",
        UnsubscribeUrl: "https://sns.us-west-2.amazonaws.com/unsubscribe",
        MessageAttributes: {},
      },
    })),
  };
}

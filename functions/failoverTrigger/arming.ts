/**
 * Arming of automatic failover: the trigger starts the runner only when the detection alarm went
 * OK → ALARM after staying OK for `armAfterHealthyMinutes`. Right after a deployment the alarm goes
 * INSUFFICIENT_DATA → ALARM (missing data is breaching and the primary answers 503 until its
 * workload runs), and a primary that just recovered may flap: neither is evidence that a healthy
 * primary went down.
 *
 * The evidence is CloudWatch's own alarm history, read on every decision: no state of the
 * trigger's own, so cold starts, redeliveries and concurrent invocations all decide the same way.
 */
import { CloudWatchClient, DescribeAlarmHistoryCommand } from "@aws-sdk/client-cloudwatch";

export type ArmingVerdict =
  { readonly armed: true; readonly detail: string } | { readonly armed: false; readonly detail: string };

/**
 * The current transition's own history entry is excluded by ending the window this much before
 * it; a genuine earlier transition is at least one alarm period (60 s) older.
 */
export const CURRENT_TRANSITION_MARGIN_MS = 5_000;

/** CloudWatch keeps alarm history for 30 days; the window must fit in it. */
export const MAX_ARM_AFTER_HEALTHY_MINUTES = 1440;

/** Parses CloudWatch's `StateChangeTime` (`2026-01-01T00:03:12.345+0000`). */
export function parseStateChangeTime(value: string): Date | undefined {
  const normalised = value.replace(/([+-]\d{2})(\d{2})$/, "$1:$2");
  const time = Date.parse(normalised);
  return Number.isNaN(time) ? undefined : new Date(time);
}

interface StateChange {
  readonly at: string;
  readonly from: string;
  readonly to: string;
}

function stateChange(timestamp: Date | undefined, historyData: string | undefined): StateChange {
  let from = "unknown";
  let to = "unknown";
  try {
    const data = JSON.parse(historyData ?? "{}") as {
      oldState?: { stateValue?: string };
      newState?: { stateValue?: string };
    };
    from = data.oldState?.stateValue ?? from;
    to = data.newState?.stateValue ?? to;
  } catch {
    // An unreadable entry is still a state change inside the window: it disarms all the same.
  }
  return { at: timestamp?.toISOString() ?? "unknown time", from, to };
}

/**
 * Armed when the alarm made no state change during the `armAfterHealthyMinutes` before `alarmTime`
 * (the caller has checked that the transition being judged is OK → ALARM, so that whole window was
 * OK). Any failure to read the history disarms: an automatic failover needs positive evidence.
 */
export async function armingVerdict(
  cloudwatch: CloudWatchClient,
  alarmName: string,
  alarmTime: Date,
  armAfterHealthyMinutes: number,
): Promise<ArmingVerdict> {
  const windowStart = new Date(alarmTime.getTime() - armAfterHealthyMinutes * 60_000);
  const windowEnd = new Date(alarmTime.getTime() - CURRENT_TRANSITION_MARGIN_MS);
  const changes: StateChange[] = [];
  try {
    let nextToken: string | undefined;
    do {
      const page = await cloudwatch.send(
        new DescribeAlarmHistoryCommand({
          AlarmName: alarmName,
          HistoryItemType: "StateUpdate",
          StartDate: windowStart,
          EndDate: windowEnd,
          ScanBy: "TimestampDescending",
          MaxRecords: 100,
          NextToken: nextToken,
        }),
      );
      for (const item of page.AlarmHistoryItems ?? [])
        changes.push(stateChange(item.Timestamp, item.HistoryData));
      nextToken = page.NextToken;
    } while (nextToken);
  } catch (error) {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { armed: false, detail: `the alarm history could not be read (${reason})` };
  }
  if (changes.length > 0) {
    const latest = changes[0];
    return {
      armed: false,
      detail:
        `the alarm changed state ${changes.length} time(s) in the ${armAfterHealthyMinutes} minutes before this ALARM ` +
        `(latest ${latest.from} -> ${latest.to} at ${latest.at}); automatic failover arms once the primary ` +
        `has been healthy (alarm OK) for ${armAfterHealthyMinutes} minutes`,
    };
  }
  return {
    armed: true,
    detail: `the alarm had been OK for at least ${armAfterHealthyMinutes} minutes before this ALARM`,
  };
}

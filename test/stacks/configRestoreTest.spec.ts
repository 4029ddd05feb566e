import * as assert from "assert";
import { ConfigError, parseStackConfig, RawConfig } from "../../stacks/config";
import { readStackConfig } from "../../tools/render/stackFiles";

const dr: RawConfig = readStackConfig("dr");

function withBackup(changes: Record<string, unknown>): RawConfig {
  const raw: Record<string, unknown> = JSON.parse(JSON.stringify(dr));
  raw["payments-dr:backup"] = {
    ...((raw["payments-dr:backup"] as Record<string, unknown>) ?? {}),
    ...changes,
  };
  return raw;
}

function errorFor(raw: RawConfig): ConfigError {
  try {
    parseStackConfig(raw, "dr");
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  assert.fail("expected a ConfigError");
}

describe("stack config: restore tests (payments-dr:backup.restoreTest*)", () => {
  it("defaults to a weekly test starting within a day, 4 hours to validate, copies of the last 7 days", () => {
    const backup = parseStackConfig(dr, "dr").backup;
    assert.deepStrictEqual(
      {
        schedule: backup.restoreTestScheduleExpression,
        start: backup.restoreTestStartWindowHours,
        validation: backup.restoreTestValidationWindowHours,
        window: backup.restoreTestSelectionWindowDays,
      },
      { schedule: "cron(0 6 ? * SAT *)", start: 24, validation: 4, window: 7 },
    );
  });

  it("accepts a rate expression and numbers given as text", () => {
    const backup = parseStackConfig(
      withBackup({ restoreTestScheduleExpression: "rate(1 day)", restoreTestValidationWindowHours: "12" }),
      "dr",
    ).backup;
    assert.deepStrictEqual(
      [backup.restoreTestScheduleExpression, backup.restoreTestValidationWindowHours],
      ["rate(1 day)", 12],
    );
  });

  it("refuses a schedule that is not an AWS Backup expression", () => {
    const error = errorFor(withBackup({ restoreTestScheduleExpression: "0 6 * * 6" }));
    assert.strictEqual(
      error.message,
      'Invalid config payments-dr:backup.restoreTestScheduleExpression = "0 6 * * 6": expected an AWS Backup ' +
        "schedule expression: cron(<6 fields>) or rate(<n> <minutes|hours|days>). " +
        'Fix: pulumi config set --path payments-dr:backup.restoreTestScheduleExpression "cron(0 6 ? * SAT *)"',
    );
  });

  it("refuses a validation window beyond the 168 hours AWS Backup allows", () => {
    const error = errorFor(withBackup({ restoreTestValidationWindowHours: 169 }));
    assert.strictEqual(
      error.message,
      "Invalid config payments-dr:backup.restoreTestValidationWindowHours = 169: expected an integer from 1 to 168. " +
        "Fix: pulumi config set --path payments-dr:backup.restoreTestValidationWindowHours 1",
    );
  });

  it("refuses a selection window longer than copies are kept", () => {
    const error = errorFor(withBackup({ retentionDays: 14, restoreTestSelectionWindowDays: 30 }));
    assert.strictEqual(
      error.message,
      "Invalid config payments-dr:backup.restoreTestSelectionWindowDays = 30: expected at most " +
        "payments-dr:backup.retentionDays (14): restore tests choose among the copies kept in the peer Region, " +
        "and none is older than the retention. Fix: pulumi config set --path payments-dr:backup.restoreTestSelectionWindowDays 7",
    );
  });
});

import * as assert from "assert";
import { FailoverError } from "../../automation/errors";
import { latestRecoveryPoint, RecoveryPointSummary } from "../../automation/steps/restorePoints";

const NOW = new Date("2026-12-05T12:00:00Z");
const VAULT = "payments-dr-primary-copies";
const point = (id: string, minutesAgo: number, status = "COMPLETED", type = "RDS"): RecoveryPointSummary => ({
  RecoveryPointArn: `arn:aws:rds:us-west-2:111122223333:snapshot:awsbackup:job-${id}`,
  ResourceType: type,
  Status: status,
  CreationDate: new Date(NOW.getTime() - minutesAgo * 60_000),
});

describe("the latest copied recovery point of a store (backup-restore)", () => {
  it("picks the newest COMPLETED point of the store's resource type", () => {
    const chosen = latestRecoveryPoint(
      "database",
      VAULT,
      [
        point("old", 50),
        point("new", 5),
        point("running", 1, "PARTIAL"),
        point("bucket", 2, "COMPLETED", "S3"),
      ],
      NOW,
      900,
    );
    assert.deepStrictEqual(chosen, {
      recoveryPointArn: "arn:aws:rds:us-west-2:111122223333:snapshot:awsbackup:job-new",
      createdAt: new Date("2026-12-05T11:55:00Z"),
      ageSeconds: 300,
    });
  });

  it("refuses when the store has no COMPLETED point", () => {
    assert.throws(
      () => latestRecoveryPoint("database", VAULT, [point("x", 1, "PARTIAL")], NOW, 900),
      (e: unknown) =>
        e instanceof FailoverError &&
        e.message ===
          "No COMPLETED RDS recovery point in backup vault payments-dr-primary-copies for the database: nothing to " +
            "restore from (1 RDS point(s) in other states). Fix: check the primary's backup plan copy action " +
            "(docs/strategies.md), or restore from a snapshot you verified with pulumi config set --path " +
            "payments-dr:restore.database <arn>.",
    );
  });

  it("refuses when the newest point is older than the RPO target", () => {
    assert.throws(
      () => latestRecoveryPoint("database", VAULT, [point("stale", 16)], NOW, 900),
      /is 960 s old: expected at most payments-dr:targets\.rpoSeconds \(900 s\)/,
    );
  });
});

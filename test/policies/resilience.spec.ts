import * as assert from "assert";
import { maxCronIntervalSeconds } from "../../policies/lib/cron";
import { evaluateStack } from "../../tools/policyEngine";
import { policies } from "../../policies/policies";
import { expectViolations, PEER, resource, urnOf } from "./fixtures";
import { backedUpDatabase, lock, plan, T, vaultArn } from "./scenarios";

const replace = (name: string, by: ReturnType<typeof resource> | undefined) =>
  backedUpDatabase().flatMap((r) => (r.name === name ? (by ? [by] : []) : [r]));
const COPIES = urnOf(T.vault, "copies");
const PLAN = urnOf(T.plan, "plan");

describe("backups that survive mistakes", () => {
  describe("backup-vault-lock-configured", () => {
    const policy = "backup-vault-lock-configured";
    it("passes a copy vault locked in compliance mode", () =>
      expectViolations(backedUpDatabase(), policy, []));
    it("reports a copy vault without Vault Lock", () =>
      expectViolations(replace("copies-lock", undefined), policy, [
        [COPIES, "has no Vault Lock: expected a VaultLockConfiguration with minRetentionDays >= 7"],
      ]));
    it("reports a lock below the minimum retention", () =>
      expectViolations(replace("copies-lock", lock("copies", PEER, { minRetentionDays: 1 })), policy, [
        [COPIES, "minRetentionDays 1: expected at least 7"],
      ]));
    it("reports a lock in governance mode", () =>
      expectViolations(
        replace("copies-lock", lock("copies", PEER, { changeableForDays: undefined })),
        policy,
        [[COPIES, "governance mode"]],
      ));
  });

  describe("backup-plan-min-retention", () => {
    it("reports a rule and a copy kept for fewer days than configured", () =>
      expectViolations(
        replace(
          "plan",
          plan(vaultArn(PEER, "copies"), {
            rules: [
              {
                ruleName: "short",
                schedule: "cron(0 * * * ? *)",
                lifecycle: { deleteAfter: 3 },
                copyActions: [
                  { destinationVaultArn: vaultArn(PEER, "copies"), lifecycle: { deleteAfter: 2 } },
                ],
              },
            ],
          }),
        ),
        "backup-plan-min-retention",
        [
          [PLAN, "Backup rule short deletes recovery points after 3 days: expected at least 7"],
          [PLAN, "is deleted after 2 days: expected at least 7"],
        ],
      ));
    it("follows minRetentionDays from the policy config", () =>
      expectViolations(
        backedUpDatabase(),
        "backup-plan-min-retention",
        [
          [PLAN, "hourly deletes recovery points after 35 days: expected at least 40"],
          [PLAN, "is deleted after 35 days: expected at least 40"],
        ],
        { "backup-plan-min-retention": { minRetentionDays: 40 } },
      ));
  });

  describe("backup-plan-frequency-rpo", () => {
    const policy = "backup-plan-frequency-rpo";
    const withRule = (rule: Record<string, unknown>) =>
      replace("plan", plan(undefined, { rules: [{ ruleName: "r", ...rule }] }));
    it("passes an hourly plan under the default one-hour RPO", () =>
      expectViolations(backedUpDatabase(), policy, []));
    it("reports a daily plan, naming its interval", () =>
      expectViolations(withRule({ schedule: "cron(0 5 ? * * *)" }), policy, [
        [PLAN, "found r: cron(0 5 ? * * *) (up to 86400 s apart)"],
      ]));
    it("accepts continuous backup whatever the schedule", () =>
      expectViolations(
        withRule({ schedule: "cron(0 5 ? * * *)", enableContinuousBackup: true }),
        policy,
        [],
      ));
    it("compares with rpoSeconds from the policy config", () =>
      expectViolations(backedUpDatabase(), policy, [[PLAN, "at most 900 s apart"]], {
        [policy]: { rpoSeconds: 900 },
      }));
    it("computes the worst gap of AWS cron expressions", () => {
      assert.strictEqual(maxCronIntervalSeconds("cron(0 * * * ? *)"), 3600);
      assert.strictEqual(maxCronIntervalSeconds("cron(0/15 * * * ? *)"), 900);
      assert.strictEqual(maxCronIntervalSeconds("cron(0 1,13 * * ? *)"), 12 * 3600);
      assert.strictEqual(maxCronIntervalSeconds("cron(0 5 ? * MON *)"), 7 * 86400);
      assert.throws(() => maxCronIntervalSeconds("rate(1 hour)"), /not a cron/);
    });
  });

  describe("deletion protection and automated backup retention", () => {
    it("reports a database without deletion protection and with the default one-day retention", () => {
      const db = resource(T.db, "db", { storageEncrypted: true });
      expectViolations([db], "rds-instance-deletion-protection", [
        [db.urn, "deletionProtection: not set: expected true"],
      ]);
      expectViolations([db], "rds-instance-backup-retention", [
        [
          db.urn,
          "keeps automated backups for 1 day(s) (backupRetentionPeriod: not set): expected at least 7",
        ],
      ]);
    });
    it("uses DynamoDB's own argument name", () =>
      expectViolations(
        [resource("aws:dynamodb/table:Table", "t", { deletionProtectionEnabled: false })],
        "dynamodb-table-deletion-protection",
        [[urnOf("aws:dynamodb/table:Table", "t"), "deletionProtectionEnabled: false: expected true"]],
      ));
  });

  describe("kms-key-rotation-enabled", () => {
    const KEY = "aws:kms/key:Key";
    it("reports a symmetric key without rotation, and ignores asymmetric keys", () =>
      expectViolations(
        [resource(KEY, "k", {}), resource(KEY, "signing", { customerMasterKeySpec: "RSA_2048" })],
        "kms-key-rotation-enabled",
        [[urnOf(KEY, "k"), "enableKeyRotation: not set: expected true"]],
      ));
    it("turns rotation on when the policy runs in remediate mode, leaving nothing to report", () => {
      const resources = [resource(KEY, "k", { description: "data" })];
      const result = evaluateStack(
        { stack: "test", resources },
        { policies, config: { "kms-key-rotation-enabled": "remediate" } },
      );
      assert.deepStrictEqual(
        result.filter((v) => v.policy === "kms-key-rotation-enabled"),
        [],
      );
    });
  });
});

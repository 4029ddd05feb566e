/**
 * Backups that survive mistakes: immutable copy vaults, retention long enough to notice a
 * mistake, schedules no looser than the RPO, deletion protection on databases, and KMS key
 * rotation (with an automatic fix). Advisory by default; each is configurable.
 */
import { Policies } from "@pulumi/policy";
import { backupModel, PLAN_TYPE } from "../cross-region/backupModel";
import { backupRetention, deletionProtection, keyRotation, minRetentionDays } from "./databaseSafety";
import { maxCronIntervalSeconds } from "../lib/cron";
import { resourceRule, stackRule } from "../lib/rule";
import { bool, get, list, num, show, str, UNKNOWN } from "../lib/values";

export const vaultLock = stackRule<{ minRetentionDays: number; requireComplianceMode: boolean }>({
  name: "backup-vault-lock-configured",
  description:
    "Requires AWS Backup Vault Lock on every vault that receives cross-Region copies, so neither a mistake nor a compromised account can delete the last copy.",
  enforcementLevel: "advisory",
  configSchema: {
    properties: {
      minRetentionDays,
      requireComplianceMode: {
        type: "boolean",
        default: true,
        description:
          "Require compliance mode (changeableForDays set): the lock becomes immutable after its cooling-off period.",
      },
    },
  },
  check: (index, config, report) => {
    const locks = new Map<string, { min: unknown; changeable: unknown }>();
    let undetermined = false;
    for (const lock of index.byType("aws:backup/vaultLockConfiguration:VaultLockConfiguration")) {
      const vaults = index.resolve(lock, "backupVaultName", get(lock.props, "backupVaultName"), [
        "aws:backup/vault:Vault",
      ]);
      if (vaults === UNKNOWN) undetermined = true;
      else
        for (const v of vaults)
          locks.set(v.urn, {
            min: num(lock.props, "minRetentionDays"),
            changeable: num(lock.props, "changeableForDays"),
          });
    }
    const copyVaults = new Map<string, string>();
    for (const plan of backupModel(index).plans.values()) {
      if (plan.rules === UNKNOWN) continue;
      for (const rule of plan.rules) {
        if (rule.copies === UNKNOWN) continue;
        for (const copy of rule.copies) if (copy.vault) copyVaults.set(copy.vault.urn, plan.node.name);
      }
    }
    for (const [urn, planName] of copyVaults) {
      const vault = index.byUrn(urn);
      const lock = locks.get(urn);
      if (!vault || (!lock && undetermined)) continue;
      const why = `It receives cross-Region copies from plan ${planName}; without an immutable lock a mistake or a compromised account can delete the last copy.`;
      if (!lock) {
        report(
          urn,
          `Backup vault ${vault.name} has no Vault Lock: expected a VaultLockConfiguration with minRetentionDays >= ${config.minRetentionDays}, found none. ${why}`,
        );
        continue;
      }
      if (typeof lock.min === "number" && lock.min < config.minRetentionDays) {
        report(
          urn,
          `Backup vault ${vault.name}'s Vault Lock has minRetentionDays ${lock.min}: expected at least ${config.minRetentionDays}. ${why}`,
        );
      } else if (lock.min === undefined) {
        report(
          urn,
          `Backup vault ${vault.name}'s Vault Lock sets no minRetentionDays: expected at least ${config.minRetentionDays}. ${why}`,
        );
      }
      if (config.requireComplianceMode && lock.changeable === undefined) {
        report(
          urn,
          `Backup vault ${vault.name}'s Vault Lock is in governance mode (changeableForDays not set): expected compliance mode. ${why}`,
        );
      }
    }
  },
});

export const planRetention = resourceRule<{ minRetentionDays: number }>({
  name: "backup-plan-min-retention",
  description:
    "Requires every AWS Backup plan rule and copy action to keep recovery points for at least the configured number of days.",
  enforcementLevel: "advisory",
  types: [PLAN_TYPE],
  configSchema: { properties: { minRetentionDays } },
  check: ({ props, config }) => {
    const messages: string[] = [];
    const rules = list(props, "rules");
    if (rules === UNKNOWN) return [];
    const why =
      "A mistake (a bad deploy, a deleted table, ransomware) is often noticed days later; shorter retention loses the good copy.";
    for (const rule of rules) {
      const name = String(str(rule, "ruleName") ?? "(unnamed)");
      const days = num(rule, "lifecycle", "deleteAfter");
      if (typeof days === "number" && days < config.minRetentionDays) {
        messages.push(
          `Backup rule ${name} deletes recovery points after ${days} days: expected at least ${config.minRetentionDays}. ${why}`,
        );
      }
      const copies = list(rule, "copyActions");
      for (const copy of copies === UNKNOWN ? [] : copies) {
        const copyDays = num(copy, "lifecycle", "deleteAfter");
        if (typeof copyDays === "number" && copyDays < config.minRetentionDays) {
          messages.push(
            `Backup rule ${name}'s copy to ${show(str(copy, "destinationVaultArn"))} is deleted after ${copyDays} days: expected at least ${config.minRetentionDays}. ${why}`,
          );
        }
      }
    }
    return messages;
  },
});

export const planFrequency = resourceRule<{ rpoSeconds: number }>({
  name: "backup-plan-frequency-rpo",
  description:
    "Requires every AWS Backup plan to have a rule that runs at least as often as the RPO threshold, or continuous backup.",
  enforcementLevel: "advisory",
  types: [PLAN_TYPE],
  configSchema: {
    properties: {
      rpoSeconds: {
        type: "integer",
        minimum: 60,
        default: 3600,
        description:
          "Recovery point objective in seconds; the tightest plan rule must run at least this often (or be continuous).",
      },
    },
  },
  check: ({ props, config }) => {
    const rules = list(props, "rules");
    if (rules === UNKNOWN) return [];
    const seen: string[] = [];
    for (const rule of rules) {
      if (bool(rule, "enableContinuousBackup") === true) return [];
      const schedule = str(rule, "schedule");
      if (schedule === UNKNOWN) return [];
      const name = String(str(rule, "ruleName") ?? "(unnamed)");
      if (schedule === undefined) {
        seen.push(`${name}: no schedule`);
        continue;
      }
      try {
        const interval = maxCronIntervalSeconds(schedule);
        if (interval <= config.rpoSeconds) return [];
        seen.push(`${name}: ${schedule} (up to ${interval} s apart)`);
      } catch (error) {
        seen.push(`${name}: ${(error as Error).message}`);
      }
    }
    return [
      `Backup plan has no rule within the RPO: expected a schedule at most ${config.rpoSeconds} s apart or enableContinuousBackup: true, found ${seen.join("; ") || "no rules"}. ` +
        "Data written since the last recovery point is lost when the Region fails.",
    ];
  },
});

export const resiliencePolicies: Policies = [
  vaultLock,
  planRetention,
  planFrequency,
  ...deletionProtection,
  ...backupRetention,
  keyRotation,
];

/**
 * Backups that survive mistakes: immutable copy vaults, retention long enough to notice a
 * mistake, schedules no looser than the RPO, deletion protection on databases, and KMS key
 * rotation (with an automatic fix). Advisory by default; each is configurable.
 */
import { Policies } from "@pulumi/policy";
import { backupModel, PLAN_TYPE } from "./backupModel";
import { maxCronIntervalSeconds } from "./lib/cron";
import { resourceRule, stackRule } from "./lib/rule";
import { bool, get, list, num, show, str, UNKNOWN } from "./lib/values";

const minRetentionDays = {
  type: "integer" as const,
  minimum: 1,
  default: 7,
  description: "Fewest days a backup or recovery point must be kept.",
};

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

/** Databases whose deletion protection is a resource setting: type, rule prefix, argument, label. */
const DELETION_PROTECTION: readonly [string, string, string, string][] = [
  ["aws:rds/instance:Instance", "rds-instance", "deletionProtection", "RDS DB instance"],
  ["aws:rds/cluster:Cluster", "rds-cluster", "deletionProtection", "RDS/Aurora cluster"],
  [
    "aws:rds/globalCluster:GlobalCluster",
    "rds-global-cluster",
    "deletionProtection",
    "Aurora global cluster",
  ],
  ["aws:docdb/cluster:Cluster", "docdb-cluster", "deletionProtection", "DocumentDB cluster"],
  [
    "aws:docdb/globalCluster:GlobalCluster",
    "docdb-global-cluster",
    "deletionProtection",
    "DocumentDB global cluster",
  ],
  ["aws:neptune/cluster:Cluster", "neptune-cluster", "deletionProtection", "Neptune cluster"],
  [
    "aws:neptune/globalCluster:GlobalCluster",
    "neptune-global-cluster",
    "deletionProtection",
    "Neptune global cluster",
  ],
  ["aws:dynamodb/table:Table", "dynamodb-table", "deletionProtectionEnabled", "DynamoDB table"],
  [
    "aws:dynamodb/tableReplica:TableReplica",
    "dynamodb-table-replica",
    "deletionProtectionEnabled",
    "DynamoDB table replica",
  ],
];

export const deletionProtection = DELETION_PROTECTION.map(([type, prefix, arg, label]) =>
  resourceRule({
    name: `${prefix}-deletion-protection`,
    description: `Requires deletion protection on every ${label}, so a mistaken delete or replacement is refused by AWS.`,
    enforcementLevel: "advisory",
    types: [type],
    check: ({ props }) => {
      const value = bool(props, arg);
      return value === UNKNOWN || value === true
        ? []
        : [
            `${label} has ${arg}: ${show(value)}: expected true. Without it one mistaken delete or replacement destroys the database and its automated backups.`,
          ];
    },
  }),
);

/** Automated backup retention settings: type, rule prefix, argument, AWS default, label. */
const BACKUP_RETENTION: readonly [string, string, string, number, string][] = [
  ["aws:rds/instance:Instance", "rds-instance", "backupRetentionPeriod", 1, "RDS DB instance"],
  ["aws:rds/cluster:Cluster", "rds-cluster", "backupRetentionPeriod", 1, "RDS/Aurora cluster"],
  ["aws:docdb/cluster:Cluster", "docdb-cluster", "backupRetentionPeriod", 1, "DocumentDB cluster"],
  ["aws:neptune/cluster:Cluster", "neptune-cluster", "backupRetentionPeriod", 1, "Neptune cluster"],
  [
    "aws:redshift/cluster:Cluster",
    "redshift-cluster",
    "automatedSnapshotRetentionPeriod",
    1,
    "Redshift cluster",
  ],
];

export const backupRetention = BACKUP_RETENTION.map(([type, prefix, arg, awsDefault, label]) =>
  resourceRule<{ minRetentionDays: number }>({
    name: `${prefix}-backup-retention`,
    description: `Requires every ${label} to keep automated backups for at least the configured number of days.`,
    enforcementLevel: "advisory",
    types: [type],
    configSchema: { properties: { minRetentionDays } },
    check: ({ props, config }) => {
      const value = num(props, arg);
      if (value === UNKNOWN) return [];
      const days = value ?? awsDefault;
      return days >= config.minRetentionDays
        ? []
        : [
            `${label} keeps automated backups for ${days} day(s) (${arg}: ${show(value)}): expected at least ${config.minRetentionDays}. ` +
              "Point-in-time recovery cannot go back further than this when a mistake is noticed late.",
          ];
    },
  }),
);

export const keyRotation = resourceRule({
  name: "kms-key-rotation-enabled",
  description:
    "Requires automatic yearly rotation on every symmetric customer-managed KMS key; remediation turns it on.",
  enforcementLevel: "advisory",
  types: ["aws:kms/key:Key"],
  remediationSteps:
    'Set enableKeyRotation: true on the key (or run the pack with enforcementLevel "remediate").',
  check: ({ props }) => {
    const spec = str(props, "customerMasterKeySpec") ?? str(props, "keySpec");
    const rotation = bool(props, "enableKeyRotation");
    if (spec === UNKNOWN || rotation === UNKNOWN || (spec !== undefined && spec !== "SYMMETRIC_DEFAULT"))
      return [];
    return rotation === true
      ? []
      : [
          `KMS key has enableKeyRotation: ${show(rotation)}: expected true. Rotation limits how much data one key version protects if it is ever exposed.`,
        ];
  },
  remediate: ({ props }) => {
    const spec = str(props, "customerMasterKeySpec") ?? str(props, "keySpec");
    const rotation = bool(props, "enableKeyRotation");
    // Only symmetric keys rotate; an unknown setting is left to the engine to resolve.
    const fixable =
      (spec === undefined || spec === "SYMMETRIC_DEFAULT") && rotation !== true && rotation !== UNKNOWN;
    return fixable ? { enableKeyRotation: true } : undefined;
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

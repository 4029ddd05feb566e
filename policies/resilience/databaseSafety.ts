/**
 * Databases that survive mistakes: deletion protection, automated backup retention, and KMS key
 * rotation with an automatic fix. Advisory by default.
 */
import { resourceRule } from "../lib/rule";
import { bool, num, show, str, UNKNOWN } from "../lib/values";

/** Shared by every retention rule. */
export const minRetentionDays = {
  type: "integer" as const,
  minimum: 1,
  default: 7,
  description: "Fewest days a backup or recovery point must be kept.",
};

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

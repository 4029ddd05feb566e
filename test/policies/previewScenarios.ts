/**
 * A first deployment as `pulumi preview` hands it to the pack: a new RDS instance backed up to a new
 * vault in the peer Region, every ARN and key unknown, attributed only through propertyDependencies.
 */
import { EngineResource } from "../../tools/policyEngine";
import { PEER, PRIMARY, resource, UNKNOWN_VALUE, urnOf } from "./fixtures";
import { T } from "./scenarios";

const U = UNKNOWN_VALUE;
const KEY = "aws:kms/key:Key";

export const kmsKey = (name: string, region: string) =>
  resource(KEY, name, region === PRIMARY ? {} : { region }, { outputs: { arn: U, keyId: U } });

/** A new RDS instance backed up to a new vault in the peer Region, every ARN unknown. */
export function previewBackup(
  overrides: {
    dbKey?: string;
    copyVaultKey?: string;
    selectionDeps?: string[];
    planRuleDeps?: string[];
  } = {},
): EngineResource[] {
  const db = urnOf(T.db, "db");
  return [
    kmsKey("data", PRIMARY),
    kmsKey("backup", PRIMARY),
    kmsKey("backup-peer", PEER),
    resource(
      T.db,
      "db",
      { storageEncrypted: true, kmsKeyId: U, deletionProtection: true, backupRetentionPeriod: 14 },
      {
        outputs: { arn: U },
        propertyDependencies: { kmsKeyId: [urnOf(KEY, overrides.dbKey ?? "data")] },
      },
    ),
    resource(
      T.vault,
      "local",
      { name: "local", kmsKeyArn: U },
      { outputs: { arn: U }, propertyDependencies: { kmsKeyArn: [urnOf(KEY, "backup")] } },
    ),
    resource(
      T.vault,
      "copies",
      { name: "copies", region: PEER, kmsKeyArn: U },
      {
        outputs: { arn: U },
        propertyDependencies: { kmsKeyArn: [urnOf(KEY, overrides.copyVaultKey ?? "backup-peer")] },
      },
    ),
    resource(
      T.plan,
      "plan",
      {
        name: "plan",
        rules: [
          {
            ruleName: "hourly",
            targetVaultName: "local",
            schedule: "cron(0 * * * ? *)",
            copyActions: [{ destinationVaultArn: U }],
          },
        ],
      },
      {
        outputs: { id: U },
        propertyDependencies: {
          rules: overrides.planRuleDeps ?? [urnOf(T.vault, "local"), urnOf(T.vault, "copies")],
        },
      },
    ),
    resource(
      T.selection,
      "selection",
      { planId: U, iamRoleArn: U, resources: [U] },
      {
        propertyDependencies: { planId: [urnOf(T.plan, "plan")], resources: overrides.selectionDeps ?? [db] },
      },
    ),
  ];
}

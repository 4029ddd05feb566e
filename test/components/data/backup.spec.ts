import * as assert from "assert";
import {
  BACKUP_MANAGED_POLICY_ARNS,
  backupSchedule,
  continuousRetentionDays,
} from "../../../components/data/backup";
import {
  REDSHIFT_MANUAL_SNAPSHOT_QUOTA,
  REDSHIFT_SNAPSHOT_HEADROOM,
  warehouseBackupRetentionDays,
} from "../../../components/data/snapshotQuota";
import { OBJECT_STORE_NAMES, OBJECT_STORE_ROLES } from "../../../stacks/dataTier";
import { find, findAll, renderTestStack } from "../../helpers/stacks";

const STACKS = [
  { stack: "primary", region: "us-east-1", peer: "us-west-2", vault: "payments-dr-primary" },
  { stack: "dr", region: "us-west-2", peer: "us-east-1", vault: "payments-dr-dr" },
] as const;

const regionOf = (arn: unknown) => String(arn).split(":")[3];

describe("backup schedule derivation from the RPO", () => {
  it("takes hourly recovery points for an RPO under an hour and reports the gap continuous backup covers", () => {
    assert.deepStrictEqual(backupSchedule(900), {
      scheduleExpression: "cron(0 * * * ? *)",
      intervalHours: 1,
      uncoveredSeconds: 2700,
    });
  });

  it("meets an RPO of exactly one hour with the hourly schedule alone", () => {
    assert.deepStrictEqual(backupSchedule(3600), {
      scheduleExpression: "cron(0 * * * ? *)",
      intervalHours: 1,
      uncoveredSeconds: 0,
    });
  });

  it("rounds a multi-hour RPO down to whole hours, never looser than the RPO", () => {
    assert.deepStrictEqual(backupSchedule(5400), {
      scheduleExpression: "cron(0 * * * ? *)",
      intervalHours: 1,
      uncoveredSeconds: 0,
    });
    assert.deepStrictEqual(backupSchedule(4 * 3600 + 59), {
      scheduleExpression: "cron(0 0/4 * * ? *)",
      intervalHours: 4,
      uncoveredSeconds: 0,
    });
  });

  it("caps the schedule at daily for RPOs of a day or more", () => {
    for (const rpo of [86400, 3 * 86400]) {
      assert.deepStrictEqual(backupSchedule(rpo), {
        scheduleExpression: "cron(0 5 * * ? *)",
        intervalHours: 24,
        uncoveredSeconds: 0,
      });
    }
  });

  it("refuses an RPO that is not a positive integer, naming the key and the fix", () => {
    for (const bad of [0, -60, 1.5, Number.NaN]) {
      assert.throws(
        () => backupSchedule(bad),
        (e: Error) =>
          e.message.includes("payments-dr:targets.rpoSeconds") &&
          e.message.includes("positive integer") &&
          e.message.includes("Fix: pulumi config set --path payments-dr:targets.rpoSeconds"),
      );
    }
  });

  it("keeps continuous backups at most 35 days and says so when asked for more", () => {
    assert.strictEqual(continuousRetentionDays(35), 35);
    assert.strictEqual(continuousRetentionDays(1), 1);
    assert.throws(
      () => continuousRetentionDays(36),
      /payments-dr:backup\.retentionDays = 36: expected an integer from 1 to 35.*Fix: pulumi config set --path payments-dr:backup\.retentionDays 35/,
    );
  });
});

describe("Redshift backups within the manual-snapshot quota", () => {
  it("keeps daily recovery points for the vault lock's minimum and refuses one whose copies would overflow the quota", () => {
    assert.strictEqual(warehouseBackupRetentionDays(7), 7);
    assert.strictEqual(warehouseBackupRetentionDays(8), 8);
    assert.throws(
      () => warehouseBackupRetentionDays(9),
      /payments-dr:backup\.vaultLockMinRetentionDays = 9: .*exceed Redshift's 20 manual snapshots per Region.*expected at most 8.*pulumi config set --path payments-dr:backup\.vaultLockMinRetentionDays 8/,
    );
    assert.strictEqual(warehouseBackupRetentionDays(30, 100), 30);
  });
});

describe("AWS Backup: locked vaults, peer-Region copies, selection by ARN", () => {
  for (const { stack, region, peer, vault } of STACKS) {
    describe(`${stack} stack`, () => {
      // Rendering (cached per stack) is the slow part; give it room once, not in every test.
      before(async function () {
        this.timeout(180_000);
        await renderTestStack(stack);
      });

      it("encrypts the vault with the stack's backup key and the copy vault with the peer Region's key", async () => {
        const rendered = await renderTestStack(stack);
        const keys = rendered.outputs.keys as Record<string, string>;
        const peerKeys = rendered.outputs.peerKeys as Record<string, string>;
        const own = find(rendered, "aws:backup/vault:Vault", "backup-vault");
        const copies = find(rendered, "aws:backup/vault:Vault", "backup-copy-vault");
        assert.deepStrictEqual(
          [own.inputs.name, own.region, own.inputs.kmsKeyArn, own.protect, own.inputs.forceDestroy],
          [vault, region, keys.backup, true, false],
        );
        assert.deepStrictEqual(
          [
            copies.inputs.name,
            copies.region,
            copies.inputs.kmsKeyArn,
            copies.protect,
            copies.inputs.forceDestroy,
          ],
          [`${vault}-copies`, peer, peerKeys.backup, true, false],
        );
        assert.strictEqual(regionOf(own.inputs.kmsKeyArn), region);
        assert.strictEqual(regionOf(copies.inputs.kmsKeyArn), peer);
      });

      it("locks both vaults with the configured retention bounds and cooling-off period", async () => {
        const rendered = await renderTestStack(stack);
        for (const [name, vaultName, vaultRegion] of [
          ["backup-vault-lock", vault, region],
          ["backup-copy-vault-lock", `${vault}-copies`, peer],
        ]) {
          const lock = find(rendered, "aws:backup/vaultLockConfiguration:VaultLockConfiguration", name);
          assert.deepStrictEqual(lock.inputs, {
            backupVaultName: vaultName,
            minRetentionDays: 7,
            maxRetentionDays: 365,
            changeableForDays: 3,
            region: vaultRegion,
          });
        }
      });

      it("takes hourly recovery points with continuous backup and copies each one to the peer vault", async () => {
        const rendered = await renderTestStack(stack);
        const plan = find(rendered, "aws:backup/plan:Plan", "backup-plan");
        const copies = find(rendered, "aws:backup/vault:Vault", "backup-copy-vault");
        assert.strictEqual(plan.region, region);
        const rules = plan.inputs.rules as Record<string, unknown>[];
        assert.strictEqual(rules.length, 1);
        const { recoveryPointTags, ...rule } = rules[0];
        assert.deepStrictEqual(rule, {
          ruleName: "rpo-schedule-with-peer-region-copy",
          targetVaultName: vault,
          schedule: "cron(0 * * * ? *)",
          enableContinuousBackup: true,
          startWindow: 60,
          completionWindow: 180,
          lifecycle: { deleteAfter: 35 },
          copyActions: [{ destinationVaultArn: copies.outputs.arn, lifecycle: { deleteAfter: 35 } }],
        });
        assert.strictEqual(regionOf(copies.outputs.arn), peer);
        assert.strictEqual((recoveryPointTags as Record<string, string>)["payments-dr:stack"], stack);
      });

      it("selects exactly the stack's backup-supported stores by ARN, never by tag", async () => {
        const rendered = await renderTestStack(stack);
        const selection = find(rendered, "aws:backup/selection:Selection", "backup-stores");
        const failoverState = rendered.outputs.failoverState as { tableArn: string };
        const expected = [
          ...OBJECT_STORE_ROLES.map(
            (role) =>
              find(rendered, "aws:s3/bucket:Bucket", `${OBJECT_STORE_NAMES[role]}-bucket`).outputs.arn,
          ),
          failoverState.tableArn,
        ];
        assert.deepStrictEqual(
          [
            selection.inputs.name,
            selection.inputs.resources,
            selection.inputs.selectionTags,
            selection.inputs.conditions,
          ],
          [`${vault}-stores`, expected, undefined, undefined],
        );
        assert.strictEqual(selection.region, region);
        assert.match(
          String(selection.inputs.planId),
          /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
        );
        assert.ok(selection.dependencies.includes(find(rendered, "aws:backup/plan:Plan", "backup-plan").urn));
        // Every selected regional store is in the plan's Region (S3 bucket ARNs carry no Region).
        for (const arn of expected.map(String).filter((a) => !a.startsWith("arn:aws:s3:::"))) {
          assert.strictEqual(regionOf(arn), region, arn);
        }
      });

      it("backs Redshift up daily in a plan of its own, within Redshift's manual-snapshot quota, copied to the peer vault", async () => {
        const rendered = await renderTestStack(stack);
        const plan = find(rendered, "aws:backup/plan:Plan", "backup-warehouse-plan");
        const selection = find(rendered, "aws:backup/selection:Selection", "backup-warehouse");
        const copies = find(rendered, "aws:backup/vault:Vault", "backup-copy-vault");
        const [rule] = plan.inputs.rules as Record<string, unknown>[];
        assert.deepStrictEqual(
          {
            name: plan.inputs.name,
            region: plan.region,
            ruleName: rule.ruleName,
            targetVaultName: rule.targetVaultName,
            schedule: rule.schedule,
            enableContinuousBackup: rule.enableContinuousBackup,
            lifecycle: rule.lifecycle,
            copyActions: rule.copyActions,
          },
          {
            name: `${vault}-warehouse`,
            region,
            ruleName: "daily-within-redshift-snapshot-quota",
            targetVaultName: vault,
            schedule: "cron(0 5 * * ? *)",
            enableContinuousBackup: undefined,
            lifecycle: { deleteAfter: 7 },
            copyActions: [{ destinationVaultArn: copies.outputs.arn, lifecycle: { deleteAfter: 7 } }],
          },
        );
        assert.deepStrictEqual(
          [selection.inputs.name, selection.inputs.resources, selection.inputs.planId],
          [
            `${vault}-warehouse`,
            [find(rendered, "aws:redshift/cluster:Cluster", "warehouse-cluster").outputs.arn],
            plan.id,
          ],
        );
        // 7 own + 7 of the peer stack's copies per Region, under the default quota of 20 with 4 free.
        assert.ok(7 * 2 <= REDSHIFT_MANUAL_SNAPSHOT_QUOTA - REDSHIFT_SNAPSHOT_HEADROOM);
      });

      it("selects the stack's RDS instance in a selection of its own, by ARN", async () => {
        const rendered = await renderTestStack(stack);
        const databases = findAll(rendered, "aws:backup/selection:Selection").filter(
          (s) => s.name === "backup-databases",
        );
        // The dr read replica is selected too, in both modes (docs/databases.md), so promotion does
        // not touch the selection.
        const instances = findAll(rendered, "aws:rds/instance:Instance").map((db) => db.outputs.arn);
        assert.strictEqual(instances.length, 1);
        assert.deepStrictEqual(
          databases.map((s) => [s.inputs.name, s.inputs.resources, s.region]),
          [[`${vault}-databases`, instances, region]],
        );
        assert.strictEqual(regionOf(instances[0]), region);
      });

      it("backs up and restores through a role with exactly the AWS managed Backup policies", async () => {
        const rendered = await renderTestStack(stack);
        const role = find(rendered, "aws:iam/role:Role", "backup-role");
        const trust = JSON.parse(String(role.inputs.assumeRolePolicy));
        assert.deepStrictEqual(trust.Statement, [
          { Effect: "Allow", Principal: { Service: "backup.amazonaws.com" }, Action: "sts:AssumeRole" },
        ]);
        const attached = findAll(rendered, "aws:iam/rolePolicyAttachment:RolePolicyAttachment")
          .filter((a) => a.inputs.role === role.outputs.name || a.inputs.role === role.inputs.name)
          .map((a) => a.inputs.policyArn);
        assert.deepStrictEqual(attached.sort(), [...BACKUP_MANAGED_POLICY_ARNS].sort());
        for (const selection of findAll(rendered, "aws:backup/selection:Selection")) {
          assert.strictEqual(selection.inputs.iamRoleArn, role.outputs.arn);
        }
      });
    });
  }
});

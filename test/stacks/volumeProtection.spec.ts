import * as assert from "assert";
import {
  copyRetentionDays,
  DLM_KMS_ACTIONS,
  DLM_MANAGED_POLICY_ARN,
  DLM_SCHEDULE_HOURS,
  dlmKeyPolicy,
} from "../../components/data/volumeSnapshots";
import { BACKUP_MANAGED_POLICY_ARNS } from "../../components/data/backup";
import { DLM_INTERVAL_HOURS, DLM_MAX_RETAIN_COUNT } from "../../stacks/config/sections/backup";
import { PROTECTED_VOLUME_TAG } from "../../model/workload";
import { DLM_INTERVAL_HOURS as PACK_DLM_INTERVAL_HOURS } from "../../policies/cross-region/dlmCopies";
import { RenderedStack } from "../../tools/render/render";
import { find, findAll, renderTestStack } from "../helpers/stacks";

const STACKS = [
  { stack: "primary", region: "us-east-1", peer: "us-west-2" },
  { stack: "dr", region: "us-west-2", peer: "us-east-1" },
] as const;

const DLM = "aws:dlm/lifecyclePolicy:LifecyclePolicy";
const output = (rendered: RenderedStack, path: string) =>
  path.split(".").reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], rendered.outputs);

describe("cluster and volume protection", () => {
  before(async function () {
    this.timeout(300_000);
    await Promise.all([
      renderTestStack("primary"),
      renderTestStack("dr"),
      renderTestStack("primary", ["payments-dr:backup.volumeSnapshotIntervalHours=6"]),
    ]);
  });

  describe("copy retention of the DLM copies", () => {
    it("keeps the copies as long as the source schedule's count spans, in whole days, at least one", () => {
      assert.strictEqual(copyRetentionDays(1, 168), 7);
      assert.strictEqual(copyRetentionDays(6, 10), 3);
      assert.strictEqual(copyRetentionDays(1, 1), 1);
      assert.strictEqual(copyRetentionDays(24, 1000), 1000);
    });

    it("refuses an interval DLM does not schedule, naming the config key and the fix", () => {
      assert.throws(() => copyRetentionDays(5, 10), {
        message:
          "Invalid config payments-dr:backup.volumeSnapshotIntervalHours = 5: expected one of 1, 2, 3, 4, 6, 8, 12, 24 " +
          "(the hours a DLM interval schedule accepts). Fix: pulumi config set --path payments-dr:backup.volumeSnapshotIntervalHours 1",
      });
      assert.throws(
        () => copyRetentionDays(1, 1001),
        /volumeSnapshotRetentionCount = 1001: expected an integer from 1 to 1000/,
      );
    });

    it("validates config, the component and the pack against the same DLM intervals", () => {
      assert.deepStrictEqual([...DLM_INTERVAL_HOURS], [...DLM_SCHEDULE_HOURS]);
      assert.deepStrictEqual([...PACK_DLM_INTERVAL_HOURS], [...DLM_SCHEDULE_HOURS]);
      assert.strictEqual(DLM_MAX_RETAIN_COUNT, 1000);
    });
  });

  for (const { stack, region, peer } of STACKS) {
    describe(`${stack} stack`, () => {
      it("selects the EKS cluster by ARN in the RPO plan, whose rule copies to the peer-Region vault", async () => {
        const rendered = await renderTestStack(stack);
        const cluster = find(rendered, "aws:eks/cluster:Cluster", "eks-cluster");
        const selection = find(rendered, "aws:backup/selection:Selection", "backup-cluster");
        const plan = find(rendered, "aws:backup/plan:Plan", "backup-plan");
        const role = find(rendered, "aws:iam/role:Role", "backup-role");
        const copyVault = find(rendered, "aws:backup/vault:Vault", "backup-copy-vault");
        assert.match(
          String(cluster.outputs.arn),
          new RegExp(`^arn:aws:eks:${region}:\\d{12}:cluster/payments-dr-${stack}$`),
        );
        assert.deepStrictEqual(selection.inputs, {
          name: `payments-dr-${stack}-cluster`,
          planId: plan.id,
          iamRoleArn: role.outputs.arn,
          resources: [cluster.outputs.arn],
          region,
        });
        const rules = plan.inputs.rules as { copyActions: { destinationVaultArn: string }[] }[];
        assert.deepStrictEqual(
          rules.map((r) => r.copyActions.map((c) => c.destinationVaultArn)),
          [[copyVault.outputs.arn]],
        );
        assert.strictEqual(copyVault.region, peer);
      });

      it("gives the backup role the managed policies that back up and restore an EKS cluster", async () => {
        const rendered = await renderTestStack(stack);
        const attached = findAll(rendered, "aws:iam/rolePolicyAttachment:RolePolicyAttachment")
          .filter((a) => a.name.startsWith("backup-role-"))
          .map((a) => a.inputs.policyArn)
          .sort();
        assert.deepStrictEqual(attached, [...BACKUP_MANAGED_POLICY_ARNS].sort());
        assert.ok(
          attached.includes("arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup"),
        );
        assert.ok(
          attached.includes("arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores"),
        );
      });

      it("declares no access entry for AWS Backup: it creates its own on an API-mode cluster", async () => {
        const rendered = await renderTestStack(stack);
        const cluster = find(rendered, "aws:eks/cluster:Cluster", "eks-cluster");
        assert.strictEqual(
          (cluster.inputs.accessConfig as Record<string, unknown>).authenticationMode,
          "API",
        );
        const entries = findAll(rendered, "aws:eks/accessEntry:AccessEntry").map((e) => e.name);
        assert.deepStrictEqual(entries, ["eks-admin-access"]);
      });

      it("snapshots the volumes carrying the protection tag hourly, 168 kept, copied encrypted to the peer Region", async () => {
        const rendered = await renderTestStack(stack);
        const [policy] = findAll(rendered, DLM);
        const role = find(rendered, "aws:iam/role:Role", "volume-snapshots-role");
        const peerBackupKey = output(rendered, "peerKeys.backup");
        assert.strictEqual(policy.region, region);
        assert.deepStrictEqual(policy.inputs.policyDetails, {
          policyType: "EBS_SNAPSHOT_MANAGEMENT",
          resourceTypes: ["VOLUME"],
          targetTags: { [PROTECTED_VOLUME_TAG.key]: PROTECTED_VOLUME_TAG.value },
          schedules: [
            {
              name: `every-1h-copied-to-${peer}`,
              createRule: { interval: 1, intervalUnit: "HOURS", times: "00:00" },
              retainRule: { count: 168 },
              copyTags: true,
              crossRegionCopyRules: [
                {
                  target: peer,
                  encrypted: true,
                  cmkArn: peerBackupKey,
                  copyTags: true,
                  retainRule: { interval: 7, intervalUnit: "DAYS" },
                },
              ],
            },
          ],
        });
        assert.strictEqual(policy.inputs.state, "ENABLED");
        assert.strictEqual(policy.inputs.executionRoleArn, role.outputs.arn);
        assert.strictEqual(String(peerBackupKey).split(":")[3], peer);
      });

      it("gives the DLM role DLM's managed policy and the use of the cluster key and the peer copy key", async () => {
        const rendered = await renderTestStack(stack);
        const role = find(rendered, "aws:iam/role:Role", "volume-snapshots-role");
        assert.deepStrictEqual(JSON.parse(String(role.inputs.assumeRolePolicy)), {
          Version: "2012-10-17",
          Statement: [
            { Effect: "Allow", Principal: { Service: "dlm.amazonaws.com" }, Action: "sts:AssumeRole" },
          ],
        });
        const attachment = find(
          rendered,
          "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
          "volume-snapshots-role-policy",
        );
        assert.deepStrictEqual(attachment.inputs, {
          role: role.outputs.name ?? role.id,
          policyArn: DLM_MANAGED_POLICY_ARN,
        });
        const keys = find(rendered, "aws:iam/rolePolicy:RolePolicy", "volume-snapshots-role-keys");
        const clusterKey = String(output(rendered, "keys.cluster"));
        const peerKey = String(output(rendered, "peerKeys.backup"));
        assert.deepStrictEqual(
          JSON.parse(String(keys.inputs.policy)),
          JSON.parse(dlmKeyPolicy([clusterKey, peerKey])),
        );
        assert.deepStrictEqual(JSON.parse(dlmKeyPolicy(["k1"])).Statement, [
          { Sid: "UseVolumeAndCopyKeys", Effect: "Allow", Action: [...DLM_KMS_ACTIONS], Resource: ["k1"] },
          {
            Sid: "GrantKeysToEbs",
            Effect: "Allow",
            Action: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
            Resource: ["k1"],
            Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
          },
        ]);
        assert.deepStrictEqual(
          [clusterKey, peerKey].map((k) => k.split(":")[3]),
          [region, peer],
        );
      });
    });
  }

  it("takes the schedule from payments-dr:backup.volumeSnapshotIntervalHours, keeping the copies the same span", async () => {
    const rendered = await renderTestStack("primary", ["payments-dr:backup.volumeSnapshotIntervalHours=6"]);
    const [policy] = findAll(rendered, DLM);
    const [schedule] = (policy.inputs.policyDetails as { schedules: Record<string, unknown>[] }).schedules;
    assert.deepStrictEqual(schedule.createRule, { interval: 6, intervalUnit: "HOURS", times: "00:00" });
    assert.deepStrictEqual(schedule.retainRule, { count: 168 });
    assert.deepStrictEqual((schedule.crossRegionCopyRules as Record<string, unknown>[])[0].retainRule, {
      interval: 42,
      intervalUnit: "DAYS",
    });
  });
});

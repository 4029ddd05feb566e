/**
 * Copies that look like copies but are not (issue 13 §3): schedules that never fire, DLM policies
 * that are disabled or copy unencrypted, AWS Backup copies into another account's or partition's
 * vault or a vault with no key the pack can judge, and an alias ARN whose owner is not verified.
 */
import { EngineResource } from "../../../tools/policyEngine";
import { ACCOUNT, key, PEER, PRIMARY, resource, urnOf } from "../fixtures";
import { backedUpDatabase, lock, plan, replicatedBuckets, selection, T, vaultArn } from "../scenarios";
import type { Mutant } from "./mutant";

const COPY = "aws-datastore-cross-region-copy";
const GROUP_TYPE = "aws:elasticache/replicationGroup:ReplicationGroup";
const FN_ARN = `arn:aws:lambda:${PRIMARY}:${ACCOUNT}:function:exporter`;

/** An ElastiCache group exported by a function to a replicated bucket, scheduled by `schedule`. */
const exported = (schedule: EngineResource[]): EngineResource[] => [
  resource(GROUP_TYPE, "cache", {
    replicationGroupId: "payments-cache",
    atRestEncryptionEnabled: true,
    transitEncryptionEnabled: true,
    kmsKeyId: key(PRIMARY),
    tags: { "payments-dr:snapshot-bucket": "app" },
  }),
  resource(
    "aws:lambda/function:Function",
    "exporter",
    { environment: { variables: { REPLICATION_GROUP_ID: "payments-cache", TARGET_BUCKET: "app" } } },
    { outputs: { arn: FN_ARN } },
  ),
  ...schedule,
  ...replicatedBuckets(),
];
const rule = (inputs: Record<string, unknown>) => [
  resource("aws:cloudwatch/eventRule:EventRule", "schedule", inputs, { outputs: { name: "schedule-1" } }),
  resource("aws:cloudwatch/eventTarget:EventTarget", "target", { rule: "schedule-1", arn: FN_ARN }),
];
const scheduler = (inputs: Record<string, unknown>) => [
  resource("aws:scheduler/schedule:Schedule", "schedule", {
    target: { arn: FN_ARN, roleArn: `arn:aws:iam::${ACCOUNT}:role/scheduler` },
    ...inputs,
  }),
];
const notExported = (name: string, schedule: EngineResource[], fragment: string): Mutant => ({
  name: `ElastiCache export ${name}`,
  resources: exported(schedule),
  policy: COPY,
  urn: urnOf(GROUP_TYPE, "cache"),
  fragment: `(not counted: schedule schedule ${fragment}`,
});

const volume = resource("aws:ebs/volume:Volume", "data", {
  availabilityZone: `${PRIMARY}a`,
  size: 100,
  encrypted: true,
  kmsKeyId: key(PRIMARY),
  tags: { backup: "dlm-daily" },
});
const dlm = (state: string, copy: Record<string, unknown>): Mutant => ({
  name: `EBS volume under a DLM policy (${state}, copy ${JSON.stringify(copy)})`,
  resources: [
    volume,
    resource("aws:dlm/lifecyclePolicy:LifecyclePolicy", "ebs-daily", {
      description: "daily",
      executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/dlm`,
      state,
      policyDetails: {
        resourceTypes: ["VOLUME"],
        targetTags: { backup: "dlm-daily" },
        schedules: [
          {
            name: "daily",
            createRule: { interval: 24 },
            retainRule: { count: 7 },
            crossRegionCopyRules: [{ target: PEER, ...copy }],
          },
        ],
      },
    }),
  ],
  policy: COPY,
  urn: urnOf("aws:ebs/volume:Volume", "data"),
  fragment:
    state === "DISABLED" ? "DLM policy ebs-daily is DISABLED: expected ENABLED" : "copies unencrypted",
});

/** The backed-up database with its copy action pointed at `arn` (and `extra` resources). */
const backupTo = (name: string, arn: string, fragment: string, extra: EngineResource[] = []): Mutant => ({
  name: `RDS backup copied to ${name}`,
  resources: [...backedUpDatabase().map((r) => (r.name === "plan" ? plan(arn) : r)), ...extra],
  policy: COPY,
  urn: urnOf(T.db, "db"),
  fragment,
});

const LUSTRE = "aws:fsx/lustreFileSystem:LustreFileSystem";
const LUSTRE_ARN = `arn:aws:fsx:${PRIMARY}:${ACCOUNT}:file-system/fs-0123456789abcdef0`;

/** A Lustre file system of `deploymentType` selected by a backup plan copying to the peer Region. */
export const backedUpLustre = (deploymentType: string | undefined): EngineResource[] => [
  resource(
    LUSTRE,
    "scratch",
    { ...(deploymentType ? { deploymentType } : {}), storageCapacity: 1200, kmsKeyId: key(PRIMARY) },
    { outputs: { arn: LUSTRE_ARN } },
  ),
  ...backedUpDatabase().filter((r) => r.type !== T.db && r.type !== T.selection),
  selection({ resources: [LUSTRE_ARN] }),
];
const scratch = (deploymentType: string | undefined): Mutant => ({
  name: `FSx for Lustre ${deploymentType ?? "(default deploymentType)"} selected by AWS Backup`,
  resources: backedUpLustre(deploymentType),
  policy: COPY,
  urn: urnOf(LUSTRE, "scratch"),
  fragment: `AWS Backup cannot back up a scratch file system (deploymentType ${deploymentType ?? "SCRATCH_1"})`,
});

export const VERIFIED_COPIES: readonly Mutant[] = [
  scratch("SCRATCH_2"),
  scratch(undefined),
  notExported(
    "scheduled by a disabled EventBridge rule",
    rule({ scheduleExpression: "rate(15 minutes)", state: "DISABLED" }),
    "is disabled",
  ),
  notExported(
    "scheduled by a rule with isEnabled: false",
    rule({ scheduleExpression: "rate(15 minutes)", isEnabled: false }),
    "is disabled",
  ),
  notExported(
    "scheduled by a cron pinned to a past year",
    rule({ scheduleExpression: "cron(0 3 * * ? 2020)" }),
    'never fires: "cron(0 3 * * ? 2020)" only runs in years up to 2020',
  ),
  notExported(
    "scheduled by a disabled Scheduler schedule",
    scheduler({ scheduleExpression: "rate(15 minutes)", state: "DISABLED" }),
    "is disabled",
  ),
  notExported(
    "scheduled by a one-time Scheduler schedule",
    scheduler({ scheduleExpression: "at(2026-01-01T00:00:00)" }),
    'never fires: "at(2026-01-01T00:00:00)" is a one-time schedule',
  ),
  notExported(
    "scheduled by a Scheduler schedule that has ended",
    scheduler({ scheduleExpression: "rate(15 minutes)", endDate: "2021-01-01T00:00:00Z" }),
    "ended on 2021-01-01T00:00:00Z",
  ),
  dlm("DISABLED", { encrypted: true, cmkArn: key(PEER) }),
  dlm("ENABLED", { encrypted: false }),
  backupTo(
    "another account's vault of the same name",
    `arn:aws:backup:${PEER}:999999999999:backup-vault:copies`,
    'copies to "arn:aws:backup:us-west-2:999999999999:backup-vault:copies", a vault not declared in this stack',
  ),
  backupTo(
    "a vault of the same name in another partition",
    `arn:aws-us-gov:backup:${PEER}:${ACCOUNT}:backup-vault:copies`,
    `copies to "arn:aws-us-gov:backup:us-west-2:${ACCOUNT}:backup-vault:copies", a vault not declared in this stack`,
  ),
  backupTo(
    "a vault with no key (AWS-managed aws/backup)",
    vaultArn(PEER, "nokey"),
    "copies to vault nokey in us-west-2, which encrypts with an AWS-owned or AWS-managed key (kmsKeyArn: not set)",
    [
      resource(
        T.vault,
        "nokey",
        { name: "nokey", region: PEER },
        { outputs: { arn: vaultArn(PEER, "nokey") } },
      ),
      lock("nokey", PEER),
    ],
  ),
  backupTo(
    "a logically air-gapped vault with its AWS-owned key",
    vaultArn(PEER, "airgap"),
    "copies to vault airgap in us-west-2, which encrypts with an AWS-owned or AWS-managed key (encryptionKeyArn: not set)",
    [
      resource(
        "aws:backup/logicallyAirGappedVault:LogicallyAirGappedVault",
        "airgap",
        { name: "airgap", region: PEER, minRetentionDays: 7, maxRetentionDays: 35 },
        { outputs: { arn: vaultArn(PEER, "airgap") } },
      ),
    ],
  ),
  {
    name: "EBS volume encrypted under another account's alias ARN",
    resources: [
      resource("aws:ebs/volume:Volume", "data", {
        availabilityZone: `${PRIMARY}a`,
        size: 10,
        encrypted: true,
        kmsKeyId: `arn:aws:kms:${PRIMARY}:999999999999:alias/payments`,
      }),
    ],
    policy: "kms-key-owner-verified",
    level: "advisory",
    urn: urnOf("aws:ebs/volume:Volume", "data"),
    fragment: `uses kmsKeyId arn:aws:kms:${PRIMARY}:999999999999:alias/payments, a key not declared in this stack`,
  },
];

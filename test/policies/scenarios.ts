/**
 * Compliant building blocks shared by the S3 and cross-Region specs: a replicated bucket pair and
 * an RDS instance protected by AWS Backup with a cross-Region copy into a locked vault.
 */
import { EngineResource } from "../../tools/policyEngine";
import { ACCOUNT, key, PEER, PRIMARY, resource } from "./fixtures";

export const T = {
  bucket: "aws:s3/bucket:Bucket",
  sse: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  versioning: "aws:s3/bucketVersioning:BucketVersioning",
  policy: "aws:s3/bucketPolicy:BucketPolicy",
  replication: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
  db: "aws:rds/instance:Instance",
  vault: "aws:backup/vault:Vault",
  plan: "aws:backup/plan:Plan",
  selection: "aws:backup/selection:Selection",
  lock: "aws:backup/vaultLockConfiguration:VaultLockConfiguration",
} as const;

export const tlsOnlyPolicy = (name: string) =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [`arn:aws:s3:::${name}`, `arn:aws:s3:::${name}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ],
  });

/** A bucket with SSE-KMS (key in its Region), versioning and a TLS-only policy. */
export function bucket(name: string, region: string, sse: Record<string, unknown> = {}): EngineResource[] {
  const regional = region === PRIMARY ? {} : { region };
  return [
    resource(T.bucket, name, { bucket: name, ...regional }, { outputs: { arn: `arn:aws:s3:::${name}` } }),
    resource(T.sse, `${name}-sse`, {
      bucket: name,
      ...regional,
      rules: [
        {
          applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key(region) },
          bucketKeyEnabled: true,
          ...sse,
        },
      ],
    }),
    resource(T.versioning, `${name}-versioning`, {
      bucket: name,
      ...regional,
      versioningConfiguration: { status: "Enabled" },
    }),
    resource(T.policy, `${name}-policy`, { bucket: name, ...regional, policy: tlsOnlyPolicy(name) }),
  ];
}

export function replication(
  source: string,
  destination: string,
  rule: Record<string, unknown> = {},
): EngineResource {
  return resource(T.replication, `${source}-replication`, {
    bucket: source,
    role: `arn:aws:iam::${ACCOUNT}:role/replication`,
    rules: [
      {
        id: "crr",
        status: "Enabled",
        destination: {
          bucket: `arn:aws:s3:::${destination}`,
          encryptionConfiguration: { replicaKmsKeyId: key(PEER) },
        },
        sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
        ...rule,
      },
    ],
  });
}

/** Source bucket in the primary Region replicated to an encrypted replica in the peer Region. */
export const replicatedBuckets = (): EngineResource[] => [
  ...bucket("app", PRIMARY),
  ...bucket("app-replica", PEER),
  replication("app", "app-replica"),
];

export const DB_ARN = `arn:aws:rds:${PRIMARY}:${ACCOUNT}:db:payments`;
export const vaultArn = (region: string, name: string) =>
  `arn:aws:backup:${region}:${ACCOUNT}:backup-vault:${name}`;

export const database = (inputs: Record<string, unknown> = {}) =>
  resource(
    T.db,
    "db",
    {
      storageEncrypted: true,
      kmsKeyId: key(PRIMARY),
      deletionProtection: true,
      backupRetentionPeriod: 14,
      tags: { backup: "daily" },
      ...inputs,
    },
    { outputs: { arn: DB_ARN } },
  );

export const vault = (name: string, region: string, keyArn = key(region)) =>
  resource(
    T.vault,
    name,
    { name, kmsKeyArn: keyArn, ...(region === PRIMARY ? {} : { region }) },
    { outputs: { arn: vaultArn(region, name) } },
  );

export const plan = (copyTo: string | undefined, inputs: Record<string, unknown> = {}) =>
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
          lifecycle: { deleteAfter: 35 },
          ...(copyTo
            ? { copyActions: [{ destinationVaultArn: copyTo, lifecycle: { deleteAfter: 35 } }] }
            : {}),
        },
      ],
      ...inputs,
    },
    { outputs: { id: "plan-id" } },
  );

export const selection = (inputs: Record<string, unknown>, options: Parameters<typeof resource>[3] = {}) =>
  resource(
    T.selection,
    "selection",
    { planId: "plan-id", iamRoleArn: `arn:aws:iam::${ACCOUNT}:role/backup`, ...inputs },
    options,
  );

export const lock = (vaultName: string, region: string, inputs: Record<string, unknown> = {}) =>
  resource(T.lock, `${vaultName}-lock`, {
    backupVaultName: vaultName,
    region,
    minRetentionDays: 7,
    maxRetentionDays: 365,
    changeableForDays: 3,
    ...inputs,
  });

/** RDS instance backed up hourly, copied to a locked vault in the peer Region, selected by ARN. */
export const backedUpDatabase = (): EngineResource[] => [
  database(),
  vault("local", PRIMARY),
  vault("copies", PEER),
  lock("copies", PEER),
  plan(vaultArn(PEER, "copies")),
  selection({ resources: [DB_ARN] }),
];

/**
 * Policy pack evaluation time on synthetic stacks (`npm run bench` calls
 * `measurePolicyEvaluation`; run this file alone for just these figures):
 *
 *   node -r ./tools/runtime/register.js tools/bench/policies.ts
 *
 * Each stack repeats a 10-resource unit (a bucket replicated to another Region with its
 * encryption, versioning and TLS policy resources on both sides, plus an RDS instance selected by
 * tag) around one backup plan, copy vault and Vault Lock: every stack rule has real work to do.
 * Linear growth shows as a 1k -> 10k ratio near 10.
 */
import { policies } from "../../policies/policies";
import { EngineResource, EngineStack, evaluateStack } from "../policyEngine";

const A = "us-east-1";
const B = "us-west-2";
const key = (region: string) => `arn:aws:kms:${region}:111122223333:key/mrk-bench`;

function node(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  outputs: Record<string, unknown> = {},
): EngineResource {
  return {
    urn: `urn:pulumi:bench::payments-dr::${type}::${name}`,
    type,
    name,
    inputs,
    outputs: { ...inputs, region: inputs.region ?? A, ...outputs },
    provider: {
      urn: "urn:pulumi:bench::payments-dr::pulumi:providers:aws::default",
      type: "pulumi:providers:aws",
      name: "default",
      props: { region: A },
    },
    dependencies: [],
  };
}

function bucketWith(name: string, region: string): EngineResource[] {
  const r = { region };
  return [
    node("aws:s3/bucket:Bucket", name, { bucket: name, ...r }, { arn: `arn:aws:s3:::${name}` }),
    node(
      "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
      `${name}-sse`,
      {
        bucket: name,
        ...r,
        rules: [
          { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key(region) } },
        ],
      },
    ),
    node("aws:s3/bucketVersioning:BucketVersioning", `${name}-versioning`, {
      bucket: name,
      ...r,
      versioningConfiguration: { status: "Enabled" },
    }),
    node("aws:s3/bucketPolicy:BucketPolicy", `${name}-policy`, {
      bucket: name,
      ...r,
      policy: JSON.stringify({
        Statement: [
          {
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          },
        ],
      }),
    }),
  ];
}

/** A synthetic stack of exactly `size` resources. */
export function syntheticStack(size: number): EngineStack {
  const copyVault = `arn:aws:backup:${B}:111122223333:backup-vault:copies`;
  const resources: EngineResource[] = [
    node(
      "aws:backup/vault:Vault",
      "copies",
      { name: "copies", kmsKeyArn: key(B), region: B },
      { arn: copyVault },
    ),
    node("aws:backup/vaultLockConfiguration:VaultLockConfiguration", "copies-lock", {
      backupVaultName: "copies",
      minRetentionDays: 7,
      changeableForDays: 3,
      region: B,
    }),
    node(
      "aws:backup/plan:Plan",
      "plan",
      {
        name: "plan",
        rules: [
          {
            ruleName: "hourly",
            schedule: "cron(0 * * * ? *)",
            lifecycle: { deleteAfter: 35 },
            copyActions: [{ destinationVaultArn: copyVault }],
          },
        ],
      },
      { id: "plan" },
    ),
    node("aws:backup/selection:Selection", "by-tag", {
      planId: "plan",
      selectionTags: [{ type: "STRINGEQUALS", key: "backup", value: "daily" }],
    }),
  ];
  for (let i = 0; resources.length + 10 <= size; i++) {
    resources.push(
      ...bucketWith(`b${i}`, A),
      ...bucketWith(`b${i}-replica`, B),
      node("aws:s3/bucketReplicationConfig:BucketReplicationConfig", `b${i}-replication`, {
        bucket: `b${i}`,
        rules: [
          {
            id: "crr",
            status: "Enabled",
            destination: {
              bucket: `arn:aws:s3:::b${i}-replica`,
              encryptionConfiguration: { replicaKmsKeyId: key(B) },
            },
            sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
          },
        ],
      }),
      node(
        "aws:rds/instance:Instance",
        `db${i}`,
        {
          storageEncrypted: true,
          kmsKeyId: key(A),
          deletionProtection: true,
          backupRetentionPeriod: 14,
          tags: { backup: "daily" },
        },
        { arn: `arn:aws:rds:${A}:111122223333:db:db${i}` },
      ),
    );
  }
  while (resources.length < size)
    resources.push(node("aws:kms/key:Key", `key${resources.length}`, { enableKeyRotation: true }));
  return { stack: "bench", resources };
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Median evaluation time of the whole pack, per stack size (synchronous, for `npm run bench`). */
export function measurePolicyEvaluation(
  sizes: readonly number[],
  runs = 5,
): { resources: number; medianMs: number; violations: number }[] {
  return sizes.map((size) => {
    const stack = syntheticStack(size);
    let violations = evaluateStack(stack, { policies }).length; // warm-up, and a sanity figure
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) {
      const started = process.hrtime.bigint();
      violations = evaluateStack(stack, { policies }).length;
      samples.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    return { resources: size, medianMs: median(samples), violations };
  });
}

if (require.main === module) {
  const runs = Number(process.env.BENCH_RUNS ?? 5);
  const figures = measurePolicyEvaluation([1000, 10000], runs);
  for (const f of figures) {
    process.stdout.write(
      `policy pack, ${String(f.resources).padStart(6)} resources: ${f.medianMs.toFixed(1).padStart(8)} ms (median of ${runs}; ${f.violations} violations)\n`,
    );
  }
  process.stdout.write(
    `growth 1k -> 10k: ${(figures[1].medianMs / figures[0].medianMs).toFixed(2)}x (linear = 10x; target 10k < 1000 ms)\n`,
  );
}

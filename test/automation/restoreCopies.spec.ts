import * as assert from "assert";
import { BackupClient, ListRecoveryPointsByBackupVaultCommand } from "@aws-sdk/client-backup";
import { ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { findRestoreCopies, vaultNameOf } from "../../automation/steps/restoreCopies";

const NOW = new Date("2026-12-05T12:00:00Z");
const at = (iso: string) => new Date(iso);
const SOURCES = {
  copyVaultArn: "arn:aws:backup:us-west-2:111122223333:backup-vault:payments-dr-primary-copies",
  cacheSnapshotBucket: "payments-dr-primary-cache-snapshots-replica",
  primaryCacheReplicationGroupId: "payments-cache-primary",
};

describe("finding the copies a backup-restore failover restores from", () => {
  it("pages through the copy vault and the replica bucket and takes the newest of each", async () => {
    const backup = mockClient(BackupClient);
    const s3 = mockClient(S3Client);
    backup
      .on(ListRecoveryPointsByBackupVaultCommand)
      .resolves({
        NextToken: "p2",
        RecoveryPoints: [
          {
            RecoveryPointArn: "arn:aws:rds:us-west-2:111122223333:snapshot:awsbackup:job-a",
            ResourceType: "RDS",
            Status: "COMPLETED",
            CreationDate: at("2026-12-05T11:45:00Z"),
          },
        ],
      })
      .on(ListRecoveryPointsByBackupVaultCommand, { NextToken: "p2" })
      .resolves({
        RecoveryPoints: [
          {
            RecoveryPointArn: "arn:aws:rds:us-west-2:111122223333:snapshot:awsbackup:job-b",
            ResourceType: "RDS",
            Status: "COMPLETED",
            CreationDate: at("2026-12-05T11:50:00Z"),
          },
        ],
      });
    s3.on(ListObjectsV2Command)
      .resolves({
        IsTruncated: true,
        NextContinuationToken: "c2",
        Contents: [
          {
            Key: "payments-cache-primary-export-202612051010-0001.rdb",
            LastModified: at("2026-12-05T10:22:00Z"),
          },
        ],
      })
      .on(ListObjectsV2Command, { ContinuationToken: "c2" })
      .resolves({
        IsTruncated: false,
        Contents: [
          {
            Key: "payments-cache-primary-export-202612051140-0001.rdb",
            LastModified: at("2026-12-05T11:52:00Z"),
          },
          {
            Key: "payments-cache-primary-export-202612051140-0001.rdb.tmp",
            LastModified: at("2026-12-05T11:59:00Z"),
          },
        ],
      });
    const copies = await findRestoreCopies(
      { backup: new BackupClient({ region: "us-west-2" }), s3: new S3Client({ region: "us-west-2" }) },
      SOURCES,
      NOW,
      900,
      { sleep: async () => undefined },
    );
    assert.deepStrictEqual(copies, {
      database: "arn:aws:rds:us-west-2:111122223333:snapshot:awsbackup:job-b",
      databaseAgeSeconds: 600,
      cache:
        "arn:aws:s3:::payments-dr-primary-cache-snapshots-replica/payments-cache-primary-export-202612051140-0001.rdb",
      cacheAgeSeconds: 480,
    });
    assert.deepStrictEqual(
      backup.commandCalls(ListRecoveryPointsByBackupVaultCommand).map((c) => c.args[0].input),
      [
        { BackupVaultName: "payments-dr-primary-copies", ByResourceType: "RDS" },
        { BackupVaultName: "payments-dr-primary-copies", ByResourceType: "RDS", NextToken: "p2" },
      ],
    );
    assert.deepStrictEqual(
      s3.commandCalls(ListObjectsV2Command).map((c) => c.args[0].input),
      [
        { Bucket: SOURCES.cacheSnapshotBucket, Prefix: "payments-cache-primary-export-" },
        {
          Bucket: SOURCES.cacheSnapshotBucket,
          Prefix: "payments-cache-primary-export-",
          ContinuationToken: "c2",
        },
      ],
    );
    backup.restore();
    s3.restore();
  });

  it("refuses a bucket with no exported .rdb, naming the bucket and prefix", async () => {
    const backup = mockClient(BackupClient);
    const s3 = mockClient(S3Client);
    backup.on(ListRecoveryPointsByBackupVaultCommand).resolves({
      RecoveryPoints: [
        {
          RecoveryPointArn: "arn:aws:rds:us-west-2:111122223333:snapshot:awsbackup:job-b",
          ResourceType: "RDS",
          Status: "COMPLETED",
          CreationDate: at("2026-12-05T11:50:00Z"),
        },
      ],
    });
    s3.on(ListObjectsV2Command).resolves({ IsTruncated: false });
    await assert.rejects(
      findRestoreCopies(
        { backup: new BackupClient({ region: "us-west-2" }), s3: new S3Client({ region: "us-west-2" }) },
        SOURCES,
        NOW,
        900,
      ),
      (e: unknown) =>
        e instanceof Error &&
        e.message ===
          "No exported cache snapshot (payments-cache-primary-export-*.rdb) in bucket payments-dr-primary-cache-snapshots-replica: " +
            "nothing to seed the cache from. Fix: check the primary's cache snapshot export and the bucket's replication " +
            "(docs/strategies.md), or set one by hand: pulumi config set --path payments-dr:restore.cache " +
            "arn:aws:s3:::<bucket>/<key>.rdb.",
    );
    backup.restore();
    s3.restore();
  });

  it("reads the vault name from its ARN and refuses anything else", () => {
    assert.strictEqual(vaultNameOf(SOURCES.copyVaultArn), "payments-dr-primary-copies");
    assert.throws(
      () => vaultNameOf("payments-dr-primary-copies"),
      /^FailoverError: primary.copyVaultArn payments-dr-primary-copies is not an AWS Backup vault ARN$/,
    );
  });
});

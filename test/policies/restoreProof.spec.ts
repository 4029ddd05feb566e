import * as assert from "assert";
import { RESTORE_TYPES } from "../../policies/encryption/restoreTypes";
import { ACCOUNT, key, PEER, PRIMARY, reported, resource, UNKNOWN_VALUE, urnOf } from "./fixtures";
import {
  COPY_ARN,
  ebsSnapshotCopy,
  FOREIGN_SNAPSHOT,
  kmsKey,
  R,
  RESTORE,
  restoredCluster,
  restoredDb,
  restoredFromCopy,
  restoredVolume,
  snapshotCopy,
} from "./restoreScenarios";

const DB = urnOf(R.db, "db");
const COPY = urnOf(R.snapshotCopy, "restore-copy");
const KEY = urnOf(R.key, "k");
const INSTANCE_WHY =
  "RestoreDBInstanceFromDBSnapshot takes no KMS key: the instance keeps the snapshot's key and kmsKeyId is not used; a different key needs a snapshot copy under that key first.";
const instanceExpected = (region: string) =>
  `Expected snapshotIdentifier naming an aws:rds/snapshotCopy:SnapshotCopy declared in this stack whose kmsKeyId is a customer-managed key in ${region} ` +
  "(declare one with sourceDbSnapshotIdentifier set to the snapshot to restore and kmsKeyId set to that key, and restore from its id). " +
  INSTANCE_WHY;
const CLUSTER_EXPECTED =
  "Expected kmsKeyId set to a customer-managed KMS key in us-east-1 (the restore re-encrypts under it); or snapshotIdentifier naming an " +
  "aws:rds/clusterSnapshotCopy:ClusterSnapshotCopy or aws:rds/snapshotCopy:SnapshotCopy declared in this stack whose kmsKeyId is a customer-managed key in us-east-1 " +
  "(declare one with sourceDbClusterSnapshotIdentifier set to the snapshot to restore and kmsKeyId set to that key, and restore from its id). " +
  "The cluster restore encrypts the new cluster under the KMS key it is given, and keeps the source's key when given none.";
const EBS_EXPECTED =
  "Expected kmsKeyId set to a customer-managed KMS key in us-east-1 (the restore re-encrypts under it); or snapshotId naming an aws:ebs/snapshotCopy:SnapshotCopy " +
  "declared in this stack whose kmsKeyId is a customer-managed key in us-east-1 (declare one with sourceSnapshotId set to the snapshot to restore and kmsKeyId set to that key, and restore from its id). " +
  "CreateVolume encrypts the volume under the KMS key it is given, and keeps an encrypted snapshot's key when given none.";

describe("aws-datastore-restore-encryption-proven", () => {
  describe("an RDS instance restored from a DB snapshot (AWS keeps the snapshot's key)", () => {
    it("passes when the snapshot is a copy declared in the stack under a customer-managed key in the instance's Region", () =>
      assert.deepStrictEqual(reported(restoredFromCopy(), RESTORE), []));

    it("finds the copy by its ARN as well as its identifier", () =>
      assert.deepStrictEqual(reported([snapshotCopy(key(PRIMARY)), restoredDb(COPY_ARN)], RESTORE), []));

    it("refuses a snapshot this stack does not declare, saying how to copy it under a key", () =>
      assert.deepStrictEqual(reported([restoredDb(FOREIGN_SNAPSHOT)], RESTORE), [
        [
          DB,
          `RDS DB instance db is restored from a DB snapshot (snapshotIdentifier "${FOREIGN_SNAPSHOT}"): ` +
            "snapshotIdentifier names nothing declared in this stack, so the encryption of what it restores cannot be proven. " +
            instanceExpected(PRIMARY),
        ],
      ]));

    it("refuses a copy that sets no kmsKeyId (it keeps the source snapshot's key)", () =>
      assert.deepStrictEqual(reported([snapshotCopy(undefined), restoredDb("payments-restore")], RESTORE), [
        [
          DB,
          'RDS DB instance db is restored from a DB snapshot (snapshotIdentifier "payments-restore"): ' +
            "RDS snapshot copy restore-copy sets no kmsKeyId, so it keeps the key of what it copies, which this stack does not declare. " +
            instanceExpected(PRIMARY),
        ],
      ]));

    it("refuses a copy under an AWS-managed key", () =>
      assert.deepStrictEqual(
        reported([snapshotCopy("alias/aws/rds"), restoredDb("payments-restore")], RESTORE).map(
          ([, m]) => m.split(". Expected")[0].split("): ")[1],
        ),
        ['RDS snapshot copy restore-copy\'s kmsKeyId is "alias/aws/rds", an AWS-managed key'],
      ));

    it("refuses a copy under a key in another Region", () =>
      assert.deepStrictEqual(
        reported([snapshotCopy(key(PEER)), restoredDb("payments-restore", { kmsKeyId: key(PEER) })], RESTORE),
        [
          [
            DB,
            'RDS DB instance db is restored from a DB snapshot (snapshotIdentifier "payments-restore"): ' +
              `RDS snapshot copy restore-copy's kmsKeyId is ${key(PEER)} in ${PEER}, not a key in ${PRIMARY}. ` +
              instanceExpected(PRIMARY),
          ],
        ],
      ));

    it("refuses an instance kmsKeyId that differs from the copy's key (the next update would replace the instance)", () =>
      assert.deepStrictEqual(
        reported([snapshotCopy(key(PRIMARY, "other")), restoredDb("payments-restore")], RESTORE),
        [
          [
            DB,
            'RDS DB instance db is restored from a DB snapshot (snapshotIdentifier "payments-restore"): ' +
              `kmsKeyId is ${key(PRIMARY)}, not the key the restore uses (RDS snapshot copy restore-copy's kmsKeyId ${key(PRIMARY, "other")}), ` +
              "so the next update would replace the store to change its key. " +
              instanceExpected(PRIMARY),
          ],
        ],
      ));

    it("passes at preview when the snapshot and both keys come, through propertyDependencies, from a declared copy and key", () =>
      assert.deepStrictEqual(
        reported(
          [
            kmsKey("k"),
            snapshotCopy(UNKNOWN_VALUE, {}),
            restoredDb(
              UNKNOWN_VALUE,
              { kmsKeyId: UNKNOWN_VALUE },
              { propertyDependencies: { snapshotIdentifier: [COPY], kmsKeyId: [KEY] } },
            ),
          ].map((r) => (r.urn === COPY ? { ...r, propertyDependencies: { kmsKeyId: [KEY] } } : r)),
          RESTORE,
        ),
        [],
      ));

    it("refuses at preview a snapshot reference unknown until apply that no dependency explains", () =>
      assert.deepStrictEqual(reported([restoredDb(UNKNOWN_VALUE)], RESTORE), [
        [
          DB,
          "RDS DB instance db is restored from a DB snapshot (snapshotIdentifier unknown until apply): " +
            "snapshotIdentifier is unknown until apply and comes from no aws:rds/snapshotCopy:SnapshotCopy declared in this stack, so what it restores cannot be proven at preview. " +
            instanceExpected(PRIMARY),
        ],
      ]));

    it("refuses at preview a copy whose key is unknown and from no declared KMS key", () =>
      assert.deepStrictEqual(
        reported(
          [
            snapshotCopy(UNKNOWN_VALUE),
            restoredDb(UNKNOWN_VALUE, {}, { propertyDependencies: { snapshotIdentifier: [COPY] } }),
          ],
          RESTORE,
        ).map(([urn, m]) => [urn, m.split(". Expected")[0]]),
        [
          [
            DB,
            "RDS DB instance db is restored from a DB snapshot (snapshotIdentifier unknown until apply): RDS snapshot copy restore-copy's kmsKeyId: " +
              "its key cannot be proven at preview: kmsKeyId is unknown until apply and comes from no KMS key declared in this stack",
          ],
        ],
      ));

    it("refuses a reference whose dependencies name two copies", () => {
      const second = {
        ...snapshotCopy(key(PRIMARY)),
        urn: urnOf(R.snapshotCopy, "another"),
        name: "another",
      };
      assert.deepStrictEqual(
        reported(
          [
            snapshotCopy(key(PRIMARY)),
            second,
            restoredDb(
              UNKNOWN_VALUE,
              {},
              { propertyDependencies: { snapshotIdentifier: [COPY, second.urn] } },
            ),
          ],
          RESTORE,
        ).map(([, m]) => m.split(". Expected")[0].split("): ")[1]),
        ["snapshotIdentifier could name any of aws:rds/snapshotCopy:SnapshotCopy another, restore-copy"],
      );
    });
  });

  describe("an RDS instance restored to a point in time (AWS keeps the source's key)", () => {
    const pitr = (inputs: Record<string, unknown>) =>
      restoredDb(undefined, { restoreToPointInTime: { useLatestRestorableTime: true, ...inputs } });
    const source = resource(
      R.db,
      "source",
      { identifier: "payments", storageEncrypted: true, kmsKeyId: key(PRIMARY) },
      { outputs: { arn: `arn:aws:rds:${PRIMARY}:${ACCOUNT}:db:payments` } },
    );
    const replicatedArn = `arn:aws:rds:${PRIMARY}:${ACCOUNT}:auto-backup:ab-payments`;
    const replication = (keyArn: string) =>
      resource(
        "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication",
        "replicated",
        { sourceDbInstanceArn: `arn:aws:rds:${PEER}:${ACCOUNT}:db:payments`, kmsKeyId: keyArn },
        { outputs: { id: replicatedArn } },
      );

    it("passes when the source instance is declared with a customer-managed key in the Region", () =>
      assert.deepStrictEqual(
        reported([source, pitr({ sourceDbInstanceIdentifier: "payments" })], RESTORE),
        [],
      ));

    it("passes from automated backups replicated into the Region under a key there", () =>
      assert.deepStrictEqual(
        reported(
          [replication(key(PRIMARY)), pitr({ sourceDbInstanceAutomatedBackupsArn: replicatedArn })],
          RESTORE,
        ),
        [],
      ));

    it("refuses replicated backups under a key in another Region", () =>
      assert.deepStrictEqual(
        reported(
          [replication(key(PEER)), pitr({ sourceDbInstanceAutomatedBackupsArn: replicatedArn })],
          RESTORE,
        ).map(([, m]) => m.split(". Expected")[0].split("): ")[1]),
        [
          `RDS automated backups replication replicated's kmsKeyId is ${key(PEER)} in ${PEER}, not a key in ${PRIMARY}`,
        ],
      ));
  });

  describe("clusters (the restore re-encrypts under the key it is given)", () => {
    it("passes an Aurora cluster restored from any snapshot with an explicit customer-managed key", () =>
      assert.deepStrictEqual(
        reported(
          [restoredCluster(R.cluster, { snapshotIdentifier: FOREIGN_SNAPSHOT, kmsKeyId: key(PRIMARY) })],
          RESTORE,
        ),
        [],
      ));

    it("refuses an Aurora cluster with no key restored from a snapshot the stack does not declare", () =>
      assert.deepStrictEqual(
        reported([restoredCluster(R.cluster, { snapshotIdentifier: "ledger-final" })], RESTORE),
        [
          [
            urnOf(R.cluster, "cluster"),
            'RDS/Aurora cluster cluster is restored from a cluster snapshot (snapshotIdentifier "ledger-final"): ' +
              "snapshotIdentifier names nothing declared in this stack, so the encryption of what it restores cannot be proven. " +
              CLUSTER_EXPECTED,
          ],
        ],
      ));

    it("passes an Aurora cluster with no key restored from a declared cluster snapshot copy under a key in its Region", () =>
      assert.deepStrictEqual(
        reported(
          [
            resource(
              R.clusterSnapshotCopy,
              "ledger-copy",
              {
                sourceDbClusterSnapshotIdentifier: "ledger-final",
                targetDbClusterSnapshotIdentifier: "ledger-copy",
                kmsKeyId: key(PRIMARY),
              },
              { outputs: { id: "ledger-copy" } },
            ),
            restoredCluster(R.cluster, { snapshotIdentifier: "ledger-copy" }),
          ],
          RESTORE,
        ),
        [],
      ));

    it("refuses an Aurora point-in-time restore under an AWS-managed key", () =>
      assert.deepStrictEqual(
        reported(
          [
            restoredCluster(R.cluster, {
              kmsKeyId: "alias/aws/rds",
              restoreToPointInTime: { sourceClusterIdentifier: "ledger", useLatestRestorableTime: true },
            }),
          ],
          RESTORE,
        ).map(([, m]) => m.split(". Expected")[0]),
        [
          'RDS/Aurora cluster cluster is restored from a point in time of a cluster (restoreToPointInTime.sourceClusterIdentifier "ledger"): ' +
            'kmsKeyId is "alias/aws/rds", an AWS-managed key',
        ],
      ));

    it("refuses a Neptune cluster with no kmsKeyArn (nothing declared can prove a Neptune snapshot)", () =>
      assert.deepStrictEqual(
        reported([restoredCluster(R.neptune, { snapshotIdentifier: "graph-final" })], RESTORE).map(
          ([, m]) => m,
        ),
        [
          'Neptune cluster cluster is restored from a cluster snapshot (snapshotIdentifier "graph-final"): kmsKeyArn is not set, so the restored data is not under a customer-managed key. ' +
            "Expected kmsKeyArn set to a customer-managed KMS key in us-east-1 (the restore re-encrypts under it). " +
            "The cluster restore encrypts the new cluster under the KMS key it is given, and keeps the source's key when given none.",
        ],
      ));
  });

  describe("EBS volumes (CreateVolume re-encrypts under the key it is given)", () => {
    it("passes a volume from any snapshot with an explicit customer-managed key", () =>
      assert.deepStrictEqual(reported([restoredVolume({ kmsKeyId: key(PRIMARY) })], RESTORE), []));

    it("passes a volume with no key from a declared EBS snapshot copy under a key in its Region", () =>
      assert.deepStrictEqual(
        reported(
          [ebsSnapshotCopy(key(PRIMARY)), restoredVolume({ snapshotId: "snap-0aaaabbbbccccdddd" })],
          RESTORE,
        ),
        [],
      ));

    it("refuses a volume with no key from a snapshot the stack does not declare", () =>
      assert.deepStrictEqual(reported([restoredVolume({})], RESTORE), [
        [
          urnOf(R.volume, "volume"),
          'EBS volume volume is restored from an EBS snapshot (snapshotId "snap-0123456789abcdef0"): ' +
            "snapshotId names nothing declared in this stack, so the encryption of what it restores cannot be proven. " +
            EBS_EXPECTED,
        ],
      ]));

    it("refuses a volume whose key is in another Region", () =>
      assert.deepStrictEqual(
        reported([restoredVolume({ kmsKeyId: key(PEER) })], RESTORE).map(
          ([, m]) => m.split(". Expected")[0].split("): ")[1],
        ),
        [`kmsKeyId is ${key(PEER)} in ${PEER}, not a key in ${PRIMARY}`],
      ));

    it("refuses a volume behind a provider whose Region is computed", () => {
      const volume = restoredVolume({ kmsKeyId: key(PRIMARY) });
      const computed = {
        ...volume,
        outputs: { ...volume.outputs, region: UNKNOWN_VALUE },
        provider: { ...volume.provider!, props: { region: UNKNOWN_VALUE } },
      };
      assert.deepStrictEqual(
        reported([computed], RESTORE).map(([, m]) => m.split(". Expected")[0].split("): ")[1]),
        [
          `the store's Region is unknown until apply, so kmsKeyId (${key(PRIMARY)} in ${PRIMARY}) cannot be proven to be in it`,
        ],
      );
    });
  });

  describe("caches, tables, warehouses and file systems (the new store's own key)", () => {
    const cases: [string, ReturnType<typeof resource>, string][] = [
      [
        "a DynamoDB table restored to a point in time with no key",
        resource(R.table, "cluster", { restoreSourceName: "orders", restoreToLatestTime: true }),
        'DynamoDB table cluster is restored from a point in time of a table (restoreSourceName "orders"): serverSideEncryption.kmsKeyArn is not set',
      ],
      [
        "a Redshift cluster restored from a snapshot ARN with no key",
        restoredCluster(R.redshift, {
          snapshotArn: "arn:aws:redshift:us-east-1:111122223333:snapshot:dw/final",
        }),
        'Redshift cluster cluster is restored from a cluster snapshot (snapshotArn "arn:aws:redshift:us-east-1:111122223333:snapshot:dw/final"): kmsKeyId is not set',
      ],
      [
        "an ElastiCache replication group restored from RDB files with no key",
        resource(R.group, "cluster", {
          atRestEncryptionEnabled: true,
          snapshotArns: ["arn:aws:s3:::b/dump.rdb"],
        }),
        'ElastiCache replication group cluster is restored from RDB files in S3 (snapshotArns ["arn:aws:s3:::b/dump.rdb"]): kmsKeyId is not set',
      ],
      [
        "a node-based ElastiCache cluster restored from a snapshot",
        resource(R.cacheCluster, "cluster", { engine: "redis", snapshotName: "cache-final" }),
        'ElastiCache cluster cluster is restored from an ElastiCache snapshot (snapshotName "cache-final"): an ElastiCache cluster takes no KMS key',
      ],
      [
        "an FSx for Windows file system restored from a backup with no key",
        resource(R.windows, "cluster", { backupId: "backup-0123456789abcdef0" }),
        'FSx for Windows file system cluster is restored from an FSx backup (backupId "backup-0123456789abcdef0"): kmsKeyId is not set',
      ],
    ];
    for (const [name, store, message] of cases)
      it(`refuses ${name}`, () =>
        assert.deepStrictEqual(
          reported([store], RESTORE).map(([urn, m]) => [urn, m.split(", so the restored")[0]]),
          [[store.urn, message]],
        ));

    it("passes a DynamoDB table restored from a backup with a customer-managed key in its Region", () =>
      assert.deepStrictEqual(
        reported(
          [
            resource(R.table, "orders", {
              restoreBackupArn: `arn:aws:dynamodb:${PRIMARY}:${ACCOUNT}:table/orders/backup/01`,
              serverSideEncryption: { enabled: true, kmsKeyArn: key(PRIMARY) },
            }),
          ],
          RESTORE,
        ),
        [],
      ));
  });

  it("judges nothing else: a store created empty, or with restore qualifiers but no source", () =>
    assert.deepStrictEqual(
      reported(
        [
          resource(R.db, "plain", { storageEncrypted: true, kmsKeyId: key(PRIMARY) }),
          resource(R.table, "t", { restoreDateTime: "2026-12-05T00:00:00Z", restoreToLatestTime: false }),
          restoredVolume({ snapshotId: undefined }),
        ],
        RESTORE,
      ),
      [],
    ));

  it("lists only restore arguments the installed provider has", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const fs = require("fs") as typeof import("fs");
    const missing = RESTORE_TYPES.flatMap((entry) => {
      const [pkg, rest] = entry.type.replace(/^aws:/, "").split("/");
      const file = `node_modules/@pulumi/aws/${pkg}/${rest.split(":")[0]}.d.ts`;
      const text = fs.readFileSync(file, "utf8");
      const args = text.slice(text.indexOf(`export interface ${rest.split(":")[1]}Args {`));
      return entry.paths
        .map((p) => p.arg)
        .filter((arg) => !new RegExp(`\\n    ${arg}\\?: `).test(args))
        .map((arg) => `${entry.type} ${arg}`);
    });
    assert.deepStrictEqual(missing, []);
  });
});

import * as assert from "assert";
import { ACCOUNT, key, PEER, PRIMARY, reported, resource, urnOf } from "./fixtures";

const POLICY = "aws-datastore-rpo-estimate";
const BUCKET = "aws:s3/bucket:Bucket";
const bucketArn = "arn:aws:s3:::ledger";
const ledger = resource(
  BUCKET,
  "ledger",
  { bucket: "ledger" },
  { outputs: { arn: bucketArn, id: "ledger" } },
);
const vaultArn = `arn:aws:backup:${PEER}:${ACCOUNT}:backup-vault:copies`;

function backupEvery(schedule: string) {
  return [
    resource(
      "aws:backup/plan:Plan",
      "plan",
      { rules: [{ ruleName: "hourly", schedule, copyActions: [{ destinationVaultArn: vaultArn }] }] },
      { outputs: { id: "plan-1" } },
    ),
    resource("aws:backup/selection:Selection", "selection", { planId: "plan-1", resources: [bucketArn] }),
  ];
}

function replicatedWithRtc(minutes: number | undefined) {
  return [
    resource(
      BUCKET,
      "ledger-replica",
      { bucket: "ledger-replica", region: PEER },
      { outputs: { id: "ledger-replica" } },
    ),
    resource("aws:s3/bucketReplicationConfig:BucketReplicationConfig", "ledger-replication", {
      bucket: "ledger",
      rules: [
        {
          status: "Enabled",
          destination: {
            bucket: "arn:aws:s3:::ledger-replica",
            encryptionConfiguration: { replicaKmsKeyId: key(PEER) },
            ...(minutes ? { replicationTime: { status: "Enabled", time: { minutes } } } : {}),
          },
        },
      ],
    }),
  ];
}

describe(`${POLICY} (advisory, posture model)`, () => {
  it("reports a store whose only copy is a backup every two hours against a 15-minute target", () => {
    assert.deepStrictEqual(reported([ledger, ...backupEvery("cron(0 */2 ? * * *)")], POLICY), [
      [
        urnOf(BUCKET, "ledger"),
        "aws:s3/bucket:Bucket ledger: expected a cross-Region mechanism with a modelled RPO of at most 900 s, " +
          `found at best 7500 s (backup-copy to ${PEER}: 7500 s). Losing the Region would lose more recent writes ` +
          "than the target allows; add a faster mechanism (replication, replica, or a tighter backup schedule) or " +
          "revisit the target.",
      ],
    ]);
  });

  it("accepts the same store once it also replicates with Replication Time Control", () => {
    assert.deepStrictEqual(
      reported([ledger, ...backupEvery("cron(0 */2 ? * * *)"), ...replicatedWithRtc(15)], POLICY),
      [],
    );
  });

  it("follows the configured target", () => {
    const config = { [POLICY]: { rpoSeconds: 10800 } };
    assert.deepStrictEqual(reported([ledger, ...backupEvery("cron(0 */2 ? * * *)")], POLICY, config), []);
  });

  it("leaves a store with no bounded mechanism to the cross-Region copy rule", () => {
    assert.deepStrictEqual(reported([ledger, ...replicatedWithRtc(undefined)], POLICY), []);
    assert.deepStrictEqual(reported([ledger], POLICY), []);
  });

  it("does not judge the replica bucket, which is a copy, even when a slow backup also covers it", () => {
    const replicaArn = "arn:aws:s3:::ledger-replica";
    const [replica, replication] = replicatedWithRtc(15);
    const withArn = { ...replica, outputs: { ...replica.outputs, arn: replicaArn } };
    const slowBackupOfReplica = [
      resource(
        "aws:backup/plan:Plan",
        "replica-plan",
        {
          region: PEER,
          rules: [
            {
              ruleName: "two-hourly",
              schedule: "cron(0 */2 ? * * *)",
              copyActions: [
                { destinationVaultArn: `arn:aws:backup:${PRIMARY}:${ACCOUNT}:backup-vault:back` },
              ],
            },
          ],
        },
        { outputs: { id: "plan-2" } },
      ),
      resource("aws:backup/selection:Selection", "replica-selection", {
        planId: "plan-2",
        resources: [replicaArn],
      }),
    ];
    assert.deepStrictEqual(reported([ledger, withArn, replication, ...slowBackupOfReplica], POLICY), []);
    // The same backup on a store of the stack's own is judged.
    const own = resource(
      BUCKET,
      "ledger-replica",
      { bucket: "ledger-replica", region: PEER },
      { outputs: { id: "ledger-replica", arn: replicaArn } },
    );
    assert.deepStrictEqual(
      reported([own, ...slowBackupOfReplica], POLICY).map(([urn]) => urn),
      [urnOf(BUCKET, "ledger-replica")],
    );
  });
});

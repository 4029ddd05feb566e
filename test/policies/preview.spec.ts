/**
 * The pack at preview (fail closed): a first deployment as `pulumi preview` hands it to the pack,
 * with ARNs and keys created in the same update unknown and attributed only through the engine's
 * propertyDependencies. What those prove passes; what they cannot prove is a mandatory violation
 * that says what is unknown — never a silent skip.
 */
import * as assert from "assert";
import { expectViolations, PEER, PRIMARY, resource, UNKNOWN_VALUE, urnOf, violations } from "./fixtures";
import { kmsKey, previewBackup } from "./previewScenarios";
import { T } from "./scenarios";

const U = UNKNOWN_VALUE;
const KEY = "aws:kms/key:Key";
const COPY = "aws-datastore-cross-region-copy";
const KEY_PROVEN = "aws-datastore-encryption-key-proven";

const DB = urnOf(T.db, "db");

describe("the pack at preview (fail closed)", () => {
  it("passes a new store whose backup selection, copy vault and keys are proven through propertyDependencies", () => {
    const mandatory = violations(previewBackup()).filter((v) => v.enforcementLevel === "mandatory");
    assert.deepStrictEqual(mandatory, []);
  });

  it("reports a new store that no selection's dependencies name (an unknown ARN is not a wildcard)", () =>
    expectViolations(previewBackup({ selectionDeps: [] }), COPY, [
      [DB, "RDS DB instance db in us-east-1 has no copy in another Region"],
    ]));

  it("reports a copy whose new vault key comes from a key in the store's own Region", () =>
    expectViolations(previewBackup({ copyVaultKey: "backup" }), COPY, [
      [
        DB,
        "rule hourly copies to vault copies in us-west-2, encrypted with a key in us-east-1: expected a key in us-west-2",
      ],
    ]));

  it("reports a copy destination that the plan's dependencies do not single out, saying what is unknown", () =>
    expectViolations(previewBackup({ planRuleDeps: [] }), COPY, [
      [
        DB,
        'RDS DB instance db in "us-east-1": a copy in another Region cannot be proven at preview: backup selection selection (plan plan): rule hourly copies to a vault whose ARN is unknown until apply and that its dependencies do not single out',
      ],
    ]));

  it("reports a store whose new key comes from a key in another Region", () =>
    expectViolations(previewBackup({ dbKey: "backup-peer" }), KEY_PROVEN, [
      [
        DB,
        "RDS DB instance db in us-east-1 is encrypted with KMS key backup-peer in us-west-2: expected kmsKeyId to be a key in us-east-1.",
      ],
    ]));

  it("reports a store whose unknown key comes from no KMS key declared in the stack", () =>
    expectViolations(
      [resource(T.db, "db", { storageEncrypted: true, kmsKeyId: U }, { outputs: { arn: U } })],
      KEY_PROVEN,
      [
        [
          DB,
          'RDS DB instance db: its key cannot be proven at preview: kmsKeyId is unknown until apply and comes from no KMS key declared in this stack. Expected kmsKeyId to be a known customer-managed key ARN or to come from a KMS key declared in this stack, in "us-east-1".',
        ],
      ],
    ));

  it("reports a store behind a provider whose Region is computed", () => {
    const stack = previewBackup().map((r) =>
      r.urn === DB
        ? { ...r, outputs: { ...r.outputs, region: U }, provider: { ...r.provider!, props: { region: U } } }
        : r,
    );
    expectViolations(stack, COPY, [
      [DB, "its own Region is unknown until apply (its region input or its provider's Region is computed)"],
    ]);
  });

  it("takes a Region the engine shows unknown but the program did not compute from the provider", () => {
    const stack = previewBackup().map((r) =>
      r.urn === DB ? { ...r, outputs: { ...r.outputs, region: U } } : r,
    );
    assert.deepStrictEqual(
      violations(stack).filter((v) => v.enforcementLevel === "mandatory"),
      [],
    );
  });

  it("reports a replica whose new key comes from the source Region (DynamoDB TableReplica)", () =>
    expectViolations(
      [
        kmsKey("data", PRIMARY),
        resource(
          "aws:dynamodb/table:Table",
          "table",
          { serverSideEncryption: { enabled: true, kmsKeyArn: U } },
          { outputs: { arn: U }, propertyDependencies: { serverSideEncryption: [urnOf(KEY, "data")] } },
        ),
        resource(
          "aws:dynamodb/tableReplica:TableReplica",
          "replica",
          { globalTableArn: U, region: PEER, kmsKeyArn: U },
          {
            propertyDependencies: {
              globalTableArn: [urnOf("aws:dynamodb/table:Table", "table")],
              kmsKeyArn: [urnOf(KEY, "data")],
            },
          },
        ),
      ],
      COPY,
      [
        [
          urnOf("aws:dynamodb/table:Table", "table"),
          "DynamoDB table replica replica to us-west-2 encrypts with a key in us-east-1: expected a key in us-west-2",
        ],
      ],
    ));

  it("runs the RPO estimate on a preview without a can't-run note", () =>
    assert.deepStrictEqual(
      violations(previewBackup(), "aws-datastore-rpo-estimate").map((v) => v.message),
      [],
    ));
});

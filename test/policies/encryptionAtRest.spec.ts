import * as assert from "assert";
import { AT_REST_TYPES } from "../../policies/encryption/encryptionAtRest";
import { FIXTURES, withValue } from "./atRestFixtures";
import { expectViolations, key, PEER, PRIMARY, resource, urnOf } from "./fixtures";

const CMK = key(PRIMARY);

describe("encryption-at-rest rules", () => {
  it("covers every listed data-store type with a fixture", () => {
    assert.deepStrictEqual(AT_REST_TYPES.map((t) => t.type).sort(), Object.keys(FIXTURES).sort());
  });

  for (const entry of AT_REST_TYPES) {
    const fixture = FIXTURES[entry.type];
    const policy = `${entry.prefix}-encryption-at-rest`;
    const urn = urnOf(entry.type, "store");
    const run = (
      props: Record<string, unknown>,
      expected: [string, string][],
      config?: Record<string, unknown>,
    ) =>
      expectViolations(
        [resource(entry.type, "store", props)],
        policy,
        expected,
        config ? { [policy]: config } : undefined,
      );

    describe(policy, () => {
      it("passes a store encrypted with a customer-managed key in its own Region", () =>
        run(fixture.compliant, []));

      if (fixture.unencrypted) {
        const unencrypted = { ...fixture.compliant, ...fixture.unencrypted };
        for (const k of Object.keys(unencrypted)) if (unencrypted[k] === undefined) delete unencrypted[k];
        it("reports a store that is not encrypted at rest, naming expected and actual", () =>
          run(unencrypted, [[urn, `${entry.label} is not encrypted at rest: expected`]]));
      }

      if (fixture.keyPath.length > 0 && !fixture.keyIsEncryption) {
        it("reports the service's default key when a customer-managed key is required", () =>
          run(withValue(fixture.compliant, fixture.keyPath, undefined), [
            [urn, `${entry.label} is not encrypted with a customer-managed key`],
          ]));
      }
      if (fixture.keyPath.length > 0) {
        it("reports an AWS-managed alias as not customer-managed", () =>
          run(withValue(fixture.compliant, fixture.keyPath, "alias/aws/service"), [
            [urn, '"alias/aws/service" (AWS-managed)'],
          ]));
        it("reports a key in another Region than the store", () =>
          run(withValue(fixture.compliant, fixture.keyPath, key(PEER)), [
            [urn, `in ${PRIMARY} is encrypted with a key in ${PEER}`],
          ]));
      }
      if (fixture.keyPath.length > 0 && !fixture.keyIsEncryption) {
        it("accepts the default key when requireCustomerManagedKey is false", () =>
          run(withValue(fixture.compliant, fixture.keyPath, undefined), [], {
            requireCustomerManagedKey: false,
          }));
      }
    });
  }

  it("accepts an encrypted cross-Region RDS replica whose kmsKeyId is in the replica's Region", () =>
    expectViolations(
      [
        resource("aws:rds/instance:Instance", "replica", {
          replicateSourceDb: "arn:aws:rds:us-east-1:1:db:src",
          kmsKeyId: key(PEER),
          region: PEER,
        }),
      ],
      "rds-instance-encryption-at-rest",
      [],
    ));

  it("reports a DynamoDB replica whose key is in another Region than the replica", () => {
    const table = {
      serverSideEncryption: { enabled: true, kmsKeyArn: CMK },
      replicas: [{ regionName: PEER, kmsKeyArn: CMK }],
    };
    expectViolations(
      [resource("aws:dynamodb/table:Table", "table", table)],
      "dynamodb-table-encryption-at-rest",
      [
        [
          urnOf("aws:dynamodb/table:Table", "table"),
          `DynamoDB replica in ${PEER} has replicas[].kmsKeyArn in ${PRIMARY}`,
        ],
      ],
    );
  });

  const GROUP = "aws:elasticache/replicationGroup:ReplicationGroup";
  it("trusts a Global Datastore secondary's inherited encryption only when its flags are absent", () => {
    const secondary = (inputs: Record<string, unknown>) =>
      resource(GROUP, "store", { globalReplicationGroupId: "ldgnf-global", kmsKeyId: CMK, ...inputs });
    expectViolations([secondary({})], "elasticache-replication-group-encryption-at-rest", []);
    expectViolations(
      [secondary({ atRestEncryptionEnabled: false })],
      "elasticache-replication-group-encryption-at-rest",
      [[urnOf(GROUP, "store"), "ElastiCache replication group is not encrypted at rest: expected"]],
    );
  });

  it("accepts the customer-managed-key check on an FSx for Lustre scratch file system, which cannot use one", () =>
    expectViolations(
      [resource("aws:fsx/lustreFileSystem:LustreFileSystem", "scratch", { deploymentType: "SCRATCH_2" })],
      "fsx-lustre-file-system-encryption-at-rest",
      [],
    ));
});

import * as assert from "assert";
import { tableArnInRegion } from "../../../components/failover/failoverState";
import { find, findAll, renderTestStack } from "../../helpers/stacks";

const regionOf = (arn: unknown) => String(arn).split(":")[3];

describe("failover state: a DynamoDB global table declared by the primary stack", () => {
  before(async function () {
    this.timeout(180_000);
    await Promise.all([renderTestStack("primary"), renderTestStack("dr")]);
  });

  it("creates the table in the primary Region, encrypted with its data key, with PITR, streams and deletion protection", async () => {
    const primary = await renderTestStack("primary");
    const keys = primary.outputs.keys as Record<string, string>;
    const table = find(primary, "aws:dynamodb/table:Table", "failover-state-table");
    const { tags: _tags, replicas: _replicas, ...inputs } = table.inputs;
    assert.deepStrictEqual(inputs, {
      name: "payments-dr-primary-failover-state",
      region: "us-east-1",
      billingMode: "PAY_PER_REQUEST",
      hashKey: "pk",
      rangeKey: "sk",
      attributes: [
        { name: "pk", type: "S" },
        { name: "sk", type: "S" },
      ],
      streamEnabled: true,
      streamViewType: "NEW_AND_OLD_IMAGES",
      serverSideEncryption: { enabled: true, kmsKeyArn: keys.data },
      pointInTimeRecovery: { enabled: true },
      deletionProtectionEnabled: true,
    });
    assert.strictEqual(regionOf(keys.data), "us-east-1");
    assert.strictEqual(table.protect, true);
  });

  it("replicates the table into the dr Region, encrypted with the dr Region's key and with its own PITR", async () => {
    const primary = await renderTestStack("primary");
    const peerKeys = primary.outputs.peerKeys as Record<string, string>;
    const table = find(primary, "aws:dynamodb/table:Table", "failover-state-table");
    assert.deepStrictEqual(table.inputs.replicas, [
      {
        regionName: "us-west-2",
        kmsKeyArn: peerKeys.data,
        pointInTimeRecovery: true,
        deletionProtectionEnabled: true,
        propagateTags: true,
      },
    ]);
    assert.strictEqual(regionOf(peerKeys.data), "us-west-2");
  });

  it("is not redeclared by the dr stack, which publishes the replica's name and its dr-Region ARN", async () => {
    const primary = await renderTestStack("primary");
    const dr = await renderTestStack("dr");
    assert.deepStrictEqual(findAll(dr, "aws:dynamodb/table:Table"), []);
    const replica = (
      find(primary, "aws:dynamodb/table:Table", "failover-state-table").outputs.replicas as { arn: string }[]
    )[0];
    assert.deepStrictEqual(dr.outputs.failoverState, {
      tableName: "payments-dr-primary-failover-state",
      tableArn: replica.arn,
    });
    assert.strictEqual(
      replica.arn,
      "arn:aws:dynamodb:us-west-2:111122223333:table/payments-dr-primary-failover-state",
    );
    assert.deepStrictEqual(primary.outputs.failoverState, {
      tableName: "payments-dr-primary-failover-state",
      tableArn: "arn:aws:dynamodb:us-east-1:111122223333:table/payments-dr-primary-failover-state",
    });
  });

  it("derives a global table's ARN in another Region and refuses anything but a table ARN", () => {
    assert.strictEqual(
      tableArnInRegion("us-west-2", "arn:aws:dynamodb:us-east-1:111122223333:table/t"),
      "arn:aws:dynamodb:us-west-2:111122223333:table/t",
    );
    assert.throws(
      () => tableArnInRegion("us-west-2", "arn:aws:s3:::bucket"),
      /Expected a DynamoDB table ARN/,
    );
  });
});

/**
 * `npm run failover -- restore-drill` through the real entry point: config from Pulumi.dr.yaml,
 * real SDK clients against the fake AWS endpoint (scenario.ts).
 */
import * as assert from "assert";
import { Scenario } from "./scenario";

const VAULT_PATH = "/backup-vaults/payments-dr-primary-copies/recovery-points";
const POINT = "arn:aws:backup:us-west-2:111122223333:recovery-point:table-1";

describe("restore-drill entry point as a subprocess (fake AWS endpoint)", function () {
  this.timeout(120_000);
  let s: Scenario;
  beforeEach(async () => {
    s = await new Scenario().start();
  });
  afterEach(() => s.stop());

  it("--dry-run --json: lists the dr copy vault in us-west-2, plans the restore, starts nothing, exit 0", async () => {
    s.aws.recoveryPoints = [
      {
        RecoveryPointArn: POINT,
        ResourceArn: "arn:aws:dynamodb:us-east-1:111122223333:table/payments-dr-failover-state",
        ResourceType: "DynamoDB",
        Status: "COMPLETED",
        CreationDate: 1_796_000_000,
      },
    ];
    const result = await s.launch(["restore-drill", "--dry-run", "--json"]).done;
    assert.strictEqual(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout) as {
      vaultName: string;
      region: string;
      dryRun: boolean;
      stores: { resourceType: string; outcome: string; recoveryPointArn: string }[];
    };
    assert.deepStrictEqual(
      [report.vaultName, report.region, report.dryRun],
      ["payments-dr-primary-copies", "us-west-2", true],
    );
    assert.deepStrictEqual(
      report.stores.map((x) => [x.resourceType, x.outcome, x.recoveryPointArn]),
      [["DynamoDB", "planned", POINT]],
    );
    assert.deepStrictEqual(
      s.aws.calls.map((c) => [c.action, c.region]),
      [[`backup:GET ${VAULT_PATH}`, "us-west-2"]],
    );
  });

  it("without --restore-role-arn: exit 1 with the fix, nothing sent to AWS", async () => {
    const result = await s.launch(["restore-drill"]).done;
    assert.strictEqual(result.code, 1);
    assert.match(result.stderr, /^restore-drill needs --restore-role-arn: .* Nothing was started\.\n$/);
    assert.deepStrictEqual(s.aws.calls, []);
  });

  it("--help: exit 64 with the usage naming restore-drill", async () => {
    const result = await s.launch(["restore-drill", "--help"]).done;
    assert.strictEqual(result.code, 64);
    assert.match(result.stderr, /npm run failover -- restore-drill \[--stack <name>\] \[--dry-run\]/);
  });
});

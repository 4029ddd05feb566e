import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { formatPosture, formatRestore, stackPosture } from "../../model/posture";
import { parseRestoreMeasurements, storeOfResourceArn } from "../../model/restoreTime";
import { parsePlanArgs, readRestoreMeasurements } from "../../tools/plan";
import { renderTestStack } from "../helpers/stacks";

const MEASURED = {
  resourceType: "RDS",
  store: "payments-dr-primary",
  seconds: 1312,
  samples: 3,
  latestAt: "2026-11-28T06:00:00.000Z",
};

describe("restore times in the posture (model/restoreTime.ts)", () => {
  it("names a store by the part of its ARN AWS does not generate", () => {
    assert.deepStrictEqual(
      [
        "arn:aws:s3:::objects-app-bucket-ae7a306",
        "arn:aws:dynamodb:us-east-1:111122223333:table/payments-dr-primary-failover-state",
        "arn:aws:rds:us-east-1:111122223333:db:payments-dr-primary",
        "arn:aws:ec2:us-east-1:111122223333:volume/vol-0123",
      ].map(storeOfResourceArn),
      ["objects-app-bucket-ae7a306", "payments-dr-primary-failover-state", "payments-dr-primary", "vol-0123"],
    );
  });

  it("shows the measured restore time next to the modelled one for the measured store only", async () => {
    const primary = await renderTestStack("primary");
    const posture = stackPosture(primary, [primary], undefined, [MEASURED]);
    const restores = Object.fromEntries(
      posture.stores.filter((s) => s.restore).map((s) => [s.name, s.restore]),
    );
    assert.deepStrictEqual(Object.keys(restores).sort(), [
      "database-instance",
      "failover-state-table",
      "objects-app-bucket",
      "objects-landing-bucket",
      "objects-search-snapshots-bucket",
    ]);
    assert.deepStrictEqual(restores["database-instance"]?.measured, {
      seconds: 1312,
      samples: 3,
      latestAt: "2026-11-28T06:00:00.000Z",
    });
    assert.strictEqual(restores["objects-app-bucket"]?.measured, undefined);
    const lines = formatPosture("primary", posture);
    assert.ok(
      lines.includes(
        "      restore from backup: modelled 1800 s, measured 1312 s (max of 3, latest 2026-11-28T06:00:00.000Z)",
      ),
      lines.join("\n"),
    );
  });

  it("gives no restore time to a store with no AWS Backup copy (the SSE-S3 cache snapshot bucket)", async () => {
    const primary = await renderTestStack("primary");
    const store = stackPosture(primary, [primary]).stores.find(
      (s) => s.name === "objects-cache-snapshots-bucket",
    );
    assert.ok(store);
    assert.strictEqual(store.restore, undefined);
  });

  it("says how to add measurements when there are none", () => {
    assert.strictEqual(
      formatRestore({ modelledSeconds: 3600, modelledBasis: "b" }),
      "restore from backup: modelled 3600 s, not measured (npm run plan -- --restore-measurements <file>)",
    );
  });

  it("refuses a measurements file entry with the field that is wrong", () => {
    assert.throws(
      () => parseRestoreMeasurements({ measurements: [{ ...MEASURED, seconds: -1 }] }, "t.json"),
      /^Error: t\.json: measurements\[0\]\.seconds = -1: expected a number of seconds >= 0$/,
    );
    assert.throws(
      () => parseRestoreMeasurements([], "t.json"),
      /^Error: t\.json: expected \{"measurements": \[\.\.\.\]\} as written by npm run failover -- restore-times --out t\.json$/,
    );
  });

  it("reads --restore-measurements in the plan, and fails clearly on a missing file", () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "restore-")), "m.json");
    fs.writeFileSync(file, JSON.stringify({ measurements: [MEASURED] }));
    assert.strictEqual(parsePlanArgs(["--restore-measurements", file]).restoreMeasurements, file);
    assert.deepStrictEqual(readRestoreMeasurements(file), [MEASURED]);
    assert.deepStrictEqual(readRestoreMeasurements(undefined), []);
    assert.throws(
      () => readRestoreMeasurements(`${file}.missing`),
      /^ConfigError: Cannot read .*m\.json\.missing: ENOENT/,
    );
  });
});

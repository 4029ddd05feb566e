import * as assert from "assert";
import { runNodeScript } from "../helpers/nodeScript";

/** Reads @pulumi/aws members in a fresh process and reports what they are and what was loaded. */
const SCRIPT = `
const aws = require("@pulumi/aws");
const loaded = (file) => Object.keys(require.cache).some((k) => k.endsWith("@pulumi/aws/" + file));
const report = {};
report.s3IsOwnModule = aws.s3 === require("@pulumi/aws/s3");
report.bucketIsSame = aws.s3.Bucket === require("@pulumi/aws/s3").Bucket;
report.functionIsSame = aws.getCallerIdentityOutput === require("@pulumi/aws/getCallerIdentity").getCallerIdentityOutput;
report.unusedServiceLoaded = loaded("acmpca/index.js");
if (process.argv[1] === "index-only") {
  report.region = aws.Region.USEast1;
  report.providerIsSame = aws.Provider === require("@pulumi/aws/provider").Provider;
  report.unusedServiceLoadedAfter = loaded("acmpca/index.js");
  report.s3StillSame = aws.s3 === require("@pulumi/aws/s3");
  report.keys = Object.keys(aws).length;
}
console.log(JSON.stringify(report));
`;

function run(loader: boolean, mode: string): Record<string, unknown> {
  return runNodeScript<Record<string, unknown>>(SCRIPT, { loader, args: [mode] });
}

describe("@pulumi/aws loads only the services a run uses (tools/runtime/register.js)", function () {
  this.timeout(60_000);

  it("answers a service and a provider function with the module the real index exports, loading no other service", () => {
    assert.deepStrictEqual(run(true, "services"), {
      s3IsOwnModule: true,
      bucketIsSame: true,
      functionIsSame: true,
      unusedServiceLoaded: false,
    });
  });

  it("loads the real index for a member only it has, after which every member is the same as in plain Node", () => {
    const lazy = run(true, "index-only");
    const plain = run(false, "index-only");
    assert.deepStrictEqual(lazy, { ...plain, unusedServiceLoaded: false });
    assert.deepStrictEqual(plain, {
      s3IsOwnModule: true,
      bucketIsSame: true,
      functionIsSame: true,
      unusedServiceLoaded: true,
      region: "us-east-1",
      providerIsSame: true,
      unusedServiceLoadedAfter: true,
      s3StillSame: true,
      keys: plain.keys,
    });
    assert.ok(
      (plain.keys as number) > 250,
      `the real index exports every service (got ${String(plain.keys)})`,
    );
  });
});

import * as assert from "assert";
import { spawnSync } from "child_process";
import * as path from "path";
import {
  DescribeAddressesCommand,
  DescribeInstanceTypesCommand,
  DescribeVpcsCommand,
} from "@aws-sdk/client-ec2";
import { DescribeClusterVersionsCommand } from "@aws-sdk/client-eks";
import { DescribeCacheEngineVersionsCommand } from "@aws-sdk/client-elasticache";
import { GetRoleCommand } from "@aws-sdk/client-iam";
import {
  ListInstanceTypeDetailsCommand,
  ListVersionsCommand,
  OpenSearchPartitionInstanceType,
} from "@aws-sdk/client-opensearch";
import { DescribeOrderableDBInstanceOptionsCommand } from "@aws-sdk/client-rds";
import { DescribeOrderableClusterOptionsCommand } from "@aws-sdk/client-redshift";
import { ListHostedZonesByNameCommand } from "@aws-sdk/client-route-53";
import { GetServiceQuotaCommand } from "@aws-sdk/client-service-quotas";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { parseStackConfig, StackConfig } from "../../../stacks/config";
import { readStackConfig } from "../../../tools/render/stackFiles";
import { main } from "../../../tools/doctor/cli";
import { allCalls, mocks, resetMocks } from "./fixtures";

const PROJECT_DIR = path.resolve(__dirname, "../../..");
const config = (stack: string): StackConfig => parseStackConfig(readStackConfig(stack), stack);

/** Answers every check of `stack` the way a ready account does. */
function readyAccount(stack: string): void {
  const c = config(stack);
  mocks.sts
    .on(GetCallerIdentityCommand)
    .resolves({ Account: "111122223333", Arn: "arn:aws:iam::111122223333:user/sre" });
  mocks.iam
    .on(GetRoleCommand)
    .resolves({ Role: { RoleName: "r", Path: "/", Arn: "arn:r", RoleId: "R", CreateDate: new Date() } });
  mocks.rds.on(DescribeOrderableDBInstanceOptionsCommand).resolves({
    OrderableDBInstanceOptions: [
      {
        EngineVersion: /\./.test(c.database.engineVersion)
          ? c.database.engineVersion
          : `${c.database.engineVersion}.6`,
      },
    ],
  });
  mocks.elasticache
    .on(DescribeCacheEngineVersionsCommand)
    .resolves({ CacheEngineVersions: [{ EngineVersion: c.cache.engineVersion }] });
  mocks.opensearch.on(ListVersionsCommand).resolves({ Versions: [c.search.engineVersion] });
  mocks.opensearch.on(ListInstanceTypeDetailsCommand).resolves({
    InstanceTypeDetails: [{ InstanceType: c.search.instanceType as OpenSearchPartitionInstanceType }],
  });
  mocks.redshift
    .on(DescribeOrderableClusterOptionsCommand)
    .resolves({ OrderableClusterOptions: [{ NodeType: c.warehouse.nodeType }] });
  mocks.eks.on(DescribeClusterVersionsCommand).resolves({
    clusterVersions: [
      {
        clusterVersion: c.eks.kubernetesVersion,
        versionStatus: "STANDARD_SUPPORT",
        endOfStandardSupportDate: new Date("2027-03-27T00:00:00Z"),
      },
    ],
  });
  mocks.route53.on(ListHostedZonesByNameCommand).resolves({
    HostedZones: [
      {
        Id: "/hostedzone/ZONE1",
        Name: `${c.dns.zoneName}.`,
        CallerReference: "x",
        Config: { PrivateZone: false },
      },
    ],
  });
  mocks.ec2.on(DescribeInstanceTypesCommand).resolves({ InstanceTypes: [{ VCpuInfo: { DefaultVCpus: 2 } }] });
  mocks.ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [] });
  mocks.ec2.on(DescribeAddressesCommand).resolves({ Addresses: [] });
  mocks.serviceQuotas.on(GetServiceQuotaCommand).resolves({ Quota: { Value: 64 } });
}

/** Before nodejs20.x's deprecation, so the runtime line passes whichever Node runtime is bundled. */
const BEFORE_RUNTIME_DEPRECATION = new Date("2026-01-01T00:00:00Z");

async function run(argv: string[], deps: Parameters<typeof main>[1] = {}) {
  const lines: string[] = [];
  const code = await main(argv, { today: BEFORE_RUNTIME_DEPRECATION, out: (l) => lines.push(l), ...deps });
  return { code, lines };
}

describe("doctor: command line", function () {
  this.timeout(120_000);
  beforeEach(resetMocks);

  it("exits 0 when every check of primary passes, one PASS line per check", async () => {
    readyAccount("primary");
    const { code, lines } = await run(["--stack", "primary"]);
    assert.strictEqual(code, 0);
    assert.strictEqual(lines[0], "payments-dr doctor: stack primary, Region us-east-1 (read-only AWS calls)");
    assert.strictEqual(lines.length, 22);
    assert.deepStrictEqual(
      lines.slice(1, -1).filter((l) => !l.startsWith("PASS ")),
      [],
    );
    assert.strictEqual(lines[21], "All 20 checks passed.");
  });

  it("exits 1 when one check fails, still running all the others", async () => {
    readyAccount("primary");
    mocks.redshift.on(DescribeOrderableClusterOptionsCommand).resolves({ OrderableClusterOptions: [] });
    const { code, lines } = await run(["--stack", "primary"]);
    assert.strictEqual(code, 1);
    assert.deepStrictEqual(
      lines.filter((l) => l.startsWith("FAIL ")).map((l) => l.split(":")[0]),
      ["FAIL redshift.orderable"],
    );
    assert.strictEqual(lines[lines.length - 1], "1 of 20 checks failed.");
  });

  it("adds the primary-outputs check for dr and reads the configured primary stack", async () => {
    readyAccount("dr");
    const asked: string[] = [];
    const { code, lines } = await run(["--stack", "dr", "--json"], {
      readOutputs: async (stack) => {
        asked.push(stack);
        return {};
      },
    });
    assert.strictEqual(code, 1);
    const report = JSON.parse(lines.join("\n"));
    assert.strictEqual(report.ok, false);
    assert.deepStrictEqual(
      report.stacks.map((s: { stack: string; region: string; checks: unknown[] }) => [
        s.stack,
        s.region,
        s.checks.length,
      ]),
      [["dr", "us-west-2", 21]],
    );
    const failed = report.stacks[0].checks.filter((c: { status: string }) => c.status === "fail");
    assert.deepStrictEqual(
      failed.map((c: { id: string }) => c.id),
      ["pulumi.primary-outputs"],
    );
    assert.deepStrictEqual(asked, ["organization/payments-dr/primary"]);
  });

  it("--dry-run lists every check of every stack, primary first, without credentials or AWS calls", async () => {
    const { code, lines } = await run(["--dry-run"], {
      clients: () => {
        throw new Error("a dry run must not create AWS clients");
      },
      readOutputs: () => Promise.reject(new Error("a dry run must not read stack outputs")),
    });
    assert.strictEqual(code, 0);
    assert.strictEqual(allCalls(), 0);
    assert.deepStrictEqual(
      lines.filter((l) => !l.startsWith("CHECK ")),
      [
        "payments-dr doctor (dry run, no AWS calls): stack primary, Region us-east-1, 20 checks",
        "payments-dr doctor (dry run, no AWS calls): stack dr, Region us-west-2, 21 checks",
      ],
    );
    assert.strictEqual(
      lines[1],
      "CHECK sts.identity: credentials resolve to an identity (STS GetCallerIdentity)",
    );
    assert.ok(
      lines.includes(
        `CHECK eks.version: Kubernetes ${config("dr").eks.kubernetesVersion} in EKS standard support in us-west-2 (EKS DescribeClusterVersions)`,
      ),
    );
    assert.strictEqual(lines[lines.length - 1].split(":")[0], "CHECK pulumi.primary-outputs");
  });

  it("exits 2 with the usage on an unknown argument, and names the stacks on an unknown stack", async () => {
    assert.deepStrictEqual(await run(["--stak", "dr"]), {
      code: 2,
      lines: [
        'Unknown or incomplete argument "--stak". Usage: npm run doctor -- [--stack <primary|dr>] [--dry-run] [--json]',
      ],
    });
    const unknown = await run(["--stack", "staging", "--dry-run"]);
    assert.strictEqual(unknown.code, 2);
    assert.match(
      unknown.lines[0],
      /^No stack file Pulumi\.staging\.yaml: expected one of .*dr.*primary|^No stack file Pulumi\.staging\.yaml: expected one of .*primary.*dr/,
    );
  });

  it("runs as `npm run doctor -- --dry-run` in a subprocess with no AWS credentials", () => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      AWS_EC2_METADATA_DISABLED: "true",
      AWS_CONFIG_FILE: "/nonexistent",
      AWS_SHARED_CREDENTIALS_FILE: "/nonexistent",
    };
    for (const key of ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"])
      delete env[key];
    const result = spawnSync("npm", ["run", "--silent", "doctor", "--", "--dry-run"], {
      cwd: PROJECT_DIR,
      env,
      encoding: "utf8",
    });
    assert.strictEqual(result.status, 0, result.stderr);
    const lines = result.stdout.trim().split("\n");
    assert.strictEqual(lines.filter((l) => l.startsWith("CHECK ")).length, 41);
    assert.strictEqual(
      lines[0],
      "payments-dr doctor (dry run, no AWS calls): stack primary, Region us-east-1, 20 checks",
    );
  });
});

import * as assert from "assert";
import { CloudWatchClient, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeInstanceTypesCommand, EC2Client } from "@aws-sdk/client-ec2";
import { IAMClient, SimulatePrincipalPolicyCommand } from "@aws-sdk/client-iam";
import { GetHealthCheckStatusCommand } from "@aws-sdk/client-route-53";
import { mockClient } from "aws-sdk-client-mock";
import { vcpuQueries } from "../../../automation/readiness/capacity";
import { readinessOutput, runReadiness, ReadinessInput } from "../../../automation/readiness/readiness";
import { drView } from "../../../automation/stack/drOutputs";
import { RunRecord } from "../../../automation/state/stateStore";
import { DR_OUTPUTS_STANDBY, fakeAws } from "../fakes";
import { DR_CONFIG, harness } from "../harness";
import { readiness } from "../../../automation/readiness/command";
import { PutItemCommand } from "@aws-sdk/client-dynamodb";

const NOW = new Date("2026-12-05T08:00:00Z");
const ROLE = "arn:aws:iam::111122223333:role/payments-dr-failover-runner";
const OUTPUTS = { ...DR_OUTPUTS_STANDBY, dns: { healthCheckId: "7c2d9e4a-dr" } };

const drill = (status: RunRecord["status"], startedAt: string): RunRecord => ({
  runId: "20261020T091500Z-3be2f1",
  kind: "failover",
  status,
  startedAt,
  updatedAt: startedAt,
  version: 7,
  steps: {},
  forced: [],
});

function setup() {
  const aws = fakeAws();
  aws.route53.on(GetHealthCheckStatusCommand).resolves({
    HealthCheckObservations: [
      { Region: "us-west-2", StatusReport: { Status: "Success: HTTP Status Code 200, OK" } },
      { Region: "us-east-1", StatusReport: { Status: "Success: HTTP Status Code 200, OK" } },
      { Region: "eu-west-1", StatusReport: { Status: "Failure: Connection timed out." } },
    ],
  });
  aws.nodegroup = { status: "ACTIVE", desiredSize: 1, minSize: 1, maxSize: 6, healthIssues: [] };
  aws.searchHandler = async () => ({
    statusCode: 200,
    body: JSON.stringify({ num_syncing_indices: 2, num_failed_indices: 0 }),
  });
  const iamClient = new IAMClient({ region: "us-west-2" });
  const ec2Client = new EC2Client({ region: "us-west-2" });
  const quotaClient = new CloudWatchClient({ region: "us-west-2" });
  const iam = mockClient(iamClient);
  const ec2 = mockClient(ec2Client);
  const quota = mockClient(quotaClient);
  iam.on(SimulatePrincipalPolicyCommand).callsFake((input) => ({
    EvaluationResults: input.ActionNames.map((a: string) => ({ EvalActionName: a, EvalDecision: "allowed" })),
  }));
  ec2
    .on(DescribeInstanceTypesCommand)
    .resolves({ InstanceTypes: [{ InstanceType: "m6i.large", VCpuInfo: { DefaultVCpus: 2 } }] });
  quota.on(GetMetricDataCommand).resolves({
    MetricDataResults: [
      { Id: "usage", Values: [36] },
      { Id: "quota", Values: [64] },
    ],
  });
  let latest: RunRecord | undefined = drill("succeeded", "2026-10-20T09:15:00Z");
  const input = (overrides: Partial<ReadinessInput> = {}): ReadinessInput => ({
    stack: "dr",
    config: DR_CONFIG,
    view: drView(OUTPUTS),
    outputs: OUTPUTS,
    clients: aws.clients,
    readinessClients: { iam: iamClient, ec2: ec2Client, cloudWatch: quotaClient },
    deployments: async () => [
      { stack: "dr", version: 57, commit: "4be0c1d" },
      { stack: "organization/payments-dr/primary", version: 212, commit: "4be0c1d" },
    ],
    latestFailover: async () => latest,
    roleArn: ROLE,
    now: NOW,
    retry: { sleep: async () => undefined },
    ...overrides,
  });
  return { aws, iam, ec2, quota, input, setLatest: (r: RunRecord | undefined) => (latest = r) };
}

describe("readiness (read-only: would a failover work now?)", () => {
  it("passes every check with one line each and exits 0", async () => {
    const { aws, iam, quota, input } = setup();
    const report = await runReadiness(input());
    const { text, exitCode } = readinessOutput(report, false);
    assert.strictEqual(
      text,
      [
        "Readiness of stack dr for a failover:",
        "  PASS  dr-standby           dr stack mode is standby",
        "  PASS  database-lag         RDS ReplicaLag 4 s (limit 60 s, failover.maxReplicaLagSeconds)",
        "  PASS  cache-lag            ElastiCache GlobalDatastoreReplicationLag 2 s (limit 60 s, failover.maxReplicaLagSeconds)",
        "  PASS  search-lag           2 follower index(es) syncing",
        "  PASS  dr-workload-healthy  Route 53 health check 7c2d9e4a-dr of the dr endpoint: 2 of 3 checkers see it healthy",
        "  PASS  node-capacity        node group payments-dr-nodes 1 -> 3 (max 6) needs 4 more vCPUs (2 × 2, m6i.large); On-Demand Standard vCPU quota 64, in use 36",
        "  PASS  same-version         organization/payments-dr/primary update 212 from 4be0c1d; dr update 57 from 4be0c1d",
        `  PASS  lever-permissions    ${ROLE} may take all 14 failover actions`,
        "  PASS  last-drill           last failover run 20261020T091500Z-3be2f1 succeeded, 45 day(s) ago (limit 90)",
        "Ready: a failover would work now.",
        "",
      ].join("\n"),
    );
    assert.strictEqual(exitCode, 0);
    assert.deepStrictEqual(
      quota.commandCalls(GetMetricDataCommand)[0].args[0].input.MetricDataQueries,
      vcpuQueries,
    );
    assert.deepStrictEqual(
      iam.commandCalls(SimulatePrincipalPolicyCommand).map((c) => c.args[0].input.ResourceArns?.[0]),
      [
        "arn:aws:route53:::healthcheck/3f1b7d2e-8c4a-4e6b-9a1d-5c2e7f8a9b01",
        "arn:aws:elasticache::111122223333:globalreplicationgroup:ldgnf-payments-cache",
        "arn:aws:dynamodb:us-west-2:111122223333:table/payments-dr-failover-state",
        "arn:aws:es:us-west-2:111122223333:domain/payments-search-dr/*",
        "arn:aws:rds:us-west-2:111122223333:db:payments-db-dr",
        "*",
      ],
    );
    assert.deepStrictEqual(aws.nodegroupRequests, [["payments-dr-eks", "payments-dr-nodes"]]);
    // Read-only: no lock, no progress record.
    assert.deepStrictEqual(aws.table.stub?.calls().length ?? 0, 0);
  });

  it("fails each broken check with its fix, keeps checking after an AWS error, and exits 1", async () => {
    const { aws, iam, quota, input, setLatest } = setup();
    aws.nodegroup = { status: "ACTIVE", desiredSize: 1, minSize: 1, maxSize: 2, healthIssues: [] };
    iam.on(SimulatePrincipalPolicyCommand).callsFake((i) => ({
      EvaluationResults: i.ActionNames.map((a: string) => ({
        EvalActionName: a,
        EvalDecision: a === "route53:UpdateHealthCheck" ? "implicitDeny" : "allowed",
      })),
    }));
    aws.route53
      .on(GetHealthCheckStatusCommand)
      .rejects(Object.assign(new Error("Rate exceeded"), { name: "SomethingOdd" }));
    quota.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
    setLatest(drill("failed", "2026-06-01T10:00:00Z"));
    const report = await runReadiness(
      input({
        deployments: async () => [
          { stack: "dr", version: 57, commit: "4be0c1d", dirty: true },
          { stack: "organization/payments-dr/primary", version: 212, commit: "9aa31f0" },
        ],
      }),
    );
    const failed = report.checks.filter((c) => !c.ok).map((c) => `${c.id}: ${c.detail} — fix: ${c.fix}`);
    assert.deepStrictEqual(failed, [
      "dr-workload-healthy: could not check: Rate exceeded — fix: check the dr load balancer's targets",
      "node-capacity: node group payments-dr-nodes max size 2 is below the active size 3 — fix: pulumi config set --path payments-dr:eks.maxNodeCount 3 --stack dr, then pulumi up --stack dr",
      "same-version: organization/payments-dr/primary update 212 from 9aa31f0; dr update 57 from 4be0c1d (dirty tree) — fix: pulumi up --stack dr from the commit primary runs (a clean checkout)",
      `lever-permissions: ${ROLE} is denied route53:UpdateHealthCheck on arn:aws:route53:::healthcheck/3f1b7d2e-8c4a-4e6b-9a1d-5c2e7f8a9b01: implicitDeny — fix: allow those actions in the role's policy (components/failover/failoverRunnerPolicy.ts)`,
      "last-drill: last failover run 20261020T091500Z-3be2f1 failed, 186 day(s) ago (limit 90) — fix: run a game-day drill (docs/drills.md)",
    ]);
    const { text, exitCode } = readinessOutput(report, false);
    assert.strictEqual(exitCode, 1);
    assert.match(text, /\nNOT READY: 5 check\(s\) failed\.\n$/);
    assert.match(
      text,
      /\n {2}FAIL {2}node-capacity {8}node group payments-dr-nodes max size 2 is below the active size 3 — fix: pulumi config set /,
    );
  });

  it("fails the quota check when the headroom is below the scale-up, and without a role names --role-arn", async () => {
    const { quota, input } = setup();
    quota.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        { Id: "usage", Values: [62] },
        { Id: "quota", Values: [64] },
      ],
    });
    const report = await runReadiness(input({ roleArn: undefined }));
    const byId = Object.fromEntries(report.checks.map((c) => [c.id, c]));
    assert.deepStrictEqual(byId["node-capacity"], {
      id: "node-capacity",
      ok: false,
      detail:
        "node group payments-dr-nodes 1 -> 3 (max 6) needs 4 more vCPUs (2 × 2, m6i.large); only 2 left under the quota of 64 (in use 62)",
      fix: "request a quota increase of L-1216C47A to at least 66 vCPUs in this Region",
    });
    assert.deepStrictEqual(byId["lever-permissions"], {
      id: "lever-permissions",
      ok: false,
      detail: "no role to simulate",
      fix: "pass --role-arn <the role the controller runs as>",
    });
    const json = JSON.parse(readinessOutput(report, true).text) as { ready: boolean; checks: unknown[] };
    assert.deepStrictEqual([json.ready, json.checks.length], [false, 9]);
  });
});

describe("readiness through the Automation API (fake pulumi CLI)", () => {
  it("only reads: the dr outputs and both stacks' last update, never config, preview or up", async () => {
    const h = harness();
    const { input } = setup();
    const mocks = input().readinessClients;
    const report = await readiness({ ...h.options(), readinessClientFactory: () => mocks, roleArn: ROLE });
    const verbs = h.pulumi.calls.map((c) => `${c[0]} ${c[1]} ${c[c.indexOf("--stack") + 1]}`);
    assert.deepStrictEqual(verbs, [
      "stack select dr",
      "stack output dr",
      "stack output dr",
      "stack select dr",
      "stack history dr",
      "stack select organization/payments-dr/primary",
      "stack history organization/payments-dr/primary",
    ]);
    // The fake CLI's history records no git commit: the versions cannot be shown equal.
    const sameVersion = report.checks.find((c) => c.id === "same-version");
    assert.deepStrictEqual(sameVersion, {
      id: "same-version",
      ok: false,
      detail:
        "organization/payments-dr/primary update 42 from an unknown commit; dr update 42 from an unknown commit",
      fix: "pulumi up --stack dr from the commit primary runs (a clean checkout)",
    });
    assert.strictEqual(readinessOutput(report, false).exitCode, 1);
    assert.strictEqual(h.aws.table.stub?.commandCalls(PutItemCommand).length, 0);
  });
});

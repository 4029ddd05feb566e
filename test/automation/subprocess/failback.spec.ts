/**
 * Fault injection on the real entry point for the failback (`npm run failover -- failback`), on
 * the failover suite's fake `pulumi` and fake AWS (scenario.ts). The scenarios start from a
 * failed-over world: the fake state holds dr's active outputs.
 */
import * as assert from "assert";
import * as fs from "fs";
import { FAILBACK_PLAN } from "../../../automation/failback/plan";
import { RunReport } from "../../../automation/run/report";
import { PRIMARY_OUTPUTS } from "../failback/fakeFailback";
import { Result, Scenario } from "./scenario";

/** dr active after a graceful failover (its cache the Global Datastore primary); the primary stack back. */
function failedOver(s: Scenario): Scenario {
  const state = JSON.parse(fs.readFileSync(s.stateFile, "utf8")) as Record<string, unknown>;
  fs.writeFileSync(
    s.stateFile,
    JSON.stringify({
      ...state,
      mode: "active",
      outputs: state.activeOutputs,
      standbyOutputs: state.outputs,
      primary: { config: {}, outputs: PRIMARY_OUTPUTS },
    }),
  );
  s.aws.cacheRole = "PRIMARY";
  return s;
}
const report = (r: Result) => JSON.parse(r.stdout) as RunReport;
/** The fake `pulumi` calls that change a stack. */
const changes = (s: Scenario, from = 0) =>
  s
    .pulumiCalls()
    .slice(from)
    .filter((c) => /^(config set|config rm|up) /.test(c));
/** The AWS calls that change something. */
const awsChanges = (s: Scenario, from = 0) =>
  s.aws.calls
    .slice(from)
    .map((c) => `${c.action} (${c.region})`)
    .filter((a) =>
      /Modify|UpdateHealthCheck|Failover|outboundConnection \(|accept|^es:(DELETE|POST|PUT) \/_/.test(a),
    );

const PRIMARY = "--stack organization/payments-dr/primary";
const DR_ARN = "arn:aws:rds:us-west-2:111122223333:db:payments-db-dr";
const RESEED = [
  `config set --path payments-dr:generation.database ${PRIMARY} --plaintext -- 1`,
  `config set --path payments-dr:generation.reseedSourceArn ${PRIMARY} --plaintext -- ${DR_ARN}`,
  `up --yes --skip-preview --exec-kind auto.local ${PRIMARY}`,
];
const PROMOTE = [
  `config rm payments-dr:generation.reseedSourceArn ${PRIMARY} --path`,
  `up --yes --skip-preview --exec-kind auto.local ${PRIMARY}`,
];
const STANDBY = [
  "config set payments-dr:mode --stack dr --plaintext -- standby",
  "config set payments-dr:confirmReturnToStandby --stack dr --plaintext -- true",
  "config set --path payments-dr:generation.database --stack dr --plaintext -- 1",
  "up --yes --skip-preview --exec-kind auto.local --stack dr",
  "config rm payments-dr:confirmReturnToStandby --stack dr",
];
const AWS_CHANGES = [
  "es:POST /2021-01-01/opensearch/cc/outboundConnection (us-east-1)",
  "es:PUT /2021-01-01/opensearch/cc/inboundConnection/cc-failback/accept (us-west-2)",
  "es:POST /_plugins/_replication/_autofollow (us-east-1)",
  "rds:ModifyDBParameterGroup (us-west-2)",
  "elasticache:FailoverGlobalReplicationGroup (us-east-1)",
  "es:DELETE /_plugins/_replication/_autofollow (us-east-1)",
  "es:POST /_plugins/_replication/payments/_stop (us-east-1)",
  "es:POST /_plugins/_replication/refunds/_stop (us-east-1)",
  "route53:UpdateHealthCheck (us-west-2)",
  "es:POST /_plugins/_replication/_autofollow (us-west-2)",
];

describe("failback entry point as a subprocess (fake pulumi on PATH, fake AWS endpoint)", function () {
  this.timeout(120_000);
  const scenarios: Scenario[] = [];
  let eof: Scenario, dry: Scenario, happy: Scenario;
  let runs: Record<string, Promise<Result>>;

  before(async () => {
    [eof, dry, happy] = await Promise.all(
      [1, 2, 3].map(async () => failedOver(await new Scenario().start())),
    );
    scenarios.push(eof, dry, happy);
    runs = {
      happy: happy.launch(["failback", "--execute", "--yes", "--json"]).done,
      eof: eof.launch(["failback", "--execute"], { stdin: "" }).done,
      dry: dry.launch(["failback", "--dry-run"]).done,
    };
  });

  after(async () => {
    await Promise.all(scenarios.map((s) => s.stop()));
  });

  it("happy path: exit 0, the exact Pulumi changes on both stacks and AWS changes, in order", async () => {
    const result = await runs.happy;
    assert.strictEqual(result.code, 0, result.stderr);
    const r = report(result);
    assert.strictEqual(r.status, "succeeded", r.error);
    assert.deepStrictEqual(
      r.steps.map((s) => [s.id, s.status]),
      FAILBACK_PLAN.map((p) => [p.id, "succeeded"]),
    );
    assert.deepStrictEqual(changes(happy), [...RESEED, ...PROMOTE, ...STANDBY]);
    assert.deepStrictEqual(awsChanges(happy), AWS_CHANGES);
    // Every primary-Region call was signed for us-east-1 (bounded by the peer deadline).
    assert.deepStrictEqual(
      [
        ...new Set(
          happy.aws.calls
            .filter((c) => /elasticache:|monitoring:/.test(c.action) && c.region !== "us-west-2")
            .map((c) => c.region),
        ),
      ],
      ["us-east-1"],
    );
    assert.strictEqual(happy.aws.table.get("failback#dr|lock"), undefined, "lock released");
  });

  it("rerun is a no-op: exit 0, nothing changed in Pulumi or AWS", async () => {
    await runs.happy;
    const pulumiBefore = happy.pulumiCalls().length;
    const awsBefore = happy.aws.calls.length;
    const result = await happy.launch(["failback", "--execute", "--yes", "--json"]).done;
    assert.strictEqual(result.code, 0, result.stderr);
    const r = report(result);
    assert.strictEqual(r.status, "noop");
    assert.match(
      r.message ?? "",
      /^Nothing to do: failback run \S+ completed at .*; dr is a standby again\.$/,
    );
    assert.deepStrictEqual(happy.pulumiCalls().slice(pulumiBefore), [
      "version",
      "stack select --stack dr",
      "stack output --json --stack dr",
      "stack output --json --show-secrets --stack dr",
    ]);
    assert.deepStrictEqual(
      happy.aws.calls.slice(awsBefore).map((c) => c.action),
      ["dynamodb:Query"],
    );
  });

  it("kill -9 during the promotion's `pulumi up`, then --force lock resumes without repeating a side effect", async () => {
    const s = failedOver(await new Scenario().start());
    scenarios.push(s);
    const gate = `${s.dir}/release-up`;
    const wait = async (what: () => boolean) => {
      while (!what()) await new Promise((r) => setTimeout(r, 50));
    };
    const first = s.launch(["failback", "--execute", "--yes"], { env: { FAKE_PULUMI_UP_WAIT_FILE: gate } });
    // The re-seed's up passes the gate; the promotion's up (the second) is held there.
    await wait(() => s.pulumiCalls().filter((c) => c.startsWith("up ")).length === 1);
    fs.writeFileSync(gate, "");
    await wait(() => s.pulumiCalls().some((c) => c.startsWith("stack history")));
    fs.rmSync(gate);
    await wait(() => s.pulumiCalls().filter((c) => c.startsWith("up ")).length === 2);
    await wait(() => awsChanges(s).length === 8);
    // ... and their steps' progress is stored (the record is written after the AWS calls).
    const recorded = () => {
      const run = [...s.aws.table.entries()].find(([k]) => k.startsWith("failback#dr|run#"))?.[1];
      const steps = JSON.parse(String(run?.steps?.S ?? "{}")) as Record<string, { status: string }>;
      return ["promote-search", "cache-switch-back"].every((id) => steps[id]?.status === "succeeded");
    };
    await wait(recorded);
    first.child.kill("SIGKILL");
    assert.strictEqual((await first.done).signal, "SIGKILL");
    assert.deepStrictEqual(changes(s), [...RESEED, ...PROMOTE]);
    assert.deepStrictEqual(awsChanges(s), AWS_CHANGES.slice(0, 8));
    const lock = s.aws.table.get("failback#dr|lock");
    assert.ok(lock, "a killed run leaves its lock");
    const runKey = [...s.aws.table.keys()].find((k) => k.startsWith("failback#dr|run#")) ?? "";
    assert.strictEqual(s.aws.table.get(runKey)?.status.S, "running");

    lock.expiresAt = { N: String(Math.floor(Date.now() / 1000) - 1) };
    fs.writeFileSync(gate, "");
    const pulumiBefore = s.pulumiCalls().length;
    const awsBefore = s.aws.calls.length;
    const resumed = await s.launch(["failback", "--execute", "--yes", "--json", "--force", "lock"]).done;
    assert.strictEqual(resumed.code, 0, resumed.stderr);
    const r = report(resumed);
    assert.strictEqual(`failback#dr|run#${r.runId}`, runKey, "the same run resumed");
    assert.deepStrictEqual(
      r.steps.filter((x) => x.fromEarlierAttempt).map((x) => x.id),
      [
        "primary-region-answers",
        "reseed-database",
        "reseed-search",
        "wait-in-sync",
        "stop-writes",
        "drain",
        "promote-search",
        "cache-switch-back",
      ],
    );
    // The promotion's config change was made before the kill: only its up is repeated.
    assert.deepStrictEqual(changes(s, pulumiBefore), [PROMOTE[1], ...STANDBY]);
    assert.deepStrictEqual(awsChanges(s, awsBefore), AWS_CHANGES.slice(8));
  });

  it("no terminal and no --yes: refuses with exit 1 after the preflight, nothing changed", async () => {
    const result = await runs.eof;
    assert.strictEqual(result.code, 1, result.stderr);
    assert.ok(
      result.stderr.endsWith(
        "No approval: standard input ended before an answer (no terminal?). Nothing was changed. " +
          'Run it from a terminal and type "yes", or pass --yes to approve non-interactively.\n',
      ),
      result.stderr,
    );
    assert.match(result.stderr, /stack-standby.*dr stack mode is active: there is something to fail back/);
    // Only reads: the dr stack's outputs and the state table (latest run, lock).
    assert.deepStrictEqual(eof.pulumiCalls(), [
      "version",
      "stack select --stack dr",
      "stack output --json --stack dr",
      "stack output --json --show-secrets --stack dr",
    ]);
    assert.deepStrictEqual([...new Set(eof.aws.actions())].sort(), ["dynamodb:GetItem", "dynamodb:Query"]);
    assert.strictEqual(eof.aws.table.size, 0, "no run recorded, no lock taken");
  });

  it("--dry-run: exit 0 offline (no pulumi, no AWS), each stage's diff and no data store replaced", async () => {
    const result = await runs.dry;
    assert.strictEqual(result.code, 0, result.stderr);
    assert.deepStrictEqual(dry.pulumiCalls(), []);
    assert.deepStrictEqual(dry.aws.calls, []);
    for (const stage of ["primary-reseed", "primary-promote", "dr-standby"]) {
      assert.match(result.stdout, new RegExp(stage), `stage ${stage} in:\n${result.stdout}`);
    }
    const counts =
      result.stdout.match(/^ {2}\d+ created, \d+ updated in place, \d+ replaced, \d+ deleted$/gm) ?? [];
    assert.strictEqual(counts.length, 4, result.stdout);
    for (const line of counts) assert.match(line, /, 0 replaced, 0 deleted$/);
    assert.strictEqual(result.stdout.split("No data store is replaced or deleted.").length - 1, 4);
  });
});

/**
 * Fault injection on the real entry point: `npm run failover`'s own command runs as a subprocess
 * with a fake `pulumi` first on PATH and AWS_ENDPOINT_URL on a local fake AWS (scenario.ts).
 * Independent scenarios start together to keep the suite short; timeouts are shortened only with
 * flags production honours (--peer-timeout-seconds).
 */
import * as assert from "assert";
import * as fs from "fs";
import { RunReport } from "../../../automation/run/report";
import { Launch, Result, Scenario } from "./scenario";

const STACK_URN = "urn:pulumi:dr::payments-dr::pulumi:pulumi:Stack::payments-dr-dr";
const TARGETS = [
  STACK_URN,
  "urn:pulumi:dr::payments-dr::aws:rds/instance:Instance::database-instance",
  "urn:pulumi:dr::payments-dr::aws:eks/nodeGroup:NodeGroup::eks-nodes",
].map((urn) => `--target ${urn}`);
const OUTPUTS = ["stack output --json --stack dr", "stack output --json --show-secrets --stack dr"];
const HISTORY = "stack history --json --show-secrets --page-size 1 --page 1 --stack dr";
/** Version check, stack selection, the outputs for preflight and again under the lock. */
const PREFLIGHT = ["version", "stack select --stack dr", ...OUTPUTS];
const ACTIVATE = [
  "config set payments-dr:mode --stack dr --plaintext -- active",
  "preview --exec-kind auto.local --event-log tcp://<port> --stack dr",
  // The targeted up listens to no engine events (stackUpdate.ts), so it asks for no event log.
  `up --yes --skip-preview ${TARGETS.join(" ")} --exec-kind auto.local --stack dr`,
  ...OUTPUTS,
  HISTORY,
];
const VERIFY_AND_RECONCILE = [
  ...OUTPUTS,
  "up --yes --skip-preview --exec-kind auto.local --event-log tcp://<port> --stack dr",
  ...OUTPUTS,
  HISTORY,
];
/** The calls that change something in AWS, in the order made (DynamoDB progress aside). */
const mutations = (s: Scenario, from = 0) =>
  s.aws.calls
    .slice(from)
    .map((c) => c.action)
    .filter((a) => /UpdateHealthCheck|Failover|Disassociate|^es:(DELETE|POST)/.test(a));
const report = (r: Result) => JSON.parse(r.stdout) as RunReport;
const step = (r: RunReport, id: string) => r.steps.find((s) => s.id === id);
const noStackTrace = (r: Result) => assert.ok(!/^\s+at /m.test(r.stderr), r.stderr);

describe("failover entry point as a subprocess (fake pulumi on PATH, fake AWS endpoint)", function () {
  this.timeout(240_000);
  const scenarios: Scenario[] = [];
  const scenario = async () => {
    const s = await new Scenario().start();
    scenarios.push(s);
    return s;
  };
  let happy: Scenario, fiveXx: Scenario, hang: Scenario, eof: Scenario, bad: Scenario, noCreds: Scenario;
  let runs: Record<string, Promise<Result>>;

  before(async () => {
    [happy, fiveXx, hang, eof, bad, noCreds] = await Promise.all([1, 2, 3, 4, 5, 6].map(() => scenario()));
    fiveXx.aws.peer = "5xx";
    hang.aws.peer = "hang";
    // The dr-Region probe shows the primary endpoint down (the Region is impaired).
    fiveXx.aws.probe = hang.aws.probe = [0, 0, 0];
    runs = {
      happy: happy.launch(["--to", "dr", "--yes", "--json"]).done,
      fiveXx: fiveXx.launch(["--to", "dr", "--yes", "--json"]).done,
      hang: hang.launch(["--to", "dr", "--yes", "--json", "--peer-timeout-seconds", "1"]).done,
      eof: eof.launch(["--to", "dr"], { stdin: "" }).done,
      bad: bad.launch(["--to", "dr", "--peer-timeout-seconds", "0"]).done,
      noCreds: noCreds.launch(["--to", "dr", "--yes"], {
        env: { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined },
      }).done,
    };
  });

  after(async () => {
    await Promise.all(scenarios.map((s) => s.stop()));
  });

  it("happy path: exit 0, the exact Pulumi sequence, each AWS change once and the lever first", async () => {
    const result = await runs.happy;
    assert.strictEqual(result.code, 0, result.stderr);
    const r = report(result);
    assert.strictEqual(r.status, "succeeded");
    assert.deepStrictEqual(happy.pulumiCalls(), [
      ...PREFLIGHT,
      ...OUTPUTS,
      ...ACTIVATE,
      ...VERIFY_AND_RECONCILE,
    ]);
    const changes = mutations(happy);
    assert.strictEqual(changes[0], "route53:UpdateHealthCheck");
    assert.deepStrictEqual([...changes].sort(), [
      "elasticache:FailoverGlobalReplicationGroup",
      "es:DELETE /_plugins/_replication/_autofollow",
      "es:POST /_plugins/_replication/payments/_stop",
      "es:POST /_plugins/_replication/refunds/_stop",
      "route53:UpdateHealthCheck",
    ]);
    assert.deepStrictEqual(
      happy.aws.calls
        .filter((c) => c.action === "elasticache:FailoverGlobalReplicationGroup")
        .map((c) => c.region),
      ["us-east-1"],
    );
    // verify read the real state: RDS, EKS (SDK client, local endpoint), the cache role, and the
    // ingress health GET on the endpoint's own port.
    for (const read of ["rds:DescribeDBInstances", "eks:DescribeNodegroup", "health:GET /healthz"]) {
      assert.ok(happy.aws.actions().includes(read), read);
    }
    assert.deepStrictEqual(
      r.rtoTrend?.map((p) => [p.runId, p.rtoSeconds]),
      [[r.runId, r.totalSeconds]],
    );
    assert.strictEqual(happy.aws.table.get("failover#dr|lock"), undefined, "lock released");
  });

  it("rerun is a no-op: exit 0, outputs and the state table read, nothing changed", async () => {
    await runs.happy;
    const pulumiBefore = happy.pulumiCalls().length;
    const awsBefore = happy.aws.calls.length;
    const result = await happy.launch(["--to", "dr", "--yes"]).done;
    assert.strictEqual(result.code, 0, result.stderr);
    assert.match(result.stdout, /Nothing to do: run \S+ already completed this failover/);
    assert.deepStrictEqual(happy.pulumiCalls().slice(pulumiBefore), PREFLIGHT);
    assert.deepStrictEqual(happy.aws.actions().slice(awsBefore), ["dynamodb:Query"]);
  });

  it("peer Region answering 5xx: lever falls back to the dr probe, cache takes the ungraceful path", async () => {
    const result = await runs.fiveXx;
    assert.strictEqual(result.code, 0, result.stderr);
    const r = report(result);
    assert.match(
      step(r, "dns-lever")?.detail ?? "",
      /failed .*; continuing: the last 3 probes of the primary endpoint failed/,
    );
    assert.match(step(r, "cache-promote")?.detail ?? "", /^ungraceful: primary Region unreachable/);
    const levers = mutations(fiveXx).filter((a) => a === "route53:UpdateHealthCheck").length;
    // The lever: 2 SDK attempts per awsCall attempt, up to 5 awsCall attempts, all inside the deadline.
    assert.ok(levers >= 2 && levers <= 10, `${levers} lever calls`);
    assert.deepStrictEqual(
      mutations(fiveXx).filter((a) => !a.startsWith("es:")),
      [
        ...Array(levers).fill("route53:UpdateHealthCheck"),
        // 2 SDK attempts x 2 awsCall attempts, then the dr-Region detach.
        ...Array(4).fill("elasticache:FailoverGlobalReplicationGroup"),
        "elasticache:DisassociateGlobalReplicationGroup",
      ],
    );
    assert.ok(fiveXx.aws.actions().includes("monitoring:GetMetricData"));
  });

  it("peer Region hanging: each call abandoned at its 1 s deadline, the ungraceful path within seconds", async () => {
    const result = await runs.hang;
    assert.strictEqual(result.code, 0, result.stderr);
    const r = report(result);
    const lever = step(r, "dns-lever");
    const cache = step(r, "cache-promote");
    assert.match(
      lever?.detail ?? "",
      /no answer within 1 s \(--peer-timeout-seconds\)\); continuing: the last 3 probes/,
    );
    assert.match(cache?.detail ?? "", /^ungraceful: primary Region unreachable/);
    // One deadline each, plus the dr-Region calls; the step timeout (900 s) never comes into it.
    assert.ok((lever?.durationSeconds ?? 99) < 3, `dns-lever took ${lever?.durationSeconds} s`);
    assert.ok((cache?.durationSeconds ?? 99) < 3, `cache-promote took ${cache?.durationSeconds} s`);
    const peerCalls = hang.aws.calls.filter(
      (c) => c.region === "us-east-1" || c.action.startsWith("route53:"),
    );
    assert.deepStrictEqual(
      peerCalls.map((c) => c.action),
      ["route53:UpdateHealthCheck", "elasticache:FailoverGlobalReplicationGroup"],
      "a hung request is abandoned, not retried past the deadline",
    );
    console.log(
      `      measured: dns-lever ${lever?.durationSeconds} s, cache-promote ${cache?.durationSeconds} s, ` +
        `critical path ${r.totalSeconds} s, process ${result.ms} ms (deadline 1 s)`,
    );
  });

  it("no terminal and no --yes: end of input is a refusal, exit 1, nothing changed", async () => {
    const result = await runs.eof;
    assert.strictEqual(result.code, 1, result.stderr);
    assert.ok(
      result.stderr.endsWith(
        "No approval: standard input ended before an answer (no terminal?). Nothing was changed. " +
          'Run it from a terminal and type "yes", or pass --yes to approve non-interactively.\n',
      ),
      result.stderr,
    );
    assert.deepStrictEqual(mutations(eof), []);
    assert.deepStrictEqual(eof.pulumiCalls(), PREFLIGHT);
    assert.deepStrictEqual([...eof.aws.table.keys()], [], "no lock, no run record");
  });

  it("bad arguments: exit 64 with the reason and the usage, before any Pulumi or AWS call", async () => {
    const result = await runs.bad;
    assert.strictEqual(result.code, 64);
    assert.match(
      result.stderr,
      /^Invalid --peer-timeout-seconds "0": expected a number of seconds above 0, at most 300\.\nUsage:/,
    );
    assert.deepStrictEqual([bad.pulumiCalls(), bad.aws.calls], [[], []]);
  });

  it("missing credentials: exit 1, one line with the fix, no stack trace, nothing sent to AWS", async () => {
    const result = await runs.noCreds;
    assert.strictEqual(result.code, 1);
    assert.match(
      result.stderr,
      /^No AWS credentials: Could not load credentials from any providers\. Nothing was changed\. Sign in as the failover role .* then rerun the same command\.\n$/,
    );
    noStackTrace(result);
    assert.deepStrictEqual(noCreds.aws.calls, []);
  });

  it("kill -9 during `pulumi up`, then resume: completed AWS changes are not repeated", async () => {
    const s = await scenario();
    const first: Launch = s.launch(["--to", "dr", "--yes"], { env: { FAKE_PULUMI_HANG: "up" } });
    await first.waitFor(/preview: 2 in-Region change/);
    while (!s.pulumiCalls().some((c) => c.startsWith("up "))) await new Promise((r) => setTimeout(r, 100));
    while (mutations(s).length < 5) await new Promise((r) => setTimeout(r, 100));
    first.child.kill("SIGKILL");
    const killed = await first.done;
    assert.strictEqual(killed.signal, "SIGKILL");
    const lock = s.aws.table.get("failover#dr|lock");
    assert.ok(lock, "a killed run leaves its lock");
    const runKey = [...s.aws.table.keys()].find((k) => k.startsWith("failover#dr|run#")) ?? "";
    assert.strictEqual(s.aws.table.get(runKey)?.status.S, "running");

    // A live lock cannot be overridden; once it expires it is taken over by name.
    const refused = await s.launch(["--to", "dr", "--yes", "--force", "lock"]).done;
    assert.strictEqual(refused.code, 1);
    assert.match(
      refused.stderr,
      /FAIL {3}lock .* holds the lock \(expires in \d+ s\); it cannot be overridden while live/,
    );
    lock.expiresAt = { N: String(Math.floor(Date.now() / 1000) - 1) };
    const callsBefore = s.aws.calls.length;
    const pulumiBefore = s.pulumiCalls().length;
    const resumed = await s.launch(["--to", "dr", "--yes", "--json", "--force", "lock"]).done;
    assert.strictEqual(resumed.code, 0, resumed.stderr);
    const r = report(resumed);
    assert.strictEqual(`failover#dr|run#${r.runId}`, runKey, "the same run resumed");
    assert.deepStrictEqual(
      r.steps.filter((x) => x.fromEarlierAttempt).map((x) => x.id),
      ["dns-lever", "cache-promote", "search-promote"],
    );
    assert.deepStrictEqual(mutations(s, callsBefore), [], "no AWS change repeated");
    assert.deepStrictEqual(s.pulumiCalls().slice(pulumiBefore), [
      ...PREFLIGHT,
      ...OUTPUTS,
      ...ACTIVATE,
      ...VERIFY_AND_RECONCILE,
    ]);
  });

  it("two concurrent runs: the second is refused by the live lock, the first completes alone", async () => {
    const s = await scenario();
    const release = `${s.dir}/release-up`;
    const first = s.launch(["--to", "dr", "--yes"], { env: { FAKE_PULUMI_UP_WAIT_FILE: release } });
    await first.waitFor(/Starting failover run/);
    const second = await s.launch(["--to", "dr", "--yes"]).done;
    fs.writeFileSync(release, "");
    const done = await first.done;
    assert.strictEqual(done.code, 0, done.stderr);
    assert.strictEqual(second.code, 1);
    assert.match(second.stderr, /Preflight refused the failover: lock\. Nothing was changed\./);
    noStackTrace(second);
    assert.strictEqual(mutations(s).filter((a) => a === "route53:UpdateHealthCheck").length, 1);
  });
});

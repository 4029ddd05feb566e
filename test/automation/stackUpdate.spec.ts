import * as assert from "assert";
import { UpdateHealthCheckCommand } from "@aws-sdk/client-route-53";
import { SemVer } from "semver";
import { runFailover } from "../../automation/run/controller";
import { formatReport } from "../../automation/run/report";
import { BACKUPS_URN, DB_URN, flagValues, NODES_URN, STACK_URN } from "./fakePulumi";
import { FAKE_RESOURCES } from "./fakeResources";
import { harness, stackArgs, withEventLog } from "./harness";

const PK = "failover#dr";
const ups = (calls: readonly string[][]) => calls.filter((c) => c[0] === "up");
const targetsOf = (calls: readonly string[][]) => ups(calls).map((c) => flagValues(c, "--target"));
const PEER_URNS = FAKE_RESOURCES.filter((r) => r.peer).map((r) => r.urn);

describe("failover stack update while the primary Region is down", () => {
  it("succeeds with a warning naming the deferred resource and its Region when the reconcile fails", async () => {
    const h = harness();
    h.pulumi.primaryRegionDown = true;
    const report = await runFailover(h.options());

    assert.strictEqual(report.status, "succeeded", report.error);
    assert.strictEqual(report.withinRto, true);
    assert.deepStrictEqual(
      report.steps.map((s) => [s.id, s.status, s.critical]),
      [
        ["dns-lever", "succeeded", true],
        ["cache-promote", "succeeded", true],
        ["search-promote", "succeeded", true],
        ["stack-activate", "succeeded", true],
        ["verify", "succeeded", true],
        ["stack-reconcile", "failed", false],
      ],
    );
    assert.strictEqual(report.warnings.length, 1);
    assert.match(
      report.warnings[0],
      /^stack-reconcile failed: the full pulumi up of stack dr failed on database-backups-replication \(create, us-east-1\): database-backups-replication: creating RDS DB Instance Automated Backups Replication: .*i\/o timeout\. The failover itself is complete \(every critical step succeeded\)\. Once us-east-1 answers again, rerun `npm run failover -- --to dr --stack dr` \(it resumes only stack-reconcile\) or `pulumi up --stack dr`\.$/,
    );
    assert.match(
      formatReport(report),
      /\n {2}WARNING: stack-reconcile failed: the full pulumi up of stack dr/,
    );
    assert.strictEqual(h.aws.table.get(PK, `run#${report.runId}`)?.status.S, "succeeded");
    // the promotion and the scale-up were applied; the us-east-1 create was not
    assert.deepStrictEqual([...h.pulumi.applied].sort(), [DB_URN, NODES_URN].sort());
    assert.ok(
      h.lines.some((l) => l.startsWith("  ⚠ ") && l.includes("stack-reconcile failed (non-critical")),
    );
  });

  it("never puts a peer-Region resource in the critical --target list, and never names the primary stack", async () => {
    const h = harness();
    h.pulumi.primaryRegionDown = true;
    await runFailover(h.options());
    const [critical, reconcile] = targetsOf(h.pulumi.calls);
    assert.deepStrictEqual(critical, [STACK_URN, DB_URN, NODES_URN]);
    assert.ok(!critical.some((urn) => PEER_URNS.includes(urn)));
    assert.deepStrictEqual(reconcile, [], "the reconcile is a whole-stack up");
    assert.ok(!ups(h.pulumi.calls)[0].includes("--target-dependents"));
    assert.deepStrictEqual([...new Set(stackArgs(h.pulumi.calls))], ["dr"]);
    assert.ok(!h.pulumi.calls.some((args) => args.some((a) => /primary/.test(a))));
  });

  it("resumes only stack-reconcile once the primary Region answers, then has nothing to do", async () => {
    const h = harness();
    h.pulumi.primaryRegionDown = true;
    const first = await runFailover(h.options());
    h.pulumi.primaryRegionDown = false;
    const before = h.pulumi.calls.length;
    const summaries: string[] = [];
    h.lines.length = 0;
    const resumed = await runFailover(h.options({ confirm: async (s) => (summaries.push(s), true) }));

    assert.strictEqual(resumed.status, "succeeded", resumed.error);
    assert.strictEqual(resumed.runId, first.runId);
    assert.deepStrictEqual(resumed.warnings, []);
    assert.strictEqual(resumed.totalSeconds, first.totalSeconds, "the RTO was achieved by the first attempt");
    assert.match(
      summaries[0],
      /^Resume run \S+ of stack dr: the failover is complete; only stack-reconcile is left/,
    );
    for (const id of ["dns-lever", "cache-promote", "search-promote", "stack-activate", "verify"]) {
      assert.ok(
        h.lines.some((l) => l.startsWith(`  ↷ ${id}: already done in this run`)),
        id,
      );
    }
    assert.deepStrictEqual(
      withEventLog(h.pulumi.calls.slice(before)).map((c) => c.slice(0, 2).join(" ")),
      [
        "stack select",
        "stack output",
        "stack output",
        // the decisions again, under the lock
        "stack output",
        "stack output",
        "up --yes",
        "stack output",
        "stack output",
        "stack history",
      ],
    );
    assert.deepStrictEqual(targetsOf(h.pulumi.calls.slice(before)), [[]]);
    assert.ok(h.pulumi.applied.has(BACKUPS_URN));
    assert.strictEqual(h.aws.route53.commandCalls(UpdateHealthCheckCommand).length, 1);

    const again = await runFailover(h.options());
    assert.strictEqual(again.status, "noop");
  });

  it("runs a plain up when nothing is deferred", async () => {
    const h = harness();
    h.pulumi.applied.add(BACKUPS_URN); // e.g. created by an earlier reconcile
    const report = await runFailover(h.options());
    assert.strictEqual(report.status, "succeeded", report.error);
    assert.deepStrictEqual(ups(h.pulumi.calls)[0], [
      "up",
      "--yes",
      "--skip-preview",
      "--exec-kind",
      "auto.local",
      "--stack",
      "dr",
    ]);
    assert.match(
      report.steps.find((s) => s.id === "stack-activate")?.detail ?? "",
      /^pulumi up on the dr stack: /,
    );
  });

  it("targets only the root Stack when every in-Region change is already applied", async () => {
    const h = harness();
    h.pulumi.primaryRegionDown = true;
    h.pulumi.applied.add(DB_URN).add(NODES_URN); // an earlier attempt's update got this far
    const report = await runFailover(h.options());
    assert.strictEqual(report.status, "succeeded", report.error);
    assert.deepStrictEqual(targetsOf(h.pulumi.calls)[0], [STACK_URN]);
    assert.match(
      report.steps.find((s) => s.id === "stack-activate")?.detail ?? "",
      /^pulumi up --target \(0 in-Region change\(s\)\) on the dr stack: .*; deferred to stack-reconcile: database-backups-replication \(create, us-east-1\)$/,
    );
  });

  it("reads the preview's engine events from the --event-log file of a CLI older than 3.206", async function () {
    this.timeout(10_000);
    const h = harness();
    h.pulumi.version = new SemVer("3.200.0");
    h.pulumi.primaryRegionDown = true;
    const report = await runFailover(h.options());
    assert.strictEqual(report.status, "succeeded", report.error);
    const preview = h.pulumi.calls.find((c) => c[0] === "preview") ?? [];
    assert.match(flagValues(preview, "--event-log")[0], /automation-logs-preview-.*\/eventlog\.txt$/);
    assert.deepStrictEqual(targetsOf(h.pulumi.calls)[0], [STACK_URN, DB_URN, NODES_URN]);
    assert.match(report.warnings[0], /database-backups-replication \(create, us-east-1\)/);
  });

  it("keeps the explanation of a concurrent update when the reconcile cannot take the stack", async () => {
    const h = harness();
    h.pulumi.failures.push({
      when: (args) => args[0] === "up" && !args.includes("--target"),
      stderr: "error: [409] Conflict: Another update is currently in progress.",
    });
    const report = await runFailover(h.options());
    assert.strictEqual(report.status, "succeeded", report.error);
    assert.match(
      report.warnings[0],
      /^stack-reconcile failed: Another update of stack dr is in progress \(up\)\./,
    );
  });
});

import * as assert from "assert";
import { parseFailoverArgs } from "../../automation/args";
import { UsageError } from "../../automation/errors";

describe("failover command line", () => {
  it("parses a failover with its flags", () => {
    assert.deepStrictEqual(
      parseFailoverArgs([
        "--to",
        "dr",
        "--yes",
        "--json",
        "--force",
        "database-lag",
        "--stack",
        "acme/payments-dr/dr",
      ]),
      {
        command: "failover",
        stack: "acme/payments-dr/dr",
        dryRun: false,
        yes: true,
        json: true,
        execute: false,
        force: new Set(["database-lag"]),
        resumeWindowMinutes: 60,
        peerTimeoutSeconds: 10,
        verbose: false,
      },
    );
    assert.deepStrictEqual(
      (({ resumeRunId, resumeWindowMinutes }) => ({ resumeRunId, resumeWindowMinutes }))(
        parseFailoverArgs([
          "--to",
          "dr",
          "--resume",
          "20261121T050000Z-abc123",
          "--resume-window-minutes",
          "15",
        ]),
      ),
      { resumeRunId: "20261121T050000Z-abc123", resumeWindowMinutes: 15 },
    );
    assert.throws(
      () => parseFailoverArgs(["--to", "dr", "--resume-window-minutes", "0"]),
      /Invalid --resume-window-minutes "0": expected a whole number of minutes, at least 1\./,
    );
    assert.throws(() => parseFailoverArgs(["--to", "dr", "--resume"]), /--resume needs a value\./);
    assert.strictEqual(parseFailoverArgs(["--to", "dr", "--force"]).force, "all");
    assert.deepStrictEqual(
      parseFailoverArgs(["--to", "dr", "--force", "--force", "lock"]).force,
      new Set(["stack-standby", "database-lag", "cache-lag", "lock"]),
    );
    assert.strictEqual(parseFailoverArgs(["--to", "dr", "--dry-run"]).dryRun, true);
  });

  it("takes the peer-Region deadline in seconds and --verbose", () => {
    const parsed = parseFailoverArgs(["--to", "dr", "--peer-timeout-seconds", "1.5", "--verbose"]);
    assert.deepStrictEqual([parsed.peerTimeoutSeconds, parsed.verbose], [1.5, true]);
    for (const bad of ["0", "-1", "ten", "301"]) {
      assert.throws(
        () => parseFailoverArgs(["--to", "dr", "--peer-timeout-seconds", bad]),
        new RegExp(
          `^UsageError: Invalid --peer-timeout-seconds "${bad}": expected a number of seconds above 0, at most 300\\.\nUsage:`,
        ),
        bad,
      );
    }
  });

  it("explains that --to primary is a failback", () => {
    assert.throws(
      () => parseFailoverArgs(["--to", "primary"]),
      (e: Error) => {
        assert.ok(e instanceof UsageError);
        assert.match(
          e.message,
          /^--to primary is a failback, not a failover: .* Run `npm run failover -- failback` to print the ordered failback steps\.\nUsage:/,
        );
        return true;
      },
    );
  });

  it("refuses unknown checks, missing values and unknown arguments with the usage", () => {
    assert.throws(
      () => parseFailoverArgs(["--to", "dr", "--force", "replica-lag"]),
      /Unknown check "replica-lag" for --force: expected one of stack-standby, database-lag, cache-lag, lock, dns-lever\./,
    );
    assert.throws(() => parseFailoverArgs(["--to"]), /--to needs a value\./);
    assert.throws(() => parseFailoverArgs([]), /Missing --to dr\./);
    assert.throws(
      () => parseFailoverArgs(["--to", "eu"]),
      /Invalid --to "eu": the only failover target is dr\./,
    );
    assert.throws(() => parseFailoverArgs(["--to", "dr", "--now"]), /Unknown argument "--now"\.\nUsage:/);
    assert.strictEqual(parseFailoverArgs(["failback", "--execute"]).command, "failback");
    assert.throws(() => parseFailoverArgs(["failback", "--to", "dr"]), /failback takes no --to/);
  });

  it("parses failback's dry run and resume, and readiness with its role, refusing what does not apply", () => {
    const pick = (argv: string[]) =>
      (({ command, dryRun, execute, resumeRunId, roleArn }) => ({
        command,
        dryRun,
        execute,
        resumeRunId,
        roleArn,
      }))(parseFailoverArgs(argv));
    assert.deepStrictEqual(pick(["failback", "--dry-run"]), {
      command: "failback",
      dryRun: true,
      execute: false,
      resumeRunId: undefined,
      roleArn: undefined,
    });
    assert.deepStrictEqual(pick(["failback", "--execute", "--resume", "20261205T070000Z-1a2b3c"]), {
      command: "failback",
      dryRun: false,
      execute: true,
      resumeRunId: "20261205T070000Z-1a2b3c",
      roleArn: undefined,
    });
    const role = "arn:aws:iam::111122223333:role/payments-dr-failover-runner";
    assert.deepStrictEqual(pick(["readiness", "--role-arn", role]), {
      command: "readiness",
      dryRun: false,
      execute: false,
      resumeRunId: undefined,
      roleArn: role,
    });
    assert.throws(
      () => parseFailoverArgs(["failback", "--dry-run", "--execute"]),
      /^UsageError: failback takes --dry-run or --execute, not both\.\nUsage:/,
    );
    assert.throws(
      () => parseFailoverArgs(["failback", "--resume", "r1"]),
      /--resume continues a failback run: pass it with --execute\./,
    );
    assert.throws(
      () => parseFailoverArgs(["readiness", "--yes"]),
      /readiness is read-only: it takes only --stack, --role-arn and --json\./,
    );
    assert.throws(
      () => parseFailoverArgs(["--to", "dr", "--role-arn", role]),
      /--role-arn applies to readiness only\./,
    );
  });
});

/**
 * `npm run failover`: arguments, the approval prompt and printing. The logic lives in the modules
 * it calls (controller.ts, dryRun.ts, failback.ts), which tests drive directly.
 */
import * as fs from "fs";
import * as path from "path";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import * as readline from "readline";
import { parseStackConfig } from "../stacks/config";
import { referencedStack } from "../tools/render/project";
import { readStackConfig } from "../tools/render/stackFiles";
import { parseFailoverArgs } from "./args";
import { createAwsClients } from "./aws/clients";
import { ControllerOptions, runFailover } from "./run/controller";
import { dryRun, dryRunJson, formatDryRun } from "./dry-run/dryRun";
import { FailoverError } from "./errors";
import { exitMessage } from "./exitMessage";
import { formatFailbackPlan, runFailback } from "./failback/failback";
import { failbackDryRun, failbackDryRunJson, formatFailbackDryRun } from "./failback/failbackDryRun";
import { formatReport } from "./run/report";
import { readiness } from "./readiness/command";
import { readinessOutput } from "./readiness/readiness";
import { formatRestoreTimes, readRestoreTimes } from "./restore/restoreTimes";
import { restoreDrill } from "./restore-drill/command";
import { drillExitCode, formatDrillReport } from "./restore-drill/report";

const PROJECT_DIR = path.resolve(__dirname, "..");

/** Resolves with the answer; end of input before one (no terminal, closed pipe) means "no". */
function ask(question: string): Promise<boolean> {
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  return new Promise((resolve, reject) => {
    let answered = false;
    rl.on("close", () => {
      if (answered) return;
      process.stderr.write("\n");
      reject(
        new FailoverError(
          "No approval: standard input ended before an answer (no terminal?). Nothing was changed. " +
            'Run it from a terminal and type "yes", or pass --yes to approve non-interactively.',
          false,
        ),
      );
    });
    rl.question(`${question}\nType "yes" to continue: `, (answer) => {
      answered = true;
      rl.close();
      resolve(answer.trim().toLowerCase() === "yes");
    });
  });
}

// Read before parsing, so a usage error can be verbose too.
const verbose = process.argv.includes("--verbose") || process.argv.includes("-v");

async function main(): Promise<number> {
  const args = parseFailoverArgs(process.argv.slice(2));
  // Progress goes to stderr so `--json` leaves stdout machine-readable.
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const localStack = referencedStack(args.stack);

  if (args.command === "failover" && args.dryRun) {
    const result = await dryRun(
      localStack,
      (s) => log(`Rendering stack ${s} under the mock runtime...`),
      args.strategy,
    );
    process.stdout.write(
      args.json ? `${JSON.stringify(dryRunJson(result), null, 2)}\n` : formatDryRun(result),
    );
    if (result.dataStoreViolations.length || result.resourceViolations.length) return 2;
    return result.stackUpdate.blocked.length ? 3 : 0;
  }
  if (args.command === "failback" && args.dryRun) {
    const result = await failbackDryRun(localStack, (s) =>
      log(`Rendering stack ${s} under the mock runtime...`),
    );
    process.stdout.write(
      args.json ? `${JSON.stringify(failbackDryRunJson(result), null, 2)}\n` : formatFailbackDryRun(result),
    );
    return result.stages.some((s) => s.dataStoreViolations.length) ? 2 : 0;
  }
  if (args.command === "failback" && !args.execute) {
    process.stdout.write(formatFailbackPlan());
    return 0;
  }

  const config = parseStackConfig(readStackConfig(localStack), localStack);
  if (config.role !== "dr") {
    throw new FailoverError(
      `Stack ${args.stack} has role ${config.role}: the controller only updates the dr stack.`,
      false,
    );
  }
  if (args.command === "restore-times") {
    // The validator records durations in the Region the restore tests run in: the dr stack's.
    const file = await readRestoreTimes(
      new CloudWatchClient({ region: config.region }),
      config.region,
      new Date(),
      args.days ?? 30,
    );
    if (args.out) {
      fs.writeFileSync(args.out, `${JSON.stringify(file, null, 2)}\n`);
      log(
        `Wrote ${file.measurements.length} measurement(s) to ${args.out}: npm run plan -- --restore-measurements ${args.out}`,
      );
    }
    process.stdout.write(args.json ? `${JSON.stringify(file, null, 2)}\n` : formatRestoreTimes(file));
    return 0;
  }
  if (args.command === "restore-drill" && args.drill) {
    const report = await restoreDrill(config, args.drill, log);
    process.stdout.write(args.json ? `${JSON.stringify(report, null, 2)}\n` : formatDrillReport(report));
    return drillExitCode(report);
  }
  if (args.command === "readiness") {
    const report = await readiness({
      config,
      stackName: args.stack,
      workDir: PROJECT_DIR,
      clientFactory: createAwsClients,
      force: new Set(),
      confirm: () => Promise.resolve(false),
      log,
      ...(args.roleArn ? { roleArn: args.roleArn } : {}),
    });
    const { text, exitCode } = readinessOutput(report, args.json);
    process.stdout.write(text);
    return exitCode;
  }
  const abort = new AbortController();
  process.once("SIGINT", () => {
    log("Interrupted: stopping running steps and recording progress (rerun to resume)...");
    abort.abort(new FailoverError("interrupted by the operator (Ctrl-C)"));
  });
  const options: ControllerOptions = {
    config,
    stackName: args.stack,
    workDir: PROJECT_DIR,
    clientFactory: createAwsClients,
    force: args.force,
    resumeRunId: args.resumeRunId,
    resumeWindowMinutes: args.resumeWindowMinutes,
    peerTimeoutMs: args.peerTimeoutSeconds * 1000,
    verbose: args.verbose,
    confirm: (summary) => (args.yes ? Promise.resolve(true) : ask(summary)),
    log,
    signal: abort.signal,
  };
  const report = args.command === "failover" ? await runFailover(options) : await runFailback(options);
  process.stdout.write(args.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
  return report.status === "failed" ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const { text, code } = exitMessage(error, verbose);
    process.stderr.write(`${text}\n`);
    process.exit(code);
  },
);

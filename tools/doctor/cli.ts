/**
 * `npm run doctor -- [--stack primary|dr] [--dry-run] [--json]`: read-only AWS calls telling an
 * operator whether this account and Region can take the stack (every stack when `--stack` is
 * omitted), one line per check with the fix. Exit 0 only when every check passes; 1 when one
 * fails; 2 on a usage or configuration error. `--dry-run` lists the checks offline, without
 * credentials.
 */
import { ConfigError, parseStackConfig, StackConfig } from "../../stacks/config";
import { listStacks, readStackConfig } from "../render/stackFiles";
import { createClients, DoctorClients } from "./clients";
import { automationOutputsReader, StackOutputsReader } from "./primaryOutputs";
import { doctorChecks, formatPlanned, formatResult, runChecks } from "./run";

export interface DoctorArgs {
  /** @default - every stack with a `Pulumi.<stack>.yaml`, primary first */
  readonly stack?: string;
  readonly dryRun: boolean;
  readonly json: boolean;
}

export const USAGE = "Usage: npm run doctor -- [--stack <primary|dr>] [--dry-run] [--json]";

export function parseArgs(argv: readonly string[]): DoctorArgs {
  let stack: string | undefined;
  let dryRun = false;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--dry-run") dryRun = true;
    else if (arg === "--json") json = true;
    else if (arg === "--stack" && argv[i + 1] && !argv[i + 1].startsWith("--")) stack = argv[++i];
    else if (arg.startsWith("--stack=")) stack = arg.slice("--stack=".length);
    else throw new ConfigError("argv", `Unknown or incomplete argument "${arg}". ${USAGE}`);
  }
  return { stack, dryRun, json };
}

export interface DoctorDeps {
  readonly clients?: (region: string) => DoctorClients;
  readonly readOutputs?: StackOutputsReader;
  readonly loadConfig?: (stack: string) => StackConfig;
  /** @default - the stack files beside Pulumi.yaml */
  readonly listStacks?: () => string[];
  readonly today?: Date;
  readonly out?: (line: string) => void;
}

interface StackReport {
  readonly stack: string;
  readonly region: string;
  readonly ok: boolean;
  readonly checks: unknown[];
}

export async function main(argv: readonly string[], deps: DoctorDeps = {}): Promise<number> {
  const out = deps.out ?? ((line: string) => console.log(line));
  const load = deps.loadConfig ?? ((stack: string) => parseStackConfig(readStackConfig(stack), stack));
  let args: DoctorArgs;
  let configs: StackConfig[];
  try {
    args = parseArgs(argv);
    const names = args.stack ? [args.stack] : (deps.listStacks ?? listStacks)();
    // Primary first: dr's checks read the primary stack.
    configs = names.map(load).sort((a, b) => Number(a.role === "dr") - Number(b.role === "dr"));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    out(error.message);
    return 2;
  }
  const reports: StackReport[] = [];
  for (const config of configs) {
    const checks = doctorChecks(config, deps.readOutputs ?? automationOutputsReader);
    if (args.dryRun) {
      reports.push({
        stack: config.stackName,
        region: config.region,
        ok: true,
        checks: checks.map((c) => ({ id: c.id, description: c.describe(config), actions: c.actions })),
      });
      if (!args.json) {
        out(
          `payments-dr doctor (dry run, no AWS calls): stack ${config.stackName}, Region ${config.region}, ${checks.length} checks`,
        );
        checks.forEach((check) => out(formatPlanned(check, config)));
      }
      continue;
    }
    const clients = (deps.clients ?? createClients)(config.region);
    const results = await runChecks(checks, { config, clients, today: deps.today ?? new Date() });
    const failed = results.filter((r) => r.status === "fail").length;
    reports.push({ stack: config.stackName, region: config.region, ok: failed === 0, checks: results });
    if (!args.json) {
      out(`payments-dr doctor: stack ${config.stackName}, Region ${config.region} (read-only AWS calls)`);
      results.forEach((result) => out(formatResult(result)));
      out(
        failed === 0
          ? `All ${results.length} checks passed.`
          : `${failed} of ${results.length} checks failed.`,
      );
    }
  }
  const ok = reports.every((r) => r.ok);
  if (args.json) out(JSON.stringify({ dryRun: args.dryRun, ok, stacks: reports }, null, 2));
  return ok ? 0 : 1;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error) => {
      console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
      process.exitCode = 2;
    },
  );
}

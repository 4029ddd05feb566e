/** Command-line parsing for `npm run failover`, pure so every usage error is unit-tested. */
import { Strategy, STRATEGIES } from "../stacks/config";
import { UsageError } from "./errors";
import { FORCEABLE_CHECKS, ForceSelection, NAMED_ONLY_CHECKS } from "./run/preflight";

export const USAGE = [
  "Usage:",
  "  npm run failover -- --to dr [--stack <name>] [--dry-run [--strategy <strategy>]] [--yes] [--json] [--force [<check>]]...",
  "                             [--resume <runId>] [--resume-window-minutes <n>]",
  "                             [--peer-timeout-seconds <n>] [--verbose]",
  "  npm run failover -- failback [--stack <name>] [--dry-run | --execute [--yes] [--resume <runId>]] [--json] [--verbose]",
  "  npm run failover -- readiness [--stack <name>] [--role-arn <arn>] [--json] [--verbose]",
  "",
  `  --force <check>  override one failed preflight check (${FORCEABLE_CHECKS.join(", ")});`,
  "                   bare --force overrides every check except lock and dns-lever, which must be named.",
  "  --stack <name>   the dr stack, short or org/project/stack (default: dr). Never the primary.",
  "  --resume <runId> continue that unfinished run even if it is older than the resume window.",
  "  --resume-window-minutes <n>  resume the latest unfinished run on its own only if it made",
  "                   progress within n minutes (default 60); an older one is closed as superseded.",
  "  --peer-timeout-seconds <n>  deadline of each call into the primary Region, retries included",
  "                   (default 10): past it the Region counts as down (ungraceful cache path, DNS probe).",
  "  --verbose        on failure, also print the raw detail (CLI output, stack trace).",
].join("\n");

export interface FailoverArgs {
  readonly command: "failover" | "failback" | "readiness";
  readonly stack: string;
  readonly dryRun: boolean;
  readonly yes: boolean;
  readonly json: boolean;
  readonly execute: boolean;
  readonly force: ForceSelection;
  /** `--resume <runId>`. */
  readonly resumeRunId?: string;
  /** readiness: `--role-arn <arn>`, the role whose permissions are simulated. */
  readonly roleArn?: string;
  /** `--resume-window-minutes <n>`. @default 60 */
  readonly resumeWindowMinutes: number;
  /** `--peer-timeout-seconds <n>`. @default 10 */
  readonly peerTimeoutSeconds: number;
  /** `--verbose`. @default false */
  readonly verbose: boolean;
  /** `--strategy <s>` (failover dry run only): render with this dr strategy. @default - the stack file's */
  readonly strategy?: Strategy;
}

export function parseFailoverArgs(argv: readonly string[]): FailoverArgs {
  let command: FailoverArgs["command"] = "failover";
  let to: string | undefined;
  let stack = "dr";
  let dryRun = false;
  let strategy: Strategy | undefined;
  let yes = false;
  let json = false;
  let execute = false;
  let forceAll = false;
  let resumeRunId: string | undefined;
  let roleArn: string | undefined;
  let resumeWindowMinutes = 60;
  let peerTimeoutSeconds = 10;
  let verbose = false;
  const forced = new Set<string>();
  const fail = (message: string): never => {
    throw new UsageError(`${message}\n${USAGE}`);
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const next = argv[i + 1];
    const value = (): string => {
      if (next === undefined || next.startsWith("--")) fail(`${arg} needs a value.`);
      i++;
      return next as string;
    };
    if (arg === "failback") command = "failback";
    else if (arg === "readiness") command = "readiness";
    else if (arg === "--to") to = value();
    else if (arg === "--stack") stack = value();
    else if (arg === "--dry-run") dryRun = true;
    else if (arg === "--yes" || arg === "-y") yes = true;
    else if (arg === "--json") json = true;
    else if (arg === "--execute") execute = true;
    else if (arg === "--resume") resumeRunId = value();
    else if (arg === "--role-arn") roleArn = value();
    else if (arg === "--strategy") {
      const raw = value();
      if (!STRATEGIES.includes(raw as Strategy))
        fail(`Invalid --strategy "${raw}": expected one of ${STRATEGIES.join(", ")}.`);
      strategy = raw as Strategy;
    } else if (arg === "--resume-window-minutes") {
      const raw = value();
      resumeWindowMinutes = Number(raw);
      if (!/^\d+$/.test(raw) || resumeWindowMinutes < 1) {
        fail(`Invalid --resume-window-minutes "${raw}": expected a whole number of minutes, at least 1.`);
      }
    } else if (arg === "--peer-timeout-seconds") {
      const raw = value();
      peerTimeoutSeconds = Number(raw);
      if (!/^\d+(\.\d+)?$/.test(raw) || peerTimeoutSeconds <= 0 || peerTimeoutSeconds > 300) {
        fail(`Invalid --peer-timeout-seconds "${raw}": expected a number of seconds above 0, at most 300.`);
      }
    } else if (arg === "--verbose" || arg === "-v") verbose = true;
    else if (arg === "--force") {
      if (next !== undefined && !next.startsWith("--")) {
        if (!(FORCEABLE_CHECKS as readonly string[]).includes(next)) {
          fail(`Unknown check "${next}" for --force: expected one of ${FORCEABLE_CHECKS.join(", ")}.`);
        }
        forced.add(next);
        i++;
      } else forceAll = true;
    } else if (arg === "--help" || arg === "-h") fail("Fail over the dr stack, or plan the failback.");
    else fail(`Unknown argument "${arg}".`);
  }
  if (command === "failover") {
    if (to === undefined) fail("Missing --to dr.");
    if (to === "primary") {
      fail(
        "--to primary is a failback, not a failover: it needs the primary Region's data re-seeded from dr " +
          "first. Run `npm run failover -- failback` to print the ordered failback steps.",
      );
    }
    if (to !== "dr") fail(`Invalid --to "${to}": the only failover target is dr.`);
  } else if (to !== undefined) {
    fail(
      `${command} takes no --to: ${command === "failback" ? "it always returns to the primary Region" : "it reads both Regions"}.`,
    );
  }
  if (command === "failback" && dryRun && execute) fail("failback takes --dry-run or --execute, not both.");
  if (
    command === "readiness" &&
    (dryRun || execute || yes || forceAll || forced.size || resumeRunId !== undefined)
  ) {
    fail("readiness is read-only: it takes only --stack, --role-arn and --json.");
  }
  // `--force --force lock` overrides everything, the named stale lock included.
  const force: ForceSelection = forceAll
    ? forced.size
      ? new Set([...FORCEABLE_CHECKS.filter((c) => !NAMED_ONLY_CHECKS.includes(c)), ...forced])
      : "all"
    : forced;
  if (roleArn !== undefined && command !== "readiness") fail("--role-arn applies to readiness only.");
  if (strategy !== undefined && !(command === "failover" && dryRun))
    fail("--strategy renders the failover dry run only: the live stack runs the strategy in its config.");
  if (command === "failback" && !execute && resumeRunId !== undefined) {
    fail("--resume continues a failback run: pass it with --execute.");
  }
  return {
    command,
    stack,
    dryRun,
    ...(strategy ? { strategy } : {}),
    yes,
    json,
    execute,
    force,
    resumeWindowMinutes,
    peerTimeoutSeconds,
    verbose,
    ...(resumeRunId !== undefined ? { resumeRunId } : {}),
    ...(roleArn !== undefined ? { roleArn } : {}),
  };
}

/** Command-line parsing for `npm run failover`, pure so every usage error is unit-tested. */
import { Strategy, STRATEGIES } from "../stacks/config";
import { UsageError } from "./errors";
import type { RestoreDrillArgs } from "./restore-drill/command";
import { FORCEABLE_CHECKS, ForceSelection, NAMED_ONLY_CHECKS } from "./run/preflight";

export const USAGE = [
  "Usage:",
  "  npm run failover -- --to dr [--stack <name>] [--dry-run [--strategy <strategy>]] [--yes] [--json] [--force [<check>]]...",
  "                             [--resume <runId>] [--resume-window-minutes <n>]",
  "                             [--peer-timeout-seconds <n>] [--verbose]",
  "  npm run failover -- failback [--stack <name>] [--dry-run | --execute [--yes] [--resume <runId>]] [--json] [--verbose]",
  "  npm run failover -- readiness [--stack <name>] [--role-arn <arn>] [--json] [--verbose]",
  "  npm run failover -- restore-times [--stack <name>] [--days <n>] [--out <file.json>] [--json]",
  "  npm run failover -- restore-drill [--stack <name>] [--dry-run] [--json] [--vault <name>]",
  "                             [--restore-role-arn <arn>] [--db-subnet-group <name>]",
  "                             [--security-group-ids <id,id>] [--availability-zone <az>] [--deadline-minutes <n>]",
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
  "  --days <n>       restore-times: how many days of restore tests to read (default 30, at most 60).",
  "  --out <file>     restore-times: write the measurements file `npm run plan -- --restore-measurements` reads.",
  "  restore-drill    restores the latest copy of each store in the dr copy vault into scratch resources,",
  "                   validates, measures, deletes them and reports; --dry-run lists and starts nothing.",
  "                   --deadline-minutes: wait for all restores at most n minutes (default 240).",
].join("\n");

export interface FailoverArgs {
  readonly command: "failover" | "failback" | "readiness" | "restore-times" | "restore-drill";
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
  /** restore-times: `--days <n>`. @default 30 */
  readonly days?: number;
  /** restore-times: `--out <file>`. */
  readonly out?: string;
  /** restore-drill only. */
  readonly drill?: RestoreDrillArgs;
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
  let days: number | undefined;
  let out: string | undefined;
  const drill: { -readonly [K in keyof RestoreDrillArgs]: RestoreDrillArgs[K] } = {
    securityGroupIds: [],
    deadlineMinutes: 240,
    dryRun: false,
  };
  let drillOption: string | undefined;
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
    else if (arg === "restore-times") command = "restore-times";
    else if (arg === "--out") out = value();
    else if (arg === "--days") {
      const raw = value();
      days = Number(raw);
      if (!/^\d+$/.test(raw) || days < 1 || days > 60) {
        fail(`Invalid --days "${raw}": expected a whole number of days from 1 to 60.`);
      }
    } else if (arg === "restore-drill") command = "restore-drill";
    else if (arg === "--vault") [drillOption, drill.vault] = [arg, value()];
    else if (arg === "--restore-role-arn") [drillOption, drill.restoreRoleArn] = [arg, value()];
    else if (arg === "--db-subnet-group") [drillOption, drill.dbSubnetGroup] = [arg, value()];
    else if (arg === "--availability-zone") [drillOption, drill.availabilityZone] = [arg, value()];
    else if (arg === "--security-group-ids") {
      drillOption = arg;
      drill.securityGroupIds = value().split(",").filter(Boolean);
    } else if (arg === "--deadline-minutes") {
      drillOption = arg;
      const raw = value();
      drill.deadlineMinutes = Number(raw);
      if (!/^\d+$/.test(raw) || drill.deadlineMinutes < 1 || drill.deadlineMinutes > 1440) {
        fail(`Invalid --deadline-minutes "${raw}": expected a whole number of minutes from 1 to 1440.`);
      }
    } else if (arg === "--to") to = value();
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
      `${command} takes no --to: ${{ failback: "it always returns to the primary Region", readiness: "it reads both Regions", "restore-drill": "it restores in the dr Region", "restore-times": "it reads the dr Region" }[command]}.`,
    );
  }
  if (command === "failback" && dryRun && execute) fail("failback takes --dry-run or --execute, not both.");
  if (
    command === "readiness" &&
    (dryRun || execute || yes || forceAll || forced.size || resumeRunId !== undefined)
  ) {
    fail("readiness is read-only: it takes only --stack, --role-arn and --json.");
  }
  if (
    command === "restore-drill" &&
    (execute || yes || forceAll || forced.size || resumeRunId !== undefined)
  ) {
    fail("restore-drill takes only --stack, --dry-run, --json, --verbose and its own options.");
  }
  if (command !== "restore-drill" && drillOption !== undefined)
    fail(`${drillOption} applies to restore-drill only.`);
  // `--force --force lock` overrides everything, the named stale lock included.
  const force: ForceSelection = forceAll
    ? forced.size
      ? new Set([...FORCEABLE_CHECKS.filter((c) => !NAMED_ONLY_CHECKS.includes(c)), ...forced])
      : "all"
    : forced;
  if (roleArn !== undefined && command !== "readiness") fail("--role-arn applies to readiness only.");
  if (
    command === "restore-times" &&
    (dryRun || execute || yes || forceAll || forced.size || resumeRunId !== undefined)
  ) {
    fail("restore-times is read-only: it takes only --stack, --days, --out and --json.");
  }
  if ((days !== undefined || out !== undefined) && command !== "restore-times")
    fail("--days and --out apply to restore-times only.");
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
    ...(command === "restore-times" ? { days: days ?? 30 } : {}),
    ...(out !== undefined ? { out } : {}),
    ...(command === "restore-drill" ? { drill: { ...drill, dryRun } } : {}),
  };
}

/**
 * `npm run plan`: the offline plan. Renders the stacks under the mock runtime and prints a report
 * per stack, or the JSON contract of DESIGN.md with `--json`.
 *
 *   npm run plan                                 both stacks, human report
 *   npm run plan -- --json                       both stacks, JSON
 *   npm run plan -- --stack dr --set payments-dr:mode=active
 *   npm run plan -- --preview                    first deployment as `pulumi preview` shows it
 *                                                (computed values unknown), with the gate's verdict
 *   npm run plan -- --restore-measurements restore-times.json
 *                                                measured restore times next to the modelled ones
 *                                                (the file `npm run failover -- restore-times --out` writes)
 *   npm run plan -- --compare-strategies [--json] the dr stack rendered per strategy: modelled RPO
 *                                                and RTO, estimated monthly cost, the cheapest that
 *                                                meets the targets
 */
import { RunError } from "@pulumi/pulumi";
import { ConfigError } from "../stacks/config";
import * as fs from "fs";
import { parseRestoreMeasurements, RestoreMeasurement } from "../model/restoreTime";
import { compareStrategies, formatComparison, renderStrategies } from "./compareStrategies";
import { buildDiagram } from "./diagram";
import { renderProjectWithReferences } from "./render/project";
import { buildPlan, formatPlan } from "./planReport";

export interface PlanArgs {
  readonly json: boolean;
  /** Render as `pulumi preview` shows a first deployment on an empty stack. */
  readonly preview: boolean;
  readonly stacks: string[];
  readonly overrides: string[];
  /** Where to write the Mermaid diagram of the rendered stacks. */
  readonly diagram?: string;
  /** A measurements file (`restore-times --out`): measured restore times shown in the posture. */
  readonly restoreMeasurements?: string;
  /** Compare the dr strategies instead of planning (tools/compareStrategies.ts). */
  readonly compareStrategies: boolean;
}

const USAGE =
  "Usage: npm run plan -- [--json] [--preview] [--stack <name>]... [--set <key>=<value>]... [--diagram <file.mmd>] [--restore-measurements <file.json>] | " +
  "npm run plan -- --compare-strategies [--json] [--set <key>=<value>]...";

export function parsePlanArgs(argv: readonly string[]): PlanArgs {
  const args: {
    json: boolean;
    preview: boolean;
    stacks: string[];
    overrides: string[];
    diagram?: string;
    restoreMeasurements?: string;
    compareStrategies: boolean;
  } = { json: false, preview: false, stacks: [], overrides: [], compareStrategies: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined || next.startsWith("--"))
        throw new ConfigError(arg, `${arg} needs a value. ${USAGE}`);
      return next;
    };
    if (arg === "--json") args.json = true;
    else if (arg === "--preview") args.preview = true;
    else if (arg === "--stack") args.stacks.push(value());
    else if (arg === "--set") args.overrides.push(value());
    else if (arg === "--diagram") args.diagram = value();
    else if (arg === "--restore-measurements") args.restoreMeasurements = value();
    else if (arg === "--compare-strategies") args.compareStrategies = true;
    else if (arg === "--help" || arg === "-h") throw new ConfigError("--help", USAGE);
    else throw new ConfigError(arg, `Unknown option "${arg}". ${USAGE}`);
  }
  if (args.compareStrategies && (args.preview || args.stacks.length > 0 || args.diagram !== undefined))
    throw new ConfigError(
      "--compare-strategies",
      `--compare-strategies renders the primary and the dr stack per strategy itself: it takes only --json and --set. ${USAGE}`,
    );
  return args;
}

/** The measurements file's entries; a missing or malformed file is the operator's to fix. */
export function readRestoreMeasurements(file: string | undefined): RestoreMeasurement[] {
  if (file === undefined) return [];
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new ConfigError("--restore-measurements", `Cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    return parseRestoreMeasurements(JSON.parse(text), file);
  } catch (error) {
    throw new ConfigError("--restore-measurements", (error as Error).message);
  }
}

async function main(): Promise<void> {
  const args = parsePlanArgs(process.argv.slice(2));
  if (args.compareStrategies) {
    const { primary, drs } = await renderStrategies(args.overrides, undefined, (label) => {
      if (!args.json) process.stderr.write(`Rendering stack ${label} under the mock runtime...\n`);
    });
    const comparison = compareStrategies(primary, drs);
    process.stdout.write(
      args.json ? `${JSON.stringify(comparison, null, 2)}\n` : formatComparison(comparison),
    );
    return;
  }
  const measurements = readRestoreMeasurements(args.restoreMeasurements);
  const rendering = await renderProjectWithReferences({
    stacks: args.stacks,
    overrides: args.overrides,
    preview: args.preview,
    onStack: (stack, preview) => {
      if (!args.json)
        process.stderr.write(
          `Rendering stack ${stack} under the mock runtime${preview ? " as a preview of its first deployment" : " as deployed"}...\n`,
        );
    },
  });
  const plan = buildPlan(rendering.selected, rendering.all, args.preview, measurements);
  if (args.diagram) {
    fs.writeFileSync(args.diagram, buildDiagram(rendering.all));
    process.stderr.write(
      `Wrote the Mermaid diagram of ${rendering.all.map((s) => s.stack).join(" and ")} to ${args.diagram}\n`,
    );
  }
  process.stdout.write(args.json ? `${JSON.stringify(plan, null, 2)}\n` : formatPlan(plan));
}

/** Config mistakes and program RunErrors are the operator's to fix: their message only, no trace. */
export function describeFailure(error: unknown): string {
  if (error instanceof ConfigError || RunError.isInstance(error)) return (error as Error).message;
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${describeFailure(error)}\n`);
    process.exit(1);
  });
}

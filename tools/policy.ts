/**
 * `npm run policy -- <file>`: evaluates the CrossGuard pack offline against a plan
 * (`npm run plan -- --json`), a `pulumi stack export` or a `pulumi preview --json` file.
 *
 *   npm run policy -- plan.json
 *   npm run policy -- stack.json --config policies/policy-config.example.json
 *   npm run policy -- preview.json --json
 *
 * Prints violations grouped by resource. Exit 0: no mandatory violation; 1: at least one;
 * 2: the input or config could not be read.
 */
import * as fs from "fs";
import { policies } from "../policies/policies";
import { cliMessage, EngineStack, evaluateStack, isMandatory, PackConfig, Violation } from "./policyEngine";
import { validatePackConfig } from "./policyConfig";
import { PolicyInputError, readPolicyInput } from "./policyInput";

export interface StackVerdict {
  readonly stack: string;
  readonly violations: Violation[];
}

export function evaluateStacks(stacks: readonly EngineStack[], config?: PackConfig): StackVerdict[] {
  return stacks.map((stack) => ({
    stack: stack.stack,
    violations: evaluateStack(stack, { policies, config }),
  }));
}

/** The plan's `policyViolations` for one rendered stack (same shape as a plan file's stack). */
export function planStackViolations(stack: {
  stack: string;
  config: object;
  resources: readonly object[];
}): Violation[] {
  const { stacks } = readPolicyInput({ stacks: [stack] });
  return stacks.flatMap((s) => evaluateStack(s, { policies }));
}

export function formatVerdicts(verdicts: readonly StackVerdict[]): string {
  const lines: string[] = [];
  for (const { stack, violations } of verdicts) {
    const mandatory = violations.filter(isMandatory).length;
    lines.push(`Stack ${stack}: ${violations.length} violation(s), ${mandatory} mandatory`);
    const byUrn = new Map<string, Violation[]>();
    for (const v of violations) byUrn.set(v.urn, [...(byUrn.get(v.urn) ?? []), v]);
    for (const [urn, list] of [...byUrn].sort(([a], [b]) => a.localeCompare(b))) {
      lines.push(`  ${urn || "(stack)"}`);
      // As the CLI shows a diagnostic: the policy's description, then the message.
      for (const v of list)
        lines.push(
          `    [${v.enforcementLevel}] ${v.policy}`,
          ...cliMessage(v)
            .split("\n")
            .map((line) => `      ${line}`),
        );
    }
  }
  const total = verdicts.reduce((n, v) => n + v.violations.filter(isMandatory).length, 0);
  lines.push(
    total === 0
      ? "Verdict: PASS (no mandatory violation)"
      : `Verdict: FAIL (${total} mandatory violation(s))`,
  );
  return `${lines.join("\n")}\n`;
}

const USAGE =
  "Usage: npm run policy -- <plan.json | stack-export.json | preview.json> [--config <policy-config.json>] [--json]";

function readJson(file: string, what: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new PolicyInputError(`Cannot read ${what} ${file}: ${(error as Error).message}. ${USAGE}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new PolicyInputError(`${what} ${file} is not valid JSON: ${(error as Error).message}.`);
  }
}

export function main(argv: readonly string[]): number {
  const files: string[] = [];
  let configFile: string | undefined;
  let json = false;
  try {
    for (let i = 0; i < argv.length; i++) {
      if (argv[i] === "--json") json = true;
      else if (argv[i] === "--config") configFile = argv[++i];
      else if (argv[i].startsWith("--")) throw new PolicyInputError(`Unknown option "${argv[i]}". ${USAGE}`);
      else files.push(argv[i]);
    }
    if (files.length !== 1 || (configFile === undefined && argv.includes("--config")))
      throw new PolicyInputError(USAGE);
    const config = configFile
      ? validatePackConfig(readJson(configFile, "policy config"), policies)
      : undefined;
    const { stacks } = readPolicyInput(readJson(files[0], "input"));
    const verdicts = evaluateStacks(stacks, config);
    process.stdout.write(json ? `${JSON.stringify(verdicts, null, 2)}\n` : formatVerdicts(verdicts));
    return verdicts.some((v) => v.violations.some(isMandatory)) ? 1 : 0;
  } catch (error) {
    if (error instanceof PolicyInputError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

if (require.main === module) process.exit(main(process.argv.slice(2)));

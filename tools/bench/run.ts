/**
 * `npm run bench`: figures from one run on this machine, each the median of several samples.
 *
 * - floor: a fresh plain `node` process that only loads `@pulumi/pulumi` and `@pulumi/aws` (no
 *   transpile hook, no compile cache) — the bare cost any Pulumi program in this language pays;
 *   issue 11's target is plan <= 2.00x this floor;
 * - module-loading floor: a fresh process that loads the program's modules (Pulumi SDK, AWS
 *   provider SDK, awsx, components, the renderer) through the same loader as the plan;
 * - plan: a fresh process running `npm run plan`'s command line: both stacks, the policy verdict
 *   and the posture (transpiled modules and Lambda bundles come from the on-disk caches after the
 *   first run);
 * - policies: evaluation time of the pack on synthetic stacks of 1,000 and 10,000 resources;
 * - tests: the whole `npm test` suite.
 *
 * The three process figures are sampled in turn (floor, module floor, plan, floor, ...), so load
 * from other work on a shared machine falls on all of them alike. Figures are printed, never
 * asserted: a timed test on a shared 2-core machine would be flaky.
 */
import { spawnSync } from "child_process";
import * as path from "path";

const ROOT = path.resolve(__dirname, "../..");
/** The loader the npm scripts use: tools/runtime/register.js (see docs/development.md). */
const LOADER = ["-r", path.join(ROOT, "tools/runtime/register.js")];

/**
 * The node arguments of `npm run plan` (package.json), so the bench times exactly that command,
 * V8 flags included.
 */
export function planArgs(root = ROOT): string[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const script = String(require(path.join(root, "package.json")).scripts.plan);
  const [command, ...args] = script.trim().split(/\s+/);
  if (command !== "node") throw new Error(`npm run plan is not a node command: ${script}`);
  return args;
}

export function median(samples: readonly number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function timeProcess(args: string[], label: string, env: NodeJS.ProcessEnv = process.env): number {
  const started = process.hrtime.bigint();
  // Output is discarded: collecting a large stdout through spawnSync would time the harness.
  const result = spawnSync(process.execPath, args, {
    cwd: ROOT,
    env,
    encoding: "utf8",
    stdio: ["ignore", "ignore", "pipe"],
    maxBuffer: 64 * 1024 * 1024,
  });
  const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) {
    throw new Error(`${label} failed (exit ${result.status}): ${result.stderr.slice(0, 2000)}`);
  }
  return elapsedMs;
}

function sample(count: number, label: string, run: () => number): number[] {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    samples.push(run());
    process.stderr.write(`  ${label}: sample ${i + 1}/${count} ${samples[i].toFixed(0)} ms\n`);
  }
  return samples;
}

const FLOOR_SCRIPT = [
  'require("./stacks");',
  'require("./stacks/runtimeConfig");',
  'require("./tools/render/project");',
  'require("./tools/planReport");',
].join("");

/** Issue 11's floor: the bare load, in plain Node, of the two SDKs every plan needs. */
export const BARE_FLOOR_SCRIPT = 'require("@pulumi/pulumi");require("@pulumi/aws")';

/** Plain Node: without the compile cache a parent process may have enabled (it is inherited). */
function plainEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NODE_COMPILE_CACHE;
  delete env.NODE_OPTIONS;
  return env;
}

export interface ProcessFigures {
  readonly bareFloorMs: number;
  readonly moduleFloorMs: number;
  readonly planMs: number;
}

/** The report lines of the process figures: each with its ratio to the bare floor. */
export function processLines(f: ProcessFigures): string[] {
  const ms = (value: number) => value.toFixed(0).padStart(7);
  const ratio = (value: number) => (value / f.bareFloorMs).toFixed(2);
  return [
    `  floor: bare @pulumi/pulumi + @pulumi/aws load ${ms(f.bareFloorMs)} ms   1.00x`,
    `  module-loading floor            ${ms(f.moduleFloorMs)} ms   ${ratio(f.moduleFloorMs)}x floor`,
    `  plan, both stacks + verdict     ${ms(f.planMs)} ms   ${ratio(f.planMs)}x floor (target <= 2.00x)`,
    `  rendering beyond module loading ${ms(f.planMs - f.moduleFloorMs)} ms`,
  ];
}

function main(): void {
  const runs = Number(process.env.BENCH_RUNS ?? 5);
  process.stderr.write(
    `Benchmarking on ${process.platform}/${process.arch}, Node ${process.version}, ${runs} runs each\n`,
  );

  // One warm-up plan fills the transpile, bundle and compile caches, as any earlier run would have.
  timeProcess(planArgs(), "warm-up plan");
  const samples = { bare: [] as number[], modules: [] as number[], plan: [] as number[] };
  for (let i = 0; i < runs; i++) {
    samples.bare.push(timeProcess(["-e", BARE_FLOOR_SCRIPT], "floor", plainEnv()));
    samples.modules.push(timeProcess([...LOADER, "-e", FLOOR_SCRIPT], "module-loading floor"));
    samples.plan.push(timeProcess(planArgs(), "plan"));
    process.stderr.write(
      `  sample ${i + 1}/${runs}: floor ${samples.bare[i].toFixed(0)} ms, module floor ` +
        `${samples.modules[i].toFixed(0)} ms, plan ${samples.plan[i].toFixed(0)} ms\n`,
    );
  }

  const lines = [
    "payments-dr benchmarks (medians; lower is better)",
    ...processLines({
      bareFloorMs: median(samples.bare),
      moduleFloorMs: median(samples.modules),
      planMs: median(samples.plan),
    }),
  ];

  const policyBench = path.join(ROOT, "tools/bench/policies.ts");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const policies = require("fs").existsSync(policyBench) ? require(policyBench) : undefined;
  if (policies && typeof policies.measurePolicyEvaluation === "function") {
    const figures = policies.measurePolicyEvaluation([1000, 10000], runs) as {
      resources: number;
      medianMs: number;
    }[];
    for (const f of figures) {
      lines.push(
        `  policy pack, ${String(f.resources).padStart(6)} resources  ${f.medianMs.toFixed(1).padStart(7)} ms`,
      );
    }
    if (figures.length === 2) {
      const growth = figures[1].medianMs / figures[0].medianMs;
      lines.push(
        `  policy growth 1k -> 10k         ${growth.toFixed(2).padStart(7)}x  (linear = 10x; target 10k < 1000 ms)`,
      );
    }
  }

  // BENCH_TEST_RUNS=0 skips the test suite (about 1.5 minutes a run) when only the plan matters.
  const testRuns = Number(process.env.BENCH_TEST_RUNS ?? 3);
  if (testRuns > 0) {
    const tests = median(
      sample(testRuns, "test suite", () =>
        // mocha's own config (.mocharc.json) loads the same register.js as the npm scripts.
        timeProcess(
          [path.join(ROOT, "node_modules/mocha/bin/mocha.js"), "test/**/*.spec.ts", "--reporter", "dot"],
          "tests",
        ),
      ),
    );
    lines.push(
      `  test suite (npm test)           ${(tests / 1000).toFixed(1).padStart(7)} s    (median of ${testRuns})`,
    );
  } else {
    lines.push("  test suite (npm test)           skipped (BENCH_TEST_RUNS=0)");
  }
  process.stdout.write(`${lines.join("\n")}\n`);
}

if (require.main === module) main();

/**
 * `npm run bench`: figures from one run on this machine, each the median of several samples.
 *
 * - floor: a fresh Node process that only loads the program's modules (Pulumi SDK, AWS provider
 *   SDK, awsx, components, the renderer) — the cost no plan can avoid;
 * - plan: a fresh process running `npm run plan`'s `tools/plan.ts`: both stacks, the policy verdict
 *   and the posture (Lambda bundles come from the on-disk cache after the first run);
 * - policies: evaluation time of the pack on synthetic stacks of 1,000 and 10,000 resources;
 * - tests: the whole `npm test` suite.
 *
 * Figures are printed, never asserted: a timed test on a shared 2-core machine would be flaky.
 */
import { spawnSync } from "child_process";
import * as path from "path";

const ROOT = path.resolve(__dirname, "../..");
const TS_NODE = ["-r", "ts-node/register/transpile-only"];

export function median(samples: readonly number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function timeProcess(args: string[], label: string): number {
  const started = process.hrtime.bigint();
  // Output is discarded: collecting a large stdout through spawnSync would time the harness.
  const result = spawnSync(process.execPath, args, {
    cwd: ROOT,
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

function main(): void {
  const runs = Number(process.env.BENCH_RUNS ?? 5);
  process.stderr.write(
    `Benchmarking on ${process.platform}/${process.arch}, Node ${process.version}, ${runs} runs each\n`,
  );

  const floor = median(
    sample(runs, "module-loading floor", () => timeProcess([...TS_NODE, "-e", FLOOR_SCRIPT], "floor")),
  );
  const plan = median(
    sample(runs, "plan both stacks + verdict", () => timeProcess([...TS_NODE, "tools/plan.ts"], "plan")),
  );

  const lines = [
    "payments-dr benchmarks (medians; lower is better)",
    `  module-loading floor            ${floor.toFixed(0).padStart(7)} ms   1.00x`,
    `  plan, both stacks + verdict     ${plan.toFixed(0).padStart(7)} ms   ${(plan / floor).toFixed(2)}x floor (target <= 2.00x)`,
    `  rendering beyond the floor      ${(plan - floor).toFixed(0).padStart(7)} ms`,
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

  const testRuns = Number(process.env.BENCH_TEST_RUNS ?? 3);
  const tests = median(
    sample(testRuns, "test suite", () =>
      timeProcess(
        [path.join(ROOT, "node_modules/mocha/bin/mocha.js"), "test/**/*.spec.ts", "--reporter", "dot"],
        "tests",
      ),
    ),
  );
  lines.push(
    `  test suite (npm test)           ${(tests / 1000).toFixed(1).padStart(7)} s    (median of ${testRuns})`,
  );
  process.stdout.write(`${lines.join("\n")}\n`);
}

if (require.main === module) main();

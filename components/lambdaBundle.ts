import * as path from "path";
import { buildSync } from "esbuild";
import * as pulumi from "@pulumi/pulumi";

/** Where Lambda handler sources live: `functions/<name>/handler.ts` exporting `handler`. */
export const FUNCTIONS_DIR = path.resolve(__dirname, "../functions");

/** The Lambda runtime every bundle targets; esbuild's target matches it. */
export const LAMBDA_RUNTIME = "nodejs20.x";

/**
 * Bundles `functions/<name>/handler.ts` with esbuild into a single `index.js` (CommonJS, Node 20)
 * and returns it as an archive for `aws.lambda.Function.code`, with handler `index.handler`.
 *
 * The AWS SDK is bundled rather than taken from the runtime, so the code that runs is the code
 * the tests ran, at the versions in the lockfile. The build runs at program time and is
 * deterministic for the same sources, so an unchanged function produces no diff.
 */
export function bundleFunction(name: string): pulumi.asset.AssetArchive {
  return new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.StringAsset(bundledSource(name)) });
}

// One process renders several stacks (the offline plan, the tests): bundle each function once.
const bundles = new Map<string, string>();

/** The bundled JavaScript of `functions/<name>/handler.ts`, built once per process. */
export function bundledSource(name: string): string {
  const cached = bundles.get(name);
  if (cached !== undefined) return cached;
  const entry = path.join(FUNCTIONS_DIR, name, "handler.ts");
  const result = buildSync({
    entryPoints: [entry],
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    write: false,
    minify: false,
    sourcemap: false,
    legalComments: "none",
    logLevel: "silent",
    // Sources are compiled from disk; a path in the bundle would make the hash machine-dependent.
    absWorkingDir: FUNCTIONS_DIR,
  });
  if (result.errors.length > 0) {
    throw new Error(`Bundling ${entry} failed: ${result.errors.map((e) => e.text).join("; ")}`);
  }
  const text = result.outputFiles[0].text;
  bundles.set(name, text);
  return text;
}

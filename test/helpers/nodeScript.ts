import * as assert from "assert";
import { spawnSync } from "child_process";
import * as path from "path";

const ROOT = path.resolve(__dirname, "../..");

/**
 * Runs `script` (`node -e`) in a fresh process at the repository root, with the project's loader
 * (`-r ./tools/runtime/register.js`) or as plain Node, and returns the JSON it prints.
 */
export function runNodeScript<T>(
  script: string,
  { loader, args = [] }: { loader: boolean; args?: string[] },
): T {
  const argv = [...(loader ? ["-r", "./tools/runtime/register.js"] : []), "-e", script, ...args];
  const result = spawnSync(process.execPath, argv, { cwd: ROOT, encoding: "utf8" });
  assert.strictEqual(result.status, 0, result.stderr);
  return JSON.parse(result.stdout) as T;
}

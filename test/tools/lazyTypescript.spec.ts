import * as assert from "assert";
import { runNodeScript } from "../helpers/nodeScript";

/** Loads @pulumi/pulumi in a fresh process, optionally serializes a closure, and reports. */
const SCRIPT = [
  'const pulumi = require("@pulumi/pulumi");',
  "const loaded = () => Object.keys(require.cache).some((k) => k.endsWith('typescript/lib/typescript.js'));",
  "const before = loaded();",
  "const factor = 3;",
  "const serialize = process.argv[1] === 'serialize';",
  "(serialize ? pulumi.runtime.serializeFunction((n) => n * factor) : Promise.resolve(undefined))",
  "  .then((s) => console.log(JSON.stringify({ before, after: loaded(), text: s && s.text })));",
].join("\n");

function run(loader: boolean, mode: string): { before: boolean; after: boolean; text?: string } {
  return runNodeScript<{ before: boolean; after: boolean; text?: string }>(SCRIPT, { loader, args: [mode] });
}

describe("the TypeScript compiler @pulumi/pulumi bundles is loaded on first use (tools/runtime/register.js)", function () {
  this.timeout(60_000);

  it("is not loaded by a run that serializes no function", () => {
    assert.deepStrictEqual(run(true, "none"), { before: false, after: false });
  });

  it("is loaded when a closure is serialized, which serializes exactly as without the loader", () => {
    const lazy = run(true, "serialize");
    const plain = run(false, "serialize");
    assert.strictEqual(plain.before, true); // plain Node loads it eagerly
    assert.deepStrictEqual({ before: lazy.before, after: lazy.after }, { before: false, after: true });
    assert.strictEqual(lazy.text, plain.text);
    assert.match(lazy.text ?? "", /with\(\{ factor: 3,/);
  });
});

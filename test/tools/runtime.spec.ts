import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { cacheKey, createTranspiler, DEFAULT_CACHE_DIR, toolchainKey } from "../../tools/runtime/transpile";

const ROOT = path.resolve(__dirname, "../..");

const SOURCE = [
  'import { readFileSync } from "fs";',
  "interface Shape { readonly side: number }",
  "export class Square implements Shape {",
  "  public readonly side: number;",
  "  constructor(side: number) { this.side = side; }",
  "}",
  "export const reader: typeof readFileSync = readFileSync;",
  "",
].join("\n");

/** The emitted JavaScript without its trailing source-map comment. */
const code = (text: string) => text.replace(/\n\/\/# sourceMappingURL=.*\s*$/, "");

describe("TypeScript loader (tools/runtime)", () => {
  let cacheDir: string;
  beforeEach(() => (cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), "payments-dr-ts-"))));
  afterEach(() => fs.rmSync(cacheDir, { recursive: true, force: true }));

  it("caches under node_modules/.cache/payments-dr/ts, which git ignores", () => {
    assert.strictEqual(DEFAULT_CACHE_DIR, path.join(ROOT, "node_modules/.cache/payments-dr/ts"));
  });

  it("emits exactly what ts-node --transpile-only emits, the loader `pulumi up` uses", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const tsNode = require("ts-node").create({ transpileOnly: true, cwd: ROOT }) as {
      compile(source: string, fileName: string): string;
    };
    const file = path.join(ROOT, "components/lambda/lambdaBundle.ts");
    const source = fs.readFileSync(file, "utf8");
    const ours = createTranspiler({ cacheDir }).transpile(file, source);
    assert.strictEqual(code(ours), code(tsNode.compile(source, file)));
    assert.match(ours, /\n\/\/# sourceMappingURL=data:application\/json;base64,/);
  });

  it("compiles on a cold cache, then serves the entry without compiling", () => {
    const file = path.join(cacheDir, "square.ts");
    const cold = createTranspiler({ cacheDir });
    const first = cold.transpile(file, SOURCE);
    assert.deepStrictEqual(cold.stats, { hits: 0, misses: 1 });
    assert.deepStrictEqual(fs.readdirSync(cacheDir), [`${cacheKey(cold.toolchain, file, SOURCE)}.js`]);

    const warm = createTranspiler({ cacheDir });
    assert.strictEqual(warm.transpile(file, SOURCE), first);
    assert.deepStrictEqual(warm.stats, { hits: 1, misses: 0 });
    assert.match(first, /^"use strict";/);
    assert.match(first, /class Square \{\n\s+side;/); // ES2022 class fields, as tsconfig targets
    assert.doesNotMatch(first, /interface|: number/);
  });

  it("never serves an entry for a changed source, path or toolchain", () => {
    const file = path.join(cacheDir, "square.ts");
    createTranspiler({ cacheDir, toolchain: "typescript 5.9.3" }).transpile(file, SOURCE);

    const changed = SOURCE.replace("this.side = side;", "this.side = side * 2;");
    const sameToolchain = createTranspiler({ cacheDir, toolchain: "typescript 5.9.3" });
    assert.match(sameToolchain.transpile(file, changed), /this\.side = side \* 2;/);
    sameToolchain.transpile(path.join(cacheDir, "other.ts"), SOURCE);
    assert.deepStrictEqual(sameToolchain.stats, { hits: 0, misses: 2 });

    const newToolchain = createTranspiler({ cacheDir, toolchain: "typescript 6.0.0" });
    newToolchain.transpile(file, SOURCE);
    assert.deepStrictEqual(newToolchain.stats, { hits: 0, misses: 1 });
    assert.strictEqual(fs.readdirSync(cacheDir).length, 4);
  });

  it("keys the toolchain by tsconfig.json and the Node version as well as the compiler", () => {
    // A root inside the repository, so its TypeScript resolves from the repository's node_modules.
    const root = fs.mkdtempSync(path.join(ROOT, "node_modules/.cache/payments-dr-root-"));
    try {
      fs.writeFileSync(path.join(root, "tsconfig.json"), '{"compilerOptions":{"target":"ES2022"}}');
      const before = toolchainKey(root);
      assert.strictEqual(toolchainKey(root), before);
      fs.writeFileSync(path.join(root, "tsconfig.json"), '{"compilerOptions":{"target":"ES2020"}}');
      assert.notStrictEqual(toolchainKey(root), before);
      const version = Object.getOwnPropertyDescriptor(process, "version") as PropertyDescriptor;
      const afterTsconfig = toolchainKey(root);
      Object.defineProperty(process, "version", { ...version, value: "v99.0.0" });
      try {
        assert.notStrictEqual(toolchainKey(root), afterTsconfig);
      } finally {
        Object.defineProperty(process, "version", version);
      }
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it("rejects a syntax error with the file, line and column, and caches nothing", () => {
    const transpiler = createTranspiler({ cacheDir });
    const file = path.join(cacheDir, "broken.ts");
    assert.throws(
      () => transpiler.transpile(file, "export const a = 1;\nexport const b = ;\n"),
      (error: Error) =>
        error instanceof SyntaxError && error.message === `${file}:2:18: Expression expected.`,
    );
    assert.deepStrictEqual(fs.readdirSync(cacheDir), []);
  });
});

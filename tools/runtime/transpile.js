/**
 * TypeScript → CommonJS for the offline tools and the tests, transpiled once and cached on disk.
 *
 * Plain JavaScript on purpose: this is what makes `.ts` loadable, so it cannot itself be `.ts`.
 * Types for callers are in transpile.d.ts; why it exists and how it is keyed: docs/development.md.
 *
 * The emitter is TypeScript's own `transpileModule` with this repository's tsconfig.json, the
 * call `ts-node --transpile-only` makes and the one the Pulumi CLI's ts-node makes on
 * `pulumi up`. The JavaScript must be the same text, not only the same behaviour: Pulumi
 * serializes dynamic-provider functions from their emitted source (`Function.toString`), so a
 * different emitter (esbuild, swc) would change the `__provider` inputs of the plan.
 * What makes it fast is the cache: a warm run never loads the compiler (~4 MB of JavaScript).
 *
 * The cache is content-addressed: an entry's name is the sha256 of the toolchain (TypeScript
 * version, Node version, this file, tsconfig.json), the file's path and its source text. A
 * changed source, toolchain or option is a different name, so a stale entry is never read; it is
 * only left behind (delete node_modules/.cache/payments-dr/ to reclaim the space).
 */
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");

const ROOT = path.resolve(__dirname, "../..");

/** Where transpiled modules live: ignored by git, recreated by the first run after a fresh clone. */
const DEFAULT_CACHE_DIR = path.join(ROOT, "node_modules/.cache/payments-dr/ts");

const sha256 = (...parts) => {
  const hash = crypto.createHash("sha256");
  for (const part of parts) hash.update(part).update("\0");
  return hash.digest("hex");
};

const tsconfigPath = (root) => path.join(root, "tsconfig.json");
const typescriptPackage = (root) => require.resolve("typescript/package.json", { paths: [root] });

/**
 * The toolchain part of every cache key: anything that can change the emitted JavaScript for the
 * same source. TypeScript's version is read from its package.json, so a cache hit never loads it.
 */
function toolchainKey(root = ROOT) {
  const typescriptVersion = JSON.parse(fs.readFileSync(typescriptPackage(root), "utf8")).version;
  return sha256(
    `typescript ${typescriptVersion}`,
    `node ${process.version}`,
    fs.readFileSync(__filename),
    fs.readFileSync(tsconfigPath(root)),
  );
}

/** The cache entry name of one source file: toolchain, path (it is in the source map) and text. */
function cacheKey(toolchain, filename, source) {
  return sha256(toolchain, filename, source);
}

/**
 * The compiler options ts-node derives from tsconfig.json (its fixConfig and its overrides),
 * except that the source map is inlined: register.js has Node map stack traces through it.
 */
function compilerOptions(ts, root) {
  const file = tsconfigPath(root);
  const { config, error } = ts.readConfigFile(file, ts.sys.readFile);
  if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, "\n"));
  const host = { ...ts.sys, readDirectory: () => [] }; // the "include" globs are irrelevant here
  const { options } = ts.parseJsonConfigFileContent(config, host, root, undefined, file);
  for (const key of [
    "out",
    "outFile",
    "composite",
    "declarationDir",
    "declarationMap",
    "emitDeclarationOnly",
  ]) {
    delete options[key];
  }
  options.target ??= ts.ScriptTarget.ES5;
  options.module ??= ts.ModuleKind.CommonJS;
  return {
    ...options,
    declaration: false,
    noEmit: false,
    sourceMap: false,
    inlineSourceMap: true,
    inlineSources: false,
  };
}

/**
 * A cache over one directory. `transpile(filename, source)` returns the CommonJS text; `stats`
 * counts hits and misses (the tests use it to show that a hit never runs the compiler).
 */
function createTranspiler({ cacheDir = DEFAULT_CACHE_DIR, root = ROOT, toolchain } = {}) {
  const key = toolchain ?? toolchainKey(root);
  const stats = { hits: 0, misses: 0 };
  let compiler; // loaded on the first miss only

  function compile(filename, source) {
    if (!compiler) {
      const ts = require(require.resolve("typescript", { paths: [root] }));
      compiler = { ts, options: compilerOptions(ts, root) };
    }
    const { ts, options } = compiler;
    const output = ts.transpileModule(source, {
      fileName: filename,
      compilerOptions: options,
      reportDiagnostics: true,
    });
    const errors = (output.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
    if (errors.length > 0) {
      const where = (d) => {
        if (!d.file || d.start === undefined) return filename;
        const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
        return `${filename}:${line + 1}:${character + 1}`;
      };
      throw new SyntaxError(
        errors.map((d) => `${where(d)}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`).join("\n"),
      );
    }
    return output.outputText;
  }

  function transpile(filename, source) {
    const entry = path.join(cacheDir, `${cacheKey(key, filename, source)}.js`);
    try {
      const code = fs.readFileSync(entry, "utf8");
      stats.hits++;
      return code;
    } catch {
      // absent: compile below
    }
    stats.misses++;
    const code = compile(filename, source);
    try {
      fs.mkdirSync(cacheDir, { recursive: true });
      // Write, then rename: a concurrent reader (a plan during the tests) sees a whole entry or none.
      const temporary = `${entry}.${process.pid}.${crypto.randomBytes(4).toString("hex")}.tmp`;
      fs.writeFileSync(temporary, code);
      fs.renameSync(temporary, entry);
    } catch {
      // A read-only checkout still runs; it compiles on every start.
    }
    return code;
  }

  return { transpile, stats, cacheDir, toolchain: key };
}

module.exports = { DEFAULT_CACHE_DIR, cacheKey, createTranspiler, toolchainKey };

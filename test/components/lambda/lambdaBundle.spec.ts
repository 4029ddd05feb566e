import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  BUNDLE_CACHE_DIR,
  bundledSource,
  FUNCTIONS_DIR,
  readCachedBundle,
  writeCachedBundle,
} from "../../../components/lambda/lambdaBundle";

const ROOT = path.resolve(__dirname, "../../..");

describe("Lambda bundle cache", () => {
  let cacheDir: string;
  beforeEach(() => (cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), "payments-dr-bundles-"))));
  afterEach(() => fs.rmSync(cacheDir, { recursive: true, force: true }));

  it("lives in the repository's node_modules/.cache, which git ignores", () => {
    assert.strictEqual(BUNDLE_CACHE_DIR, path.join(ROOT, "node_modules/.cache/payments-dr/bundles"));
  });

  it("serves a bundle while every input esbuild read is unchanged", () => {
    writeCachedBundle(cacheDir, "probe", ["probe/handler.ts"], "bundle text");
    assert.strictEqual(readCachedBundle(cacheDir, "probe"), "bundle text");
  });

  it("ignores an entry whose recorded input hash differs from the file on disk", () => {
    writeCachedBundle(cacheDir, "probe", ["probe/handler.ts"], "bundle text");
    const file = path.join(cacheDir, "probe.json");
    const entry = JSON.parse(fs.readFileSync(file, "utf8"));
    entry.inputs["probe/handler.ts"] = "0".repeat(64);
    fs.writeFileSync(file, JSON.stringify(entry));
    assert.strictEqual(readCachedBundle(cacheDir, "probe"), undefined);
  });

  it("ignores an entry built by another esbuild version or with other options", () => {
    writeCachedBundle(cacheDir, "probe", ["probe/handler.ts"], "bundle text");
    const file = path.join(cacheDir, "probe.json");
    const entry = JSON.parse(fs.readFileSync(file, "utf8"));
    entry.key = entry.key.replace(/"esbuild":"[^"]+"/, '"esbuild":"0.0.1"');
    fs.writeFileSync(file, JSON.stringify(entry));
    assert.strictEqual(readCachedBundle(cacheDir, "probe"), undefined);
  });

  it("ignores an entry whose input no longer exists", () => {
    writeCachedBundle(cacheDir, "probe", ["probe/handler.ts"], "bundle text");
    const file = path.join(cacheDir, "probe.json");
    const entry = JSON.parse(fs.readFileSync(file, "utf8"));
    entry.inputs["probe/gone.ts"] = entry.inputs["probe/handler.ts"];
    fs.writeFileSync(file, JSON.stringify(entry));
    assert.strictEqual(readCachedBundle(cacheDir, "probe"), undefined);
  });

  it("keeps the bundle as plain JavaScript beside a small entry, and refuses an entry without its bundle", () => {
    writeCachedBundle(cacheDir, "probe", ["probe/handler.ts"], "bundle text");
    assert.strictEqual(fs.readFileSync(path.join(cacheDir, "probe.js"), "utf8"), "bundle text");
    const entry = JSON.parse(fs.readFileSync(path.join(cacheDir, "probe.json"), "utf8"));
    assert.deepStrictEqual(Object.keys(entry), ["key", "inputs", "length"]);
    assert.strictEqual(entry.length, "bundle text".length);
    fs.writeFileSync(path.join(cacheDir, "probe.js"), "another bundle");
    assert.strictEqual(readCachedBundle(cacheDir, "probe"), undefined);
    fs.rmSync(path.join(cacheDir, "probe.js"));
    assert.strictEqual(readCachedBundle(cacheDir, "probe"), undefined);
  });

  it("bundles the handler with its imports into one CommonJS file", () => {
    const text = bundledSource("probe");
    assert.ok(fs.existsSync(path.join(FUNCTIONS_DIR, "probe/handler.ts")));
    assert.match(text, /module\.exports = __toCommonJS\(/);
    assert.doesNotMatch(text, /require\("\.\.?\//);
  });
});

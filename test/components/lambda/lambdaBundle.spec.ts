import * as assert from "assert";
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  BUNDLE_CACHE_DIR,
  bundledSource,
  digestOf,
  knownBundleDigest,
  textDigest,
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

  it("records each input's sha256 and its identity on disk (inode, size, mtime, ctime)", () => {
    writeCachedBundle(cacheDir, "probe", ["probe/handler.ts"], "bundle text");
    const entry = JSON.parse(fs.readFileSync(path.join(cacheDir, "probe.json"), "utf8"));
    const handler = path.join(FUNCTIONS_DIR, "probe/handler.ts");
    const stat = fs.statSync(handler);
    assert.deepStrictEqual(entry.inputs, {
      "probe/handler.ts": createHash("sha256").update(fs.readFileSync(handler)).digest("hex"),
    });
    assert.deepStrictEqual(entry.stats, {
      "probe/handler.ts": [stat.ino, stat.size, stat.mtimeMs, stat.ctimeMs],
    });
  });

  it("hashes an input again when its identity changed, and ignores the entry if the content differs", () => {
    writeCachedBundle(cacheDir, "probe", ["probe/handler.ts"], "bundle text");
    const file = path.join(cacheDir, "probe.json");
    const entry = JSON.parse(fs.readFileSync(file, "utf8"));
    entry.inputs["probe/handler.ts"] = "0".repeat(64);
    fs.writeFileSync(file, JSON.stringify(entry));
    // The identity still matches: the recorded hash is trusted without reading the file.
    assert.strictEqual(readCachedBundle(cacheDir, "probe"), "bundle text");
    for (const field of [0, 1, 2, 3]) {
      const changed = structuredClone(entry);
      changed.stats["probe/handler.ts"][field] += 1;
      fs.writeFileSync(file, JSON.stringify(changed));
      assert.strictEqual(readCachedBundle(cacheDir, "probe"), undefined, `identity field ${field} changed`);
    }
  });

  it("serves an entry whose input was touched but not changed, and records the new identity", () => {
    writeCachedBundle(cacheDir, "probe", ["probe/handler.ts"], "bundle text");
    const file = path.join(cacheDir, "probe.json");
    const written = JSON.parse(fs.readFileSync(file, "utf8"));
    const touched = structuredClone(written);
    touched.stats["probe/handler.ts"][3] -= 1000; // ctime moved on: `touch`, a checkout of the same text
    fs.writeFileSync(file, JSON.stringify(touched));
    assert.strictEqual(readCachedBundle(cacheDir, "probe"), "bundle text");
    assert.deepStrictEqual(JSON.parse(fs.readFileSync(file, "utf8")), written);
    // An entry from before identities were recorded gets them the same way.
    delete touched.stats;
    fs.writeFileSync(file, JSON.stringify(touched));
    assert.strictEqual(readCachedBundle(cacheDir, "probe"), "bundle text");
    assert.deepStrictEqual(JSON.parse(fs.readFileSync(file, "utf8")), written);
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
    assert.deepStrictEqual(Object.keys(entry), ["key", "inputs", "stats", "length", "digest"]);
    assert.strictEqual(entry.length, "bundle text".length);
    fs.writeFileSync(path.join(cacheDir, "probe.js"), "another bundle");
    assert.strictEqual(readCachedBundle(cacheDir, "probe"), undefined);
    fs.rmSync(path.join(cacheDir, "probe.js"));
    assert.strictEqual(readCachedBundle(cacheDir, "probe"), undefined);
  });

  it("records the bundle's digest, and knows it for the text it serves without hashing it again", () => {
    const text = "exports.handler = async () => 'ok'; // é";
    const digest = {
      hash: createHash("sha256").update(text, "utf8").digest("hex"),
      textBytes: text.length + 1,
    };
    writeCachedBundle(cacheDir, "probe", ["probe/handler.ts"], text);
    const file = path.join(cacheDir, "probe.json");
    const entry = JSON.parse(fs.readFileSync(file, "utf8"));
    assert.deepStrictEqual(entry.digest, digest);
    const served = readCachedBundle(cacheDir, "probe");
    assert.strictEqual(served, text);
    assert.deepStrictEqual(knownBundleDigest(served), digest);
    assert.deepStrictEqual(digestOf(text), digest);
    assert.strictEqual(knownBundleDigest("some other text"), undefined);
    assert.deepStrictEqual(textDigest(served), digest);
    assert.deepStrictEqual(textDigest("abc"), {
      hash: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
      textBytes: 3,
    });
    // An entry written before digests were recorded gets one on its next read.
    delete entry.digest;
    fs.writeFileSync(file, JSON.stringify(entry));
    assert.strictEqual(readCachedBundle(cacheDir, "probe"), text);
    assert.deepStrictEqual(JSON.parse(fs.readFileSync(file, "utf8")).digest, digest);
  });

  it("bundles the handler with its imports into one CommonJS file", () => {
    const text = bundledSource("probe");
    assert.ok(fs.existsSync(path.join(FUNCTIONS_DIR, "probe/handler.ts")));
    assert.match(text, /module\.exports = __toCommonJS\(/);
    assert.doesNotMatch(text, /require\("\.\.?\//);
  });
});

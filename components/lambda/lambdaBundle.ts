import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { buildSync, version } from "esbuild";
import * as pulumi from "@pulumi/pulumi";

/** Where Lambda handler sources live: `functions/<name>/handler.ts` exporting `handler`. */
export const FUNCTIONS_DIR = path.resolve(__dirname, "../../functions");

/**
 * The Lambda runtime of every function (Node.js 24, supported by Lambda until 2028; `nodejs20.x`
 * can no longer be created).
 */
export const LAMBDA_RUNTIME = "nodejs24.x";

/** esbuild's target for that runtime: `nodejs24.x` -> `node24`. */
export const BUNDLE_TARGET = LAMBDA_RUNTIME.replace(/^nodejs(\d+)\.x$/, "node$1");

/**
 * Bundles `functions/<name>/handler.ts` with esbuild into a single `index.js` (CommonJS, Node 24)
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

/**
 * Bundles persist across runs in node_modules/.cache (ignored by git), keyed by the content of
 * every file esbuild read, the esbuild version and the options: a cached bundle is reused only
 * when rebuilding would produce the same text.
 */
export const BUNDLE_CACHE_DIR = path.resolve(__dirname, "../../node_modules/.cache/payments-dr/bundles");

const BUILD_OPTIONS = {
  bundle: true,
  platform: "node",
  target: BUNDLE_TARGET,
  format: "cjs",
  write: false,
  minify: false,
  sourcemap: false,
  legalComments: "none",
  logLevel: "silent",
  // Sources are compiled from disk; a path in the bundle would make the hash machine-dependent.
  absWorkingDir: FUNCTIONS_DIR,
} as const;

/**
 * `<name>.json` of a cache entry; the bundle itself is `<name>.js` beside it. Kept apart because
 * JSON-decoding ~7 MB of bundles was ~0.1 s of every plan; the JavaScript is read as it is.
 */
interface CachedBundle {
  readonly key: string;
  /** Every input esbuild read (relative to FUNCTIONS_DIR) and the sha256 of its content. */
  readonly inputs: Record<string, string>;
  /** Each input's identity on disk when it was hashed (see `unchangedSinceHashed`). */
  readonly stats?: Record<string, FileIdentity>;
  /** The length of `<name>.js`, so a bundle file that does not belong to this entry is refused. */
  readonly length: number;
  /** The sha256 and byte length of `<name>.js` (its UTF-8 text), taken when it was written. */
  readonly digest?: TextDigest;
}

/** A text's sha256 (hex, of its UTF-8 bytes) and byte length: what the offline plan shows of a bundle. */
export interface TextDigest {
  readonly hash: string;
  readonly textBytes: number;
}

/** The digest of `text`, computed. */
export function digestOf(text: string): TextDigest {
  const bytes = Buffer.from(text, "utf8");
  return { hash: createHash("sha256").update(bytes).digest("hex"), textBytes: bytes.length };
}

// Each bundle this process read or wrote, with its digest as the cache entry records it: a plan
// shows bundles by digest, and hashing the ~14 MB of them on every run was ~0.05 s of a plan.
// Keyed by the string itself: the same string reaches the renderer, and V8 hashes a long flat string
// (one read from a file) by its length, not its content.
const bundleDigests = new Map<string, TextDigest>();

/** The digest of a bundle this process read from or wrote to the cache, or undefined for any other text. */
export function knownBundleDigest(text: string): TextDigest | undefined {
  return bundleDigests.get(text);
}

/** A bundle's digest as its cache entry recorded it (not hashed again), or any other text's, computed. */
export function textDigest(text: string): TextDigest {
  return knownBundleDigest(text) ?? digestOf(text);
}

/** Inode, size, mtime and ctime (ms): what `fs.stat` says about a file without reading it. */
export type FileIdentity = readonly [ino: number, size: number, mtimeMs: number, ctimeMs: number];

function identityOf(file: string): FileIdentity {
  const stat = fs.statSync(file);
  return [stat.ino, stat.size, stat.mtimeMs, stat.ctimeMs];
}

/**
 * `compute` once per file per process: the functions share most of their inputs (the AWS SDK
 * core), and a process assumes its inputs do not change under it, like the bundles themselves.
 */
function oncePerFile<T>(compute: (file: string) => T): (file: string) => T {
  const results = new Map<string, T>();
  return (file) => {
    let result = results.get(file);
    if (result === undefined) {
      result = compute(file);
      results.set(file, result);
    }
    return result;
  };
}

/** An input's identity when checking an entry (a new entry takes a fresh one: `identityOf`). */
const cachedIdentityOf = oncePerFile(identityOf);

/**
 * Whether a file is still the one that was hashed, as git's index decides it: same inode, size,
 * mtime and ctime. The ctime is the kernel's (no tool can set it back), so a file rewritten with
 * its old size and mtime (npm extracts every package file with the same 1985 mtime) still differs.
 * Reading and hashing the ~600 inputs of the bundles was ~0.05 s of every plan; stat-ing them is
 * ~0.007 s. A file whose identity changed is hashed again, and its content decides.
 */
function unchangedSinceHashed(recorded: FileIdentity | undefined, current: FileIdentity): boolean {
  return recorded !== undefined && recorded.every((value, i) => value === current[i]);
}

function hashFile(file: string): string {
  return createHash("sha256").update(fs.readFileSync(file)).digest("hex");
}

/** An input's hash when checking an entry (a new entry takes a fresh one: `hashFile`). */
const cachedHashOf = oncePerFile(hashFile);
const CACHE_KEY = JSON.stringify({ esbuild: version, options: BUILD_OPTIONS });

/** The cached bundle of `name` in `cacheDir`, or undefined when absent or any input has changed. */
export function readCachedBundle(cacheDir: string, name: string): string | undefined {
  try {
    const entryFile = path.join(cacheDir, `${name}.json`);
    const cached = JSON.parse(fs.readFileSync(entryFile, "utf8")) as CachedBundle;
    if (cached.key !== CACHE_KEY) return undefined;
    const stats: Record<string, FileIdentity> = {};
    let rehashed = false;
    for (const [input, hash] of Object.entries(cached.inputs)) {
      const file = path.resolve(FUNCTIONS_DIR, input);
      stats[input] = cachedIdentityOf(file);
      if (unchangedSinceHashed(cached.stats?.[input], stats[input])) continue;
      if (cachedHashOf(file) !== hash) return undefined;
      rehashed = true;
    }
    const text = fs.readFileSync(path.join(cacheDir, `${name}.js`), "utf8");
    if (text.length !== cached.length) return undefined;
    // Same content under a new identity (a touch, a fresh checkout): record it, so the next run
    // need not read the file again.
    const digest = cached.digest ?? digestOf(text);
    bundleDigests.set(text, digest);
    if (rehashed || !cached.digest) refreshEntry(entryFile, { ...cached, stats, digest });
    return text;
  } catch {
    return undefined; // absent, unreadable or an input gone: rebuild
  }
}

/** Records `text` as the bundle of `name`, with the content hash of every input esbuild read. */
export function writeCachedBundle(cacheDir: string, name: string, inputs: string[], text: string): void {
  const digest = digestOf(text);
  bundleDigests.set(text, digest);
  try {
    const files = inputs.map((input) => [input, path.resolve(FUNCTIONS_DIR, input)] as const);
    // Fresh identities before fresh hashes: an identity that still matches later vouches for a
    // hash taken after it.
    const stats = Object.fromEntries(files.map(([input, file]) => [input, identityOf(file)]));
    const entry: CachedBundle = {
      key: CACHE_KEY,
      inputs: Object.fromEntries(files.map(([input, file]) => [input, hashFile(file)])),
      stats,
      length: text.length,
      digest,
    };
    fs.mkdirSync(cacheDir, { recursive: true });
    // The bundle goes first, so a new entry never points at an old bundle.
    writeAtomically(path.join(cacheDir, `${name}.js`), text);
    writeAtomically(path.join(cacheDir, `${name}.json`), JSON.stringify(entry));
  } catch {
    // A read-only checkout still bundles; it only rebuilds every run.
  }
}

/** Written, then renamed: a concurrent reader (a plan during the tests) sees a whole file or none. */
function writeAtomically(file: string, content: string): void {
  fs.writeFileSync(`${file}.${process.pid}.tmp`, content);
  fs.renameSync(`${file}.${process.pid}.tmp`, file);
}

function refreshEntry(entryFile: string, entry: CachedBundle): void {
  try {
    writeAtomically(entryFile, JSON.stringify(entry));
  } catch {
    // Read-only: the entry still serves; the next run hashes again.
  }
}

/** The bundled JavaScript of `functions/<name>/handler.ts`: built once, then reused while its inputs are unchanged. */
export function bundledSource(name: string): string {
  const inProcess = bundles.get(name);
  if (inProcess !== undefined) return inProcess;
  const entry = path.join(FUNCTIONS_DIR, name, "handler.ts");
  let text = readCachedBundle(BUNDLE_CACHE_DIR, name);
  if (text === undefined) {
    const result = buildSync({ ...BUILD_OPTIONS, entryPoints: [entry], metafile: true });
    if (result.errors.length > 0) {
      throw new Error(`Bundling ${entry} failed: ${result.errors.map((e) => e.text).join("; ")}`);
    }
    text = result.outputFiles[0].text;
    writeCachedBundle(BUNDLE_CACHE_DIR, name, Object.keys(result.metafile.inputs), text);
  }
  bundles.set(name, text);
  return text;
}

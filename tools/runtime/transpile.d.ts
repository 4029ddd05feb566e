/** Types of transpile.js (plain JavaScript: it is what makes `.ts` loadable). */
export declare const DEFAULT_CACHE_DIR: string;

export interface TranspilerOptions {
  /** @default DEFAULT_CACHE_DIR (node_modules/.cache/payments-dr/ts) */
  readonly cacheDir?: string;
  /** The directory holding tsconfig.json and node_modules/typescript. @default the repository root */
  readonly root?: string;
  /** Overrides the toolchain part of the key. @default toolchainKey(root) */
  readonly toolchain?: string;
}

export interface Transpiler {
  /** The CommonJS text of `source` (the content of `filename`), from the cache when present. */
  transpile(filename: string, source: string): string;
  readonly stats: { hits: number; misses: number };
  readonly cacheDir: string;
  readonly toolchain: string;
}

export declare function createTranspiler(options?: TranspilerOptions): Transpiler;
/** sha256 of the TypeScript version, the Node version, transpile.js and tsconfig.json. */
export declare function toolchainKey(root?: string): string;
/** sha256 of the toolchain key, the file's path and its source text: the entry's name. */
export declare function cacheKey(toolchain: string, filename: string, source: string): string;

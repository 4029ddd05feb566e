/**
 * `node -r ./tools/runtime/register.js file.ts`: makes `require` load `.ts` files through the
 * cached transpiler (transpile.js), and turns on Node's on-disk V8 compile cache. Used by the npm
 * scripts (plan, policy, failover, bench) and by mocha (.mocharc.json). Not used by the Pulumi CLI,
 * which loads index.ts through ts-node itself (Pulumi.yaml); see docs/development.md.
 */
"use strict";
const fs = require("fs");
const moduleApi = require("module");
const path = require("path");
const { createTranspiler, DEFAULT_CACHE_DIR } = require("./transpile");

const transpiler = createTranspiler();

// V8's compiled code for every CommonJS module (the Pulumi SDK and the AWS provider are most of
// it), reused across runs. Node keys each entry by the module's content hash and its own version,
// so a changed module or a new Node never reads a stale entry.
// NODE_DISABLE_COMPILE_CACHE=1 turns it off (Node honours it here too).
if (typeof moduleApi.enableCompileCache === "function") {
  moduleApi.enableCompileCache(path.join(path.dirname(DEFAULT_CACHE_DIR), "v8"));
}

// Stack traces name .ts lines, as under ts-node, through the inline source maps. Only for our own
// modules: mapping node_modules too would make Node read each package's .js.map as it loads.
if (typeof moduleApi.setSourceMapsSupport === "function") {
  moduleApi.setSourceMapsSupport(true, { nodeModules: false, generatedCode: false });
}

// @pulumi/pulumi loads the TypeScript compiler (its typescript-shim) eagerly, for closure
// serialization only: it parses functions passed to `pulumi.runtime.serializeFunction` (dynamic
// providers, callback functions). Loading that 9 MB module was ~0.3 s of every run that never
// serializes a function (the plan has no dynamic providers). The shim is replaced by a proxy that
// loads the real one on first use, so a run that does serialize gets the same compiler.
lazyModule(path.resolve(__dirname, "../../node_modules/@pulumi/pulumi/typescript-shim.js"));

// @pulumi/pulumi's index loads the Automation API (`pulumi.automation`: LocalWorkspace, the CLI
// wrapper) eagerly too: ~0.09 s of every plan, which never drives the CLI. The failover
// controller and the doctor use it and get the real module on their first access. Its index is
// compiled TypeScript, so `__esModule` is answered without loading it (tslib's __importStar asks).
lazyModule(path.resolve(__dirname, "../../node_modules/@pulumi/pulumi/automation/index.js"), {
  esModule: true,
});

// Two more modules loaded at start-up for work a plan never does: zod's table of error messages
// in ~60 languages (zod itself uses only English, from its own module; the table is `z.locales`),
// and npm's package.json normalizer, which @pulumi/pulumi's closure serializer calls to find a
// function's dependencies (~0.03 s each).
lazyModule(path.resolve(__dirname, "../../node_modules/zod/v4/locales/index.cjs"), { esModule: true });
lazyModule(path.resolve(__dirname, "../../node_modules/normalize-package-data/lib/normalize.js"), {
  esModule: false,
  callable: true,
});

// `import * as aws from "@pulumi/aws"` loads the index of every one of the provider's ~230
// services (~0.12 s), where a plan uses about twenty. The index is replaced by a namespace that
// answers a service (`aws.s3`) or a provider function (`aws.getCallerIdentityOutput`) from its
// own module, the very object the real index would return, and loads the real index only for
// anything else. Nothing the program reads changes; see docs/development.md.
const AWS_ROOT = path.resolve(__dirname, "../../node_modules/@pulumi/aws");
lazyModule(path.join(AWS_ROOT, "index.js"), { esModule: true, member: memoized(awsMember) });

/**
 * An `@pulumi/aws` member from its own module (`s3` -> s3/index.js, `getRegionOutput` ->
 * getRegion.js), or undefined for one only the index has (`Provider`, the enums, the tags helpers).
 */
function awsMember(key) {
  if (typeof key !== "string" || !/^[a-z][A-Za-z0-9]*$/.test(key)) return undefined;
  const service = path.join(AWS_ROOT, key, "index.js");
  if (fs.existsSync(service)) return require(service);
  const file = `${key.replace(/Output$/, "")}.js`;
  if (/^(index|utilities|utils|provider|tags)\.js$/.test(file) || !fs.existsSync(path.join(AWS_ROOT, file))) {
    return undefined;
  }
  return require(path.join(AWS_ROOT, file))[key];
}

function memoized(lookup) {
  const values = new Map();
  return (key) => {
    if (!values.has(key)) values.set(key, lookup(key));
    return values.get(key);
  };
}

/**
 * Puts a proxy for `filename` in the module cache: the real module loads on first use. Before
 * that, `__esModule` is answered with `esModule` when given (what tslib's __importStar and
 * __importDefault ask on import), and `member(key)` may answer a key from elsewhere (undefined:
 * load the real module). A `callable` module (one that exports a function) can be called.
 */
function lazyModule(filename, { esModule, member, callable = false } = {}) {
  if (!fs.existsSync(filename) || require.cache[filename]) return;
  let real;
  const load = () => {
    if (real === undefined) {
      delete require.cache[filename];
      real = require(filename);
      require.cache[filename] = lazy; // later requires keep getting the same proxy
    }
    return real;
  };
  const exports = new Proxy(callable ? () => undefined : {}, {
    apply: (_, thisArg, args) => Reflect.apply(load(), thisArg, args),
    get: (_, key) => {
      if (real === undefined) {
        if (key === "__esModule" && esModule !== undefined) return esModule;
        const early = member?.(key);
        if (early !== undefined) return early;
      }
      return load()[key];
    },
    has: (_, key) => key in load(),
    ownKeys: () => Reflect.ownKeys(load()),
    getOwnPropertyDescriptor: (_, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(load(), key);
      return descriptor && { ...descriptor, configurable: true };
    },
  });
  const lazy = new moduleApi.Module(filename, module);
  lazy.filename = filename;
  lazy.loaded = true;
  lazy.exports = exports;
  require.cache[filename] = lazy;
}

require.extensions[".ts"] = function loadTypeScript(module, filename) {
  module._compile(transpiler.transpile(filename, fs.readFileSync(filename, "utf8")), filename);
};

module.exports = { transpiler, lazyModule };

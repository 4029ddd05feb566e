/**
 * `node -r ./tools/runtime/register.js file.ts`: makes `require` load `.ts` files through the
 * cached transpiler (transpile.js). Used by the npm scripts (plan, policy, failover, bench) and by
 * mocha (.mocharc.json). Not used by the Pulumi CLI, which loads index.ts through ts-node itself
 * (Pulumi.yaml); see docs/development.md.
 */
"use strict";
const fs = require("fs");
const moduleApi = require("module");
const { createTranspiler } = require("./transpile");

const transpiler = createTranspiler();

// Stack traces name .ts lines, as under ts-node, through the inline source maps. Only for our own
// modules: mapping node_modules too would make Node read each package's .js.map as it loads.
if (typeof moduleApi.setSourceMapsSupport === "function") {
  moduleApi.setSourceMapsSupport(true, { nodeModules: false, generatedCode: false });
}

require.extensions[".ts"] = function loadTypeScript(module, filename) {
  module._compile(transpiler.transpile(filename, fs.readFileSync(filename, "utf8")), filename);
};

module.exports = { transpiler };

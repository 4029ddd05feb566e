import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "../..");
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
  engines: { node: string };
  devDependencies: Record<string, string>;
};
const major = (version: string) => Number(/^v?(\d+)\./.exec(version)?.[1]);

// The title carries the running version, so every `npm test` log says which Node ran it.
describe(`toolchain (this run: Node ${process.version})`, () => {
  it("runs the tests on the Node pinned in devDependencies (node_modules/.bin/node), not the system's", () => {
    assert.strictEqual(process.version, `v${pkg.devDependencies.node}`);
    assert.strictEqual(major(process.version), 24);
  });

  it("pins @types/node to the same major as the Node that runs the tests", () => {
    assert.strictEqual(major(pkg.devDependencies["@types/node"]), major(pkg.devDependencies.node));
  });

  it("declares the Node floor of @pulumi/pulumi (22) in engines", () => {
    assert.strictEqual(pkg.engines.node, ">=22.12.0");
  });
});

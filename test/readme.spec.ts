import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { buildDiagram } from "../tools/diagram";
import { renderTestStack } from "./helpers/stacks";

const ROOT = path.resolve(__dirname, "..");
const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");

describe("README tells the truth", () => {
  it("gives the two set-up commands", () => {
    assert.ok(readme.includes("npm ci && npm run plan"), "main job command");
    assert.ok(readme.includes("npm test"), "test command");
  });

  it("embeds the topology diagram of the current program, as docs/topology.mmd does", async () => {
    const current = buildDiagram([await renderTestStack("primary"), await renderTestStack("dr")]);
    const embedded = /```mermaid\n([\s\S]*?)```/.exec(readme)?.[1];
    const fix = "regenerate with: npm run plan -- --diagram docs/topology.mmd, and paste it into README.md";
    assert.strictEqual(embedded, current, `README's diagram is stale; ${fix}`);
    assert.strictEqual(fs.readFileSync(path.join(ROOT, "docs/topology.mmd"), "utf8"), current, fix);
  });
});

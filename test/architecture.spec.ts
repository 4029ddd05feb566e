import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import {
  buildImportGraph,
  findCycles,
  importSpecifiers,
  layerViolations,
  LayerRule,
  listTsFiles,
  packageOf,
} from "./helpers/importGraph";

const ROOT = path.resolve(__dirname, "..");
const MAX_LINES = 300;

/**
 * Files allowed over MAX_LINES, each with the reason. Remove an entry as soon as its file is split:
 * the test fails on an entry that is no longer needed, so the list cannot quietly grow stale.
 */
const OVERSIZE_ALLOWED: Readonly<Record<string, string>> = {};

/** The layering of docs/architecture.md. Each `why` is printed with the offending import. */
const RULES: readonly LayerRule[] = [
  {
    from: "policies/",
    forbiddenFolders: ["tools/", "automation/", "stacks/", "components/"],
    why: "the pack judges resources by type and reads the DR model from model/; it must load on its own under `pulumi preview --policy-pack`",
  },
  {
    from: "model/",
    forbiddenFolders: ["tools/", "automation/", "stacks/", "components/", "policies/"],
    forbiddenPackages: ["@pulumi/", "@aws-sdk/"],
    why: "the DR model is pure domain logic over rendered resources, shared by the pack and the tools",
  },
  {
    from: "components/",
    forbiddenFolders: ["automation/", "tools/", "policies/"],
    why: "components are deployed by the program; the controller, offline tools and pack sit on top of them",
  },
  {
    from: "stacks/",
    forbiddenFolders: ["automation/", "tools/", "policies/"],
    why: "the program is what Pulumi runs; the controller, the offline tools and the pack read it, never the reverse",
  },
  {
    from: "functions/",
    forbiddenPackages: ["@pulumi/"],
    why: "Lambda handlers are bundled by esbuild and run in AWS, where the Pulumi SDK is neither wanted nor present",
  },
  {
    from: "app/",
    forbiddenFolders: ["tools/", "automation/", "stacks/", "components/", "policies/", "functions/"],
    forbiddenPackages: ["@pulumi/", "@aws-sdk/"],
    why: "the reference service is bundled into one file that runs in a pod with no node_modules; it reads only model/ names, and signs its few AWS calls itself to stay small enough for a ConfigMap",
  },
];

const files = listTsFiles(ROOT);
const graph = buildImportGraph(ROOT, files);
const fileEdges = new Map(
  [...graph].map(([file, edges]) => [file, edges.flatMap((e) => (e.target ? [e.target] : []))]),
);

describe("architecture: the import graph and file sizes", () => {
  it("reads the whole repository (sanity: the graph is not empty and includes every layer)", () => {
    for (const folder of [
      "app/",
      "automation/",
      "components/",
      "functions/",
      "model/",
      "policies/",
      "stacks/",
      "tools/",
      "test/",
    ]) {
      assert.ok(
        files.some((f) => f.startsWith(folder)),
        `no .ts file found under ${folder}`,
      );
    }
    assert.ok(
      graph.get("index.ts")!.some((e) => e.target === "stacks/index.ts"),
      "index.ts → stacks/index.ts",
    );
  });

  it("resolves every relative import to a file", () => {
    const broken = [...graph].flatMap(([file, edges]) =>
      edges.filter((e) => e.spec.startsWith(".") && !e.target).map((e) => `${file}:${e.line} "${e.spec}"`),
    );
    assert.deepStrictEqual(broken, [], `unresolvable imports:\n  ${broken.join("\n  ")}`);
  });

  it("has no import cycle anywhere", () => {
    const cycles = findCycles(fileEdges).map((c) => c.join(" → "));
    assert.deepStrictEqual(
      cycles,
      [],
      `import cycles (move the shared type or function to a module both can import):\n  ${cycles.join("\n  ")}`,
    );
  });

  for (const rule of RULES) {
    it(`keeps ${rule.from} within its layer`, () => {
      const bad = layerViolations(graph, [rule]);
      assert.deepStrictEqual(bad, [], `layering violations:\n  ${bad.join("\n  ")}`);
    });
  }

  it("opens every source folder with a README: components/, automation/, policies/, app/ and their subfolders, model/, stacks/, tools/, functions/, test/", () => {
    const folders = new Set(files.map((f) => path.posix.dirname(f)));
    const grouped = [...folders].filter((d) => /^(components|automation|policies|app)(\/|$)/.test(d));
    const top = ["app", "model", "stacks", "tools", "functions", "test"];
    const missing = [...grouped, ...top].filter((d) => !fs.existsSync(path.join(ROOT, d, "README.md")));
    assert.deepStrictEqual(
      missing.sort(),
      [],
      `add a README.md (what lives here, what it may import) to: ${missing.join(", ")}`,
    );
  });

  it(`keeps every source file outside test/ at ${MAX_LINES} lines or fewer (split by concern)`, () => {
    const sizes = files
      .filter((f) => !f.startsWith("test/"))
      .map((f) => ({ f, lines: fs.readFileSync(path.join(ROOT, f), "utf8").split("\n").length - 1 }));
    const over = sizes.filter((s) => s.lines > MAX_LINES && !(s.f in OVERSIZE_ALLOWED));
    assert.deepStrictEqual(
      over.map((s) => `${s.f}: ${s.lines} lines`),
      [],
      `files over ${MAX_LINES} lines; split them by concern:\n  ${over.map((s) => `${s.f}: ${s.lines} lines`).join("\n  ")}`,
    );
    const stale = Object.keys(OVERSIZE_ALLOWED).filter(
      (f) => !sizes.some((s) => s.f === f && s.lines > MAX_LINES),
    );
    assert.deepStrictEqual(
      stale,
      [],
      `remove from OVERSIZE_ALLOWED (now split, moved or under ${MAX_LINES} lines): ${stale.join(", ")}`,
    );
  });
});

describe("architecture: the detectors themselves", () => {
  it("reads static, type-only, re-export, require and dynamic imports, and ignores StackReference.require and comments", () => {
    const text = [
      `import * as a from "./a";`,
      `import type { B } from "../b";`,
      `export { c } from "./c";`,
      `export * from "@pulumi/aws/s3";`,
      `import e = require("./e");`,
      `const f = require("f");`,
      `const g = async () => await import("@aws-sdk/client-s3");`,
      `type H = typeof import("./h");`,
      `// import { x } from "./not-an-import";`,
      `const ref = primary.require("keys.data");`,
      `const s = "import y from './in-a-string'";`,
    ].join("\n");
    assert.deepStrictEqual(importSpecifiers("x.ts", text), [
      { spec: "./a", line: 1 },
      { spec: "../b", line: 2 },
      { spec: "./c", line: 3 },
      { spec: "@pulumi/aws/s3", line: 4 },
      { spec: "./e", line: 5 },
      { spec: "f", line: 6 },
      { spec: "@aws-sdk/client-s3", line: 7 },
      { spec: "./h", line: 8 },
    ]);
  });

  it("names packages by their root: scoped, sub-path and node: prefix", () => {
    assert.deepStrictEqual(
      ["@pulumi/aws/s3", "yaml", "esbuild/lib/main", "node:fs", "@aws-sdk/client-rds"].map(packageOf),
      ["@pulumi/aws", "yaml", "esbuild", "fs", "@aws-sdk/client-rds"],
    );
  });

  it("reports the path of a cycle, including a self-import, and nothing for a diamond", () => {
    const graph = new Map<string, string[]>([
      ["a.ts", ["b.ts", "d.ts"]],
      ["b.ts", ["c.ts"]],
      ["c.ts", ["a.ts"]],
      ["d.ts", []],
      ["e.ts", ["e.ts"]],
    ]);
    assert.deepStrictEqual(findCycles(graph), [
      ["a.ts", "b.ts", "c.ts", "a.ts"],
      ["e.ts", "e.ts"],
    ]);
    const diamond = new Map<string, string[]>([
      ["top.ts", ["left.ts", "right.ts"]],
      ["left.ts", ["base.ts"]],
      ["right.ts", ["base.ts"]],
      ["base.ts", []],
    ]);
    assert.deepStrictEqual(findCycles(diamond), []);
  });

  it("reports a forbidden folder or package with file, line, target and the rule's reason", () => {
    const graph = new Map([
      [
        "model/x.ts",
        [
          { spec: "../tools/render/render", target: "tools/render/render.ts", line: 3 },
          { spec: "@pulumi/pulumi", packageName: "@pulumi/pulumi", line: 4 },
          { spec: "./rendered", target: "model/rendered.ts", line: 5 },
          { spec: "yaml", packageName: "yaml", line: 6 },
        ],
      ],
      ["tools/y.ts", [{ spec: "../model/x", target: "model/x.ts", line: 1 }]],
    ]);
    const rule: LayerRule = {
      from: "model/",
      forbiddenFolders: ["tools/"],
      forbiddenPackages: ["@pulumi/"],
      why: "pure",
    };
    assert.deepStrictEqual(layerViolations(graph, [rule]), [
      "model/x.ts:3 imports tools/render/render.ts (tools/); model/ must not: pure",
      "model/x.ts:4 imports @pulumi/pulumi (@pulumi/*); model/ must not: pure",
    ]);
  });
});

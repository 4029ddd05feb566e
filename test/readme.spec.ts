import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parseFailoverArgs } from "../automation/args";
import { parseArgs as parseDoctorArgs } from "../tools/doctor/cli";
import { buildDiagram } from "../tools/diagram";
import { parsePlanArgs } from "../tools/plan";
import { renderTestStack } from "./helpers/stacks";
import {
  headingSlugs,
  npmCommands,
  parseNpmCommand,
  relativeLinks,
  withoutCodeBlocks,
} from "./helpers/markdown";

const ROOT = path.resolve(__dirname, "..");
const read = (rel: string): string => fs.readFileSync(path.join(ROOT, rel), "utf8");
const readme = read("README.md");
const scripts = (JSON.parse(read("package.json")) as { scripts: Record<string, string> }).scripts;

/** Documents whose commands must all run as written: the README, the docs index, the command reference. */
const COMMAND_DOCS = ["README.md", "docs/README.md", "docs/commands.md"];

/** Every Markdown file whose links must resolve: the READMEs of every folder and docs/. */
function markdownFiles(dir = ""): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    const rel = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...markdownFiles(rel));
    else if (entry.name === "README.md" || (dir === "docs" && entry.name.endsWith(".md"))) out.push(rel);
  }
  return out.sort();
}

/** Problems with one `npm …` command: unknown script, arguments its parser refuses, missing files. */
function commandProblems(command: string, written: ReadonlySet<string>): string[] {
  const { verb, script, args, separatorMissing } = parseNpmCommand(command);
  const exists = (file: string) => written.has(file) || fs.existsSync(path.join(ROOT, file));
  if (verb === "ci" || verb === "test")
    return args.length === 0 ? [] : [`npm ${verb} takes no arguments here`];
  if (verb !== "run" || script === undefined)
    return [`"npm ${verb}" is not a command this project documents`];
  if (!(script in scripts)) return [`no npm script "${script}" in package.json`];
  if (separatorMissing) return [`arguments to npm run ${script} need "--" before them`];
  const problems: string[] = [];
  const refused = (parse: () => unknown) => {
    try {
      parse();
    } catch (error) {
      problems.push(`the ${script} parser refuses it: ${(error as Error).message.split("\n")[0]}`);
    }
  };
  if (script === "plan") {
    refused(() => parsePlanArgs(args));
    const diagram = args[args.indexOf("--diagram") + 1];
    if (args.includes("--diagram") && !fs.existsSync(path.join(ROOT, path.dirname(diagram))))
      problems.push(`--diagram folder ${path.dirname(diagram)} does not exist`);
  } else if (script === "failover") refused(() => parseFailoverArgs(args));
  else if (script === "doctor") refused(() => parseDoctorArgs(args));
  else if (script === "policy") {
    // The input file and the --config file: both must exist, or be written earlier on the same line.
    const files = args.filter((a) => !a.startsWith("--"));
    if (files.length === 0) problems.push("npm run policy needs a file");
    for (const file of files)
      if (!exists(file)) problems.push(`${file} does not exist and no earlier command writes it`);
    for (const a of args.filter((x) => x.startsWith("--"))) {
      if (!["--config", "--json"].includes(a)) problems.push(`npm run policy has no option ${a}`);
    }
  } else if (args.length > 0) problems.push(`npm run ${script} takes no arguments`);
  return problems;
}

/** Checks each command of a document; files a line writes with `>` count for the rest of that line. */
function documentCommandProblems(doc: string, markdown: string): string[] {
  const problems: string[] = [];
  const byLine = new Map<number, string[]>();
  for (const { command, line } of npmCommands(markdown))
    byLine.set(line, [...(byLine.get(line) ?? []), command]);
  for (const [line, commands] of byLine) {
    const written = new Set<string>();
    for (const command of commands) {
      for (const p of commandProblems(command, written)) problems.push(`${doc}:${line} \`${command}\`: ${p}`);
      for (const file of parseNpmCommand(command).writes) written.add(file);
    }
  }
  return problems;
}

function linkProblems(doc: string): string[] {
  const problems: string[] = [];
  for (const { target, line } of relativeLinks(read(doc))) {
    const [file, anchor] = target.split("#");
    const resolved = file ? path.join(path.dirname(doc), decodeURIComponent(file)) : doc;
    const where = `${doc}:${line} → ${target}`;
    if (!fs.existsSync(path.join(ROOT, resolved))) {
      problems.push(`${where}: ${resolved} does not exist`);
    } else if (
      anchor !== undefined &&
      resolved.endsWith(".md") &&
      !headingSlugs(read(resolved)).has(anchor)
    ) {
      problems.push(`${where}: no heading #${anchor} in ${resolved}`);
    }
  }
  return problems;
}

describe("README tells the truth", () => {
  it("gives the two set-up commands, in a bash block", () => {
    const block = /## Set up[^\n]*\n+```bash\n([\s\S]*?)```/.exec(readme)?.[1] ?? "";
    const commands = npmCommands("```bash\n" + block + "```").map((c) => c.command);
    assert.deepStrictEqual(commands, ["npm ci", "npm run plan -- --preview", "npm test"]);
    // Issue 13: the main job shows the policy gate's verdict on a first deployment as `pulumi preview` sees it.
    assert.ok(
      block.includes("npm ci && npm run plan -- --preview"),
      "main job: npm ci && npm run plan -- --preview",
    );
  });

  it("stays under 15 KB", () => {
    const bytes = Buffer.byteLength(readme, "utf8");
    assert.ok(bytes < 15 * 1024, `README.md is ${bytes} bytes; move depth into docs/ (limit ${15 * 1024})`);
  });

  it("documents every command of the command table: plan, policy, failover, bench, test, typecheck, lint", () => {
    // Inline commands only: the table, not the set-up block.
    const inline = npmCommands(withoutCodeBlocks(readme)).map((c) => c.command);
    for (const command of [
      "npm run plan",
      "npm run policy",
      "npm run failover -- --to dr --dry-run",
      "npm run failover -- failback",
      "npm run bench",
      "npm test",
      "npm run typecheck",
      "npm run lint",
    ]) {
      assert.ok(
        inline.some((c) => c.startsWith(command)),
        `README's command table lacks ${command}`,
      );
    }
  });

  for (const doc of COMMAND_DOCS) {
    it(`writes only commands that run as written in ${doc}: scripts exist, arguments parse, files exist`, () => {
      const markdown = read(doc);
      assert.ok(npmCommands(markdown).length > 0, `no npm command found in ${doc}`);
      const problems = documentCommandProblems(doc, markdown);
      assert.deepStrictEqual(problems, [], problems.join("\n"));
    });
  }

  it("links only to files and headings that exist, in every README and in docs/", () => {
    const docs = markdownFiles();
    for (const required of ["README.md", "docs/README.md", "model/README.md", "components/data/README.md"]) {
      assert.ok(docs.includes(required), `${required} is missing`);
    }
    const problems = docs.flatMap(linkProblems);
    assert.deepStrictEqual(problems, [], problems.join("\n"));
  });

  it("links every docs/ file from docs/README.md", () => {
    const index = relativeLinks(read("docs/README.md")).map((l) => l.target.split("#")[0]);
    const missing = fs
      .readdirSync(path.join(ROOT, "docs"))
      .filter((f) => f !== "README.md" && !index.includes(f));
    assert.deepStrictEqual(missing, [], `add to docs/README.md: ${missing.join(", ")}`);
  });

  it("embeds the topology diagram of the current program in docs/dr-posture.md, as docs/topology.mmd holds it", async function () {
    this.timeout(60_000); // renders both stacks when run alone; the suite's cache makes it instant
    const current = buildDiagram([await renderTestStack("primary"), await renderTestStack("dr")]);
    const embedded = /## Diagram[\s\S]*?```mermaid\n([\s\S]*?)```/.exec(read("docs/dr-posture.md"))?.[1];
    const fix =
      "regenerate with: npm run plan -- --diagram docs/topology.mmd, and paste it into docs/dr-posture.md";
    assert.strictEqual(embedded, current, `docs/dr-posture.md's diagram is stale; ${fix}`);
    assert.strictEqual(read("docs/topology.mmd"), current, fix);
  });
});

describe("README checks themselves", () => {
  it("find npm commands in bash blocks and inline code, split on && and |, without comments", () => {
    const md = [
      "Run `npm run plan -- --json` or `npx mocha x`.",
      "```bash",
      "npm ci && npm run plan   # the main job",
      "npm run plan -- --json > plan.json && npm run policy -- plan.json | head",
      "```",
      "```",
      "npm run not-shell",
      "```",
    ].join("\n");
    assert.deepStrictEqual(npmCommands(md), [
      { command: "npm run plan -- --json", line: 1 },
      { command: "npm ci", line: 3 },
      { command: "npm run plan", line: 3 },
      { command: "npm run plan -- --json > plan.json", line: 4 },
      { command: "npm run policy -- plan.json", line: 4 },
    ]);
  });

  it("report an unknown script, a refused argument, a missing separator and a file nothing writes", () => {
    const md = [
      "```bash",
      "npm run deploy",
      "npm run plan -- --stak dr",
      "npm run failover -- --to primary",
      "npm run plan --json",
      "npm run policy -- missing.json",
      "npm run plan -- --json > out.json && npm run policy -- out.json",
      "```",
    ].join("\n");
    const problems = documentCommandProblems("X.md", md);
    assert.strictEqual(problems.length, 5, problems.join("\n"));
    assert.match(problems[0], /^X\.md:2 `npm run deploy`: no npm script "deploy"/);
    assert.match(problems[1], /^X\.md:3 .*the plan parser refuses it: Unknown option "--stak"/);
    assert.match(problems[2], /^X\.md:4 .*the failover parser refuses it: .*failback/);
    assert.match(problems[3], /^X\.md:5 .*need "--" before them/);
    assert.match(problems[4], /^X\.md:6 .*missing\.json does not exist and no earlier command writes it/);
  });

  it("slug headings as GitHub does, outside code blocks, numbering repeats", () => {
    const md =
      "# Node.js version\n## Offline dry run (no AWS, no Pulumi CLI)\n```\n# not a heading\n```\n## `code` & more\n## Node.js version";
    assert.deepStrictEqual(
      [...headingSlugs(md)],
      ["nodejs-version", "offline-dry-run-no-aws-no-pulumi-cli", "code--more", "nodejs-version-1"],
    );
  });

  it("find relative links outside code, not web links or links inside code spans", () => {
    const md = "[a](docs/a.md#x) [w](https://aws.amazon.com) `[c](c.md)`\n```\n[d](d.md)\n```\n[e](../e.md)";
    assert.deepStrictEqual(relativeLinks(md), [
      { target: "docs/a.md#x", line: 1 },
      { target: "../e.md", line: 5 },
    ]);
  });
});

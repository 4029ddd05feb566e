/**
 * The repository's import graph, read with the TypeScript parser (not regexes, so `primary.require("x")`
 * on a StackReference or an import written in a comment is not mistaken for an import), and a cycle
 * detector. Used by test/architecture.spec.ts.
 */
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

/** One import of a file: `spec` as written, `target` the repo-relative file for a relative import. */
export interface ImportEdge {
  readonly spec: string;
  /** Repo-relative path (posix) of the imported file, or `undefined` for a package import. */
  readonly target?: string;
  /** The package name (`@pulumi/aws`, `fs`) for a package import. */
  readonly packageName?: string;
  readonly line: number;
}

/** Module specifiers of every static import/export, `import x = require()`, `require()` and `import()`. */
export function importSpecifiers(fileName: string, text: string): { spec: string; line: number }[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const found: { spec: string; line: number }[] = [];
  const add = (node: ts.Node | undefined): void => {
    if (node && ts.isStringLiteralLike(node)) {
      found.push({ spec: node.text, line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1 });
    }
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) add(node.moduleSpecifier);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node.moduleReference.expression);
    } else if (ts.isCallExpression(node) && node.arguments.length === 1) {
      // `require("x")` as a bare identifier only: `ref.require("x")` is a StackReference read.
      const bareRequire = ts.isIdentifier(node.expression) && node.expression.text === "require";
      if (bareRequire || node.expression.kind === ts.SyntaxKind.ImportKeyword) add(node.arguments[0]);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add(node.argument.literal);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`; `node:fs` → `fs`. */
export function packageOf(spec: string): string {
  const bare = spec.replace(/^node:/, "");
  const parts = bare.split("/");
  return bare.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

/** Resolves a relative specifier the way Node + the transpile hook do: `x.ts`, `x/index.ts`, `x.js`, `x.json`, `x` itself. */
export function resolveRelative(root: string, fromFile: string, spec: string): string | undefined {
  const base = path.resolve(root, path.dirname(fromFile), spec);
  const candidates = [`${base}.ts`, path.join(base, "index.ts"), `${base}.js`, `${base}.json`, base];
  const hit = candidates.find((c) => fs.existsSync(c) && fs.statSync(c).isFile());
  return hit ? path.relative(root, hit).split(path.sep).join("/") : undefined;
}

/** Every `.ts` file under `root` (repo-relative, posix), skipping node_modules and dot folders. */
export function listTsFiles(root: string, dir = ""): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    const rel = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...listTsFiles(root, rel));
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) out.push(rel);
  }
  return out.sort();
}

/** The import graph of `files`: file → its imports. Unresolvable relative imports are kept with no target. */
export function buildImportGraph(root: string, files: readonly string[]): Map<string, ImportEdge[]> {
  const graph = new Map<string, ImportEdge[]>();
  for (const file of files) {
    const text = fs.readFileSync(path.join(root, file), "utf8");
    graph.set(
      file,
      importSpecifiers(file, text).map(({ spec, line }) =>
        spec.startsWith(".")
          ? { spec, line, target: resolveRelative(root, file, spec) }
          : { spec, line, packageName: packageOf(spec) },
      ),
    );
  }
  return graph;
}

/**
 * Every elementary cycle's representative found by a depth-first search: each returned path starts
 * and ends with the same file (`a → b → a`). Finds at least one cycle per strongly connected component
 * that has one; an empty result means the graph is acyclic.
 */
export function findCycles(edges: ReadonlyMap<string, readonly string[]>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, "active" | "done">();
  const stack: string[] = [];
  const visit = (node: string): void => {
    state.set(node, "active");
    stack.push(node);
    for (const next of edges.get(node) ?? []) {
      const s = state.get(next);
      if (s === "active") cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (s === undefined) visit(next);
    }
    stack.pop();
    state.set(node, "done");
  };
  for (const node of [...edges.keys()].sort()) if (!state.has(node)) visit(node);
  return cycles;
}

/** A layering rule: files under `from` must not import the listed folders or packages. */
export interface LayerRule {
  /** Folder prefix, e.g. `"policies/"`. */
  readonly from: string;
  /** Repo folders (prefixes, e.g. `"tools/"`) the layer must not import. */
  readonly forbiddenFolders?: readonly string[];
  /** Package prefixes (e.g. `"@pulumi/"`) the layer must not import. */
  readonly forbiddenPackages?: readonly string[];
  /** Why the rule exists, repeated in every violation message. */
  readonly why: string;
}

/** One message per import that breaks a rule: `file:line imports spec (target), which rule forbids: why`. */
export function layerViolations(
  graph: ReadonlyMap<string, readonly ImportEdge[]>,
  rules: readonly LayerRule[],
): string[] {
  const out: string[] = [];
  for (const [file, imports] of graph) {
    for (const rule of rules.filter((r) => file.startsWith(r.from))) {
      for (const edge of imports) {
        const folder = edge.target && rule.forbiddenFolders?.find((f) => edge.target!.startsWith(f));
        const pkg =
          edge.packageName && rule.forbiddenPackages?.find((p) => `${edge.packageName}/`.startsWith(p));
        if (folder || pkg) {
          const what = folder ? `${edge.target} (${folder})` : `${edge.packageName} (${pkg}*)`;
          out.push(`${file}:${edge.line} imports ${what}; ${rule.from} must not: ${rule.why}`);
        }
      }
    }
  }
  return out;
}

/**
 * Reading the repository's Markdown the way GitHub renders it, for test/readme.spec.ts: relative
 * links and their anchors, heading slugs, and the shell commands written in `bash` blocks and
 * inline code.
 */

/** Text outside fenced code blocks (their lines blanked, so line numbers stay right). */
export function withoutCodeBlocks(markdown: string): string {
  let fenced = false;
  return markdown
    .split("\n")
    .map((line) => {
      if (/^\s*```/.test(line)) {
        fenced = !fenced;
        return "";
      }
      return fenced ? "" : line;
    })
    .join("\n");
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, `-1`… for repeats. */
export function headingSlugs(markdown: string): Set<string> {
  const slugs = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of withoutCodeBlocks(markdown).split("\n")) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const text = heading[1].replace(/\[([^\]]*)\]\([^)]*\)/g, "$1");
    const base = text
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "")
      .replace(/ /g, "-");
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    slugs.add(n === 0 ? base : `${base}-${n}`);
  }
  return slugs;
}

export interface Link {
  readonly target: string;
  readonly line: number;
}

/** Relative links `[text](target)` outside code (not `http:`, `https:`, `mailto:`). */
export function relativeLinks(markdown: string): Link[] {
  const links: Link[] = [];
  withoutCodeBlocks(markdown)
    .split("\n")
    .forEach((line, i) => {
      const prose = line.replace(/`[^`]*`/g, "");
      for (const m of prose.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
        if (!/^(https?:|mailto:)/.test(m[1])) links.push({ target: m[1], line: i + 1 });
      }
    });
  return links;
}

/**
 * Every `npm …` command written in the document: each line of a `bash`/`sh` block and each inline
 * code span that starts with `npm `, split on `&&` and `|`, with `# comments` removed.
 */
export function npmCommands(markdown: string): { command: string; line: number }[] {
  const out: { command: string; line: number }[] = [];
  let shell = false;
  let fenced = false;
  markdown.split("\n").forEach((raw, i) => {
    const fence = /^\s*```(\w*)/.exec(raw);
    if (fence) {
      shell = !fenced && ["bash", "sh", "shell"].includes(fence[1]);
      fenced = !fenced;
      return;
    }
    const pieces = fenced
      ? shell
        ? [raw.replace(/\s#.*$/, "")]
        : []
      : [...raw.matchAll(/`(npm [^`]+)`/g)].map((m) => m[1]);
    for (const piece of pieces) {
      for (const part of piece.split(/&&|\|/)) {
        const command = part.trim();
        if (command.startsWith("npm ")) out.push({ command, line: i + 1 });
      }
    }
  });
  return out;
}

/** `npm run plan -- --json > plan.json` → script `plan`, args `["--json"]`, writes `["plan.json"]`. */
export function parseNpmCommand(command: string): {
  verb: string;
  script?: string;
  args: string[];
  writes: string[];
  /** Arguments after the script name without `--`: npm would take them as its own options. */
  separatorMissing: boolean;
} {
  const writes: string[] = [];
  const words = command.split(/\s+/).filter(Boolean);
  const kept: string[] = [];
  for (let i = 0; i < words.length; i++) {
    if (words[i] === ">") writes.push(words[++i]);
    else kept.push(words[i]);
  }
  const [, verb, ...rest] = kept;
  if (verb !== "run") return { verb, args: rest, writes, separatorMissing: false };
  const [script, ...afterScript] = rest;
  const separated = afterScript[0] === "--";
  const args = separated ? afterScript.slice(1) : afterScript;
  return { verb, script, args, writes, separatorMissing: !separated && afterScript.length > 0 };
}

/**
 * Reads a stack's configuration from `Pulumi.yaml` and `Pulumi.<stack>.yaml` the way the CLI
 * does: project-level defaults first, stack values over them, keys without a namespace belong to
 * the project. `secure:` values cannot be decrypted offline and are refused with a clear error.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { ConfigError, RawConfig } from "../../stacks/config";

export const PROJECT_DIR = path.resolve(__dirname, "../..");

export interface ProjectFile {
  readonly name: string;
  readonly config: RawConfig;
}

function readYaml(file: string): Record<string, unknown> {
  const parsed: unknown = parse(fs.readFileSync(file, "utf8"));
  return parsed && typeof parsed === "object" ? (parsed as Record<string, unknown>) : {};
}

function qualify(project: string, key: string): string {
  return key.includes(":") ? key : `${project}:${key}`;
}

export function readProject(dir = PROJECT_DIR): ProjectFile {
  const file = readYaml(path.join(dir, "Pulumi.yaml"));
  const name = String(file.name);
  const config: Record<string, unknown> = {};
  for (const [key, declaration] of Object.entries((file.config as Record<string, unknown>) ?? {})) {
    // Project config is either a plain value or a declaration with `default`/`value`.
    const value =
      declaration && typeof declaration === "object" && !Array.isArray(declaration)
        ? ((declaration as Record<string, unknown>).value ?? (declaration as Record<string, unknown>).default)
        : declaration;
    if (value !== undefined) config[qualify(name, key)] = value;
  }
  return { name, config };
}

/** The stacks that have a `Pulumi.<stack>.yaml` beside the project file. */
export function listStacks(dir = PROJECT_DIR): string[] {
  return fs
    .readdirSync(dir)
    .map((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined);
}

export function readStackConfig(stack: string, dir = PROJECT_DIR): RawConfig {
  const project = readProject(dir);
  const file = path.join(dir, `Pulumi.${stack}.yaml`);
  if (!fs.existsSync(file)) {
    throw new ConfigError(
      "stack",
      `No stack file ${path.basename(file)}: expected one of ${listStacks(dir).join(", ")}. ` +
        `Fix: pass --stack with an existing stack, or create ${path.basename(file)}.`,
    );
  }
  const config: Record<string, unknown> = { ...project.config };
  const stackConfig = (readYaml(file).config as Record<string, unknown>) ?? {};
  for (const [key, value] of Object.entries(stackConfig)) {
    if (value && typeof value === "object" && "secure" in (value as object)) {
      throw new ConfigError(
        key,
        `Config ${key} is a secret (secure:) and cannot be decrypted offline. ` +
          "Fix: override it for the offline plan with --set.",
      );
    }
    config[qualify(project.name, key)] = value;
  }
  return config;
}

/**
 * Applies `key=value` overrides; `payments-dr:eks.activeNodeCount=4` sets one field of an object,
 * like `pulumi config set --path`.
 */
export function applyOverrides(config: RawConfig, overrides: readonly string[], project: string): RawConfig {
  const result: Record<string, unknown> = JSON.parse(JSON.stringify(config));
  for (const override of overrides) {
    const eq = override.indexOf("=");
    if (eq <= 0) {
      throw new ConfigError(
        "--set",
        `Invalid --set "${override}": expected <key>=<value>, e.g. --set payments-dr:mode=active.`,
      );
    }
    const [key, ...pathParts] = qualify(project, override.slice(0, eq)).split(".");
    const value = override.slice(eq + 1);
    if (pathParts.length === 0) {
      result[key] = value;
      continue;
    }
    const root = (typeof result[key] === "object" && result[key] !== null ? result[key] : {}) as Record<
      string,
      unknown
    >;
    let node = root;
    for (const part of pathParts.slice(0, -1)) {
      if (typeof node[part] !== "object" || node[part] === null) node[part] = {};
      node = node[part] as Record<string, unknown>;
    }
    node[pathParts[pathParts.length - 1]] = value;
    result[key] = root;
  }
  return result;
}

/** The databases' physical names and the dr stack's need of the primary (stacks/databases.ts). */
import { PrimaryStack, StackContext } from "./context";

/**
 * Physical names of the databases: `<project>-<stack>` (as the warehouse), checked against the
 * tightest service limit (OpenSearch domain names: 3-28 characters, lower case, starting with a
 * letter). They are replace-only: a stack keeps its name for life.
 */
export function databaseNameFor(project: string, stackName: string): string {
  const name = `${project}-${stackName}`.toLowerCase();
  if (!/^[a-z][a-z0-9-]{2,27}$/.test(name) || name.endsWith("-") || name.includes("--")) {
    throw new Error(
      `Cannot name the databases of stack "${stackName}": "${name}" must be 3-28 lower-case letters, digits and ` +
        "single hyphens, starting with a letter (OpenSearch domain names). Fix: use a shorter stack name, e.g. dr.",
    );
  }
  return name;
}

export function primaryOf(ctx: StackContext): PrimaryStack {
  if (!ctx.primary) {
    throw new Error(
      "Missing config payments-dr:primaryStack: a dr stack replicates the primary stack's databases. " +
        "Fix: pulumi config set payments-dr:primaryStack <org>/payments-dr/primary",
    );
  }
  return ctx.primary;
}

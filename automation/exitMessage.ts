/**
 * What the CLI prints when a command stops with an error: one line saying what failed and the fix,
 * and the exit code. Expected failures (bad usage, refused preflight, missing credentials, a failed
 * or killed `pulumi`, a held lock) never print a stack trace; `--verbose` adds the raw detail.
 */
import { ConfigError } from "../stacks/config";
import { FailoverError, UsageError } from "./errors";

export interface ExitMessage {
  readonly text: string;
  readonly code: number;
}

/** The SDK's credential chain found nothing (`@smithy/property-provider` CredentialsProviderError). */
export function isMissingCredentials(error: unknown): boolean {
  const e = error as { name?: string; message?: string } | undefined;
  return (
    e?.name === "CredentialsProviderError" ||
    /could not load credentials from any providers/i.test(e?.message ?? "")
  );
}

/** Exit codes: 64 usage (EX_USAGE), 1 everything else. */
export function exitMessage(error: unknown, verbose: boolean): ExitMessage {
  const raw = error instanceof Error ? error : new Error(String(error));
  const more = (detail: string | undefined) => (verbose && detail ? `\n${detail}` : "");
  if (error instanceof UsageError) return { text: raw.message, code: 64 };
  if (error instanceof FailoverError || error instanceof ConfigError) {
    return {
      text: `${raw.message}${more(error instanceof FailoverError ? error.detail : undefined)}`,
      code: 1,
    };
  }
  if (isMissingCredentials(error)) {
    return {
      text:
        `No AWS credentials: ${raw.message.split("\n")[0]}. Nothing was changed. Sign in as the failover ` +
        "role (e.g. `aws sso login --profile <profile>` and export AWS_PROFILE, or set AWS_ACCESS_KEY_ID and " +
        `AWS_SECRET_ACCESS_KEY), then rerun the same command.${more(raw.stack)}`,
      code: 1,
    };
  }
  return {
    text:
      `Unexpected error: ${raw.name}: ${raw.message.split("\n")[0]}. Progress is recorded after every step: ` +
      `rerunning the same command resumes. ${verbose ? raw.stack : "Rerun with --verbose for the stack trace."}`,
    code: 1,
  };
}

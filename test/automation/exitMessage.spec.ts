import * as assert from "assert";
import { CommandError } from "@pulumi/pulumi/automation";
import * as automationErrors from "@pulumi/pulumi/automation/errors";
import { FailoverError, UsageError } from "../../automation/errors";
import { exitMessage } from "../../automation/exitMessage";
import { pulumiFailure } from "../../automation/stack/drStack";

const { createCommandError } = automationErrors as unknown as {
  createCommandError(result: { stdout: string; stderr: string; code: number; err?: unknown }): CommandError;
};

describe("what the CLI prints when it stops", () => {
  it("usage errors exit 64; operator errors exit 1 with their message only", () => {
    assert.deepStrictEqual(exitMessage(new UsageError("Missing --to dr.\nUsage: …"), false), {
      text: "Missing --to dr.\nUsage: …",
      code: 64,
    });
    const held = new FailoverError("Another failover holds the lock on dr: run r1 by sre@box.", false);
    assert.deepStrictEqual(exitMessage(held, false), { text: held.message, code: 1 });
  });

  it("missing credentials: one line and the fix; the stack trace only with --verbose", () => {
    const error = Object.assign(new Error("Could not load credentials from any providers"), {
      name: "CredentialsProviderError",
    });
    const quiet = exitMessage(error, false);
    assert.strictEqual(
      quiet.text,
      "No AWS credentials: Could not load credentials from any providers. Nothing was changed. Sign in as the " +
        "failover role (e.g. `aws sso login --profile <profile>` and export AWS_PROFILE, or set AWS_ACCESS_KEY_ID " +
        "and AWS_SECRET_ACCESS_KEY), then rerun the same command.",
    );
    assert.ok(exitMessage(error, true).text.startsWith(`${quiet.text}\n${error.stack?.split("\n")[0]}`));
  });

  it("an unexpected error is one line unless --verbose", () => {
    const error = new TypeError("Cannot read properties of undefined (reading 'S')");
    assert.strictEqual(
      exitMessage(error, false).text,
      "Unexpected error: TypeError: Cannot read properties of undefined (reading 'S'). Progress is recorded after " +
        "every step: rerunning the same command resumes. Rerun with --verbose for the stack trace.",
    );
    assert.ok(exitMessage(error, true).text.includes(String(error.stack)));
  });

  it("a killed `pulumi up` is one line naming the signal; its raw output is the --verbose detail", () => {
    const killed = createCommandError({
      stdout: "",
      stderr: "Command was killed with SIGKILL (Forced termination): pulumi up --yes\nUpdating (dr)\n",
      code: -2,
      err: Object.assign(new Error("Command was killed with SIGKILL"), {
        signal: "SIGKILL",
        exitCode: undefined,
      }),
    });
    const failure = pulumiFailure(killed, "dr", "up");
    assert.strictEqual(
      failure.message,
      "pulumi up on stack dr was killed (SIGKILL). Completed steps are recorded: rerun the same command to resume. " +
        "If the rerun reports another update in progress and no pulumi process is running, `pulumi cancel --stack dr` first.",
    );
    assert.strictEqual(exitMessage(failure, false).text, failure.message);
    assert.strictEqual(exitMessage(failure, true).text, `${failure.message}\n${killed.message}`);
  });

  it("a failed `pulumi up` names its exit code and first error line", () => {
    const failed = createCommandError({
      stdout: "Updating (dr)\n",
      stderr: "warning: x\nerror: update failed: resource database-instance: timeout\nerror: second\n",
      code: -2,
      err: Object.assign(new Error("Command failed with exit code 255"), { exitCode: 255 }),
    });
    assert.match(
      pulumiFailure(failed, "dr", "up").message,
      /^pulumi up on stack dr exited with code 255: update failed: resource database-instance: timeout\. Completed steps/,
    );
  });
});

import * as assert from "assert";
import * as path from "path";
import { PulumiCommand } from "@pulumi/pulumi/automation";
import * as automationErrors from "@pulumi/pulumi/automation/errors";
import { SemVer } from "semver";
import { FailbackStack } from "../../../automation/failback/failbackStacks";

const { createCommandError } = automationErrors as unknown as {
  createCommandError(result: { stdout: string; stderr: string; code: number }): Error;
};

/** Records the CLI calls; `config get` of an unset key fails the way the CLI does. */
function fakeCli(config: Record<string, string>) {
  const calls: string[][] = [];
  const cli = {
    command: "pulumi",
    version: new SemVer("3.248.0"),
    async run(args: string[]) {
      calls.push([...args]);
      if (args[0] === "config" && args[1] === "get") {
        const key = args[args.indexOf("--path") === 2 ? 3 : 2];
        if (!(key in config)) {
          throw createCommandError({
            stdout: "",
            stderr: `error: configuration key '${key}' not found for stack 'primary'`,
            code: 255,
          });
        }
        return { stdout: JSON.stringify({ value: config[key], secret: false }), stderr: "", code: 0 };
      }
      return { stdout: "", stderr: "", code: 0 };
    },
  };
  return { calls, command: cli as unknown as PulumiCommand };
}

describe("failback stacks through the Automation API", () => {
  it("reads, sets and removes map keys with --path, and reads an unset key as undefined", async () => {
    const cli = fakeCli({ "payments-dr:generation.database": "1" });
    const stack = await FailbackStack.select(
      path.resolve(__dirname, "../../.."),
      "organization/payments-dr/primary",
      cli.command,
    );
    assert.strictEqual(await stack.getConfig("payments-dr:generation.database", true), "1");
    assert.strictEqual(await stack.getConfig("payments-dr:generation.reseedSourceArn", true), undefined);
    await stack.setConfig("payments-dr:generation.database", "2", true);
    await stack.removeConfig("payments-dr:generation.reseedSourceArn", true);
    const stackFlag = ["--stack", "organization/payments-dr/primary"];
    assert.deepStrictEqual(cli.calls, [
      ["stack", "select", ...stackFlag],
      ["config", "get", "--path", "payments-dr:generation.database", "--json", ...stackFlag],
      ["config", "get", "--path", "payments-dr:generation.reseedSourceArn", "--json", ...stackFlag],
      [
        "config",
        "set",
        "--path",
        "payments-dr:generation.database",
        ...stackFlag,
        "--plaintext",
        "--non-interactive",
        "--",
        "2",
      ],
      ["config", "rm", "payments-dr:generation.reseedSourceArn", ...stackFlag, "--path"],
    ]);
  });
});

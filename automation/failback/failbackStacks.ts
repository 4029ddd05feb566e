/**
 * The two stacks a failback updates, through the Automation API. Unlike the failover (which never
 * selects the primary stack: its Region may be down), a failback runs once the primary Region is
 * healthy again and has to re-seed and promote there, so both stacks are selected by name.
 */
import { LocalWorkspace, PulumiCommand, Stack } from "@pulumi/pulumi/automation";
import { FailoverError } from "../errors";

export interface FailbackStackOps {
  readonly name: string;
  outputs(): Promise<Record<string, unknown>>;
  /** A config value, or undefined when unset. `path`: a dotted key into a map (`generation.database`). */
  getConfig(key: string, path?: boolean): Promise<string | undefined>;
  setConfig(key: string, value: string, path?: boolean): Promise<void>;
  removeConfig(key: string, path?: boolean): Promise<void>;
  /** `pulumi up`; resolves with the change counts, e.g. `create 4, same 131`. */
  up(onOutput: (text: string) => void, signal?: AbortSignal): Promise<string>;
}

export class FailbackStack implements FailbackStackOps {
  private constructor(
    private readonly stack: Stack,
    readonly name: string,
  ) {}

  static async select(workDir: string, name: string, pulumiCommand?: PulumiCommand): Promise<FailbackStack> {
    const workspace = await LocalWorkspace.create({ workDir, ...(pulumiCommand ? { pulumiCommand } : {}) });
    try {
      return new FailbackStack(await Stack.select(name, workspace), name);
    } catch (error) {
      throw new FailoverError(
        `Cannot select stack ${name} (${error instanceof Error ? error.message.split("\n")[0] : String(error)}). ` +
          "Check `pulumi stack ls` from this directory and the backend you are logged in to.",
        false,
      );
    }
  }

  async outputs(): Promise<Record<string, unknown>> {
    const outputs = await this.stack.outputs();
    return Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, v.value]));
  }

  async getConfig(key: string, path = false): Promise<string | undefined> {
    try {
      return (await this.stack.getConfig(key, path)).value;
    } catch (error) {
      // The CLI exits non-zero for a key that is not set.
      const stderr =
        (error as { commandResult?: { stderr?: string } }).commandResult?.stderr ?? String(error);
      if (/configuration key .* not found/i.test(stderr)) return undefined;
      throw error;
    }
  }

  async setConfig(key: string, value: string, path = false): Promise<void> {
    await this.stack.setConfig(key, { value }, path);
  }

  async removeConfig(key: string, path = false): Promise<void> {
    await this.stack.removeConfig(key, path);
  }

  async up(onOutput: (text: string) => void, signal?: AbortSignal): Promise<string> {
    const result = await this.stack.up({ onOutput, ...(signal ? { signal } : {}) });
    return Object.entries(result.summary?.resourceChanges ?? {})
      .map(([op, count]) => `${op} ${count}`)
      .join(", ");
  }
}

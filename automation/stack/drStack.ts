/**
 * The dr stack through the Automation API: a `LocalWorkspace` on this project directory, the dr
 * stack selected by name, its config set to `mode: active`, `preview`, `up` (whole or targeted),
 * and its outputs. This module is
 * the only place the controller talks to the Pulumi CLI, and it refuses any stack name that is the
 * primary stack: the primary is never selected, updated or refreshed (DESIGN.md principle 6 — the
 * failed Region's stack is not needed to fail over).
 */
import {
  CommandError,
  ConcurrentUpdateError,
  EngineEvent,
  LocalWorkspace,
  PulumiCommand,
  Stack,
  StackNotFoundError,
} from "@pulumi/pulumi/automation";
import { PROJECT } from "../../stacks/config";
import { FailoverError } from "../errors";

export interface DrStackOptions {
  /** Project directory (where Pulumi.yaml is). */
  readonly workDir: string;
  /** The dr stack, short (`dr`) or fully qualified (`org/payments-dr/dr`). */
  readonly stackName: string;
  /** The primary stack's name as the dr config references it; used to refuse it. */
  readonly primaryStackName?: string;
  /** Injected CLI (tests pass a fake). @default the `pulumi` on PATH */
  readonly pulumiCommand?: PulumiCommand;
}

export interface DrUpOptions {
  /** URNs to update; everything else keeps its state. @default the whole stack */
  readonly targets?: readonly string[];
  readonly onOutput: (text: string) => void;
  readonly onEvent?: (event: EngineEvent) => void;
  readonly signal?: AbortSignal;
}

const lastSegment = (name: string) => name.split("/").pop() ?? name;

/** Throws unless `stackName` can only be the dr stack. */
export function assertNotPrimary(stackName: string, primaryStackName?: string): void {
  const primaries = new Set(["primary", ...(primaryStackName ? [lastSegment(primaryStackName)] : [])]);
  if (primaries.has(lastSegment(stackName))) {
    throw new FailoverError(
      `Refusing --stack ${stackName}: that is the primary stack. The failover controller only ever updates ` +
        "the dr stack; pass --stack dr (or its fully-qualified name, e.g. organization/payments-dr/dr).",
      false,
    );
  }
}

function translate(error: unknown, stackName: string, action: string): never {
  if (error instanceof StackNotFoundError) {
    throw new FailoverError(
      `No stack named '${stackName}' found in the Pulumi backend (${action}). Check \`pulumi stack ls\` ` +
        "from this directory and the backend you are logged in to, then pass --stack <org>/payments-dr/dr.",
      false,
    );
  }
  if (error instanceof ConcurrentUpdateError) {
    throw new FailoverError(
      `Another update of stack ${stackName} is in progress (${action}). Wait for it to finish (or, if it ` +
        `is dead, \`pulumi cancel --stack ${stackName}\`), then rerun the same command: completed steps are skipped.`,
    );
  }
  if (error instanceof CommandError) throw pulumiFailure(error, stackName, action);
  throw error;
}

/**
 * A failed or killed CLI call as one line: how it ended and its first `error:` line. The
 * Automation API's own message is the whole stdout and stderr; that stays in `detail` (--verbose).
 */
export function pulumiFailure(error: CommandError, stackName: string, action: string): FailoverError {
  const result = (error as unknown as { commandResult?: { code?: number; stderr?: string; err?: unknown } })
    .commandResult;
  // The CLI runs under execa, which rejects on any non-zero exit: its error says how it ended.
  const ended = (result?.err ?? {}) as { signal?: string; exitCode?: number };
  const how = ended.signal
    ? `was killed (${ended.signal})`
    : `exited with code ${ended.exitCode ?? result?.code ?? "?"}`;
  const cause = /^\s*error: (.*)$/m.exec(result?.stderr ?? "")?.[1]?.trim();
  return new FailoverError(
    `pulumi ${action} on stack ${stackName} ${how}${cause ? `: ${cause.slice(0, 300)}` : ""}. ` +
      "Completed steps are recorded: rerun the same command to resume. If the rerun reports another " +
      `update in progress and no pulumi process is running, \`pulumi cancel --stack ${stackName}\` first.`,
    true,
    error.message,
  );
}

export class DrStack {
  private constructor(
    private readonly stack: Stack,
    readonly name: string,
  ) {}

  static async select(options: DrStackOptions): Promise<DrStack> {
    assertNotPrimary(options.stackName, options.primaryStackName);
    const workspace = await LocalWorkspace.create({
      workDir: options.workDir,
      ...(options.pulumiCommand ? { pulumiCommand: options.pulumiCommand } : {}),
    });
    try {
      const stack = await Stack.select(options.stackName, workspace);
      return new DrStack(stack, options.stackName);
    } catch (error) {
      return translate(error, options.stackName, "stack select");
    }
  }

  /** The stack's last outputs as plain values (secrets unwrapped: the controller needs ids only). */
  async outputs(): Promise<Record<string, unknown>> {
    try {
      const outputs = await this.stack.outputs();
      return Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, v.value]));
    } catch (error) {
      return translate(error, this.name, "stack output");
    }
  }

  /** Sets `payments-dr:mode` to `active` in this (dr) stack's config. */
  async setActiveMode(): Promise<void> {
    try {
      await this.stack.setConfig(`${PROJECT}:mode`, { value: "active" });
    } catch (error) {
      translate(error, this.name, "config set");
    }
  }

  /** A config value of this stack (`--path` for `payments-dr:restore.database`), or undefined when unset. */
  async getConfigValue(key: string): Promise<string | undefined> {
    try {
      return (await this.stack.getConfig(key, true)).value;
    } catch (error) {
      const stderr = (error as { commandResult?: { stderr?: string } }).commandResult?.stderr ?? "";
      if (error instanceof CommandError && /configuration key .* not found/.test(stderr)) return undefined;
      return translate(error, this.name, "config get");
    }
  }

  /** Sets a plaintext config value of this stack (by path: `payments-dr:restore.cache`). */
  async setConfigValue(key: string, value: string): Promise<void> {
    try {
      await this.stack.setConfig(key, { value }, true);
    } catch (error) {
      translate(error, this.name, "config set");
    }
  }

  /** `pulumi preview` of this stack; every engine event goes to `onEvent`. */
  async preview(onEvent: (event: EngineEvent) => void, signal?: AbortSignal): Promise<void> {
    try {
      await this.stack.preview({ onEvent, ...(signal ? { signal } : {}) });
    } catch (error) {
      translate(error, this.name, "preview");
    }
  }

  /**
   * `pulumi up` of this stack, limited to `targets` when given (never their dependents: see
   * stackUpdate.ts). Resolves with the update's change counts, e.g. `update 3, same 131`.
   */
  async up(options: DrUpOptions): Promise<string> {
    try {
      const result = await this.stack.up({
        onOutput: options.onOutput,
        ...(options.onEvent ? { onEvent: options.onEvent } : {}),
        ...(options.targets ? { target: [...options.targets], targetDependents: false } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      });
      const changes = result.summary?.resourceChanges ?? {};
      return Object.entries(changes)
        .map(([op, count]) => `${op} ${count}`)
        .join(", ");
    } catch (error) {
      return translate(error, this.name, "up");
    }
  }
}

/**
 * The dr stack's update, in two steps so the failover never waits on the failed Region
 * (DESIGN.md principle 6):
 *
 * - `stack-activate` (critical): `mode=active`, a preview, then `up --target` of the in-Region
 *   changes only (RDS promotion, node-group scale-up, …) plus the root Stack resource, whose
 *   outputs `verify` reads (a targeted update leaves untargeted resources' state, the Stack's
 *   outputs included, as it was). `targetDependents` stays false: the peer-Region resources are
 *   typically dependents of the in-Region ones (the backup replication of the promoted instance),
 *   so `--target-dependents` would pull back exactly what is deferred. Nothing deferred: a plain up.
 * - `stack-reconcile` (non-critical, after `verify`): a plain `up` that brings the peer-Region
 *   changes in. While that Region is down it fails; the run still succeeds, with a warning naming
 *   the resources and the Region, and a rerun resumes only this step.
 */
import type { EngineEvent } from "@pulumi/pulumi/automation";
import type { DrUpOptions } from "./drStack";
import { FailoverError } from "../errors";
import { StepContext } from "../run/runner";
import { ChangeCollector, ChangeSplit, describeChange, PlannedChange, splitByRegion } from "./stackChanges";

/** What the steps need of the dr stack (the Automation API wrapper, or a test double). */
export interface DrStackOps {
  setActiveMode(): Promise<void>;
  preview(onEvent: (event: EngineEvent) => void, signal?: AbortSignal): Promise<void>;
  up(options: DrUpOptions): Promise<string>;
  outputs(): Promise<Record<string, unknown>>;
}

export interface StackUpdateDeps {
  readonly stack: DrStackOps;
  /** The stack name the operator passed (for the rerun hint). */
  readonly stackName: string;
  /** The dr stack's own Region, if the engine events do not name `aws:region`. */
  readonly stackRegion: string;
  /** Regions whose changes are deferred: the primary's (and the configured peer, if different). */
  readonly peerRegions: readonly string[];
}

/** Forwards the CLI's output to the step's log, one line at a time. */
function lineLogger(ctx: StepContext): (text: string) => void {
  let buffered = "";
  return (text) => {
    buffered += text;
    const lines = buffered.split("\n");
    buffered = lines.pop() ?? "";
    for (const line of lines) if (line.trim()) ctx.log(`│ ${line}`);
  };
}

const list = (changes: readonly PlannedChange[]) => changes.map(describeChange).join(", ");

export interface ActivationPlan {
  readonly split: ChangeSplit;
  /** The root Stack resource, targeted so its outputs are written. */
  readonly stackUrn?: string;
}

/** The preview's changes, split into what the failover applies now and what waits. */
export async function planActivation(deps: StackUpdateDeps, ctx: StepContext): Promise<ActivationPlan> {
  const collector = new ChangeCollector();
  await deps.stack.preview(collector.onEvent, ctx.signal);
  const split = splitByRegion(collector.changes(deps.stackRegion), deps.peerRegions);
  return { split, stackUrn: collector.stackUrn };
}

export async function activateInRegion(deps: StackUpdateDeps, ctx: StepContext): Promise<string> {
  await deps.stack.setActiveMode();
  ctx.signal.throwIfAborted();
  return applyInRegion(deps, ctx);
}

/** Preview, then `up` of the in-Region changes only (the mode already set). */
export async function applyInRegion(deps: StackUpdateDeps, ctx: StepContext): Promise<string> {
  const { split, stackUrn } = await planActivation(deps, ctx);
  // Interrupted or timed out during the preview: start no update.
  ctx.signal.throwIfAborted();
  ctx.log(`preview: ${split.critical.length} in-Region change(s): ${list(split.critical) || "none"}`);
  if (split.deferred.length === 0) {
    const summary = await deps.stack.up({ onOutput: lineLogger(ctx), signal: ctx.signal });
    return `pulumi up on the dr stack: ${summary || "no changes"}`;
  }
  ctx.log(`deferred to stack-reconcile: ${list(split.deferred)}`);
  const targets = [...new Set([...(stackUrn ? [stackUrn] : []), ...split.critical.map((c) => c.urn)])];
  const deferred = `; deferred to stack-reconcile: ${list(split.deferred)}`;
  // An empty target list would mean the whole stack to the CLI: never run it.
  if (targets.length === 0) return `nothing to update in-Region${deferred}`;
  const summary = await deps.stack.up({ targets, onOutput: lineLogger(ctx), signal: ctx.signal });
  return `pulumi up --target (${split.critical.length} in-Region change(s)) on the dr stack: ${summary || "no changes"}${deferred}`;
}

/** Resources an update reported as failed, and the engine's error diagnostics. */
class UpFailures {
  readonly collector = new ChangeCollector();
  readonly failed = new Set<string>();
  readonly errors: string[] = [];

  readonly onEvent = (event: EngineEvent): void => {
    this.collector.onEvent(event);
    const failedUrn = event.resOpFailedEvent?.metadata.urn;
    if (failedUrn) this.failed.add(failedUrn);
    const diagnostic = event.diagnosticEvent;
    if (diagnostic?.severity === "error") {
      if (diagnostic.urn && !diagnostic.urn.includes("::pulumi:pulumi:Stack::"))
        this.failed.add(diagnostic.urn);
      this.errors.push(diagnostic.message.trim());
    }
  };
}

/** The CLI's own `error:` lines, when the engine events name none. */
function cliErrors(error: unknown): string[] {
  const text =
    error instanceof FailoverError && error.detail !== undefined
      ? error.detail
      : error instanceof Error
        ? error.message
        : String(error);
  return (text.match(/^\s*error: .*$/gm) ?? []).map((line) => line.trim());
}

export async function reconcile(deps: StackUpdateDeps, ctx: StepContext): Promise<string> {
  const failures = new UpFailures();
  try {
    const summary = await deps.stack.up({
      onOutput: lineLogger(ctx),
      onEvent: failures.onEvent,
      signal: ctx.signal,
    });
    return `full pulumi up on the dr stack (peer-Region changes included): ${summary || "no changes"}`;
  } catch (error) {
    // Interrupted, or an error already explained (another update in progress): pass it on.
    // A CLI failure with no resource named (killed, crashed) is already one clear line.
    if (ctx.signal.aborted || (error instanceof FailoverError && failures.failed.size === 0)) throw error;
    const stackRegion = failures.collector.stackRegion(deps.stackRegion);
    const known = new Map(failures.collector.changes(deps.stackRegion).map((c) => [c.urn, c]));
    const failed = [...failures.failed].map(
      (urn) => known.get(urn) ?? { urn, type: "", ops: ["update" as const], region: null },
    );
    const regions = [
      ...new Set(failed.map((c) => c.region).filter((r): r is string => !!r && r !== stackRegion)),
    ];
    const where = regions.length ? regions.join(", ") : deps.peerRegions.join(" or ");
    const cause = [...failures.errors, ...cliErrors(error)][0] ?? "see the update's log above";
    throw new FailoverError(
      `the full pulumi up of stack ${deps.stackName} failed` +
        (failed.length ? ` on ${list(failed)}` : "") +
        `: ${cause.length > 400 ? `${cause.slice(0, 400)}…` : cause}. ` +
        "The failover itself is complete (every critical step succeeded). " +
        `Once ${where} answers again, rerun \`npm run failover -- --to dr --stack ${deps.stackName}\` (it resumes ` +
        `only stack-reconcile) or \`pulumi up --stack ${deps.stackName}\`.`,
    );
  }
}

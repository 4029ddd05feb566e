/**
 * A recording stand-in for the `pulumi` binary, injected into `LocalWorkspace` as `pulumiCommand`
 * (the way @pulumi/pulumi's own automation tests do). It models the dr stack's standby -> active
 * change set (the offline dry run's: RDS promotion and node-group scale-up in us-west-2, the
 * promoted instance's backup replication created in us-east-1) and answers like the real CLI:
 *
 * - engine events go where `--event-log` says: a CLI newer than 3.205 streams them over gRPC to
 *   the Automation API's `tcp://127.0.0.1:<port>` events server (pulumirpc.Events/StreamEvents,
 *   one JSON event per message); older ones append JSON lines to the named file, which the
 *   Automation API tails;
 * - `up --target` applies only the targeted URNs (untargeted creates are skipped, untargeted
 *   resources keep their state, the root Stack's outputs included);
 * - with `primaryRegionDown`, applying a us-east-1 change fails the way the AWS provider does
 *   (resource-op-failed and error diagnostic events, `error:` lines, exit code 255).
 */
import * as fs from "fs";
import * as grpc from "@grpc/grpc-js";
import { EngineEvent, OpType, PulumiCommand } from "@pulumi/pulumi/automation";
import * as automationErrors from "@pulumi/pulumi/automation/errors";
import { EventsClient } from "@pulumi/pulumi/proto/events_grpc_pb";
import { EventRequest } from "@pulumi/pulumi/proto/events_pb";
import { SemVer } from "semver";
import { DR_OUTPUTS_ACTIVE, DR_OUTPUTS_STANDBY } from "./fakeOutputs";
import { DB_URN, FAKE_RESOURCES, FakeResource, PROVIDER_REF, STACK_URN } from "./fakeResources";

export { BACKUPS_URN, DB_URN, NODES_URN, STACK_URN } from "./fakeResources";

// The CLI wrapper throws exactly this for a non-zero exit (internal to @pulumi/pulumi).
const { createCommandError } = automationErrors as unknown as {
  createCommandError(result: { stdout: string; stderr: string; code: number }): Error;
};

/** Every `--<flag> <value>` of a command line. */
export const flagValues = (args: readonly string[], flag: string) =>
  args.flatMap((arg, i) => (args[i - 1] === flag ? [arg] : []));

/** Sends engine events the way the CLI does for the given `--event-log` value. */
async function deliver(eventLog: string, events: readonly EngineEvent[]): Promise<void> {
  if (eventLog.startsWith("tcp://")) {
    const client = new EventsClient(eventLog.slice("tcp://".length), grpc.credentials.createInsecure());
    try {
      await new Promise<void>((resolve, reject) => {
        const call = client.streamEvents((error) => (error ? reject(error) : resolve()));
        for (const event of events) call.write(new EventRequest().setEvent(JSON.stringify(event)));
        call.end();
      });
    } finally {
      client.close();
    }
    return;
  }
  fs.appendFileSync(eventLog, events.map((e) => `${JSON.stringify(e)}\n`).join(""));
  // The Automation API polls the file every 200 ms and stops tailing when the command exits.
  await new Promise((resolve) => setTimeout(resolve, 500));
}

export class FakePulumi {
  readonly command = "pulumi";
  version = new SemVer("3.248.0");
  readonly calls: string[][] = [];
  outputs: Record<string, unknown> = DR_OUTPUTS_STANDBY;
  failures: { when: (args: readonly string[]) => boolean; stderr: string; code?: number }[] = [];
  /** Delay before `up` answers, to exercise timeouts and parallelism. */
  upDelayMs = 0;
  /** us-east-1 does not answer: creating or changing anything there fails. */
  primaryRegionDown = false;
  /** URNs whose active-mode change has been applied. */
  readonly applied = new Set<string>();
  /** The `config set` value of payments-dr:mode, once set. */
  mode = "standby";
  /** Config values by key as `config get --path` reads them (restore.* unset at first). */
  readonly config = new Map<string, string>();
  /** The outputs an update that applied the database change writes. */
  activeOutputs: Record<string, unknown> = DR_OUTPUTS_ACTIVE;
  /** The last update's change counts, as `stack history` reports them. */
  private lastChanges: Record<string, number> = { same: 131, update: 3 };

  asCommand(): PulumiCommand {
    return this as unknown as PulumiCommand;
  }

  /** Resources whose state differs from what the program now declares. */
  pending(): FakeResource[] {
    if (this.mode !== "active") return [];
    return FAKE_RESOURCES.filter(
      (r) => !this.applied.has(r.urn) && JSON.stringify(r.standby) !== JSON.stringify(r.active),
    );
  }

  private events(targets: readonly string[] | undefined, planning: boolean, failed: readonly string[]) {
    let sequence = 0;
    const timestamp = 1_748_772_000;
    const pending = new Set(this.pending().map((r) => r.urn));
    const events: EngineEvent[] = [
      {
        sequence: sequence++,
        timestamp,
        preludeEvent: { config: { "aws:region": "us-west-2", "payments-dr:mode": this.mode } },
      },
    ];
    const counts: Record<string, number> = {};
    for (const r of FAKE_RESOURCES) {
      const changes = pending.has(r.urn) && (!targets || targets.includes(r.urn));
      const op: OpType = !changes ? "same" : r.standby === undefined ? "create" : "update";
      counts[op] = (counts[op] ?? 0) + 1;
      const state = (inputs: Record<string, unknown>) => ({
        urn: r.urn,
        type: r.type,
        custom: r.custom,
        id: r.custom ? `${r.urn.split("::").pop()}-1a2b3c4` : "",
        parent: r.parent,
        provider: r.custom && !r.type.startsWith("pulumi:providers:") ? PROVIDER_REF : "",
        inputs,
        outputs: inputs,
      });
      const metadata = {
        op,
        urn: r.urn,
        type: r.type,
        ...(r.standby ? { old: state(r.standby) } : {}),
        new: state(op === "same" && r.standby ? r.standby : r.active),
        provider: r.custom && !r.type.startsWith("pulumi:providers:") ? PROVIDER_REF : "",
        ...(op === "update" ? { diffs: Object.keys({ ...r.standby, ...r.active }) } : {}),
      };
      events.push({ sequence: sequence++, timestamp, resourcePreEvent: { metadata, planning } });
      if (failed.includes(r.urn)) {
        events.push({
          sequence: sequence++,
          timestamp,
          diagnosticEvent: {
            urn: r.urn,
            prefix: "error: ",
            message: regionDownError(r),
            color: "raw",
            severity: "error",
          },
        });
        events.push({ sequence: sequence++, timestamp, resOpFailedEvent: { metadata, status: 1, steps: 0 } });
      } else {
        events.push({ sequence: sequence++, timestamp, resOutputsEvent: { metadata, planning } });
      }
    }
    events.push({
      sequence: sequence++,
      timestamp,
      summaryEvent: { maybeCorrupt: false, durationSeconds: 4, resourceChanges: counts, policyPacks: {} },
    });
    events.push({ sequence, timestamp, cancelEvent: {} });
    return { events, counts };
  }

  async run(
    args: string[],
    _cwd: string,
    _env: Record<string, string>,
    onOutput?: (data: string) => void,
  ): Promise<{ stdout: string; stderr: string; code: number }> {
    this.calls.push([...args]);
    const failure = this.failures.find((f) => f.when(args));
    if (failure) throw createCommandError({ stdout: "", stderr: failure.stderr, code: failure.code ?? 255 });
    const [verb, sub] = args;
    if (verb === "stack" && sub === "select") return ok("");
    if (verb === "config" && (sub === "set" || sub === "get")) {
      const key = args[2] === "--path" ? args[3] : args[2];
      if (sub === "get") {
        const value = key === "payments-dr:mode" ? this.mode : this.config.get(key);
        if (value === undefined) {
          const stderr = `error: configuration key '${key}' not found for stack 'dr'\n`;
          throw createCommandError({ stdout: "", stderr, code: 255 });
        }
        return ok(JSON.stringify({ value, secret: false }));
      }
      if (key === "payments-dr:mode") this.mode = args[args.length - 1];
      else this.config.set(key, args[args.length - 1]);
      return ok("");
    }
    if (verb === "stack" && sub === "output") return ok(JSON.stringify(this.outputs, null, 2));
    if (verb === "stack" && sub === "history") return ok(history(this.lastChanges));
    const eventLog = flagValues(args, "--event-log")[0];
    if (verb === "preview") {
      const { events, counts } = this.events(undefined, true, []);
      if (eventLog) await deliver(eventLog, events);
      return ok(summaryText("Previewing update (dr)", counts));
    }
    if (verb === "up") {
      if (this.upDelayMs) await new Promise((resolve) => setTimeout(resolve, this.upDelayMs));
      const targets = args.includes("--target") ? flagValues(args, "--target") : undefined;
      const applying = this.pending().filter((r) => !targets || targets.includes(r.urn));
      const failed = applying.filter((r) => r.peer && this.primaryRegionDown).map((r) => r.urn);
      const { events, counts } = this.events(targets, false, failed);
      if (eventLog) await deliver(eventLog, events);
      this.lastChanges = counts;
      for (const r of applying) if (!failed.includes(r.urn)) this.applied.add(r.urn);
      // A targeted update writes the Stack's outputs only when the Stack itself is targeted.
      if ((!targets || targets.includes(STACK_URN)) && this.applied.has(DB_URN))
        this.outputs = this.activeOutputs;
      const stdout = summaryText("Updating (dr)", counts);
      onOutput?.(stdout.slice(0, 60));
      onOutput?.(stdout.slice(60));
      if (failed.length) {
        const stderr = failed
          .map((urn) => `error: ${regionDownError(FAKE_RESOURCES.find((r) => r.urn === urn))}`)
          .join("\n");
        throw createCommandError({ stdout, stderr: `${stderr}\nerror: update failed\n`, code: 255 });
      }
      return ok(stdout);
    }
    throw createCommandError({
      stdout: "",
      stderr: `fake pulumi: unexpected command ${args.join(" ")}`,
      code: 1,
    });
  }
}

function regionDownError(resource: FakeResource | undefined): string {
  const name = resource?.urn.split("::").pop() ?? "resource";
  return (
    `${name}: creating RDS DB Instance Automated Backups Replication: operation error RDS: ` +
    "StartDBInstanceAutomatedBackupsReplication, exceeded maximum number of attempts, 25, https response " +
    'error StatusCode: 0, RequestID: , request send failed, Post "https://rds.us-east-1.amazonaws.com/": ' +
    "dial tcp 52.46.145.12:443: i/o timeout"
  );
}

function summaryText(title: string, counts: Record<string, number>): string {
  const lines = [title, "", "Resources:"];
  for (const [op, count] of Object.entries(counts)) {
    lines.push(
      op === "same" ? `    ${count} unchanged` : `    ${op === "create" ? "+" : "~"} ${count} to ${op}`,
    );
  }
  return `${lines.join("\n")}\n\nDuration: 4s\n`;
}

function history(resourceChanges: Record<string, number>): string {
  return JSON.stringify([
    {
      version: 42,
      kind: "update",
      startTime: "2025-06-01T10:00:00.000Z",
      endTime: "2025-06-01T10:09:12.000Z",
      result: "succeeded",
      resourceChanges,
    },
  ]);
}

const ok = (stdout: string) => ({ stdout, stderr: "", code: 0 });

/** Builds controller options around the fakes, with the real dr config from Pulumi.dr.yaml. */
import * as path from "path";
import { parseStackConfig, StackConfig } from "../../stacks/config";
import { readStackConfig } from "../../tools/render/stackFiles";
import { ControllerOptions } from "../../automation/run/controller";
import { FakeAws, fakeAws, FakePulumi } from "./fakes";

export const DR_CONFIG: StackConfig = parseStackConfig(readStackConfig("dr"), "dr");

export interface Harness {
  readonly pulumi: FakePulumi;
  readonly aws: FakeAws;
  readonly lines: string[];
  /** Milliseconds added to the real clock (to age a lock past its expiry). */
  clockOffsetMs: number;
  options(overrides?: Partial<ControllerOptions>): ControllerOptions;
}

export function harness(): Harness {
  const h: Harness = {
    pulumi: new FakePulumi(),
    aws: fakeAws(),
    lines: [],
    clockOffsetMs: 0,
    options: (overrides = {}) => ({
      config: DR_CONFIG,
      workDir: path.resolve(__dirname, "../.."),
      pulumiCommand: h.pulumi.asCommand(),
      clientFactory: (regions) => {
        Object.assign(h.aws.regions, regions);
        return h.aws.clients;
      },
      force: new Set<string>(),
      confirm: async () => true,
      log: (line) => h.lines.push(line),
      now: () => new Date(Date.now() + h.clockOffsetMs),
      retry: { sleep: async () => undefined },
      owner: "sre@ops-laptop pid 4242",
      pollSleep: async () => undefined,
      ...overrides,
    }),
  };
  return h;
}

/** Every CLI call that names a stack, for the "never primary" assertion. */
export function stackArgs(calls: readonly string[][]): string[] {
  return calls.flatMap((args) => args.filter((_, i) => args[i - 1] === "--stack"));
}

/** The CLI calls with the events server's random port replaced by `<port>`. */
export function withEventLog(calls: readonly string[][]): string[][] {
  return calls.map((args) =>
    args.map((a) => a.replace(/^tcp:\/\/127\.0\.0\.1:\d+$/, "tcp://127.0.0.1:<port>")),
  );
}

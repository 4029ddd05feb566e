/**
 * One fault-injection scenario: a temp directory holding the fake `pulumi`'s state and call log, a
 * fake AWS server, and `launch` to run the real entry point as a subprocess, the way
 * `npm run failover` does (the package.json script's own command line, without npm around it).
 */
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DR_OUTPUTS_ACTIVE, DR_OUTPUTS_STANDBY } from "../fakeOutputs";
import { FakeAwsServer } from "./fakeAwsServer";

const ROOT = path.resolve(__dirname, "../../..");
const BIN = path.join(__dirname, "bin");

/** The `failover` script of package.json (`node -r ./tools/runtime/register.js automation/cli.ts`), as node's arguments. */
function entryPoint(): string[] {
  const script = (
    JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
      scripts: Record<string, string>;
    }
  ).scripts.failover;
  const [tool, ...rest] = script.split(" ");
  if (tool !== "node") throw new Error(`unexpected failover script: ${script}`);
  return rest;
}

export interface Result {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

export interface Launch {
  readonly child: ChildProcess;
  readonly done: Promise<Result>;
  /** Resolves when stderr has printed a line matching `pattern`. */
  waitFor(pattern: RegExp): Promise<void>;
}

export interface LaunchOptions {
  /** Extra environment (fake `pulumi` faults); `undefined` removes a variable. */
  readonly env?: Record<string, string | undefined>;
  /** Text written to stdin, which is then closed. @default "" (end of input at once) */
  readonly stdin?: string;
}

export class Scenario {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), "failover-subprocess-"));
  readonly stateFile = path.join(this.dir, "pulumi-state.json");
  readonly logFile = path.join(this.dir, "pulumi-calls.jsonl");
  readonly aws = new FakeAwsServer(this.stateFile);
  private endpoint = "";

  async start(): Promise<this> {
    this.endpoint = await this.aws.listen();
    const ingress = { endpointUrl: this.endpoint };
    fs.writeFileSync(
      this.stateFile,
      JSON.stringify({
        mode: "standby",
        applied: [],
        outputs: { ...DR_OUTPUTS_STANDBY, ingress },
        activeOutputs: { ...DR_OUTPUTS_ACTIVE, ingress },
      }),
    );
    fs.writeFileSync(this.logFile, "");
    return this;
  }

  async stop(): Promise<void> {
    await this.aws.close();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  /** Every fake `pulumi` call, as `verb sub` plus the flags that matter (event-log port masked). */
  pulumiCalls(): string[] {
    return fs
      .readFileSync(this.logFile, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((line) =>
        (JSON.parse(line) as string[])
          .filter((a) => !a.startsWith("--client=") && a !== "--non-interactive")
          .map((a) => a.replace(/^tcp:\/\/127\.0\.0\.1:\d+$/, "tcp://<port>"))
          .join(" "),
      );
  }

  launch(args: readonly string[], options: LaunchOptions = {}): Launch {
    const env: NodeJS.ProcessEnv = {
      PATH: `${BIN}${path.delimiter}${process.env.PATH ?? ""}`,
      HOME: this.dir,
      FAKE_PULUMI_STATE: this.stateFile,
      FAKE_PULUMI_LOG: this.logFile,
      AWS_ENDPOINT_URL: this.endpoint,
      AWS_ACCESS_KEY_ID: "AKIAFAKEFAILOVERTEST",
      AWS_SECRET_ACCESS_KEY: "fake-secret",
      // Nothing from the machine running the tests: no profile files, no instance metadata.
      AWS_CONFIG_FILE: path.join(this.dir, "no-aws-config"),
      AWS_SHARED_CREDENTIALS_FILE: path.join(this.dir, "no-aws-credentials"),
      AWS_EC2_METADATA_DISABLED: "true",
      PULUMI_SKIP_UPDATE_CHECK: "true",
      NODE_NO_WARNINGS: "1",
    };
    for (const [key, value] of Object.entries(options.env ?? {})) {
      if (value === undefined) delete env[key];
      else env[key] = value;
    }
    const started = Date.now();
    const child = spawn(process.execPath, [...entryPoint(), ...args], { cwd: ROOT, env });
    let stdout = "";
    let stderr = "";
    const waiters: { pattern: RegExp; resolve: () => void }[] = [];
    child.stdout?.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on("data", (d: Buffer) => {
      stderr += d.toString();
      for (const w of waiters.filter((w) => w.pattern.test(stderr))) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    });
    child.stdin?.end(options.stdin ?? "");
    const done = new Promise<Result>((resolve) =>
      child.on("close", (code, signal) =>
        resolve({ code, signal, stdout, stderr, ms: Date.now() - started }),
      ),
    );
    return {
      child,
      done,
      waitFor: (pattern) =>
        pattern.test(stderr)
          ? Promise.resolve()
          : new Promise<void>((resolve, reject) => {
              waiters.push({ pattern, resolve });
              void done.then(() => reject(new Error(`exited before printing ${pattern}:\n${stderr}`)));
            }),
    };
  }
}

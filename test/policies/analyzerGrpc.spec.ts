/**
 * The real path: the pack started through @pulumi/pulumi's `run-policy-pack` entry exactly as the
 * CLI launches it (working directory `policies/`, ts-node with type-checking on), driven over the
 * Analyzer gRPC protocol with a preview-shaped stack (unknowns, propertyDependencies). The engine's
 * diagnostics must be exactly the offline runner's.
 */
import * as assert from "assert";
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import { policies } from "../../policies/policies";
import { cliMessage, EngineResource, evaluateStack } from "../../tools/policyEngine";
import { readPolicyInput } from "../../tools/policyInput";
import { renderPreviewStack, renderTestStack } from "../helpers/stacks";
import { COMPLIANT } from "./corpus/compliant";
import { CORPUS } from "./corpus/stores";
import { previewBackup } from "./previewScenarios";

/* eslint-disable @typescript-eslint/no-require-imports, @typescript-eslint/no-explicit-any */
const grpc = require("@grpc/grpc-js");
const analyzerGrpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb");
const analyzer = require("@pulumi/pulumi/proto/analyzer_pb");
const { Struct } = require("google-protobuf/google/protobuf/struct_pb");
const { Empty } = require("google-protobuf/google/protobuf/empty_pb");
/* eslint-enable @typescript-eslint/no-require-imports */

const ROOT = path.resolve(__dirname, "../..");
const LEVELS = ["advisory", "mandatory", "disabled", "remediate"];

function call<T>(client: any, method: string, request: unknown): Promise<T> {
  return new Promise((resolve, reject) =>
    client[method](request, (error: Error | null, response: T) =>
      error ? reject(error) : resolve(response),
    ),
  );
}

const SIG_KEY = "4dabf18193072939515e22adb298388d";
const ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17";

/**
 * Properties as the engine puts them on the wire. The offline plan elides a bundled function's
 * text to its size and hash; the engine sends an asset's text, so a stand-in text is restored
 * (no policy reads asset contents).
 */
function toStruct(value: unknown): unknown {
  const wire = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(wire);
    if (v === null || typeof v !== "object") return v;
    const o = v as Record<string, unknown>;
    if (o[SIG_KEY] === ASSET_SIG && !o.text && !o.path && !o.uri)
      return { ...o, text: `(elided: ${String(o.textBytes)} bytes, sha256 ${String(o.hash)})` };
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, wire(x)]));
  };
  return Struct.fromJavaScript(wire(JSON.parse(JSON.stringify(value))));
}

function toAnalyzerResource(r: EngineResource): unknown {
  const resource = new analyzer.AnalyzerResource();
  resource.setType(r.type);
  resource.setUrn(r.urn);
  resource.setName(r.name);
  resource.setProperties(toStruct({ ...r.inputs, ...r.outputs }));
  if (r.provider) {
    const provider = new analyzer.AnalyzerProviderResource();
    provider.setType(r.provider.type);
    provider.setUrn(r.provider.urn);
    provider.setName(r.provider.name);
    provider.setProperties(toStruct(r.provider.props));
    resource.setProvider(provider);
  }
  // The engine always sends the resource options (the SDK refuses a request without them).
  const options = new analyzer.AnalyzerResourceOptions();
  options.setProtect(r.protect ?? false);
  if (r.parent) options.setParent(r.parent);
  resource.setOptions(options);
  resource.setDependenciesList([...r.dependencies]);
  for (const [key, urns] of Object.entries(r.propertyDependencies ?? {})) {
    const deps = new analyzer.AnalyzerPropertyDependencies();
    deps.setUrnsList([...urns]);
    resource.getPropertydependenciesMap().set(key, deps);
  }
  return resource;
}

describe("the pack behind the CLI's run-policy-pack (gRPC Analyzer)", function () {
  this.timeout(120_000);
  let child: ChildProcess | undefined;
  let client: any;
  let startupMs = 0;

  before(async () => {
    const started = Date.now();
    child = spawn(
      process.execPath,
      [path.join(ROOT, "node_modules/@pulumi/pulumi/cmd/run-policy-pack/index.js"), "127.0.0.1:1", "."],
      { cwd: path.join(ROOT, "policies"), stdio: ["ignore", "pipe", "pipe"] },
    );
    let stderr = "";
    child.stderr?.on("data", (chunk) => (stderr += String(chunk)));
    const port = await new Promise<string>((resolve, reject) => {
      child?.stdout?.once("data", (chunk) => resolve(String(chunk).trim()));
      child?.once("exit", (code) => reject(new Error(`run-policy-pack exited ${code}: ${stderr}`)));
    });
    startupMs = Date.now() - started;
    client = new analyzerGrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  });

  after(() => {
    client?.close();
    child?.kill();
  });

  it("serves the pack's info and accepts its configuration", async () => {
    const info = await call<any>(client, "getAnalyzerInfo", new Empty());
    assert.strictEqual(info.getName(), "payments-dr");
    assert.deepStrictEqual(
      info.getPoliciesList().map((p: any) => p.getName()),
      policies.map((p) => p.name),
    );
    await call(client, "configure", new analyzer.ConfigureAnalyzerRequest());
    // Startup includes ts-node type-checking the whole pack, as the CLI runs it.
    process.stderr.write(`      run-policy-pack served the pack after ${startupMs} ms\n`);
  });

  it("reports exactly the offline runner's diagnostics on a preview-shaped stack", async () => {
    const resources = previewBackup({ selectionDeps: [], copyVaultKey: "backup" });
    const [real, offline] = [await realDiagnostics(client, resources), offlineDiagnostics(resources)];
    assert.ok(offline.some((line) => line.startsWith("aws-datastore-cross-region-copy | mandatory | ")));
    assert.deepStrictEqual(real, offline);
  });

  it("agrees with the offline runner on every corpus stack and both rendered stacks, plan and preview", async () => {
    const started = Date.now();
    const rendered = await Promise.all(
      ["primary", "dr"].flatMap((name) => [renderTestStack(name), renderPreviewStack(name)]),
    );
    const stacks: [string, readonly EngineResource[]][] = [
      ...CORPUS.map((m): [string, readonly EngineResource[]] => [m.name, m.resources]),
      ...COMPLIANT.map((v): [string, readonly EngineResource[]] => [v.name, v.resources]),
      ...rendered.map((r, i): [string, readonly EngineResource[]] => [
        `${r.stack} ${i % 2 ? "preview" : "plan"}`,
        readPolicyInput(JSON.parse(JSON.stringify({ stacks: [r] }))).stacks[0].resources,
      ]),
    ];
    let compared = 0;
    for (const [name, resources] of stacks) {
      const offline = offlineDiagnostics(resources);
      assert.deepStrictEqual(await realDiagnostics(client, resources), offline, name);
      compared += offline.length;
    }
    process.stderr.write(
      `      ${stacks.length} stacks, ${compared} diagnostics identical, in ${Date.now() - started} ms\n`,
    );
  });
});

/** `policy | level | urn | message` of every diagnostic, sorted. */
const line = (policy: string, level: string, urn: string, message: string) =>
  [policy, level, urn, message].join(" | ");

function offlineDiagnostics(resources: readonly EngineResource[]): string[] {
  return evaluateStack({ stack: "test", resources }, { policies })
    .map((v) => line(v.policy, v.enforcementLevel, v.urn, cliMessage(v)))
    .sort();
}

/**
 * What the engine gets from the pack for a stack: Analyze on each resource's inputs (a resource
 * policy's diagnostic names no URN: the engine attributes it to the resource), then AnalyzeStack.
 */
async function realDiagnostics(client: any, resources: readonly EngineResource[]): Promise<string[]> {
  const lines: string[] = [];
  const collect = (response: any, urn?: string) => {
    for (const d of response.getDiagnosticsList())
      lines.push(
        line(d.getPolicyname(), LEVELS[d.getEnforcementlevel()], d.getUrn() || urn || "", d.getMessage()),
      );
  };
  for (const r of resources) {
    const request = new analyzer.AnalyzeRequest();
    request.setType(r.type);
    request.setUrn(r.urn);
    request.setName(r.name);
    request.setProperties(toStruct(r.inputs));
    const resource = toAnalyzerResource(r) as any;
    request.setOptions(resource.getOptions());
    if (resource.getProvider()) request.setProvider(resource.getProvider());
    collect(await call<any>(client, "analyze", request), r.urn);
  }
  const request = new analyzer.AnalyzeStackRequest();
  request.setResourcesList(resources.map(toAnalyzerResource));
  collect(await call<any>(client, "analyzeStack", request));
  return lines.sort();
}

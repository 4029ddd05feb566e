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
import { EngineResource, evaluateStack } from "../../tools/policyEngine";
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

function toAnalyzerResource(r: EngineResource): unknown {
  const resource = new analyzer.AnalyzerResource();
  resource.setType(r.type);
  resource.setUrn(r.urn);
  resource.setName(r.name);
  resource.setProperties(Struct.fromJavaScript({ ...r.inputs, ...r.outputs }));
  if (r.provider) {
    const provider = new analyzer.AnalyzerProviderResource();
    provider.setType(r.provider.type);
    provider.setUrn(r.provider.urn);
    provider.setName(r.provider.name);
    provider.setProperties(Struct.fromJavaScript(r.provider.props));
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
    const request = new analyzer.AnalyzeStackRequest();
    request.setResourcesList(resources.map(toAnalyzerResource));
    const response = await call<any>(client, "analyzeStack", request);
    const real = response
      .getDiagnosticsList()
      .map((d: any) =>
        [d.getPolicyname(), LEVELS[d.getEnforcementlevel()], d.getUrn(), d.getMessage()].join(" | "),
      )
      .sort();
    const offline = evaluateStack({ stack: "test", resources }, { policies })
      .filter((v) => policies.some((p) => p.name === v.policy && "validateStack" in p))
      // The SDK's server sends the policy's description, a newline, then the message: what the CLI prints.
      .map((v) =>
        [
          v.policy,
          v.enforcementLevel,
          v.urn,
          `${policies.find((p) => p.name === v.policy)?.description}\n${v.message}`,
        ].join(" | "),
      )
      .sort();
    assert.ok(offline.some((line) => line.startsWith("aws-datastore-cross-region-copy | mandatory | ")));
    assert.deepStrictEqual(real, offline);
  });
});

import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Policies, PolicyConfigSchema } from "@pulumi/policy";
import { policies } from "../../policies/policies";
import { evaluateStack } from "../../tools/policyEngine";
import { main, planStackViolations } from "../../tools/policy";
import { readPolicyInput } from "../../tools/policyInput";
import { renderTestStack } from "../helpers/stacks";
import { key, PEER, PRIMARY, resource, UNKNOWN_VALUE, urnOf, violations } from "./fixtures";

const MANDATORY =
  /-encryption-at-rest$|-encryption-in-transit$|-ssl-required$|^s3-bucket-tls-only$|^aws-datastore-cross-region-copy$|^aws-datastore-encryption-key-proven$|^aws-datastore-restore-encryption-proven$|^aws-datastore-type-judged$|^kubernetes-workload-image-region$|^kubernetes-pvc-storage-encrypted$|^ebs-storageclass-cross-region-copy$|^payments-dr-strategy-targets$/;
const VOLUME = "aws:ebs/volume:Volume";

function schemaProblems(name: string, schema: PolicyConfigSchema): string[] {
  const problems: string[] = [];
  if ("enforcementLevel" in schema.properties) problems.push(`${name}: enforcementLevel is reserved`);
  for (const [key, property] of Object.entries(schema.properties)) {
    if (typeof property !== "object") continue;
    const type = property.type;
    if (!["boolean", "integer", "number", "string", "array", "object"].includes(String(type)))
      problems.push(`${name}.${key}: type ${String(type)}`);
    if (!property.description) problems.push(`${name}.${key}: no description`);
    const value = property.default;
    const ok =
      value === undefined ||
      (type === "integer" && Number.isInteger(value)) ||
      (type === "array" && Array.isArray(value)) ||
      (type !== "integer" && type !== "array" && typeof value === type);
    if (!ok) problems.push(`${name}.${key}: default ${JSON.stringify(value)} is not a ${String(type)}`);
    if (typeof value === "number" && property.minimum !== undefined && value < property.minimum)
      problems.push(`${name}.${key}: default below minimum`);
  }
  for (const required of schema.required ?? [])
    if (!(required in schema.properties)) problems.push(`${name}: required ${required} undefined`);
  return problems;
}

describe("the policy pack", () => {
  it("names every policy <service>-<resource>-<check>, uniquely", () => {
    const names = policies.map((p) => p.name);
    assert.deepStrictEqual(
      names.filter((n) => !/^[a-z0-9]+(-[a-z0-9]+){2,}$/.test(n)),
      [],
    );
    assert.strictEqual(new Set(names).size, names.length);
  });

  it("describes every policy in a full sentence", () =>
    assert.deepStrictEqual(
      policies
        .filter((p) => !/^[A-Z][^]{30,}\.$/.test(p.description) || p.description.split(" ").length < 8)
        .map((p) => p.name),
      [],
    ));

  it("declares valid config schemas with typed, described defaults", () =>
    assert.deepStrictEqual(
      policies.flatMap((p) => (p.configSchema ? schemaProblems(p.name, p.configSchema) : [])),
      [],
    ));

  it("makes encryption and cross-Region rules mandatory and the rest advisory", () => {
    const wrong = policies.filter(
      (p) => (MANDATORY.test(p.name) ? "mandatory" : "advisory") !== p.enforcementLevel,
    );
    assert.deepStrictEqual(
      wrong.map((p) => `${p.name}: ${p.enforcementLevel}`),
      [],
    );
    assert.ok(policies.filter((p) => p.enforcementLevel === "mandatory").length >= 30);
  });

  it("offers remediation where a safe automatic fix exists", () =>
    assert.deepStrictEqual(
      policies.filter((p) => "remediateResource" in p).map((p) => p.name),
      ["kms-key-rotation-enabled"],
    ));

  it("keeps the pack entry to `new PolicyPack` over the exported array", () => {
    const entry = fs.readFileSync(path.resolve(__dirname, "../../policies/index.ts"), "utf8");
    assert.match(entry, /new PolicyPack\(PACK_NAME, \{ policies, enforcementLevel: "advisory" \}\);/);
    assert.doesNotMatch(entry, /export /);
  });

  it("validates its own example policy-config.json against every schema", () => {
    const example = JSON.parse(
      fs.readFileSync(path.resolve(__dirname, "../../policies/policy-config.example.json"), "utf8"),
    ) as Record<string, unknown>;
    const byName = new Map<string, Policies[number]>(policies.map((p) => [p.name, p]));
    for (const [name, entry] of Object.entries(example)) {
      const policy = byName.get(name);
      assert.ok(policy, `example configures unknown policy ${name}`);
      if (typeof entry === "string") continue;
      for (const setting of Object.keys(entry as object).filter((k) => k !== "enforcementLevel")) {
        assert.ok(policy.configSchema?.properties[setting], `${name}.${setting} is not in its schema`);
      }
    }
  });
});

describe("the offline engine", () => {
  it("refuses (fail closed) an encryption switch unknown during preview, saying what is unknown", () =>
    assert.deepStrictEqual(
      violations(
        [resource(VOLUME, "v", { encrypted: UNKNOWN_VALUE, kmsKeyId: UNKNOWN_VALUE })],
        "ebs-volume-encryption-at-rest",
      ),
      [
        {
          description:
            "Requires every EBS volume to be encrypted at rest, with a customer-managed KMS key in its own Region where the service supports one.",
          enforcementLevel: "mandatory",
          message:
            "EBS volume: encryption at rest cannot be proven at preview: encrypted: unknown until apply (expected encrypted: true known before apply). Unencrypted storage exposes payment data through snapshots, replicas and retired media.",
          policy: "ebs-volume-encryption-at-rest",
          urn: urnOf(VOLUME, "v"),
        },
      ],
    ));

  it("reports a policy that reads an unknown value unguarded as an advisory can't-run note, as the engine does", () => {
    const naive: Policies = [
      {
        name: "naive-volume-check",
        description: "Reads a value without guarding.",
        enforcementLevel: "mandatory",
        validateResource: (args) => void String(args.props.encrypted),
      },
    ];
    const result = evaluateStack(
      { stack: "t", resources: [resource(VOLUME, "v", { encrypted: UNKNOWN_VALUE })] },
      { policies: naive },
    );
    assert.deepStrictEqual(
      result.map((v) => [v.policy, v.enforcementLevel]),
      [["naive-volume-check", "advisory"]],
    );
    assert.match(result[0].message, /can't run policy naive-volume-check during preview/);
  });

  it("follows enforcement levels from the policy config", () => {
    const unencrypted = [resource(VOLUME, "v", { encrypted: false })];
    assert.deepStrictEqual(
      violations(unencrypted, "ebs-volume-encryption-at-rest", {
        "ebs-volume-encryption-at-rest": "disabled",
      }),
      [],
    );
    assert.deepStrictEqual(
      violations(unencrypted, "ebs-volume-encryption-at-rest", {
        "ebs-volume-encryption-at-rest": { enforcementLevel: "advisory" },
      }).map((v) => v.enforcementLevel),
      ["advisory"],
    );
  });
});

describe("policy input formats", () => {
  const volume = { encrypted: true, kmsKeyId: key(PRIMARY) };

  it("reads a plan and places resources without a provider in the stack's aws:region", () => {
    const { format, stacks } = readPolicyInput({
      stacks: [
        {
          stack: "dr",
          config: { "aws:region": PEER },
          resources: [
            {
              urn: "urn:pulumi:dr::p::aws:ebs/volume:Volume::v",
              type: VOLUME,
              inputs: volume,
              outputs: volume,
              provider: null,
            },
          ],
        },
      ],
    });
    assert.strictEqual(format, "plan");
    const result = evaluateStack(stacks[0], { policies }).filter(
      (v) => v.policy === "ebs-volume-encryption-at-rest",
    );
    assert.strictEqual(result.length, 1);
    assert.match(
      result[0].message,
      new RegExp(`^EBS volume in ${PEER} is encrypted with a key in ${PRIMARY}: expected`),
    );
  });

  it("keeps a resource's provider id among its outputs, where a selection's planId finds the plan", () => {
    const { stacks } = readPolicyInput({
      stacks: [
        {
          stack: "dr",
          config: { "aws:region": PEER },
          resources: [
            {
              urn: "urn:pulumi:dr::p::aws:backup/plan:Plan::plan",
              type: "aws:backup/plan:Plan",
              id: "ce4b677b",
              inputs: { name: "plan" },
              outputs: {},
            },
          ],
        },
      ],
    });
    assert.deepStrictEqual(stacks[0].resources[0].outputs, { id: "ce4b677b" });
  });

  it("reads a stack export, resolving provider references (urn::id) to the provider's Region", () => {
    const provider = "urn:pulumi:prod::p::pulumi:providers:aws::west";
    const { format, stacks } = readPolicyInput({
      version: 3,
      deployment: {
        resources: [
          { urn: provider, type: "pulumi:providers:aws", inputs: { region: PEER }, outputs: {} },
          {
            urn: "urn:pulumi:prod::p::aws:ebs/volume:Volume::v",
            type: VOLUME,
            inputs: volume,
            outputs: volume,
            provider: `${provider}::0f1e`,
          },
        ],
      },
    });
    assert.strictEqual(format, "stack-export");
    assert.strictEqual(stacks[0].stack, "prod");
    assert.deepStrictEqual(stacks[0].resources[1].provider?.props, { region: PEER });
  });

  it("reads a preview, ignoring deleted resources and treating the unknown sentinel as unknown", () => {
    const { format, stacks } = readPolicyInput({
      steps: [
        {
          op: "create",
          urn: "urn:pulumi:dev::p::aws:ebs/volume:Volume::new",
          newState: {
            urn: "urn:pulumi:dev::p::aws:ebs/volume:Volume::new",
            type: VOLUME,
            inputs: { encrypted: true, kmsKeyId: UNKNOWN_VALUE },
            outputs: {},
          },
        },
        {
          op: "delete",
          urn: "urn:pulumi:dev::p::aws:ebs/volume:Volume::old",
          oldState: { urn: "urn:pulumi:dev::p::aws:ebs/volume:Volume::old", type: VOLUME, inputs: {} },
        },
      ],
    });
    assert.strictEqual(format, "preview");
    assert.deepStrictEqual(
      stacks[0].resources.map((r) => r.name),
      ["new"],
    );
    assert.deepStrictEqual(
      evaluateStack(stacks[0], { policies }).filter((v) => v.policy === "ebs-volume-encryption-at-rest"),
      [],
    );
  });
});

describe("npm run policy", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-"));
  const write = (name: string, content: unknown) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
    return file;
  };
  const plan = (inputs: Record<string, unknown>) => ({
    stacks: [
      {
        stack: "primary",
        config: { "aws:region": PRIMARY },
        resources: [
          {
            urn: "urn:pulumi:primary::p::aws:sqs/queue:Queue::q",
            type: "aws:sqs/queue:Queue",
            inputs,
            outputs: inputs,
            provider: null,
          },
        ],
      },
    ],
  });
  const run = (args: string[]) => {
    const out: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    const writeErr = process.stderr.write.bind(process.stderr);
    process.stdout.write = ((chunk: string) => (out.push(chunk), true)) as typeof process.stdout.write;
    process.stderr.write = ((chunk: string) => (out.push(chunk), true)) as typeof process.stderr.write;
    try {
      return { code: main(args), output: out.join("") };
    } finally {
      process.stdout.write = write;
      process.stderr.write = writeErr;
    }
  };

  it("exits 0 when no mandatory violation exists", () =>
    assert.strictEqual(run([write("ok.json", plan({ kmsMasterKeyId: key(PRIMARY) }))]).code, 0));

  it("exits 1 and prints violations grouped by resource, each as the CLI shows it (description, then message)", () => {
    const { code, output } = run([write("bad.json", plan({ sqsManagedSseEnabled: false }))]);
    assert.strictEqual(code, 1);
    assert.ok(
      output.includes(
        "  urn:pulumi:primary::p::aws:sqs/queue:Queue::q\n" +
          "    [mandatory] sqs-queue-encryption-at-rest\n" +
          "      Requires every SQS queue to be encrypted at rest, with a customer-managed KMS key in its own Region where the service supports one.\n" +
          "      SQS queue is not encrypted at rest: expected kmsMasterKeyId",
      ),
      output,
    );
    assert.match(output, /Verdict: FAIL \(1 mandatory violation\(s\)\)/);
  });

  it("exits 2 with a clear message on unreadable input", () => {
    assert.deepStrictEqual(run([path.join(dir, "missing.json")]).code, 2);
    const notJson = run([write("text.json", "not json")]);
    assert.strictEqual(notJson.code, 2);
    assert.match(notJson.output, /is not valid JSON/);
    const unknownShape = run([write("shape.json", { hello: 1 })]);
    assert.strictEqual(unknownShape.code, 2);
    assert.match(unknownShape.output, /expected the JSON of `npm run plan -- --json`/);
  });

  it("applies a policy config file", () =>
    assert.strictEqual(
      run([
        write("bad2.json", plan({ sqsManagedSseEnabled: false })),
        "--config",
        write("cfg.json", { "sqs-queue-encryption-at-rest": "advisory" }),
      ]).code,
      0,
    ));
});

describe("this project's stacks", function () {
  this.timeout(120000);
  for (const [stack, overrides] of [
    ["primary", []],
    ["dr", []],
    ["dr", ["payments-dr:mode=active"]],
  ] as [string, string[]][]) {
    it(`pass every mandatory rule: ${stack}${overrides.length ? ` (${overrides.join(" ")})` : ""}`, async () => {
      const rendered = await renderTestStack(stack, overrides);
      const mandatory = planStackViolations(rendered).filter((v) => v.enforcementLevel === "mandatory");
      assert.deepStrictEqual(
        mandatory.map((v) => `${v.policy} ${v.urn}: ${v.message}`),
        [],
      );
    });
  }
});

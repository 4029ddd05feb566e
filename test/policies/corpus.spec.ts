/**
 * Every mutant of the corpus is blocked as mandatory, with exactly the violation it must produce,
 * in the three shapes the pack sees: the offline plan, a stack export and a `pulumi preview --json`.
 */
import * as assert from "assert";
import { policies } from "../../policies/policies";
import { EngineResource, evaluateStack } from "../../tools/policyEngine";
import { readPolicyInput } from "../../tools/policyInput";
import { PRIMARY } from "./fixtures";
import { COMPLIANT } from "./corpus/compliant";
import { CORPUS } from "./corpus/stores";

const PROVIDER = "urn:pulumi:test::payments-dr::pulumi:providers:aws::default";

function state(r: EngineResource, provider: string | null, read: readonly string[] = []) {
  return {
    ...(read.includes(r.urn) ? { external: true } : {}),
    urn: r.urn,
    type: r.type,
    inputs: r.inputs,
    outputs: r.outputs,
    provider,
    dependencies: r.dependencies,
    propertyDependencies: r.propertyDependencies ?? {},
  };
}

const providerState = {
  urn: PROVIDER,
  type: "pulumi:providers:aws",
  inputs: { region: PRIMARY },
  outputs: {},
};

/** The same resources in each input format. */
const SHAPES: Record<string, (resources: EngineResource[], read?: readonly string[]) => unknown> = {
  plan: (resources) => ({
    stacks: [
      { stack: "test", config: { "aws:region": PRIMARY }, resources: resources.map((r) => state(r, null)) },
    ],
  }),
  "stack export": (resources, read) => ({
    version: 3,
    deployment: {
      resources: [{ ...providerState, id: "p1" }, ...resources.map((r) => state(r, `${PROVIDER}::p1`, read))],
    },
  }),
  preview: (resources, read = []) => ({
    steps: [providerState, ...resources.map((r) => state(r, PROVIDER))].map((newState) => ({
      op: read.includes(newState.urn) ? "read" : "create",
      urn: newState.urn,
      newState,
    })),
  }),
};

describe("the mutation corpus", () => {
  it("holds at least 60 distinct adversarial stores", () => {
    assert.ok(CORPUS.length >= 60, `only ${CORPUS.length}`);
    assert.strictEqual(new Set(CORPUS.map((m) => m.name)).size, CORPUS.length);
  });

  for (const [shape, toDocument] of Object.entries(SHAPES)) {
    describe(`as a ${shape}`, () => {
      for (const mutant of CORPUS) {
        it(`blocks ${mutant.name}`, () => {
          const { stacks } = readPolicyInput(JSON.parse(JSON.stringify(toDocument(mutant.resources))));
          const found = stacks
            .flatMap((s) => evaluateStack(s, { policies }))
            .filter((v) => v.policy === mutant.policy);
          assert.deepStrictEqual(
            found.map((v) => [v.enforcementLevel, v.urn]),
            [mutant.urn, ...(mutant.alsoReported ?? [])].map((urn) => [mutant.level ?? "mandatory", urn]),
            JSON.stringify(found, null, 1),
          );
          assert.ok(found[0].message.includes(mutant.fragment), found[0].message);
        });
      }
    });
  }

  // The plan renders a program's own resources only: a read has no shape there.
  for (const [shape, toDocument] of Object.entries(SHAPES)) {
    describe(`compliant variants as a ${shape}`, () => {
      for (const variant of COMPLIANT.filter((v) => !(shape === "plan" && v.read))) {
        it(`passes ${variant.name}`, () => {
          const document = JSON.parse(JSON.stringify(toDocument(variant.resources, variant.read)));
          const { stacks } = readPolicyInput(document);
          const mandatory = stacks
            .flatMap((s) => evaluateStack(s, { policies }))
            .filter((v) => v.enforcementLevel === "mandatory");
          assert.deepStrictEqual(mandatory, []);
        });
      }
    });
  }

  it("blocks the Bucket.get bucket when the program manages it instead of reading it", () => {
    const variant = COMPLIANT.find((v) => v.read)!;
    const { stacks } = readPolicyInput(JSON.parse(JSON.stringify(SHAPES["stack export"](variant.resources))));
    const blocked = stacks
      .flatMap((s) => evaluateStack(s, { policies }))
      .filter((v) => v.enforcementLevel === "mandatory")
      .map((v) => [v.policy, v.urn]);
    assert.deepStrictEqual(blocked, [
      ["s3-bucket-encryption-at-rest", variant.read![0]],
      ["s3-bucket-tls-only", variant.read![0]],
      ["aws-datastore-cross-region-copy", variant.read![0]],
    ]);
  });

  it("reports the same messages whatever order the stack lists its resources in (lists inside are sorted)", () => {
    const messages = (resources: EngineResource[]) =>
      evaluateStack({ stack: "test", resources }, { policies })
        .map((v) => `${v.policy} ${v.urn}: ${v.message}`)
        .sort();
    for (const { name, resources } of [...CORPUS, ...COMPLIANT])
      assert.deepStrictEqual(messages([...resources].reverse()), messages([...resources]), name);
  });
});

/**
 * Every mutant of the corpus is blocked as mandatory, with exactly the violation it must produce,
 * in the three shapes the pack sees: the offline plan, a stack export and a `pulumi preview --json`.
 */
import * as assert from "assert";
import { policies } from "../../policies/policies";
import { EngineResource, evaluateStack } from "../../tools/policyEngine";
import { readPolicyInput } from "../../tools/policyInput";
import { PRIMARY } from "./fixtures";
import { CORPUS } from "./corpus/stores";

const PROVIDER = "urn:pulumi:test::payments-dr::pulumi:providers:aws::default";

function state(r: EngineResource, provider: string | null) {
  return {
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
const SHAPES: Record<string, (resources: EngineResource[]) => unknown> = {
  plan: (resources) => ({
    stacks: [
      { stack: "test", config: { "aws:region": PRIMARY }, resources: resources.map((r) => state(r, null)) },
    ],
  }),
  "stack export": (resources) => ({
    version: 3,
    deployment: {
      resources: [{ ...providerState, id: "p1" }, ...resources.map((r) => state(r, `${PROVIDER}::p1`))],
    },
  }),
  preview: (resources) => ({
    steps: [providerState, ...resources.map((r) => state(r, PROVIDER))].map((newState) => ({
      op: "create",
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
            [mutant.urn, ...(mutant.alsoReported ?? [])].map((urn) => ["mandatory", urn]),
            JSON.stringify(found, null, 1),
          );
          assert.ok(found[0].message.includes(mutant.fragment), found[0].message);
        });
      }
    });
  }
});

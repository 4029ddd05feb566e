import * as assert from "assert";
import {
  DR_PREVIEW_INVOKES,
  INVOKE_IAM_ACTIONS,
  previewReadActions,
} from "../../../components/failover/previewReads";
import { invokeHandlers } from "../../../tools/render/invokes";
import { renderProject } from "../../../tools/render/project";
import { RenderedStack } from "../../../tools/render/render";
import { find } from "../../helpers/stacks";

const AUTOMATIC = ["payments-dr:failover.mode=automatic"];

interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: string | string[];
  readonly Condition?: unknown;
}

/** Renders dr with overrides and returns it with every provider function its program called. */
async function renderDr(overrides: string[]): Promise<{ dr: RenderedStack; tokens: Set<string> }> {
  const tokens = new Set<string>();
  const [dr] = await renderProject({
    stacks: ["dr"],
    overrides,
    onInvoke: (stack, token) => {
      if (stack === "dr") tokens.add(token);
    },
  });
  return { dr, tokens };
}

/** An unconditional Allow on every resource: what a read of any resource the preview looks up needs. */
function grantsEverywhere(statements: Statement[], action: string): boolean {
  return statements.some(
    (s) =>
      s.Effect === "Allow" &&
      s.Condition === undefined &&
      ([] as string[]).concat(s.Resource).includes("*") &&
      ([] as string[]).concat(s.Action).includes(action),
  );
}

describe("failover runner preview reads", function () {
  this.timeout(300_000);
  const variants: Record<string, string[]> = {
    "standby, manual": [],
    "standby, automatic": AUTOMATIC,
    "active, automatic": [...AUTOMATIC, "payments-dr:mode=active"],
  };
  const rendered = new Map<string, Promise<{ dr: RenderedStack; tokens: Set<string> }>>();
  const rendering = (variant: string) => {
    if (!rendered.has(variant)) rendered.set(variant, renderDr(variants[variant]));
    return rendered.get(variant) as Promise<{ dr: RenderedStack; tokens: Set<string> }>;
  };

  for (const variant of Object.keys(variants)) {
    it(`pins the provider functions the dr program calls (${variant})`, async () => {
      const { tokens } = await rendering(variant);
      assert.deepStrictEqual(
        [...tokens].sort(),
        [...DR_PREVIEW_INVOKES].sort(),
        "the dr program's invokes changed: update DR_PREVIEW_INVOKES (and INVOKE_IAM_ACTIONS) in components/failover/previewReads.ts",
      );
    });
  }

  it("grants the runner every IAM action each invoke of the dr preview calls, unconditionally", async () => {
    const { dr, tokens } = await rendering("standby, automatic");
    const policy = JSON.parse(
      String(find(dr, "aws:iam/rolePolicy:RolePolicy", "failover-trigger-runner-policy").inputs.policy),
    ) as { Statement: Statement[] };
    const needed = previewReadActions(tokens);
    assert.deepStrictEqual(needed, [
      "route53:GetHostedZone",
      "route53:ListHostedZones",
      "route53:ListTagsForResource",
      "sts:GetCallerIdentity",
    ]);
    const missing = needed.filter((action) => !grantsEverywhere(policy.Statement, action));
    assert.deepStrictEqual(missing, [], `runner policy lacks ${missing.join(", ")}`);
  });

  it("knows the IAM actions of every provider function the renderer can answer", () => {
    assert.deepStrictEqual(Object.keys(INVOKE_IAM_ACTIONS).sort(), Object.keys(invokeHandlers).sort());
  });

  it("refuses a provider function it has no IAM mapping for, naming the table to extend", () => {
    assert.throws(() => previewReadActions(["aws:ec2/getVpc:getVpc"]), {
      message:
        "No IAM actions known for provider function aws:ec2/getVpc:getVpc: add what its data source calls to " +
        "INVOKE_IAM_ACTIONS in components/failover/previewReads.ts, so the failover runner may preview the dr stack.",
    });
  });

  it("maps the hosted-zone lookup to the three Route 53 calls the provider makes", () => {
    assert.deepStrictEqual(previewReadActions(["aws:route53/getZone:getZone"]), [
      "route53:GetHostedZone",
      "route53:ListHostedZones",
      "route53:ListTagsForResource",
      "sts:GetCallerIdentity",
    ]);
  });
});

/**
 * The offline runner takes a policy config as the CLI does: `all` sets every policy's level, and an
 * invalid file (unknown level, a setting outside the policy's configSchema) is refused, every
 * problem listed in sorted order.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { policies } from "../../policies/policies";
import { evaluateStack } from "../../tools/policyEngine";
import { validatePackConfig } from "../../tools/policyConfig";
import { resource } from "../policies/fixtures";

describe("policy config (CLI parity)", () => {
  it("applies `all` to every policy, a policy's own entry winning", () => {
    const stack = {
      stack: "t",
      resources: [resource("aws:sqs/queue:Queue", "q", { sqsManagedSseEnabled: false })],
    };
    const levels = (config: Record<string, unknown>) =>
      evaluateStack(stack, { policies, config: validatePackConfig(config, policies) }).map(
        (v) => `${v.policy}:${v.enforcementLevel}`,
      );
    assert.deepStrictEqual(levels({ all: "advisory" }), ["sqs-queue-encryption-at-rest:advisory"]);
    assert.deepStrictEqual(levels({ all: "disabled", "sqs-queue-encryption-at-rest": "mandatory" }), [
      "sqs-queue-encryption-at-rest:mandatory",
    ]);
  });

  it("refuses an invalid level or setting, listing every problem sorted", () =>
    assert.throws(
      () =>
        validatePackConfig(
          {
            "backup-plan-min-retention": { minRetentionDays: 0 },
            all: "strict",
            "aws-datastore-cross-region-copy": { ignoredTypes: ["not a type"], snapshotBucketTagKey: "" },
          },
          policies,
        ),
      {
        message:
          "Invalid policy config:\n" +
          '  all: enforcementLevel "strict" is not one of advisory, mandatory, remediate, disabled\n' +
          '  aws-datastore-cross-region-copy.ignoredTypes[0]: "not a type" does not match ^[a-z0-9-]+:[a-zA-Z0-9/]+:[A-Za-z0-9]+$\n' +
          '  aws-datastore-cross-region-copy.snapshotBucketTagKey: expected at least 1 character(s), found ""\n' +
          "  backup-plan-min-retention.minRetentionDays: expected at least 1, found 0",
      },
    ));

  it("accepts the repository's example config", () => {
    const example = JSON.parse(
      fs.readFileSync(path.resolve(__dirname, "../../policies/policy-config.example.json"), "utf8"),
    ) as unknown;
    assert.strictEqual(validatePackConfig(example, policies), example);
  });
});

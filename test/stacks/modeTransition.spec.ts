import * as assert from "assert";
import { checkModeTransition, ConfigError, parseStackConfig } from "../../stacks/config";
import { renderStack } from "../../tools/render/render";
import { applyOverrides, readStackConfig } from "../../tools/render/stackFiles";
import { renderTestStack } from "../helpers/stacks";

const dr = (overrides: string[] = []) => applyOverrides(readStackConfig("dr"), overrides, "payments-dr");

describe("a failed-over dr stack is not put back in standby by accident", () => {
  it("refuses standby after a deployment that ran active, naming the fix", () => {
    const config = parseStackConfig(dr(), "dr");
    assert.throws(
      () => checkModeTransition(config, "active"),
      (e: unknown) =>
        e instanceof ConfigError &&
        e.key === "payments-dr:mode" &&
        e.message ===
          'Invalid config payments-dr:mode = "standby": the dr stack was failed over (its last deployment ran with ' +
            "mode active, its database promoted). Rendering standby would scale the node group down and try to make " +
            "the promoted database a read replica again. Fix: pulumi config set payments-dr:mode active --stack dr and " +
            "commit Pulumi.dr.yaml; to return to standby deliberately, follow the failback runbook and set " +
            "payments-dr:confirmReturnToStandby true.",
    );
  });

  it("allows standby on a first deployment, after standby, when active, on primary, or when confirmed", () => {
    const standby = parseStackConfig(dr(), "dr");
    assert.doesNotThrow(() => checkModeTransition(standby, undefined));
    assert.doesNotThrow(() => checkModeTransition(standby, "standby"));
    assert.doesNotThrow(() =>
      checkModeTransition(parseStackConfig(dr(["payments-dr:mode=active"]), "dr"), "active"),
    );
    assert.doesNotThrow(() =>
      checkModeTransition(parseStackConfig(readStackConfig("primary"), "primary"), "active"),
    );
    // Confirmed, and with a new database generation (test/stacks/generation.spec.ts).
    const confirmed = parseStackConfig(
      dr(["payments-dr:confirmReturnToStandby=true", "payments-dr:generation.database=1"]),
      "dr",
    );
    assert.doesNotThrow(() => checkModeTransition(confirmed, "active"));
  });

  it("fails the dr rendering itself when the stack's own last outputs say active", async () => {
    const primary = await renderTestStack("primary");
    const render = (previousMode: string) =>
      renderStack({
        project: "payments-dr",
        stack: "dr",
        config: dr(),
        stackReferences: { "organization/payments-dr/primary": primary.outputs },
        previousOutputs: { mode: previousMode },
      });
    await assert.rejects(
      render("active"),
      /the dr stack was failed over \(its last deployment ran with mode active/,
    );
    const fine = await render("standby");
    assert.strictEqual(fine.outputs.mode, "standby");
  });
});

import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { renderStack, withoutStackHint } from "../../tools/render/render";
import { applyOverrides, readStackConfig } from "../../tools/render/stackFiles";

/** A dr render that fails at its first line: the config check. */
const failingRender = () =>
  renderStack({
    project: "payments-dr",
    stack: "dr",
    config: applyOverrides(readStackConfig("dr"), ["mode=bogus"], "payments-dr"),
    stackReferences: {},
  });

const MESSAGE =
  'Invalid config payments-dr:mode = "bogus": expected one of active, standby. Fix: pulumi config set payments-dr:mode active';

describe("renders capture no stack traces (tools/render/render.ts)", () => {
  const saved = process.env.PAYMENTS_DR_RENDER_STACKS;
  afterEach(() => {
    if (saved === undefined) delete process.env.PAYMENTS_DR_RENDER_STACKS;
    else process.env.PAYMENTS_DR_RENDER_STACKS = saved;
  });

  it("reports an escaping error's message, with a hint for the location, and restores the stack settings", async () => {
    delete process.env.PAYMENTS_DR_RENDER_STACKS;
    const limit = Error.stackTraceLimit;
    const prepare = Error.prepareStackTrace;
    const statics = pulumi.Resource as unknown as { stackTrace: unknown };
    const resourceStackTrace = statics.stackTrace;
    const error = await failingRender().then(
      () => assert.fail("the render should fail"),
      (e: unknown) => e as Error,
    );
    assert.strictEqual(error.message, MESSAGE);
    assert.strictEqual(
      error.stack,
      `Error: ${MESSAGE}\n` +
        "    (stack traces are off while rendering; rerun with PAYMENTS_DR_RENDER_STACKS=1 for the location)",
    );
    assert.strictEqual(Error.stackTraceLimit, limit);
    assert.strictEqual(Error.prepareStackTrace, prepare);
    assert.strictEqual(statics.stackTrace, resourceStackTrace);
  });

  it("keeps full stacks naming the .ts source with PAYMENTS_DR_RENDER_STACKS=1", async () => {
    process.env.PAYMENTS_DR_RENDER_STACKS = "1";
    const error = await failingRender().then(
      () => assert.fail("the render should fail"),
      (e: unknown) => e as Error,
    );
    assert.strictEqual(error.message, MESSAGE);
    assert.match(error.stack ?? "", /\n {4}at loadStackConfig \(.*stacks\/runtimeConfig\.ts:\d+:\d+\)/);
  });

  it("leaves an error that has frames, and anything not an Error, as it is", () => {
    const framed = new Error("boom");
    const stack = framed.stack;
    assert.strictEqual(withoutStackHint(framed), framed);
    assert.strictEqual(framed.stack, stack);
    assert.strictEqual(withoutStackHint("text"), "text");
  });
});

import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { checkSdkMembers, plainStackTrace, trimRuntimeForRender } from "../../tools/render/runtimeTrims";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const debuggable = require("@pulumi/pulumi/runtime/debuggable") as { debuggablePromise: unknown };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const resourceProto = require("@pulumi/pulumi/proto/resource_pb") as {
  RegisterResourceResponse: new () => { setUrn(urn: string): void; toString(): string };
};
const statics = pulumi.Resource as unknown as { stackTrace: unknown };

const URN = "urn:pulumi:primary::payments-dr::aws:s3/bucket:Bucket::logs";

function response(): { toString(): string } {
  const message = new resourceProto.RegisterResourceResponse();
  message.setUrn(URN);
  return message;
}

describe("render-time SDK trims (tools/render/runtimeTrims.ts)", () => {
  it("returns promises untracked, labels responses by URN and captures no stacks while applied", async () => {
    const restore = trimRuntimeForRender(false);
    try {
      const promise = Promise.resolve(7);
      const track = debuggable.debuggablePromise as (p: Promise<number>, ctx: string) => Promise<number>;
      assert.strictEqual(track(promise, "ctx"), promise);
      assert.strictEqual(String(response()), `RegisterResourceResponse(${URN})`);
      assert.strictEqual(Error.stackTraceLimit, 0);
      assert.strictEqual(Error.prepareStackTrace, plainStackTrace);
      assert.deepStrictEqual((statics.stackTrace as () => unknown[])(), []);
    } finally {
      restore();
    }
  });

  it("keeps stack traces when full stacks are asked for, trimming the rest", () => {
    const limit = Error.stackTraceLimit;
    const stackTrace = statics.stackTrace;
    const restore = trimRuntimeForRender(true);
    try {
      assert.strictEqual(Error.stackTraceLimit, limit);
      assert.strictEqual(statics.stackTrace, stackTrace);
      assert.strictEqual(String(response()), `RegisterResourceResponse(${URN})`);
    } finally {
      restore();
    }
  });

  it("restores every patched member exactly, deleting the ones that were absent", () => {
    const before = {
      debuggablePromise: debuggable.debuggablePromise,
      stackTrace: statics.stackTrace,
      limit: Error.stackTraceLimit,
      prepareOwn: Object.prototype.hasOwnProperty.call(Error, "prepareStackTrace"),
      prepare: Error.prepareStackTrace,
    };
    trimRuntimeForRender(false)();
    assert.strictEqual(debuggable.debuggablePromise, before.debuggablePromise);
    assert.strictEqual(statics.stackTrace, before.stackTrace);
    assert.strictEqual(Error.stackTraceLimit, before.limit);
    assert.strictEqual(Object.prototype.hasOwnProperty.call(Error, "prepareStackTrace"), before.prepareOwn);
    assert.strictEqual(Error.prepareStackTrace, before.prepare);
    assert.ok(
      !Object.prototype.hasOwnProperty.call(resourceProto.RegisterResourceResponse.prototype, "toString"),
    );
    assert.strictEqual(String(response()), `${URN},,,,`); // google-protobuf's own array form
  });

  it("finds every SDK member it patches in the pinned @pulumi/pulumi", () => {
    assert.doesNotThrow(() => checkSdkMembers());
  });

  it("names each SDK member that moved, so an upgrade fails loudly instead of slowing every plan", () => {
    const moved = { debuggablePromise: undefined } as Record<string, unknown>;
    assert.throws(
      () =>
        checkSdkMembers([
          ["runtime/debuggable.debuggablePromise", moved, "debuggablePromise"],
          ["Resource.stackTrace", { stackTrace: () => [] }, "stackTrace"],
          ["proto/resource_pb.RegisterResourceResponse#getUrn", {}, "getUrn"],
        ]),
      {
        message:
          "@pulumi/pulumi no longer has runtime/debuggable.debuggablePromise, " +
          "proto/resource_pb.RegisterResourceResponse#getUrn, which tools/render/runtimeTrims.ts patches while " +
          "rendering: update the trims for this SDK version.",
      },
    );
  });
});

import * as assert from "assert";
import { createHash } from "crypto";
import * as pulumi from "@pulumi/pulumi";
import { sanitize, SIG_KEY } from "../../tools/render/sanitize";

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

describe("asset text in a rendering (tools/render/sanitize.ts)", () => {
  it("replaces a small asset's text by its sha256 and UTF-8 byte length", async () => {
    const text = "exports.handler = () => 'é';";
    assert.deepStrictEqual(await sanitize(new pulumi.asset.StringAsset(text)), {
      [SIG_KEY]: "c44067f5952c0a294b673a41bacd8c17",
      hash: sha256(text),
      textBytes: text.length + 1, // "é" is two bytes
    });
  });

  it("gives a bundle-sized text the same digest each time it is seen, in archives too", async () => {
    const text = `/* ${"ü".repeat(40_000)} */ ${"x".repeat(60_000)}`;
    const expected = {
      [SIG_KEY]: "c44067f5952c0a294b673a41bacd8c17",
      hash: sha256(text),
      textBytes: 140_000 + 7,
    };
    const archive = new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.StringAsset(text) });
    for (let i = 0; i < 2; i++) {
      assert.deepStrictEqual(await sanitize(archive), {
        [SIG_KEY]: "0def7320c3a5731c473e5ecbe6d01bc7",
        assets: { "index.js": expected },
      });
    }
    const changed = `${text.slice(0, -1)}y`;
    assert.strictEqual(
      ((await sanitize(new pulumi.asset.StringAsset(changed))) as { hash: string }).hash,
      sha256(changed),
    );
  });
});

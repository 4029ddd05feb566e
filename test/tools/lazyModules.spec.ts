import * as assert from "assert";
import { runNodeScript } from "../helpers/nodeScript";

/** Imports zod and npm's normalizer as the SDK and our config do, uses them, and reports. */
const SCRIPT = `
const loaded = (file) => Object.keys(require.cache).some((k) => k.endsWith(file));
// Modules only the real ones load (the cache also holds the loader's stand-ins under their names).
const LOCALES = "zod/v4/locales/fr.cjs", NORMALIZE = "normalize-package-data/lib/fixer.js";
const { z } = require("zod");
const normalizeModule = require("normalize-package-data");
const normalize = normalizeModule && normalizeModule.__esModule ? normalizeModule.default : normalizeModule;
const report = { localesAtImport: loaded(LOCALES), normalizeAtImport: loaded(NORMALIZE) };
const parsed = z.object({ replicas: z.number().int().min(1) }).safeParse({ replicas: 0 });
report.message = parsed.error.issues[0].message;
report.localesAfterParse = loaded(LOCALES);
const data = { name: "payments-dr", version: "0.1.0", dependencies: { pg: "8.23.1" } };
normalize(data);
report.normalized = { id: data._id, readme: data.readme };
report.frenchLocale = typeof z.locales.fr;
report.localesAfterRead = loaded(LOCALES);
console.log(JSON.stringify(report));
`;

function run(loader: boolean): Record<string, unknown> {
  return runNodeScript<Record<string, unknown>>(SCRIPT, { loader });
}

describe("zod's locale table and npm's package normalizer load on first use (tools/runtime/register.js)", function () {
  this.timeout(60_000);

  it("loads neither on import, and each behaves exactly as in plain Node once used", () => {
    const expected = {
      message: "Too small: expected number to be >=1",
      normalized: { id: "payments-dr@0.1.0", readme: "ERROR: No README data found!" },
      frenchLocale: "function",
      localesAfterRead: true,
    };
    const loaded = (value: boolean) => ({
      localesAtImport: value,
      normalizeAtImport: value,
      localesAfterParse: value,
    });
    assert.deepStrictEqual(run(true), { ...loaded(false), ...expected });
    assert.deepStrictEqual(run(false), { ...loaded(true), ...expected });
  });
});

/**
 * Turns runtime values into JSON the way a stack export (or, for unknowns, a preview) shows them.
 */
import * as pulumi from "@pulumi/pulumi";
import { textDigest } from "../../components/lambda/lambdaBundle";

/** The engine's sentinel for a value unknown until apply, as `pulumi preview --json` prints it. */
export const UNKNOWN_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

const ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17";
const ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7";
export const SIG_KEY = "4dabf18193072939515e22adb298388d";

/**
 * Assets and archives keep Pulumi's signature key, resources become their URN, and a value unknown
 * during preview (the runtime's `unknown`) becomes the engine's sentinel. Asset text is replaced by
 * its size and hash so a bundled function does not flood the plan.
 */
export async function sanitize(value: unknown): Promise<unknown> {
  if (value === null || value === undefined) return value;
  if (pulumi.isUnknown(value)) return UNKNOWN_SENTINEL;
  if (pulumi.asset.Asset.isInstance(value)) {
    const asset = value as unknown as {
      path?: Promise<string>;
      uri?: Promise<string>;
      text?: Promise<string>;
    };
    const [assetPath, uri, text] = await Promise.all([asset.path, asset.uri, asset.text]);
    return {
      [SIG_KEY]: ASSET_SIG,
      ...(assetPath ? { path: assetPath } : {}),
      ...(uri ? { uri } : {}),
      ...(text !== undefined ? textDigest(text) : {}),
    };
  }
  if (pulumi.asset.Archive.isInstance(value)) {
    const archive = value as unknown as { path?: Promise<string>; assets?: Promise<Record<string, unknown>> };
    const [archivePath, assets] = await Promise.all([archive.path, archive.assets]);
    return {
      [SIG_KEY]: ARCHIVE_SIG,
      ...(archivePath ? { path: archivePath } : {}),
      ...(assets ? { assets: await sanitize(assets) } : {}),
    };
  }
  if (pulumi.Resource.isInstance(value)) return urnOfResource(value);
  if (Array.isArray(value)) return Promise.all((value as unknown[]).map(sanitize));
  if (typeof value === "object") {
    const result: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v !== undefined) result[k] = await sanitize(v);
    }
    return result;
  }
  return value;
}

function urnOfResource(resource: pulumi.Resource): Promise<string> {
  return new Promise((resolve) => resource.urn.apply((urn) => resolve(urn)));
}

import { createHash } from "crypto";
import * as path from "path";
import { buildSync, version } from "esbuild";
import * as pulumi from "@pulumi/pulumi";
import { DEFAULT_DATABASE_USER, DEFAULT_HEALTH_CHECK_PATH, ENV } from "../../app/config";
import { PAYMENTS_ACCEPTED_METRIC, PAYMENTS_CONTAINER_PORT } from "../../model/workload";
import {
  BUNDLE_CACHE_DIR,
  BUNDLE_TARGET,
  FUNCTIONS_DIR,
  readCachedBundle,
  textDigest,
  writeCachedBundle,
} from "../lambda/lambdaBundle";

/** The reference service's entry point; the bundle cache records its inputs relative to FUNCTIONS_DIR. */
const ENTRY = path.resolve(__dirname, "../../app/server.ts");

/** The ConfigMap's key, i.e. the file the container runs: `node /app/<fileName>`. */
export const REFERENCE_SERVICE_FILE = "payments-service.js";

/**
 * A ConfigMap holds at most 1 MiB (etcd's object limit); the bundle must stay under it with room
 * for the object's metadata.
 */
export const CONFIGMAP_MAX_BYTES = 1024 * 1024;

const BUILD_OPTIONS = {
  bundle: true,
  platform: "node",
  target: BUNDLE_TARGET,
  format: "cjs",
  write: false,
  // Whitespace and syntax only: names stay readable in stack traces; ~580 KB instead of ~790 KB.
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: false,
  legalComments: "none",
  logLevel: "silent",
  // pg loads its native binding only when asked for `pg.native`, which the service never does.
  external: ["pg-native"] as string[],
  absWorkingDir: FUNCTIONS_DIR,
} as const;

// The cache entry's name carries the options, which the shared cache key (the Lambda options) does not.
const CACHE_NAME = `reference-service-${createHash("sha256").update(JSON.stringify({ version, BUILD_OPTIONS })).digest("hex").slice(0, 12)}`;

let bundled: { fileName: string; contents: string; sha256: string } | undefined;

/**
 * The reference payments service (app/) bundled by esbuild into one CommonJS file that runs on
 * plain `node` (Node 24) with no node_modules: built once per process, reused across runs while
 * its inputs are unchanged (the Lambda bundles' cache). `sha256` changes exactly when the code
 * does: the Deployment's pod template carries it, so new code rolls the pods.
 */
export function referenceServiceBundle(): { fileName: string; contents: string; sha256: string } {
  if (bundled !== undefined) return bundled;
  let text = readCachedBundle(BUNDLE_CACHE_DIR, CACHE_NAME);
  if (text === undefined) {
    const result = buildSync({ ...BUILD_OPTIONS, entryPoints: [ENTRY], metafile: true });
    if (result.errors.length > 0) {
      throw new Error(`Bundling ${ENTRY} failed: ${result.errors.map((e) => e.text).join("; ")}`);
    }
    text = result.outputFiles[0].text;
    writeCachedBundle(BUNDLE_CACHE_DIR, CACHE_NAME, Object.keys(result.metafile.inputs), text);
  }
  // Recorded by the bundle cache when it read or wrote the bundle: not hashed again.
  const { hash, textBytes: bytes } = textDigest(text);
  if (bytes >= CONFIGMAP_MAX_BYTES) {
    throw new Error(
      `The reference service bundle is ${bytes} bytes; a ConfigMap holds less than ${CONFIGMAP_MAX_BYTES}. ` +
        "Fix: drop the dependency that grew it (esbuild --metafile shows which), or build an image instead.",
    );
  }
  bundled = {
    fileName: REFERENCE_SERVICE_FILE,
    contents: text,
    sha256: hash,
  };
  return bundled;
}

export interface ReferenceServiceEnvironmentArgs {
  /** The Region the service runs in (the cluster's); every dependency below is in it. */
  readonly region: string;
  readonly databaseHost: pulumi.Input<string>;
  /** @default 5432 */
  readonly databasePort?: pulumi.Input<number>;
  readonly databaseName: pulumi.Input<string>;
  /** The PostgreSQL role granted `rds_iam`. @default "payments_app" */
  readonly databaseUser?: string;
  /** The replication group's primary endpoint address. */
  readonly cacheHost: pulumi.Input<string>;
  /** @default 6379 */
  readonly cachePort?: pulumi.Input<number>;
  readonly cacheReplicationGroupId: pulumi.Input<string>;
  /** The IAM-authenticated RBAC user id (components/data/cache: `payments-app`). */
  readonly cacheUser: pulumi.Input<string>;
  /** This Region's ingest topic. */
  readonly topicArn: pulumi.Input<string>;
  /** This Region's landing bucket. */
  readonly landingBucket: pulumi.Input<string>;
  /**
   * Regions PaymentsAccepted is put to, beginning with `region`. The primary's service also puts
   * it to the dr Region, where the anomaly alarm watches it (alarms read only their own Region).
   *
   * @default [region]
   */
  readonly metricRegions?: readonly string[];
  /** @default "/healthz" */
  readonly healthCheckPath?: string;
}

/** The environment variables app/config.ts reads, built from the stack's own Region's outputs. */
export function referenceServiceEnvironment(
  args: ReferenceServiceEnvironmentArgs,
): Record<string, pulumi.Input<string>> {
  const metricRegions = args.metricRegions ?? [args.region];
  if (metricRegions[0] !== args.region || new Set(metricRegions).size !== metricRegions.length) {
    throw new Error(
      `Invalid metricRegions ${JSON.stringify(metricRegions)}: expected distinct Regions beginning with the service's own Region ${args.region}`,
    );
  }
  const text = (value: pulumi.Input<number>) => pulumi.output(value).apply(String);
  return {
    [ENV.region]: args.region,
    [ENV.port]: String(PAYMENTS_CONTAINER_PORT),
    [ENV.healthCheckPath]: args.healthCheckPath ?? DEFAULT_HEALTH_CHECK_PATH,
    [ENV.databaseHost]: args.databaseHost,
    [ENV.databasePort]: text(args.databasePort ?? 5432),
    [ENV.databaseName]: args.databaseName,
    [ENV.databaseUser]: args.databaseUser ?? DEFAULT_DATABASE_USER,
    [ENV.cacheHost]: args.cacheHost,
    [ENV.cachePort]: text(args.cachePort ?? 6379),
    [ENV.cacheReplicationGroupId]: args.cacheReplicationGroupId,
    [ENV.cacheUser]: args.cacheUser,
    [ENV.topicArn]: args.topicArn,
    [ENV.landingBucket]: args.landingBucket,
    [ENV.metricNamespace]: PAYMENTS_ACCEPTED_METRIC.namespace,
    [ENV.metricRegions]: metricRegions.join(","),
  };
}

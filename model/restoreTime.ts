/**
 * Restore times per store: the MODELLED time to restore a store from its backup (FIGURES) and,
 * when the operator passes them, the MEASURED times of real restores. The measurements come from
 * the CloudWatch metric the restore-validation function emits for every restore test; the
 * `restore-times` command (automation/restore/) turns that metric into the JSON file read here.
 */
import { Figure, FIGURES } from "./figures";
import { RenderedResource } from "./rendered";

/** The metric each validated restore emits: one datapoint per restore job, in seconds. */
export const RESTORE_DURATION_METRIC = {
  namespace: "PaymentsDr/Restore",
  name: "RestoreDurationSeconds",
  /** `ResourceType`: AWS Backup's type (RDS, S3, DynamoDB, EBS); `Store`: storeOfResourceArn. */
  dimensions: ["ResourceType", "Store"],
} as const;

/** Resource types the restore tests cover, as AWS Backup names them. */
export const RESTORE_TESTED_TYPES = ["RDS", "S3", "DynamoDB", "EBS"] as const;

/** The modelled restore of each store type the posture lists and AWS Backup restore-tests. */
const MODELLED_RESTORE: Readonly<Record<string, { resourceType: string; figure: Figure }>> = {
  "aws:rds/instance:Instance": { resourceType: "RDS", figure: FIGURES.rdsSnapshotRestoreSeconds },
  "aws:s3/bucket:Bucket": { resourceType: "S3", figure: FIGURES.s3BackupRestoreSeconds },
  "aws:dynamodb/table:Table": { resourceType: "DynamoDB", figure: FIGURES.dynamodbBackupRestoreSeconds },
};

/**
 * The name a store goes by in the metric: the last part of its ARN that AWS does not generate
 * (bucket name, table name, DB instance identifier, volume id). Copies keep the source's ARN as
 * their protected resource, so a restore of a copy is measured against the source store.
 */
export function storeOfResourceArn(arn: string): string {
  const s3 = /^arn:aws[\w-]*:s3:::([^/]+)/.exec(arn);
  if (s3) return s3[1];
  const parts = arn.split(":");
  const resource = parts.slice(5).join(":");
  const match = /^(?:table\/|volume\/|db:|cluster:)?([^/:]+)/.exec(resource);
  return match ? match[1] : arn;
}

/** One store's measured restores, as `restore-times` writes them. */
export interface RestoreMeasurement {
  readonly resourceType: string;
  readonly store: string;
  /** The longest measured restore in the window (the figure an RTO must plan for). */
  readonly seconds: number;
  readonly samples: number;
  /** ISO time of the latest datapoint. */
  readonly latestAt: string;
}

/**
 * Reads a measurements file (`{ "measurements": [...] }`).
 *
 * @throws Error naming the file, the entry and the field that is wrong.
 */
export function parseRestoreMeasurements(value: unknown, file: string): RestoreMeasurement[] {
  const list = (value as { measurements?: unknown } | null)?.measurements;
  if (!Array.isArray(list))
    throw new Error(
      `${file}: expected {"measurements": [...]} as written by npm run failover -- restore-times --out ${file}`,
    );
  return list.map((entry: unknown, index) => {
    const e = (entry ?? {}) as Record<string, unknown>;
    const wrong = (field: string, expected: string) =>
      new Error(
        `${file}: measurements[${index}].${field} = ${JSON.stringify(e[field])}: expected ${expected}`,
      );
    if (typeof e.resourceType !== "string" || e.resourceType === "")
      throw wrong("resourceType", `one of ${RESTORE_TESTED_TYPES.join(", ")}`);
    if (typeof e.store !== "string" || e.store === "") throw wrong("store", "the store's name");
    if (typeof e.seconds !== "number" || !(e.seconds >= 0))
      throw wrong("seconds", "a number of seconds >= 0");
    if (!Number.isInteger(e.samples) || (e.samples as number) < 1) throw wrong("samples", "an integer >= 1");
    if (typeof e.latestAt !== "string" || Number.isNaN(Date.parse(e.latestAt)))
      throw wrong("latestAt", "an ISO date-time");
    return {
      resourceType: e.resourceType,
      store: e.store,
      seconds: e.seconds,
      samples: e.samples as number,
      latestAt: e.latestAt,
    };
  });
}

export interface RestoreTimePosture {
  readonly modelledSeconds: number;
  readonly modelledBasis: string;
  /** Present when a measurement names this store. */
  readonly measured?: Omit<RestoreMeasurement, "resourceType" | "store">;
}

/** The physical name of a rendered store, as storeOfResourceArn would read it from its ARN. */
export function storeName(resource: RenderedResource): string | undefined {
  const arn = resource.outputs.arn;
  if (typeof arn === "string" && arn.startsWith("arn:")) return storeOfResourceArn(arn);
  for (const key of ["bucket", "identifier", "name"]) {
    const value = resource.outputs[key] ?? resource.inputs[key];
    if (typeof value === "string" && value !== "") return value;
  }
  return undefined;
}

/** The store's modelled restore time and, if measured, its measured one; undefined for types not restore-tested. */
export function restoreTimeOf(
  resource: RenderedResource,
  measurements: readonly RestoreMeasurement[],
): RestoreTimePosture | undefined {
  const modelled = MODELLED_RESTORE[resource.type];
  if (!modelled) return undefined;
  const name = storeName(resource);
  const measured = measurements.find((m) => m.resourceType === modelled.resourceType && m.store === name);
  return {
    modelledSeconds: modelled.figure.seconds,
    modelledBasis: modelled.figure.basis,
    ...(measured
      ? { measured: { seconds: measured.seconds, samples: measured.samples, latestAt: measured.latestAt } }
      : {}),
  };
}

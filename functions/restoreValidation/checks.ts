/**
 * Per-resource-type checks that a restored resource really holds the data of its recovery point.
 * Pure over injected AWS clients, so the scheduled restore tests (./handler.ts) and an on-demand
 * restore drill share them. Each check returns SUCCESSFUL or FAILED with a message saying what was
 * found against what was expected; an AWS error is a FAILED validation that names the call.
 *
 * What each proves (docs/data-protection.md, "Restore validation"):
 * - S3: the marker object the primary stack writes is in the restored bucket (data written before
 *   the backup came back), or, without a marker key, that the bucket holds at least one object.
 * - DynamoDB: the marker item is in the restored table (consistent read).
 * - RDS: the restored instance is available, encrypted, private and in the expected subnet group.
 *   It does NOT read a row: that needs a database session inside the VPC (see the docs).
 * - EBS: the restored volume is available, encrypted, created from the recovery point's snapshot
 *   and of the backed-up size.
 */
import {
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  type AttributeValue,
} from "@aws-sdk/client-dynamodb";
import { DescribeVolumesCommand, EC2Client } from "@aws-sdk/client-ec2";
import { DescribeDBInstancesCommand, RDSClient } from "@aws-sdk/client-rds";
import { ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";

export type ValidationStatus = "SUCCESSFUL" | "FAILED";

export interface ValidationOutcome {
  readonly status: ValidationStatus;
  readonly message: string;
}

/** What a restore job says of itself (DescribeRestoreJob), in the fields the checks read. */
export interface RestoredResource {
  readonly restoreJobId: string;
  /** AWS Backup's resource type: `S3`, `DynamoDB`, `RDS`, `EBS`, ... */
  readonly resourceType: string;
  readonly createdResourceArn: string;
  readonly recoveryPointArn: string;
  readonly sourceResourceArn?: string;
  readonly backupSizeInBytes?: number;
}

/** Only the clients of the types a caller validates need be given. */
export interface ValidationClients {
  readonly s3?: S3Client;
  readonly dynamodb?: DynamoDBClient;
  readonly rds?: RDSClient;
  readonly ec2?: EC2Client;
}

export interface ValidationExpectations {
  /** Key of the marker object in every restore-tested bucket; omitted: any object will do. */
  readonly markerObjectKey?: string;
  /** Primary key of the marker item in the restore-tested table; omitted: the table is not validated. */
  readonly markerItemKey?: Record<string, AttributeValue>;
  /** The DB subnet group restored instances must land in. */
  readonly dbSubnetGroupName?: string;
}

const ok = (message: string): ValidationOutcome => ({ status: "SUCCESSFUL", message });
const failed = (message: string): ValidationOutcome => ({ status: "FAILED", message });

/** The part of an ARN after the service's resource-type prefix (`table/x` -> `x`). */
export function arnResourceId(arn: string): string {
  const s3 = /^arn:[\w-]+:s3:::([^/]+)/.exec(arn);
  if (s3) return s3[1];
  const resource = arn.split(":").slice(5).join(":");
  return resource.replace(/^(table\/|volume\/|snapshot\/|db:)/, "");
}

function need<T>(client: T | undefined, type: string): T {
  if (!client) throw new Error(`no ${type} client was given to validate a ${type} restore`);
  return client;
}

async function validateBucket(
  job: RestoredResource,
  s3: S3Client,
  e: ValidationExpectations,
): Promise<ValidationOutcome> {
  const bucket = arnResourceId(job.createdResourceArn);
  const listed = await s3.send(
    new ListObjectsV2Command({
      Bucket: bucket,
      MaxKeys: 1,
      ...(e.markerObjectKey ? { Prefix: e.markerObjectKey } : {}),
    }),
  );
  const key = listed.Contents?.[0]?.Key;
  if (e.markerObjectKey) {
    return key === e.markerObjectKey
      ? ok(`bucket ${bucket} holds the marker object ${e.markerObjectKey}`)
      : failed(`bucket ${bucket}: expected the marker object ${e.markerObjectKey}, found ${key ?? "none"}`);
  }
  return key !== undefined
    ? ok(`bucket ${bucket} holds objects (first: ${key})`)
    : failed(`bucket ${bucket}: expected at least one object, found none`);
}

async function validateTable(
  job: RestoredResource,
  dynamodb: DynamoDBClient,
  e: ValidationExpectations,
): Promise<ValidationOutcome> {
  const table = arnResourceId(job.createdResourceArn);
  const described = await dynamodb.send(new DescribeTableCommand({ TableName: table }));
  const status = described.Table?.TableStatus;
  if (status !== "ACTIVE") return failed(`table ${table}: expected status ACTIVE, found ${status ?? "none"}`);
  if (!e.markerItemKey)
    return failed(`table ${table}: no marker item key configured, nothing proves the data`);
  const item = await dynamodb.send(
    new GetItemCommand({ TableName: table, Key: e.markerItemKey, ConsistentRead: true }),
  );
  return item.Item
    ? ok(`table ${table} holds the marker item ${JSON.stringify(e.markerItemKey)}`)
    : failed(`table ${table}: expected the marker item ${JSON.stringify(e.markerItemKey)}, found none`);
}

async function validateDatabase(
  job: RestoredResource,
  rds: RDSClient,
  e: ValidationExpectations,
): Promise<ValidationOutcome> {
  const id = arnResourceId(job.createdResourceArn);
  const found = await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }));
  const db = found.DBInstances?.[0];
  if (!db) return failed(`DB instance ${id}: not found`);
  const problems: string[] = [];
  if (db.DBInstanceStatus !== "available")
    problems.push(`status ${db.DBInstanceStatus ?? "none"} (expected available)`);
  if (db.StorageEncrypted !== true) problems.push("storage not encrypted");
  if (db.PubliclyAccessible !== false) problems.push("publicly accessible");
  const subnetGroup = db.DBSubnetGroup?.DBSubnetGroupName;
  if (e.dbSubnetGroupName && subnetGroup !== e.dbSubnetGroupName)
    problems.push(`subnet group ${subnetGroup ?? "none"} (expected ${e.dbSubnetGroupName})`);
  if (!(Number(db.AllocatedStorage) > 0)) problems.push("no allocated storage");
  return problems.length === 0
    ? ok(
        `DB instance ${id} available, encrypted, private, ${db.AllocatedStorage} GiB in ${subnetGroup}` +
          " (instance state only: no row was read)",
      )
    : failed(`DB instance ${id}: ${problems.join("; ")}`);
}

async function validateVolume(job: RestoredResource, ec2: EC2Client): Promise<ValidationOutcome> {
  const id = arnResourceId(job.createdResourceArn);
  const found = await ec2.send(new DescribeVolumesCommand({ VolumeIds: [id] }));
  const volume = found.Volumes?.[0];
  if (!volume) return failed(`volume ${id}: not found`);
  const problems: string[] = [];
  if (volume.State !== "available") problems.push(`state ${volume.State ?? "none"} (expected available)`);
  if (volume.Encrypted !== true) problems.push("not encrypted");
  // An EBS recovery point is a snapshot: arn:aws:ec2:<region>::snapshot/snap-...
  const snapshot = /snapshot\/(snap-[0-9a-f]+)$/.exec(job.recoveryPointArn)?.[1];
  if (snapshot && volume.SnapshotId !== snapshot)
    problems.push(`source snapshot ${volume.SnapshotId ?? "none"} (expected ${snapshot})`);
  if (job.backupSizeInBytes !== undefined && job.backupSizeInBytes > 0) {
    const expectedGiB = Math.ceil(job.backupSizeInBytes / 2 ** 30);
    if (volume.Size !== expectedGiB)
      problems.push(`size ${volume.Size ?? "none"} GiB (expected ${expectedGiB} GiB)`);
  }
  return problems.length === 0
    ? ok(`volume ${id} available, encrypted, ${volume.Size} GiB from ${volume.SnapshotId}`)
    : failed(`volume ${id}: ${problems.join("; ")}`);
}

/**
 * Validates one restored resource. Never throws: an AWS error or an unsupported type is a FAILED
 * outcome whose message says so, because AWS Backup must always get a result.
 */
export async function validateRestoredResource(
  job: RestoredResource,
  clients: ValidationClients,
  expectations: ValidationExpectations,
): Promise<ValidationOutcome> {
  try {
    switch (job.resourceType) {
      case "S3":
        return await validateBucket(job, need(clients.s3, "S3"), expectations);
      case "DynamoDB":
        return await validateTable(job, need(clients.dynamodb, "DynamoDB"), expectations);
      case "RDS":
        return await validateDatabase(job, need(clients.rds, "RDS"), expectations);
      case "EBS":
        return await validateVolume(job, need(clients.ec2, "EBS"));
      default:
        return failed(`no validation for resource type ${job.resourceType} (${job.createdResourceArn})`);
    }
  } catch (error) {
    const name = (error as { name?: string }).name ?? "Error";
    return failed(`${job.resourceType} ${job.createdResourceArn}: ${name}: ${(error as Error).message}`);
  }
}

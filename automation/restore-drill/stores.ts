/**
 * What the restore drill does per AWS Backup resource type: the restore metadata it overrides to
 * safe scratch values, the check that the restored resource holds data, and its deletion (with the
 * exact CLI command printed when deletion fails).
 */
import { DeleteTableCommand, DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
import { DeleteVolumeCommand, DescribeVolumesCommand, EC2Client } from "@aws-sdk/client-ec2";
import { DeleteDBInstanceCommand, DescribeDBInstancesCommand, RDSClient } from "@aws-sdk/client-rds";
import {
  DeleteBucketCommand,
  DeleteObjectsCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  S3Client,
} from "@aws-sdk/client-s3";

export interface DrillClients {
  readonly rds: RDSClient;
  readonly dynamoDb: DynamoDBClient;
  readonly s3: S3Client;
  readonly ec2: EC2Client;
}

/** Where scratch resources go in the dr Region. */
export interface DrillPlacement {
  readonly region: string;
  /** The dr database subnet group (RDS); without it RDS recovery points are skipped. */
  readonly dbSubnetGroupName?: string;
  /** Security groups of the scratch database: the dr ones, never an open group. */
  readonly securityGroupIds: readonly string[];
  /** Availability Zone for a scratch EBS volume. */
  readonly availabilityZone?: string;
}

export interface StoreHandler {
  /** The restore metadata overrides; a string is the reason the store cannot be drilled. */
  overrides(scratchName: string, placement: DrillPlacement): Record<string, string> | string;
  /** Resolves with what the check found; rejects (or returns ok false) when it holds no data. */
  validate(clients: DrillClients, createdArn: string): Promise<{ ok: boolean; detail: string }>;
  remove(clients: DrillClients, createdArn: string): Promise<void>;
  /** The CLI command an operator runs when `remove` failed. */
  deleteCommand(createdArn: string, region: string): string;
}

/** The last `:`- or `/`-separated part of an ARN: the resource's name or id. */
export function arnName(arn: string): string {
  return arn.split(/[:/]/).pop() ?? arn;
}

const rdsHandler: StoreHandler = {
  overrides(scratch, p) {
    if (!p.dbSubnetGroupName) return "needs --db-subnet-group (the dr database subnet group)";
    if (p.securityGroupIds.length === 0) return "needs --security-group-ids (the dr database security group)";
    return {
      DBInstanceIdentifier: scratch,
      DBSubnetGroupName: p.dbSubnetGroupName,
      VpcSecurityGroupIds: JSON.stringify(p.securityGroupIds),
      PubliclyAccessible: "false",
      MultiAZ: "false",
      DeletionProtection: "false",
    };
  },
  async validate(c, arn) {
    const out = await c.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: arnName(arn) }));
    const status = out.DBInstances?.[0]?.DBInstanceStatus ?? "missing";
    return { ok: status === "available", detail: `instance status ${status}` };
  },
  async remove(c, arn) {
    await c.rds.send(
      new DeleteDBInstanceCommand({
        DBInstanceIdentifier: arnName(arn),
        SkipFinalSnapshot: true,
        DeleteAutomatedBackups: true,
      }),
    );
  },
  deleteCommand: (arn, region) =>
    `aws rds delete-db-instance --region ${region} --db-instance-identifier ${arnName(arn)} --skip-final-snapshot --delete-automated-backups`,
};

const dynamoDbHandler: StoreHandler = {
  overrides: (scratch) => ({ targetTableName: scratch }),
  async validate(c, arn) {
    // ItemCount is refreshed only every ~6 hours: read one item instead.
    const out = await c.dynamoDb.send(new ScanCommand({ TableName: arnName(arn), Limit: 1 }));
    const count = out.Count ?? 0;
    return { ok: count > 0, detail: count > 0 ? "holds items" : "no item" };
  },
  async remove(c, arn) {
    await c.dynamoDb.send(new DeleteTableCommand({ TableName: arnName(arn) }));
  },
  deleteCommand: (arn, region) => `aws dynamodb delete-table --region ${region} --table-name ${arnName(arn)}`,
};

const s3Handler: StoreHandler = {
  overrides: (scratch) => ({ DestinationBucketName: scratch, NewBucket: "true", CreationToken: scratch }),
  async validate(c, arn) {
    const out = await c.s3.send(new ListObjectsV2Command({ Bucket: arnName(arn), MaxKeys: 1 }));
    const count = out.KeyCount ?? 0;
    return { ok: count > 0, detail: count > 0 ? "holds objects" : "no object" };
  },
  async remove(c, arn) {
    const bucket = arnName(arn);
    // Restored buckets are versioned: every version and delete marker goes before the bucket.
    for (;;) {
      const page = await c.s3.send(new ListObjectVersionsCommand({ Bucket: bucket, MaxKeys: 1000 }));
      const objects = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].map((v) => ({
        Key: v.Key ?? "",
        VersionId: v.VersionId,
      }));
      if (objects.length === 0) break;
      await c.s3.send(
        new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects, Quiet: true } }),
      );
      if (!page.IsTruncated) break;
    }
    await c.s3.send(new DeleteBucketCommand({ Bucket: bucket }));
  },
  deleteCommand: (arn, region) => `aws s3 rb s3://${arnName(arn)} --force --region ${region}`,
};

const ebsHandler: StoreHandler = {
  overrides(_scratch, p) {
    if (!p.availabilityZone) return "needs --availability-zone (a dr Availability Zone)";
    return { availabilityZone: p.availabilityZone, encrypted: "true" };
  },
  async validate(c, arn) {
    const out = await c.ec2.send(new DescribeVolumesCommand({ VolumeIds: [arnName(arn)] }));
    const state = out.Volumes?.[0]?.State ?? "missing";
    return { ok: state === "available", detail: `volume state ${state}` };
  },
  async remove(c, arn) {
    await c.ec2.send(new DeleteVolumeCommand({ VolumeId: arnName(arn) }));
  },
  deleteCommand: (arn, region) => `aws ec2 delete-volume --region ${region} --volume-id ${arnName(arn)}`,
};

/** The resource types the drill restores, by AWS Backup's ResourceType. */
export const STORE_HANDLERS: Readonly<Record<string, StoreHandler>> = {
  RDS: rdsHandler,
  DynamoDB: dynamoDbHandler,
  S3: s3Handler,
  EBS: ebsHandler,
};

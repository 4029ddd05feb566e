/** Wires `npm run failover -- restore-drill` to real AWS clients in the dr Region. */
import { BackupClient } from "@aws-sdk/client-backup";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { EC2Client } from "@aws-sdk/client-ec2";
import { RDSClient } from "@aws-sdk/client-rds";
import { S3Client } from "@aws-sdk/client-s3";
import { randomBytes } from "crypto";
import type { StackConfig } from "../../stacks/config";
import { FailoverError } from "../errors";
import { DrillReport, runRestoreDrill } from "./drill";

export interface RestoreDrillArgs {
  readonly vault?: string;
  readonly restoreRoleArn?: string;
  readonly dbSubnetGroup?: string;
  readonly securityGroupIds: readonly string[];
  readonly availabilityZone?: string;
  readonly deadlineMinutes: number;
  readonly dryRun: boolean;
}

/** The dr Region's copy vault of the primary's recovery points (components/data/backup.ts). */
export function defaultCopyVault(config: Pick<StackConfig, "project" | "primaryStack">): string {
  const primary = (config.primaryStack ?? "primary").split("/").pop();
  return `${config.project}-${primary}-copies`;
}

export function restoreDrill(
  config: StackConfig,
  args: RestoreDrillArgs,
  log: (line: string) => void,
): Promise<DrillReport> {
  if (!args.dryRun && !args.restoreRoleArn) {
    throw new FailoverError(
      "restore-drill needs --restore-role-arn: the role AWS Backup assumes to restore (the dr stack's " +
        "backup role, e.g. from `pulumi stack output` or the IAM console). Nothing was started.",
      false,
    );
  }
  const region = config.region;
  return runRestoreDrill({
    backup: new BackupClient({ region }),
    clients: {
      rds: new RDSClient({ region }),
      dynamoDb: new DynamoDBClient({ region }),
      s3: new S3Client({ region }),
      ec2: new EC2Client({ region }),
    },
    vaultName: args.vault ?? defaultCopyVault(config),
    restoreRoleArn: args.restoreRoleArn ?? "",
    placement: {
      region,
      securityGroupIds: args.securityGroupIds,
      ...(args.dbSubnetGroup ? { dbSubnetGroupName: args.dbSubnetGroup } : {}),
      ...(args.availabilityZone ? { availabilityZone: args.availabilityZone } : {}),
    },
    drillId: new Date().toISOString().slice(0, 10).replace(/-/g, "") + randomBytes(3).toString("hex"),
    deadlineMs: args.deadlineMinutes * 60_000,
    pollMs: 30_000,
    dryRun: args.dryRun,
    log,
  });
}

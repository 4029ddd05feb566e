import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** The table's keys: `pk = "failover#<stack>"`, `sk = "lock" | "run#<id>"` (the controller's items). */
export const FAILOVER_STATE_KEYS = { hashKey: "pk", rangeKey: "sk" } as const;

export interface FailoverStateArgs {
  /** Table name, the same in both Regions (a global table has one name). */
  readonly tableName: string;
  /** The Region of the table this stack creates. */
  readonly region: string;
  /** The Region of its replica. */
  readonly peerRegion: string;
  /** KMS key in `region` for the table. */
  readonly keyArn: pulumi.Input<string>;
  /** KMS key in `peerRegion` for the replica. */
  readonly replicaKeyArn: pulumi.Input<string>;
  /**
   * Sets `protect` on the table, in addition to DynamoDB's own deletion protection.
   *
   * @default true
   */
  readonly protect?: boolean;
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * The failover controller's lock and progress: a DynamoDB global table (version 2019.11.21)
 * declared by the primary stack, with a replica in the dr Region encrypted with a dr-Region key.
 * Both copies keep point-in-time recovery and refuse deletion. The controller writes in the dr
 * Region, so the lock keeps working when the primary Region is gone.
 */
export class FailoverState extends pulumi.ComponentResource {
  public readonly tableName: pulumi.Output<string>;
  /** The table's ARN in `region`. */
  public readonly tableArn: pulumi.Output<string>;
  /** The replica's ARN in `peerRegion`. */
  public readonly replicaTableArn: pulumi.Output<string>;
  public readonly streamArn: pulumi.Output<string>;

  constructor(name: string, args: FailoverStateArgs, opts?: pulumi.ComponentResourceOptions) {
    super("payments-dr:components:FailoverState", name, {}, opts);
    const table = new aws.dynamodb.Table(
      `${name}-table`,
      {
        name: args.tableName,
        region: args.region,
        billingMode: "PAY_PER_REQUEST",
        hashKey: FAILOVER_STATE_KEYS.hashKey,
        rangeKey: FAILOVER_STATE_KEYS.rangeKey,
        attributes: [
          { name: FAILOVER_STATE_KEYS.hashKey, type: "S" },
          { name: FAILOVER_STATE_KEYS.rangeKey, type: "S" },
        ],
        // Global tables replicate through streams; new and old images let readers audit a run.
        streamEnabled: true,
        streamViewType: "NEW_AND_OLD_IMAGES",
        serverSideEncryption: { enabled: true, kmsKeyArn: args.keyArn },
        pointInTimeRecovery: { enabled: true },
        deletionProtectionEnabled: true,
        replicas: [
          {
            regionName: args.peerRegion,
            kmsKeyArn: args.replicaKeyArn,
            pointInTimeRecovery: true,
            deletionProtectionEnabled: true,
            propagateTags: true,
          },
        ],
        tags: args.tags ?? {},
      },
      { parent: this, protect: args.protect ?? true },
    );
    this.tableName = table.name;
    this.tableArn = table.arn;
    this.streamArn = table.streamArn;
    this.replicaTableArn = tableArnIn(args.peerRegion, table.arn);
    this.registerOutputs({ tableName: this.tableName, tableArn: this.tableArn });
  }
}

/** The same table's ARN in another Region: a global table's replicas differ only by Region. */
export function tableArnInRegion(region: string, arn: string): string {
  const parts = arn.split(":");
  if (parts.length < 6 || parts[2] !== "dynamodb" || !parts[5].startsWith("table/")) {
    throw new Error(
      `Expected a DynamoDB table ARN (arn:aws:dynamodb:<region>:<account>:table/<name>), got "${arn}".`,
    );
  }
  parts[3] = region;
  return parts.join(":");
}

export function tableArnIn(region: string, arn: pulumi.Input<string>): pulumi.Output<string> {
  return pulumi.output(arn).apply((value) => tableArnInRegion(region, value));
}

/**
 * The dr stack's view of the table the primary declared: its name from the primary's outputs and
 * the ARN of the replica in this stack's Region. Declares nothing.
 */
export function failoverStateReplica(args: {
  readonly tableName: pulumi.Input<string>;
  readonly region: string;
  readonly accountId: pulumi.Input<string>;
  readonly partition?: string;
}): { tableName: pulumi.Output<string>; tableArn: pulumi.Output<string> } {
  const partition = args.partition ?? "aws";
  return {
    tableName: pulumi.output(args.tableName),
    tableArn: pulumi.interpolate`arn:${partition}:dynamodb:${args.region}:${args.accountId}:table/${args.tableName}`,
  };
}

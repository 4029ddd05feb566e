import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** Redshift's audit logs; `useractivitylog` also needs `enable_user_activity_logging`. */
export const AUDIT_LOG_TYPES = ["connectionlog", "userlog", "useractivitylog"] as const;

export const REDSHIFT_PORT = 5439;

export interface WarehouseArgs {
  /** The cluster's Region. */
  readonly region: string;
  /** Where automated snapshots are copied. */
  readonly peerRegion: string;
  /** Lower-case letters, digits and hyphens; also names the audit log groups. */
  readonly clusterIdentifier: string;
  readonly databaseName: string;
  readonly nodeType: string;
  readonly nodeCount: number;
  /** KMS key in `region` for the cluster and its managed master-password secret. */
  readonly keyArn: pulumi.Input<string>;
  /** KMS key in `peerRegion` the snapshot-copy grant lets Redshift use for the copies. */
  readonly peerKeyArn: pulumi.Input<string>;
  /**
   * KMS key in `region` for the audit log groups; its key policy must admit CloudWatch Logs.
   *
   * @default - log groups encrypted by CloudWatch Logs' own key
   */
  readonly logKeyArn?: pulumi.Input<string>;
  readonly vpcId: pulumi.Input<string>;
  /** Clients allowed to connect (the VPC's block): the cluster is never public. */
  readonly clientCidrBlocks: string[];
  readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** Days the copies in `peerRegion` are kept. */
  readonly snapshotCopyRetentionDays: number;
  /**
   * Days automated snapshots are kept in `region` (1 to 35).
   *
   * @default 7
   */
  readonly automatedSnapshotRetentionDays?: number;
  /**
   * Days audit logs are kept.
   *
   * @default 365
   */
  readonly auditLogRetentionDays?: number;
  /**
   * Master user; its password is generated and rotated by Redshift in Secrets Manager.
   *
   * @default "warehouse_admin"
   */
  readonly masterUsername?: string;
  /**
   * Sets `protect` on the cluster.
   *
   * @default true
   */
  readonly protect?: boolean;
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * A Redshift cluster: encrypted with the Region's key, private (subnet group in private subnets,
 * enhanced VPC routing, a security group open to the VPC only), TLS required through its
 * parameter group, master password managed by Redshift, audit logs exported to KMS-encrypted
 * CloudWatch log groups, and automated snapshots copied to the peer Region under a snapshot-copy
 * grant that this stack declares in the peer Region (DESIGN.md principle 3).
 *
 * Audit logs go to CloudWatch rather than S3 because Redshift's S3 audit logging supports only
 * SSE-S3 buckets, and every store here must use a customer-managed key.
 */
export class Warehouse extends pulumi.ComponentResource {
  public readonly clusterIdentifier: pulumi.Output<string>;
  public readonly clusterArn: pulumi.Output<string>;
  public readonly databaseName: pulumi.Output<string>;
  public readonly endpoint: pulumi.Output<string>;
  public readonly securityGroupId: pulumi.Output<string>;
  public readonly snapshotCopyGrantName: pulumi.Output<string>;

  constructor(name: string, args: WarehouseArgs, opts?: pulumi.ComponentResourceOptions) {
    super("payments-dr:components:Warehouse", name, {}, opts);
    const tags = args.tags ?? {};
    const region = args.region;
    const parent = { parent: this };

    const subnetGroup = new aws.redshift.SubnetGroup(
      `${name}-subnets`,
      { description: "Private subnets only", subnetIds: args.subnetIds, region, tags },
      parent,
    );
    const parameterGroup = new aws.redshift.ParameterGroup(
      `${name}-parameters`,
      {
        family: "redshift-2.0",
        description: "TLS required; user activity logged",
        parameters: [
          { name: "require_ssl", value: "true" },
          { name: "enable_user_activity_logging", value: "true" },
        ],
        region,
        tags,
      },
      parent,
    );
    const securityGroup = new aws.ec2.SecurityGroup(
      `${name}-security-group`,
      {
        description: `Redshift ${args.clusterIdentifier}: clients inside the VPC only`,
        vpcId: args.vpcId,
        region,
        ingress: [
          {
            description: "Redshift from the VPC",
            protocol: "tcp",
            fromPort: REDSHIFT_PORT,
            toPort: REDSHIFT_PORT,
            cidrBlocks: args.clientCidrBlocks,
          },
        ],
        egress: [
          // Enhanced VPC routing sends COPY/UNLOAD traffic to S3 through the VPC: HTTPS out only.
          {
            description: "HTTPS (S3, KMS)",
            protocol: "tcp",
            fromPort: 443,
            toPort: 443,
            cidrBlocks: ["0.0.0.0/0"],
          },
        ],
        tags,
      },
      parent,
    );

    const cluster = new aws.redshift.Cluster(
      `${name}-cluster`,
      {
        clusterIdentifier: args.clusterIdentifier,
        databaseName: args.databaseName,
        nodeType: args.nodeType,
        clusterType: args.nodeCount > 1 ? "multi-node" : "single-node",
        numberOfNodes: args.nodeCount,
        masterUsername: args.masterUsername ?? "warehouse_admin",
        manageMasterPassword: true,
        masterPasswordSecretKmsKeyId: args.keyArn,
        encrypted: "true",
        kmsKeyId: args.keyArn,
        publiclyAccessible: false,
        enhancedVpcRouting: true,
        clusterSubnetGroupName: subnetGroup.name,
        clusterParameterGroupName: parameterGroup.name,
        vpcSecurityGroupIds: [securityGroup.id],
        port: REDSHIFT_PORT,
        automatedSnapshotRetentionPeriod: args.automatedSnapshotRetentionDays ?? 7,
        skipFinalSnapshot: false,
        finalSnapshotIdentifier: `${args.clusterIdentifier}-final`,
        region,
        tags,
      },
      { parent: this, protect: args.protect ?? true },
    );

    // Redshift writes to /aws/redshift/cluster/<id>/<log type>; creating them first sets the key.
    const logGroups = AUDIT_LOG_TYPES.map(
      (logType) =>
        new aws.cloudwatch.LogGroup(
          `${name}-audit-${logType}`,
          {
            name: `/aws/redshift/cluster/${args.clusterIdentifier}/${logType}`,
            kmsKeyId: args.logKeyArn,
            retentionInDays: args.auditLogRetentionDays ?? 365,
            region,
            tags,
          },
          parent,
        ),
    );
    new aws.redshift.Logging(
      `${name}-audit-logging`,
      {
        clusterIdentifier: cluster.clusterIdentifier,
        logDestinationType: "cloudwatch",
        logExports: [...AUDIT_LOG_TYPES],
        region,
      },
      { parent: this, dependsOn: logGroups },
    );

    const grant = new aws.redshift.SnapshotCopyGrant(
      `${name}-copy-grant`,
      {
        snapshotCopyGrantName: `${args.clusterIdentifier}-to-${args.peerRegion}`,
        kmsKeyId: args.peerKeyArn,
        region: args.peerRegion,
        tags,
      },
      parent,
    );
    new aws.redshift.SnapshotCopy(
      `${name}-snapshot-copy`,
      {
        clusterIdentifier: cluster.clusterIdentifier,
        destinationRegion: args.peerRegion,
        retentionPeriod: args.snapshotCopyRetentionDays,
        snapshotCopyGrantName: grant.snapshotCopyGrantName,
        region,
      },
      parent,
    );

    this.clusterIdentifier = cluster.clusterIdentifier;
    this.clusterArn = cluster.arn;
    this.databaseName = cluster.databaseName;
    this.endpoint = cluster.endpoint;
    this.securityGroupId = securityGroup.id;
    this.snapshotCopyGrantName = grant.snapshotCopyGrantName;
    this.registerOutputs({
      clusterIdentifier: this.clusterIdentifier,
      clusterArn: this.clusterArn,
      databaseName: this.databaseName,
    });
  }
}

/**
 * A Redshift cluster identifier for a stack: lower-case letters, digits and hyphens, starting with
 * a letter, at most 63 characters.
 *
 * @throws Error naming the stack and the fix when no valid identifier can be derived.
 */
export function clusterIdentifierFor(project: string, stackName: string): string {
  const id = `${project}-${stackName}`
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, "-")
    .replace(/-+/g, "-")
    .replace(/-$/, "");
  if (!/^[a-z][a-z0-9-]{0,62}$/.test(id)) {
    throw new Error(
      `Cannot derive a Redshift cluster identifier from project "${project}" and stack "${stackName}": got ` +
        `"${id}", expected a letter then up to 62 lower-case letters, digits or hyphens. ` +
        "Fix: use a shorter stack name made of letters, digits and hyphens.",
    );
  }
  return id;
}

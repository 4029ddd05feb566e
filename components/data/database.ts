import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface DatabaseBackupReplication {
  /** Destination Region of the automated backups (the peer Region). */
  readonly region: string;
  /** Key in the destination Region that encrypts the replicated backups. */
  readonly kmsKeyArn: pulumi.Input<string>;
  readonly retentionDays: number;
}

/** The database a primary instance creates when `databaseName` is not given. */
export const DEFAULT_DATABASE_NAME = "payments";

export interface DatabaseArgs {
  /** DB instance identifier (physical name); stable, the failover controller addresses it. */
  readonly identifier: string;
  readonly instanceClass: string;
  /**
   * PostgreSQL major version, e.g. `16`: RDS picks the newest orderable minor version and applies
   * later ones itself (`autoMinorVersionUpgrade`); the parameter group family follows it.
   */
  readonly engineVersion: string;
  readonly allocatedStorageGb: number;
  readonly backupRetentionDays: number;
  /** Customer-managed key in the instance's Region: storage, managed secret, Performance Insights. */
  readonly kmsKeyArn: pulumi.Input<string>;
  readonly vpcId: pulumi.Input<string>;
  /** The only network allowed to reach port 5432. */
  readonly vpcCidr: string;
  readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * True when the instance is (or was) created as a cross-Region read replica: it never sets the
   * master user, database name or managed password, which are inherited from the source and are
   * replace-only, so promotion (dropping `replicateSourceArn`) changes nothing else.
   *
   * @default false
   */
  readonly createdAsReplica?: boolean;
  /**
   * ARN of the source instance while this instance is a read replica; omit to promote it.
   *
   * @default - none: a standalone (writable) instance
   */
  readonly replicateSourceArn?: pulumi.Input<string>;
  /**
   * Create the instance from a DB snapshot (backup-restore failover, docs/strategies.md). RDS keeps
   * the snapshot's key (RestoreDBInstanceFromDBSnapshot takes no key), so `snapshotKeyArn` must be
   * the key the snapshot is encrypted with: for an AWS Backup cross-Region copy, the key of the copy
   * vault in this Region. Implies `createdAsReplica`-like inputs (master user, database name come
   * from the snapshot); the snapshot is never read again (a later value would replace the instance).
   *
   * @default - none
   */
  readonly restoreFrom?: {
    readonly snapshotArn: pulumi.Input<string>;
  };
  /**
   * Replicate automated backups (snapshots and transaction logs) to another Region.
   *
   * @default - none
   */
  readonly backupReplication?: DatabaseBackupReplication;
  /** @default "payments" */
  readonly databaseName?: string;
  /** @default "payments_admin" */
  readonly masterUsername?: string;
  /** Options for stateful children (the instance, the backup replication): `ctx.stateful`. @default - unchanged */
  readonly stateful?: (opts: pulumi.CustomResourceOptions) => pulumi.CustomResourceOptions;
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * `16` -> `postgres16`; PostgreSQL 10+ families are named by major version only. A minor version
 * (`16.4`) is refused: AWS retires minor versions (16.4 is no longer orderable) and upgrades them
 * itself, after which the provider reads the new minor back and a pinned one plans a downgrade.
 */
export function postgresFamily(engineVersion: string): string {
  const match = /^(\d+)$/.exec(engineVersion);
  if (!match || Number(match[1]) < 10) {
    throw new Error(
      `Invalid config payments-dr:database.engineVersion = "${engineVersion}": expected a PostgreSQL major version ` +
        '10 or later such as "16" (no minor version: RDS applies minor versions itself). ' +
        "Fix: pulumi config set --path payments-dr:database.engineVersion 16",
    );
  }
  return `postgres${match[1]}`;
}

/**
 * RDS for PostgreSQL, Multi-AZ, encrypted with a customer-managed key, TLS-only, with its master
 * password generated and rotated by RDS in Secrets Manager (never in config or state).
 *
 * The same component renders the primary instance and the dr read replica; `replicateSourceArn`
 * is the only input that differs between a replica and its promoted self (DESIGN.md principle 5).
 */
export class Database extends pulumi.ComponentResource {
  public readonly instance: aws.rds.Instance;
  public readonly instanceArn: pulumi.Output<string>;
  public readonly instanceIdentifier: pulumi.Output<string>;
  public readonly endpoint: pulumi.Output<string>;
  public readonly backupReplication?: aws.rds.InstanceAutomatedBackupsReplication;

  constructor(name: string, args: DatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super("payments-dr:components:Database", name, {}, opts);
    const tags = { ...args.tags };
    const stateful = args.stateful ?? ((o: pulumi.CustomResourceOptions) => o);
    const createdAsReplica = args.createdAsReplica ?? false;
    const restored = args.restoreFrom !== undefined;
    // Inherited from the source or the snapshot, and replace-only: never set on either.
    const inherited = createdAsReplica || restored;

    // RestoreDBInstanceFromDBSnapshot takes no KMS key: the instance keeps its snapshot's key. So
    // the copy is first copied in this Region under this stack's key, and the instance restored
    // from that copy: its encryption is this stack's, provably (aws-datastore-restore-encryption-proven).
    const restoreCopy = args.restoreFrom
      ? new aws.rds.SnapshotCopy(
          `${name}-restore-copy`,
          {
            sourceDbSnapshotIdentifier: args.restoreFrom.snapshotArn,
            targetDbSnapshotIdentifier: `${args.identifier}-restore-copy`,
            kmsKeyId: args.kmsKeyArn,
            copyTags: true,
            tags,
          },
          // Taken once: a newer copy named by a later run must not replace this one.
          { parent: this, ignoreChanges: ["sourceDbSnapshotIdentifier"] },
        )
      : undefined;

    const subnets = new aws.rds.SubnetGroup(
      `${name}-subnets`,
      { description: `Private subnets of ${args.identifier}`, subnetIds: args.subnetIds, tags },
      { parent: this },
    );
    const securityGroup = new aws.ec2.SecurityGroup(
      `${name}-security-group`,
      {
        description: `PostgreSQL clients of ${args.identifier} (VPC only)`,
        vpcId: args.vpcId,
        ingress: [
          {
            description: "PostgreSQL from the VPC",
            protocol: "tcp",
            fromPort: 5432,
            toPort: 5432,
            cidrBlocks: [args.vpcCidr],
          },
        ],
        tags,
      },
      { parent: this },
    );
    const parameters = new aws.rds.ParameterGroup(
      `${name}-parameters`,
      {
        family: postgresFamily(args.engineVersion),
        description: `TLS-only PostgreSQL for ${args.identifier}`,
        parameters: [{ name: "rds.force_ssl", value: "1", applyMethod: "pending-reboot" }],
        tags,
      },
      { parent: this },
    );

    this.instance = new aws.rds.Instance(
      `${name}-instance`,
      {
        identifier: args.identifier,
        engine: "postgres",
        engineVersion: args.engineVersion,
        instanceClass: args.instanceClass,
        allocatedStorage: args.allocatedStorageGb,
        storageType: "gp3",
        // A replica inherits these from its source; setting them on one (they are replace-only)
        // would make promotion a replacement.
        ...(inherited
          ? {}
          : {
              dbName: args.databaseName ?? DEFAULT_DATABASE_NAME,
              username: args.masterUsername ?? "payments_admin",
              manageMasterUserPassword: true,
              masterUserSecretKmsKeyId: args.kmsKeyArn,
            }),
        replicateSourceDb: args.replicateSourceArn,
        ...(restoreCopy ? { snapshotIdentifier: restoreCopy.id } : {}),
        storageEncrypted: true,
        kmsKeyId: args.kmsKeyArn,
        multiAz: true,
        dbSubnetGroupName: subnets.name,
        vpcSecurityGroupIds: [securityGroup.id],
        parameterGroupName: parameters.name,
        publiclyAccessible: false,
        iamDatabaseAuthenticationEnabled: true,
        backupRetentionPeriod: args.backupRetentionDays,
        deleteAutomatedBackups: false,
        copyTagsToSnapshot: true,
        deletionProtection: true,
        skipFinalSnapshot: false,
        finalSnapshotIdentifier: `${args.identifier}-final`,
        performanceInsightsEnabled: true,
        performanceInsightsKmsKeyId: args.kmsKeyArn,
        performanceInsightsRetentionPeriod: 7,
        enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
        // With a major-only engineVersion the provider keeps "16" in state while RDS runs 16.x
        // (engineVersionActual), so AWS-applied minor upgrades never plan a downgrade.
        autoMinorVersionUpgrade: true,
        // Promotion must take effect during the failover, not in the next maintenance window.
        applyImmediately: inherited,
        tags,
      },
      stateful({
        parent: this,
        // RDS cannot manage a replica's password; after promotion the failover runbook turns
        // managed passwords on (ModifyDBInstance), and the next `up` must not turn them off.
        ...(inherited
          ? {
              ignoreChanges: [
                "manageMasterUserPassword",
                "masterUserSecretKmsKeyId",
                // snapshotIdentifier is replace-only: a newer copy set by a later run must not
                // replace the instance restored from the first.
                ...(restored ? ["snapshotIdentifier"] : []),
              ],
            }
          : {}),
      }),
    );

    if (args.backupReplication) {
      this.backupReplication = new aws.rds.InstanceAutomatedBackupsReplication(
        `${name}-backups-replication`,
        {
          sourceDbInstanceArn: this.instance.arn,
          kmsKeyId: args.backupReplication.kmsKeyArn,
          retentionPeriod: args.backupReplication.retentionDays,
          region: args.backupReplication.region,
        },
        stateful({ parent: this }),
      );
    }

    this.instanceArn = this.instance.arn;
    this.instanceIdentifier = this.instance.identifier;
    this.endpoint = this.instance.endpoint;
    this.registerOutputs({
      instanceArn: this.instanceArn,
      instanceIdentifier: this.instanceIdentifier,
      endpoint: this.endpoint,
    });
  }
}

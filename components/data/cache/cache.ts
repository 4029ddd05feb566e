import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { SNAPSHOT_BUCKET_TAG } from "../search/search";

/** This replication group's place in the Global Datastore. */
export type GlobalDatastoreMembership =
  | {
      readonly role: "primary";
      /** Suffix of the Global Datastore's name; AWS prefixes it (e.g. `ldgnf-<suffix>`). */
      readonly idSuffix: string;
    }
  | {
      /** No Global Datastore: a standalone group (a backup-restore dr stack's restored cache). */
      readonly role: "none";
    }
  | {
      readonly role: "secondary";
      /** The full Global Datastore id the primary stack published. */
      readonly globalReplicationGroupId: pulumi.Input<string>;
    };

export interface CacheArgs {
  /** Replication group id (physical name, ≤ 40 characters); stable across failovers. */
  readonly replicationGroupId: string;
  /** Non-burstable node type (validated by the stack config); inherited by a secondary. */
  readonly nodeType: string;
  /** Redis OSS version, 7.0+ for IAM authentication; inherited by a secondary. */
  readonly engineVersion: string;
  /** Read replicas next to the primary node (one shard, cluster mode disabled). */
  readonly replicasPerNodeGroup: number;
  /** Customer-managed key in the group's Region. */
  readonly kmsKeyArn: pulumi.Input<string>;
  readonly vpcId: pulumi.Input<string>;
  readonly vpcCidr: string;
  readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  readonly globalDatastore: GlobalDatastoreMembership;
  /**
   * Name of the IAM-authenticated Redis user the application connects as (the IAM identity needs
   * `elasticache:Connect` on this user and the replication group).
   *
   * @default "payments-app"
   */
  readonly appUserName?: string;
  /**
   * An app user another Cache in this Region already created (IAM authentication needs user id =
   * user name, so there is one per Region): joined to this group's user group instead of creating
   * a second one. A later generation of the dr member uses generation 0's (stacks/generation.ts).
   *
   * @default - this component creates the app user
   */
  readonly existingAppUserId?: string;
  /**
   * Seed the new group from Redis RDB files in S3 (`snapshotArns`): the exported snapshot a
   * backup-restore dr stack restores from. The data is written into the new group, encrypted with
   * `kmsKeyArn`. Read at create only (replace-only, so ignored afterwards).
   *
   * @default - an empty group
   */
  readonly seedSnapshotArns?: pulumi.Input<string>[];
  /** @default 7 */
  readonly snapshotRetentionDays?: number;
  /**
   * The replicated bucket a scheduled exporter copies this group's snapshots into; tagged on the
   * replication group (`payments-dr:snapshot-bucket`) so the policy pack counts the export.
   *
   * @default - no export tag
   */
  readonly snapshotBucketName?: pulumi.Input<string>;
  /** Options for stateful children (replication group, Global Datastore): `ctx.stateful`. @default - unchanged */
  readonly stateful?: (opts: pulumi.CustomResourceOptions) => pulumi.CustomResourceOptions;
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * After a Global Datastore failover AWS reports the promoted member as primary, and the provider
 * would replace the whole Global Datastore on `primaryReplicationGroupId`. The primary stack keeps
 * its declared value instead (see docs/databases.md).
 */
export const GLOBAL_DATASTORE_IGNORE_CHANGES = ["primaryReplicationGroupId"];

/**
 * The dr member's membership. An ungraceful failover detaches it from the Global Datastore
 * (DisassociateGlobalReplicationGroup), after which AWS reports no `globalReplicationGroupId`; the
 * provider replaces a replication group on that argument, which would delete the only writable
 * cache. The dr stack keeps its declared membership instead; rejoining is part of failback.
 */
export const SECONDARY_MEMBER_IGNORE_CHANGES = ["globalReplicationGroupId"];

const DESCRIPTIONS: Readonly<Record<GlobalDatastoreMembership["role"], string>> = {
  primary: "Global Datastore primary",
  secondary: "Global Datastore secondary",
  none: "restored, no Global Datastore",
};

/** The IAM-authenticated Redis user the application connects as. */
export const APP_USER_NAME = "payments-app";

/** Global Datastore members need at least one replica for automatic failover and Multi-AZ. */
export function validateReplicaCount(replicasPerNodeGroup: number): number {
  if (!Number.isInteger(replicasPerNodeGroup) || replicasPerNodeGroup < 1 || replicasPerNodeGroup > 5) {
    throw new Error(
      `Invalid config payments-dr:cache.replicasPerNodeGroup = ${replicasPerNodeGroup}: expected an integer from 1 to 5 ` +
        "(automatic failover and Multi-AZ need a replica). Fix: pulumi config set --path payments-dr:cache.replicasPerNodeGroup 1",
    );
  }
  return replicasPerNodeGroup;
}

/**
 * ElastiCache for Redis OSS: one shard with replicas across AZs, encrypted at rest with a
 * customer-managed key and in transit with TLS, authenticated through an RBAC user group whose
 * application user signs in with IAM (no password or auth token anywhere), and a member of a
 * Global Datastore that copies it to the peer Region.
 */
export class Cache extends pulumi.ComponentResource {
  public readonly replicationGroup: aws.elasticache.ReplicationGroup;
  public readonly replicationGroupId: pulumi.Output<string>;
  public readonly primaryEndpoint: pulumi.Output<string>;
  /** The Global Datastore's id: created here on the primary, joined on a secondary. */
  public readonly globalReplicationGroupId: pulumi.Output<string>;
  public readonly globalDatastore?: aws.elasticache.GlobalReplicationGroup;
  public readonly appUserId: pulumi.Output<string>;

  constructor(name: string, args: CacheArgs, opts?: pulumi.ComponentResourceOptions) {
    super("payments-dr:components:Cache", name, {}, opts);
    const tags = { ...args.tags };
    const stateful = args.stateful ?? ((o: pulumi.CustomResourceOptions) => o);
    const replicas = validateReplicaCount(args.replicasPerNodeGroup);
    const appUserName = args.appUserName ?? APP_USER_NAME;

    const subnets = new aws.elasticache.SubnetGroup(
      `${name}-subnets`,
      {
        name: `${args.replicationGroupId}-subnets`,
        description: "Private subnets",
        subnetIds: args.subnetIds,
        tags,
      },
      { parent: this },
    );
    const securityGroup = new aws.ec2.SecurityGroup(
      `${name}-security-group`,
      {
        description: `Redis clients of ${args.replicationGroupId} (VPC only)`,
        vpcId: args.vpcId,
        ingress: [
          {
            description: "Redis TLS from the VPC",
            protocol: "tcp",
            fromPort: 6379,
            toPort: 6379,
            cidrBlocks: [args.vpcCidr],
          },
        ],
        tags,
      },
      { parent: this },
    );

    // RBAC requires a user named "default" in every group; this one is switched off.
    const defaultUser = new aws.elasticache.User(
      `${name}-default-user`,
      {
        userId: `${args.replicationGroupId}-default`,
        userName: "default",
        engine: "redis",
        accessString: "off -@all",
        noPasswordRequired: true,
        tags,
      },
      { parent: this },
    );
    // IAM authentication requires the user id and name to be equal.
    const appUser =
      args.existingAppUserId !== undefined
        ? undefined
        : new aws.elasticache.User(
            `${name}-app-user`,
            {
              userId: appUserName,
              userName: appUserName,
              engine: "redis",
              accessString: "on ~* +@all -@dangerous",
              authenticationMode: { type: "iam" },
              tags,
            },
            { parent: this },
          );
    const users = new aws.elasticache.UserGroup(
      `${name}-users`,
      {
        userGroupId: `${args.replicationGroupId}-users`,
        engine: "redis",
        userIds: [defaultUser.userId, appUser?.userId ?? args.existingAppUserId ?? appUserName],
        tags,
      },
      { parent: this },
    );

    // The owner of engine, version, node type and encryption: a primary member or a standalone group.
    const primary = args.globalDatastore.role !== "secondary";
    this.replicationGroup = new aws.elasticache.ReplicationGroup(
      `${name}-replication-group`,
      {
        replicationGroupId: args.replicationGroupId,
        description: `payments cache (${DESCRIPTIONS[args.globalDatastore.role]})`,
        // A secondary inherits engine, version, node type and shard count from the Global Datastore
        // and must not set them.
        ...(primary ? { engine: "redis", engineVersion: args.engineVersion, nodeType: args.nodeType } : {}),
        ...(args.globalDatastore.role === "secondary"
          ? { globalReplicationGroupId: args.globalDatastore.globalReplicationGroupId }
          : {}),
        ...(args.seedSnapshotArns ? { snapshotArns: args.seedSnapshotArns } : {}),
        numCacheClusters: replicas + 1,
        automaticFailoverEnabled: true,
        multiAzEnabled: true,
        // A secondary inherits at-rest and in-transit encryption from the Global Datastore: the
        // provider rejects these next to globalReplicationGroupId (ConflictsWith). It still takes
        // its own Region's key.
        ...(primary
          ? {
              atRestEncryptionEnabled: true,
              transitEncryptionEnabled: true,
              transitEncryptionMode: "required",
            }
          : {}),
        kmsKeyId: args.kmsKeyArn,
        userGroupIds: [users.userGroupId],
        subnetGroupName: subnets.name,
        securityGroupIds: [securityGroup.id],
        snapshotRetentionLimit: args.snapshotRetentionDays ?? 7,
        finalSnapshotIdentifier: `${args.replicationGroupId}-final`,
        applyImmediately: true,
        tags: args.snapshotBucketName ? { ...tags, [SNAPSHOT_BUCKET_TAG]: args.snapshotBucketName } : tags,
      },
      stateful({
        parent: this,
        ...(primary ? {} : { ignoreChanges: SECONDARY_MEMBER_IGNORE_CHANGES }),
        ...(args.seedSnapshotArns ? { ignoreChanges: ["snapshotArns"] } : {}),
      }),
    );

    if (args.globalDatastore.role === "primary") {
      this.globalDatastore = new aws.elasticache.GlobalReplicationGroup(
        `${name}-global`,
        {
          globalReplicationGroupIdSuffix: args.globalDatastore.idSuffix,
          primaryReplicationGroupId: this.replicationGroup.id,
          globalReplicationGroupDescription: "payments cache, primary and dr Regions",
        },
        stateful({ parent: this, ignoreChanges: GLOBAL_DATASTORE_IGNORE_CHANGES }),
      );
      this.globalReplicationGroupId = this.globalDatastore.globalReplicationGroupId;
    } else if (args.globalDatastore.role === "secondary") {
      this.globalReplicationGroupId = pulumi.output(args.globalDatastore.globalReplicationGroupId);
    } else {
      this.globalReplicationGroupId = pulumi.output("");
    }

    this.replicationGroupId = this.replicationGroup.replicationGroupId;
    this.primaryEndpoint = this.replicationGroup.primaryEndpointAddress;
    this.appUserId = appUser?.userId ?? pulumi.output(args.existingAppUserId ?? appUserName);
    this.registerOutputs({
      replicationGroupId: this.replicationGroupId,
      primaryEndpoint: this.primaryEndpoint,
      globalReplicationGroupId: this.globalReplicationGroupId,
    });
  }
}

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
  DEFAULT_FOLLOWER_CLUSTER_ROLE,
  DEFAULT_LEADER_CLUSTER_ROLE,
  restInvocation,
  roleMappingsFor,
  searchAdminFunction,
  searchAdminRole,
} from "./searchAdmin";
import { searchAccessPolicy, searchSnapshotRole } from "./searchPolicies";
import { validateSearchTopology } from "./searchTopology";

export { validateSearchTopology };

/** The leader a follower domain replicates from (cross-cluster replication). */
export interface SearchLeader {
  readonly domainName: pulumi.Input<string>;
  readonly region: string;
  readonly ownerId: pulumi.Input<string>;
  /** Alias of the connection on the follower; the follow rule names the leader by it. */
  readonly connectionAlias: string;
  /** Leader indices to replicate. @default "*" (every non-hidden index) */
  readonly indexPattern?: string;
}

export interface SearchArgs {
  /** Domain name (3-28 lower-case characters); the follower finds its leader by it. */
  readonly domainName: string;
  /** `OpenSearch_<major>.<minor>`, 1.1 or later (cross-cluster replication). */
  readonly engineVersion: string;
  readonly instanceType: string;
  /** Data nodes; a multiple of the zone count so every zone holds a copy. */
  readonly instanceCount: number;
  readonly volumeSizeGb: number;
  /** Customer-managed key in the domain's Region. */
  readonly kmsKeyArn: pulumi.Input<string>;
  readonly region: string;
  readonly accountId: pulumi.Input<string>;
  readonly vpcId: pulumi.Input<string>;
  readonly vpcCidr: string;
  /** One private subnet per zone. */
  readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** @default 3 */
  readonly availabilityZoneCount?: number;
  /**
   * Bucket (in the domain's Region, replicated to the peer Region) that receives manual
   * snapshots: a role OpenSearch assumes and the repository registration are created.
   *
   * @default - none
   */
  readonly snapshotBucket?: {
    readonly bucketName: pulumi.Input<string>;
    readonly bucketArn: pulumi.Input<string>;
    /** The bucket's default SSE-KMS key: the snapshot role encrypts and decrypts with it. */
    readonly kmsKeyArn: pulumi.Input<string>;
  };
  /** Age after which scheduled (hourly) snapshots are deleted. @default 14 */
  readonly snapshotRetentionDays?: number;
  /**
   * Makes this domain a follower of `leader`: outbound connection, its acceptance in the leader's
   * Region, and an auto-follow rule.
   *
   * @default - none: a standalone (leader) domain
   */
  readonly leader?: SearchLeader;
  /**
   * The search admin function's role in this Region and in the peer Region (`searchAdminRoleName`):
   * the peer's is mapped to cross-cluster replication's leader role on this domain.
   */
  readonly adminRoleName: string;
  readonly peerAdminRoleName: string;
  /** Key of the admin function's log group. */
  readonly logKeyArn: pulumi.Input<string>;
  /** Options for the domain: `ctx.stateful`. @default - unchanged */
  readonly stateful?: (opts: pulumi.CustomResourceOptions) => pulumi.CustomResourceOptions;
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * Tag naming the bucket a store's snapshots go to; the policy pack's cross-Region rule follows it
 * to the bucket's replication.
 */
export const SNAPSHOT_BUCKET_TAG = "payments-dr:snapshot-bucket";

/**
 * An OpenSearch Service domain in the VPC: encrypted at rest with a customer-managed key,
 * node-to-node encrypted, HTTPS-only with TLS 1.2+, fine-grained access control whose master is an
 * IAM role (no master password), spread over three zones. Optionally registers an S3 snapshot
 * repository and follows a leader domain in the peer Region through cross-cluster replication.
 */
export class Search extends pulumi.ComponentResource {
  public readonly domain: aws.opensearch.Domain;
  public readonly domainName: pulumi.Output<string>;
  public readonly domainArn: pulumi.Output<string>;
  public readonly endpoint: pulumi.Output<string>;
  /** IAM role mapped to the fine-grained access control master user. */
  public readonly masterRoleArn: pulumi.Output<string>;
  /** Role of the function that manages the domain's REST resources (the domain's master). */
  public readonly adminRoleArn: pulumi.Output<string>;
  public readonly connection?: aws.opensearch.OutboundConnection;
  public readonly roleMappings: aws.lambda.Invocation;
  public readonly followRule?: {
    readonly invocation: aws.lambda.Invocation;
    readonly leaderAlias: string;
    readonly ruleName: string;
  };
  public readonly snapshotRepository?: aws.lambda.Invocation;

  constructor(name: string, args: SearchArgs, opts?: pulumi.ComponentResourceOptions) {
    super("payments-dr:components:Search", name, {}, opts);
    const tags = { ...args.tags };
    const stateful = args.stateful ?? ((o: pulumi.CustomResourceOptions) => o);
    const zoneCount = args.availabilityZoneCount ?? 3;
    validateSearchTopology(
      args.engineVersion,
      args.instanceCount,
      zoneCount,
      args.snapshotBucket !== undefined,
    );
    const domainArn = pulumi.interpolate`arn:aws:es:${args.region}:${args.accountId}:domain/${args.domainName}`;

    // Operators assume this role to administer the domain; the admin function maps it to
    // all_access and security_manager (no internal user database, no password).
    const masterRole = new aws.iam.Role(
      `${name}-master-role`,
      {
        description: `Fine-grained access control administrators of ${args.domainName}`,
        assumeRolePolicy: pulumi.output(args.accountId).apply((account) =>
          JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              {
                Effect: "Allow",
                Principal: { AWS: `arn:aws:iam::${account}:root` },
                Action: "sts:AssumeRole",
              },
            ],
          }),
        ),
        tags,
      },
      { parent: this },
    );
    const adminRole = searchAdminRole(name, args.adminRoleName, args.domainName, tags, this);
    const securityGroup = new aws.ec2.SecurityGroup(
      `${name}-security-group`,
      {
        description: `HTTPS clients of ${args.domainName} (VPC only)`,
        vpcId: args.vpcId,
        ingress: [
          {
            description: "HTTPS from the VPC",
            protocol: "tcp",
            fromPort: 443,
            toPort: 443,
            cidrBlocks: [args.vpcCidr],
          },
        ],
        tags,
      },
      { parent: this },
    );

    this.domain = new aws.opensearch.Domain(
      `${name}-domain`,
      {
        domainName: args.domainName,
        engineVersion: args.engineVersion,
        clusterConfig: {
          instanceType: args.instanceType,
          instanceCount: args.instanceCount,
          zoneAwarenessEnabled: true,
          zoneAwarenessConfig: { availabilityZoneCount: zoneCount },
        },
        ebsOptions: { ebsEnabled: true, volumeType: "gp3", volumeSize: args.volumeSizeGb },
        encryptAtRest: { enabled: true, kmsKeyId: args.kmsKeyArn },
        nodeToNodeEncryption: { enabled: true },
        domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: "Policy-Min-TLS-1-2-PFS-2023-10" },
        advancedSecurityOptions: {
          enabled: true,
          anonymousAuthEnabled: false,
          internalUserDatabaseEnabled: false,
          // The admin function maps every other role; only the master can on a new domain.
          masterUserOptions: { masterUserArn: adminRole.arn },
        },
        vpcOptions: { subnetIds: args.subnetIds, securityGroupIds: [securityGroup.id] },
        accessPolicies: searchAccessPolicy(args.accountId, domainArn),
        tags: args.snapshotBucket ? { ...tags, [SNAPSHOT_BUCKET_TAG]: args.snapshotBucket.bucketName } : tags,
      },
      stateful({ parent: this }),
    );
    const endpoint = this.domain.endpoint;

    const snapshotRole = args.snapshotBucket
      ? searchSnapshotRole(name, args.domainName, args.region, args.snapshotBucket, tags, this)
      : undefined;
    const admin = searchAdminFunction(
      name,
      {
        domainName: args.domainName,
        domainArn,
        endpoint,
        region: args.region,
        role: adminRole,
        snapshotRoleArn: snapshotRole?.arn,
        vpcId: args.vpcId,
        vpcCidr: args.vpcCidr,
        subnetIds: args.subnetIds,
        logKeyArn: args.logKeyArn,
        tags,
      },
      this,
    );
    this.roleMappings = restInvocation(
      `${name}-role-mappings`,
      admin,
      args.region,
      pulumi.all([masterRole.name, args.accountId]).apply(([masterRoleName, account]) => ({
        operation: "roleMappings",
        domainName: args.domainName,
        mappings: roleMappingsFor({
          operatorRoleArn: `arn:aws:iam::${account}:role/${masterRoleName}`,
          adminRoleArn: `arn:aws:iam::${account}:role/${args.adminRoleName}`,
          peerAdminRoleArn: `arn:aws:iam::${account}:role/${args.peerAdminRoleName}`,
        }),
      })),
      { parent: this },
    );

    if (args.snapshotBucket) {
      this.snapshotRepository = restInvocation(
        `${name}-snapshot-repository`,
        admin,
        args.region,
        pulumi.output(args.snapshotBucket.bucketName).apply((bucket) => ({
          operation: "snapshotRepository",
          domainName: args.domainName,
          name: "payments-snapshots",
          bucket,
          bucketRegion: args.region,
          policyName: "payments-scheduled",
          cron: "0 * * * *",
          maxAgeDays: args.snapshotRetentionDays ?? 14,
        })),
        { parent: this, dependsOn: [this.roleMappings] },
      );
    }

    if (args.leader) {
      const leader = args.leader;
      this.connection = new aws.opensearch.OutboundConnection(
        `${name}-connection`,
        {
          connectionAlias: leader.connectionAlias,
          connectionMode: "DIRECT",
          localDomainInfo: {
            domainName: this.domain.domainName,
            region: args.region,
            ownerId: args.accountId,
          },
          remoteDomainInfo: { domainName: leader.domainName, region: leader.region, ownerId: leader.ownerId },
          region: args.region,
        },
        { parent: this },
      );
      // The leader's owner accepts the request in the leader's Region; dr declares it (principle 2).
      const accepter = new aws.opensearch.InboundConnectionAccepter(
        `${name}-connection-accepter`,
        { connectionId: this.connection.id, region: leader.region },
        { parent: this },
      );
      const rule = { leaderAlias: leader.connectionAlias, ruleName: "payments-all" };
      this.followRule = {
        ...rule,
        invocation: restInvocation(
          `${name}-follow-rule`,
          admin,
          args.region,
          {
            operation: "followRule",
            domainName: args.domainName,
            ...rule,
            pattern: leader.indexPattern ?? "*",
            leaderClusterRole: DEFAULT_LEADER_CLUSTER_ROLE,
            followerClusterRole: DEFAULT_FOLLOWER_CLUSTER_ROLE,
          },
          { parent: this, dependsOn: [accepter, this.roleMappings] },
        ),
      };
    }

    this.domainName = this.domain.domainName;
    this.domainArn = this.domain.arn;
    this.endpoint = endpoint;
    this.masterRoleArn = masterRole.arn;
    this.adminRoleArn = adminRole.arn;
    this.registerOutputs({ domainName: this.domainName, domainArn: this.domainArn, endpoint: this.endpoint });
  }
}

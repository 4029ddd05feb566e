import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { SearchFollowRule, SearchSnapshotRepository } from "./searchFollowRule";

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
 * Cross-cluster replication (1.1+), scheduled snapshots (Snapshot Management, 2.1+) and zone
 * awareness preconditions, as operator errors.
 */
export function validateSearchTopology(
  engineVersion: string,
  instanceCount: number,
  zoneCount: number,
  scheduledSnapshots = false,
): void {
  const match = /^OpenSearch_(\d+)\.(\d+)$/.exec(engineVersion);
  const version = match ? Number(match[1]) * 1000 + Number(match[2]) : NaN;
  if (!(version >= (scheduledSnapshots ? 2001 : 1001))) {
    throw new Error(
      `Invalid config payments-dr:search.engineVersion = "${engineVersion}": expected ` +
        (scheduledSnapshots
          ? "OpenSearch_2.1 or later (scheduled snapshots need Snapshot Management)"
          : "OpenSearch_1.1 or later (cross-cluster replication needs it)") +
        ', e.g. "OpenSearch_2.17". Fix: pulumi config set --path ' +
        "payments-dr:search.engineVersion OpenSearch_2.17",
    );
  }
  if (instanceCount % zoneCount !== 0) {
    throw new Error(
      `Invalid config payments-dr:search.instanceCount = ${instanceCount}: expected a multiple of ${zoneCount} ` +
        `(zone awareness spreads data nodes evenly over ${zoneCount} Availability Zones). Fix: pulumi config set ` +
        `--path payments-dr:search.instanceCount ${zoneCount}`,
    );
  }
}

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
  public readonly connection?: aws.opensearch.OutboundConnection;
  public readonly followRule?: SearchFollowRule;
  public readonly snapshotRepository?: SearchSnapshotRepository;

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

    // Operators and the deployment assume this role to administer the domain; nothing else is
    // a master (no internal user database, no password).
    const masterRole = new aws.iam.Role(
      `${name}-master-role`,
      {
        description: `Fine-grained access control master of ${args.domainName}`,
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
          masterUserOptions: { masterUserArn: masterRole.arn },
        },
        vpcOptions: { subnetIds: args.subnetIds, securityGroupIds: [securityGroup.id] },
        // IAM lets the account's principals through; fine-grained access control decides what each may do.
        accessPolicies: pulumi.all([args.accountId, domainArn]).apply(([account, arn]) =>
          JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              {
                Effect: "Allow",
                Principal: { AWS: `arn:aws:iam::${account}:root` },
                Action: "es:ESHttp*",
                Resource: `${arn}/*`,
              },
            ],
          }),
        ),
        tags: args.snapshotBucket ? { ...tags, [SNAPSHOT_BUCKET_TAG]: args.snapshotBucket.bucketName } : tags,
      },
      stateful({ parent: this }),
    );
    const endpoint = this.domain.endpoint;

    if (args.snapshotBucket) {
      const snapshotRole = new aws.iam.Role(
        `${name}-snapshot-role`,
        {
          description: `OpenSearch writes manual snapshots of ${args.domainName} to S3`,
          assumeRolePolicy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              { Effect: "Allow", Principal: { Service: "es.amazonaws.com" }, Action: "sts:AssumeRole" },
            ],
          }),
          inlinePolicies: [
            {
              name: "snapshot-bucket",
              policy: pulumi.output(args.snapshotBucket.bucketArn).apply((bucketArn) =>
                JSON.stringify({
                  Version: "2012-10-17",
                  Statement: [
                    { Effect: "Allow", Action: ["s3:ListBucket"], Resource: bucketArn },
                    {
                      Effect: "Allow",
                      Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
                      Resource: `${bucketArn}/*`,
                    },
                  ],
                }),
              ),
            },
          ],
          tags,
        },
        { parent: this },
      );
      this.snapshotRepository = new SearchSnapshotRepository(
        `${name}-snapshot-repository`,
        {
          endpoint,
          region: args.region,
          name: "payments-snapshots",
          bucket: args.snapshotBucket.bucketName,
          bucketRegion: args.region,
          roleArn: snapshotRole.arn,
          maxAgeDays: args.snapshotRetentionDays ?? 14,
        },
        { parent: this },
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
      this.followRule = new SearchFollowRule(
        `${name}-follow-rule`,
        {
          endpoint,
          region: args.region,
          leaderAlias: leader.connectionAlias,
          ruleName: "payments-all",
          pattern: leader.indexPattern ?? "*",
        },
        { parent: this, dependsOn: [accepter] },
      );
    }

    this.domainName = this.domain.domainName;
    this.domainArn = this.domain.arn;
    this.endpoint = endpoint;
    this.masterRoleArn = masterRole.arn;
    this.registerOutputs({ domainName: this.domainName, domainArn: this.domainArn, endpoint: this.endpoint });
  }
}

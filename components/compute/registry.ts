import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PULL_THROUGH_UPSTREAM } from "../../model/images";
import { PAYMENTS_APP_NAME, PULL_THROUGH_CACHE_PREFIX } from "../../model/workload";

/**
 * The namespace of the application's repositories. Creation templates match `<prefix>/`, so the
 * payments repository lives under it (`payments-dr/payments-api`) and the replication template
 * of the peer Region applies to its replica.
 */
export const REPOSITORY_NAMESPACE = "payments-dr";
export const PAYMENTS_REPOSITORY = `${REPOSITORY_NAMESPACE}/${PAYMENTS_APP_NAME}`;

export interface ImageRegistryArgs {
  /** The registry's Region (the stack's). */
  readonly region: string;
  readonly accountId: pulumi.Input<string>;
  /** The stack's CMK in `region` that encrypts the repositories (the cluster key). */
  readonly kmsKeyArn: pulumi.Input<string>;
  /**
   * The Region the registry replicates the payments repository to. Only the primary declares
   * the repository and the replication: a registry has ONE replication configuration per Region,
   * and a second stack declaring one would overwrite it.
   *
   * @default - no repository and no replication (the dr stack: it receives the replica)
   */
  readonly replicateTo?: string;
  /**
   * Roles that pull through the cache (the EKS nodes' role): the first pull of an image imports
   * it and may create its repository, which the read-only ECR policy does not allow.
   *
   * @default - none
   */
  readonly pullThroughRoleNames?: readonly pulumi.Input<string>[];
  readonly tags?: Readonly<Record<string, string>>;
}

/** The replication configuration's rule: the payments namespace only, to the same account's registry in the peer Region. */
export function replicationRules(accountId: string, peerRegion: string) {
  return [
    {
      destinations: [{ region: peerRegion, registryId: accountId }],
      repositoryFilters: [{ filter: `${REPOSITORY_NAMESPACE}/`, filterType: "PREFIX_MATCH" }],
    },
  ];
}

/** What ECR's repository-creation role may do: create the repository and replicate into it, and use only this Region's CMK. */
export function templateRolePolicy(accountId: string, region: string, kmsKeyArn: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "CreateRepositoriesFromTemplates",
        Effect: "Allow",
        Action: ["ecr:CreateRepository", "ecr:ReplicateImage", "ecr:TagResource"],
        Resource: [
          `arn:aws:ecr:${region}:${accountId}:repository/${REPOSITORY_NAMESPACE}/*`,
          `arn:aws:ecr:${region}:${accountId}:repository/${PULL_THROUGH_CACHE_PREFIX}/*`,
        ],
      },
      {
        Sid: "EncryptWithTheRegionsKey",
        Effect: "Allow",
        Action: ["kms:CreateGrant", "kms:RetireGrant", "kms:DescribeKey"],
        Resource: kmsKeyArn,
      },
    ],
  });
}

/** What pulling through the cache needs beyond read-only ECR access, on the cached namespace only. */
export function pullThroughPolicy(accountId: string, region: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ImportUpstreamImagesIntoTheCache",
        Effect: "Allow",
        Action: ["ecr:BatchImportUpstreamImage", "ecr:CreateRepository"],
        Resource: `arn:aws:ecr:${region}:${accountId}:repository/${PULL_THROUGH_CACHE_PREFIX}/*`,
      },
    ],
  });
}

/**
 * One Region's ECR registry setup: a pull-through cache rule for ECR Public (prefix `ecr-public`),
 * repository creation templates that encrypt what ECR creates here (replicas, cached upstream
 * repositories) with this Region's CMK and make their tags immutable, and, on the primary, the
 * payments repository and the registry's replication of it to the peer Region.
 */
export class ImageRegistry extends pulumi.ComponentResource {
  /** `<account>.dkr.ecr.<region>.amazonaws.com`. */
  public readonly registryHost: pulumi.Output<string>;
  /** The primary's repository URL; undefined on dr (its replica is created by ECR on the first push). */
  public readonly repositoryUrl?: pulumi.Output<string>;
  public readonly pullThroughCacheRule: aws.ecr.PullThroughCacheRule;

  constructor(name: string, args: ImageRegistryArgs, opts?: pulumi.ComponentResourceOptions) {
    super("payments-dr:components:ImageRegistry", name, {}, opts);
    const { region } = args;
    const tags = args.tags ?? {};
    const child = { parent: this };
    const encryptionConfigurations = [{ encryptionType: "KMS", kmsKey: args.kmsKeyArn }];

    const role = new aws.iam.Role(
      `${name}-template-role`,
      {
        description: `ECR creates repositories from templates in ${region}`,
        assumeRolePolicy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            { Effect: "Allow", Principal: { Service: "ecr.amazonaws.com" }, Action: "sts:AssumeRole" },
          ],
        }),
        tags,
      },
      child,
    );
    const rolePolicy = new aws.iam.RolePolicy(
      `${name}-template-role-policy`,
      {
        role: role.name,
        policy: pulumi
          .all([args.accountId, args.kmsKeyArn])
          .apply(([account, key]) => templateRolePolicy(account, region, key)),
      },
      child,
    );
    const template = (suffix: string, prefix: string, appliedFor: string, description: string) =>
      new aws.ecr.RepositoryCreationTemplate(
        `${name}-${suffix}-template`,
        {
          prefix,
          appliedFors: [appliedFor],
          description,
          imageTagMutability: "IMMUTABLE",
          encryptionConfigurations,
          customRoleArn: role.arn,
          resourceTags: tags,
          region,
        },
        { ...child, dependsOn: [rolePolicy] },
      );
    template(
      "replication",
      REPOSITORY_NAMESPACE,
      "REPLICATION",
      `Replicas of ${REPOSITORY_NAMESPACE}/ repositories in ${region}`,
    );
    template(
      "pull-through",
      PULL_THROUGH_CACHE_PREFIX,
      "PULL_THROUGH_CACHE",
      `Cached ${PULL_THROUGH_UPSTREAM} images in ${region}`,
    );

    this.pullThroughCacheRule = new aws.ecr.PullThroughCacheRule(
      `${name}-pull-through`,
      { ecrRepositoryPrefix: PULL_THROUGH_CACHE_PREFIX, upstreamRegistryUrl: PULL_THROUGH_UPSTREAM, region },
      child,
    );

    (args.pullThroughRoleNames ?? []).forEach((role, i) => {
      new aws.iam.RolePolicy(
        `${name}-pull-through-puller-${i}`,
        {
          role,
          policy: pulumi.output(args.accountId).apply((account) => pullThroughPolicy(account, region)),
        },
        child,
      );
    });

    if (args.replicateTo !== undefined) {
      const peerRegion = args.replicateTo;
      const repository = new aws.ecr.Repository(
        `${name}-payments`,
        {
          name: PAYMENTS_REPOSITORY,
          imageTagMutability: "IMMUTABLE",
          imageScanningConfiguration: { scanOnPush: true },
          encryptionConfigurations,
          region,
          tags,
        },
        child,
      );
      new aws.ecr.ReplicationConfiguration(
        `${name}-replication`,
        {
          replicationConfiguration: {
            rules: pulumi.output(args.accountId).apply((account) => replicationRules(account, peerRegion)),
          },
          region,
        },
        child,
      );
      this.repositoryUrl = repository.repositoryUrl;
    }
    this.registryHost = pulumi
      .output(args.accountId)
      .apply((account) => `${account}.dkr.ecr.${region}.amazonaws.com`);
    this.registerOutputs({ registryHost: this.registryHost, repositoryUrl: this.repositoryUrl });
  }
}

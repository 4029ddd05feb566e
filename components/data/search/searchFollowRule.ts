/**
 * OpenSearch REST resources as Pulumi dynamic resources: the cross-cluster replication auto-follow
 * rule on a follower domain, and the S3 snapshot repository on any domain. Neither is an AWS API
 * resource; both are signed REST calls (`opensearchApi.ts`) made by the machine running
 * `pulumi up`, which must reach the domain's VPC endpoint and sign as an identity fine-grained
 * access control maps to the needed roles (see docs/databases.md).
 *
 * The providers below are serialised by Pulumi into the state with every function they reach, so
 * they only call the client module's functions and hold no other state.
 */
import * as pulumi from "@pulumi/pulumi";
import {
  createAutoFollowRule,
  deleteAutoFollowRule,
  deleteSnapshotPolicy,
  deleteSnapshotRepository,
  putSnapshotPolicy,
  registerSnapshotRepository,
} from "./opensearchApi";

export const DEFAULT_LEADER_CLUSTER_ROLE = "cross_cluster_replication_leader_full_access";
export const DEFAULT_FOLLOWER_CLUSTER_ROLE = "cross_cluster_replication_follower_full_access";

/** Provider-side inputs of a follow rule (resolved values). */
export interface FollowRuleInputs {
  readonly endpoint: string;
  readonly region: string;
  readonly leaderAlias: string;
  readonly ruleName: string;
  readonly pattern: string;
  readonly leaderClusterRole: string;
  readonly followerClusterRole: string;
}

/** Changing where the rule lives, or its identity, is a new rule; the pattern and roles are updates. */
export const FOLLOW_RULE_REPLACE_KEYS = ["endpoint", "region", "leaderAlias", "ruleName"] as const;
export const FOLLOW_RULE_UPDATE_KEYS = ["pattern", "leaderClusterRole", "followerClusterRole"] as const;

export function diffKeys<T extends object>(
  olds: T,
  news: T,
  replaceKeys: readonly (keyof T)[],
  updateKeys: readonly (keyof T)[],
): pulumi.dynamic.DiffResult {
  const changed = (key: keyof T) => olds[key] !== news[key];
  const replaces = replaceKeys.filter(changed).map(String);
  const updates = updateKeys.filter(changed).map(String);
  return {
    changes: replaces.length + updates.length > 0,
    replaces,
    // Two rules with the same name cannot coexist on a follower.
    deleteBeforeReplace: replaces.length > 0,
  };
}

export const followRuleProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: FollowRuleInputs) {
    await createAutoFollowRule({ endpoint: inputs.endpoint, region: inputs.region }, inputs);
    return { id: `${inputs.leaderAlias}/${inputs.ruleName}`, outs: inputs };
  },
  async diff(_id: string, olds: FollowRuleInputs, news: FollowRuleInputs) {
    return diffKeys(olds, news, FOLLOW_RULE_REPLACE_KEYS, FOLLOW_RULE_UPDATE_KEYS);
  },
  async update(_id: string, olds: FollowRuleInputs, news: FollowRuleInputs) {
    // The plugin has no "modify rule" call: replace the rule under the same name. Indices already
    // replicating keep replicating; only new leader indices are matched against the new pattern.
    await deleteAutoFollowRule({ endpoint: olds.endpoint, region: olds.region }, olds);
    await createAutoFollowRule({ endpoint: news.endpoint, region: news.region }, news);
    return { outs: news };
  },
  async delete(_id: string, props: FollowRuleInputs) {
    await deleteAutoFollowRule({ endpoint: props.endpoint, region: props.region }, props);
  },
};

export interface SearchFollowRuleArgs {
  /** The follower domain's endpoint. */
  readonly endpoint: pulumi.Input<string>;
  /** The follower domain's Region. */
  readonly region: pulumi.Input<string>;
  /** Alias of the accepted cross-cluster connection to the leader. */
  readonly leaderAlias: pulumi.Input<string>;
  readonly ruleName: pulumi.Input<string>;
  /** Leader index pattern to replicate, e.g. `payments-*`. */
  readonly pattern: pulumi.Input<string>;
  /** @default "cross_cluster_replication_leader_full_access" */
  readonly leaderClusterRole?: pulumi.Input<string>;
  /** @default "cross_cluster_replication_follower_full_access" */
  readonly followerClusterRole?: pulumi.Input<string>;
}

/** An auto-follow rule: every leader index matching `pattern` is replicated to the follower. */
export class SearchFollowRule extends pulumi.dynamic.Resource {
  // `declare`: a field initialiser would overwrite the outputs the base constructor assigns.
  declare public readonly ruleName: pulumi.Output<string>;
  declare public readonly leaderAlias: pulumi.Output<string>;
  declare public readonly pattern: pulumi.Output<string>;

  constructor(name: string, args: SearchFollowRuleArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      followRuleProvider,
      name,
      {
        endpoint: args.endpoint,
        region: args.region,
        leaderAlias: args.leaderAlias,
        ruleName: args.ruleName,
        pattern: args.pattern,
        leaderClusterRole: args.leaderClusterRole ?? DEFAULT_LEADER_CLUSTER_ROLE,
        followerClusterRole: args.followerClusterRole ?? DEFAULT_FOLLOWER_CLUSTER_ROLE,
      },
      opts,
      "opensearch",
      "FollowRule",
    );
  }
}

/** Provider-side inputs of a snapshot repository and its schedule (resolved values). */
export interface SnapshotRepositoryInputs {
  readonly endpoint: string;
  readonly region: string;
  readonly name: string;
  readonly bucket: string;
  readonly bucketRegion: string;
  readonly roleArn: string;
  /** Snapshot Management policy that snapshots every index into the repository. */
  readonly policyName: string;
  readonly cron: string;
  readonly maxAgeDays: number;
}

export const SNAPSHOT_REPOSITORY_REPLACE_KEYS = ["endpoint", "region", "name", "policyName"] as const;
export const SNAPSHOT_REPOSITORY_UPDATE_KEYS = [
  "bucket",
  "bucketRegion",
  "roleArn",
  "cron",
  "maxAgeDays",
] as const;

export const snapshotRepositoryProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: SnapshotRepositoryInputs) {
    const target = { endpoint: inputs.endpoint, region: inputs.region };
    await registerSnapshotRepository(target, inputs);
    await putSnapshotPolicy(target, { ...inputs, repository: inputs.name });
    return { id: inputs.name, outs: inputs };
  },
  async diff(_id: string, olds: SnapshotRepositoryInputs, news: SnapshotRepositoryInputs) {
    return diffKeys(olds, news, SNAPSHOT_REPOSITORY_REPLACE_KEYS, SNAPSHOT_REPOSITORY_UPDATE_KEYS);
  },
  async update(_id: string, _olds: SnapshotRepositoryInputs, news: SnapshotRepositoryInputs) {
    // Registering again overwrites the repository's settings; the policy is updated in place.
    const target = { endpoint: news.endpoint, region: news.region };
    await registerSnapshotRepository(target, news);
    await putSnapshotPolicy(target, { ...news, repository: news.name });
    return { outs: news };
  },
  async delete(_id: string, props: SnapshotRepositoryInputs) {
    const target = { endpoint: props.endpoint, region: props.region };
    await deleteSnapshotPolicy(target, props.policyName);
    await deleteSnapshotRepository(target, props.name);
  },
};

export interface SearchSnapshotRepositoryArgs {
  readonly endpoint: pulumi.Input<string>;
  /** The domain's Region. */
  readonly region: pulumi.Input<string>;
  /** Repository name inside OpenSearch. */
  readonly name: pulumi.Input<string>;
  readonly bucket: pulumi.Input<string>;
  /** The bucket's Region (the domain's own: the bucket replicates itself to the peer Region). */
  readonly bucketRegion: pulumi.Input<string>;
  /** Role OpenSearch assumes to read and write the bucket. */
  readonly roleArn: pulumi.Input<string>;
  /** @default "payments-scheduled" */
  readonly policyName?: pulumi.Input<string>;
  /** Snapshot schedule, cron in UTC. @default "0 * * * *" (hourly) */
  readonly cron?: pulumi.Input<string>;
  /** Age after which scheduled snapshots are deleted. @default 14 */
  readonly maxAgeDays?: pulumi.Input<number>;
}

/**
 * A manual-snapshot repository registered on a domain (`PUT _snapshot/<name>`) and the Snapshot
 * Management policy that fills it on a schedule (OpenSearch 2.1+).
 */
export class SearchSnapshotRepository extends pulumi.dynamic.Resource {
  declare public readonly name: pulumi.Output<string>;
  declare public readonly bucket: pulumi.Output<string>;
  declare public readonly policyName: pulumi.Output<string>;

  constructor(name: string, args: SearchSnapshotRepositoryArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      snapshotRepositoryProvider,
      name,
      {
        ...args,
        policyName: args.policyName ?? "payments-scheduled",
        cron: args.cron ?? "0 * * * *",
        maxAgeDays: args.maxAgeDays ?? 14,
      },
      opts,
      "opensearch",
      "SnapshotRepository",
    );
  }
}

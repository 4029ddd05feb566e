/**
 * The OpenSearch REST resources this project manages, on top of the signed client: the
 * cross-cluster replication auto-follow rule and the S3 snapshot repository. Creates and deletes
 * are idempotent, so a retried `pulumi up` or `destroy` converges.
 */
import {
  CallOptions,
  callOpenSearch,
  OpenSearchError,
  OpenSearchRequest,
  OpenSearchTarget,
} from "./opensearchClient";

export function isAlreadyExists(error: unknown): boolean {
  return (
    error instanceof OpenSearchError &&
    (error.errorType === "resource_already_exists_exception" || /already exists/i.test(error.reason ?? ""))
  );
}

export function isNotFound(error: unknown): boolean {
  return (
    error instanceof OpenSearchError &&
    (error.status === 404 ||
      error.errorType === "resource_not_found_exception" ||
      /does not exist|not found/i.test(error.reason ?? ""))
  );
}

export interface AutoFollowRule {
  /** The cross-cluster connection alias that names the leader domain. */
  readonly leaderAlias: string;
  readonly ruleName: string;
  /** Index pattern on the leader, e.g. `payments-*`. */
  readonly pattern: string;
  readonly leaderClusterRole: string;
  readonly followerClusterRole: string;
}

export const AUTOFOLLOW_PATH = "/_plugins/_replication/_autofollow";

export function createAutoFollowRequest(rule: AutoFollowRule): OpenSearchRequest {
  return {
    method: "POST",
    path: AUTOFOLLOW_PATH,
    body: {
      leader_alias: rule.leaderAlias,
      name: rule.ruleName,
      pattern: rule.pattern,
      use_roles: {
        leader_cluster_role: rule.leaderClusterRole,
        follower_cluster_role: rule.followerClusterRole,
      },
    },
  };
}

export function deleteAutoFollowRequest(
  rule: Pick<AutoFollowRule, "leaderAlias" | "ruleName">,
): OpenSearchRequest {
  return {
    method: "DELETE",
    path: AUTOFOLLOW_PATH,
    body: { leader_alias: rule.leaderAlias, name: rule.ruleName },
  };
}

/** Creates the rule; a rule of that name that already exists counts as created (idempotent retries). */
export async function createAutoFollowRule(
  target: OpenSearchTarget,
  rule: AutoFollowRule,
  options?: CallOptions,
): Promise<"created" | "exists"> {
  try {
    await callOpenSearch(target, createAutoFollowRequest(rule), options);
    return "created";
  } catch (error) {
    if (isAlreadyExists(error)) return "exists";
    throw error;
  }
}

/** Deletes the rule; a rule that is already gone counts as deleted. */
export async function deleteAutoFollowRule(
  target: OpenSearchTarget,
  rule: Pick<AutoFollowRule, "leaderAlias" | "ruleName">,
  options?: CallOptions,
): Promise<"deleted" | "absent"> {
  try {
    await callOpenSearch(target, deleteAutoFollowRequest(rule), options);
    return "deleted";
  } catch (error) {
    if (isNotFound(error)) return "absent";
    throw error;
  }
}

export interface SnapshotRepository {
  readonly name: string;
  readonly bucket: string;
  /** The bucket's Region. */
  readonly bucketRegion: string;
  /** Role OpenSearch assumes to write snapshots; the caller needs `iam:PassRole` on it. */
  readonly roleArn: string;
}

export function registerSnapshotRepositoryRequest(repository: SnapshotRepository): OpenSearchRequest {
  return {
    method: "PUT",
    path: `/_snapshot/${encodeURIComponent(repository.name)}`,
    body: {
      type: "s3",
      settings: {
        bucket: repository.bucket,
        region: repository.bucketRegion,
        role_arn: repository.roleArn,
        server_side_encryption: true,
      },
    },
  };
}

/** PUT is idempotent in OpenSearch: registering again overwrites the settings. */
export async function registerSnapshotRepository(
  target: OpenSearchTarget,
  repository: SnapshotRepository,
  options?: CallOptions,
): Promise<void> {
  await callOpenSearch(target, registerSnapshotRepositoryRequest(repository), options);
}

/** Unregisters the repository (snapshots stay in the bucket); an unknown repository counts as removed. */
export async function deleteSnapshotRepository(
  target: OpenSearchTarget,
  name: string,
  options?: CallOptions,
): Promise<"deleted" | "absent"> {
  try {
    await callOpenSearch(
      target,
      { method: "DELETE", path: `/_snapshot/${encodeURIComponent(name)}` },
      options,
    );
    return "deleted";
  } catch (error) {
    if (
      isNotFound(error) ||
      (error instanceof OpenSearchError && error.errorType === "repository_missing_exception")
    ) {
      return "absent";
    }
    throw error;
  }
}

/** A Snapshot Management policy (OpenSearch 2.1+): scheduled snapshots into a repository. */
export interface SnapshotPolicy {
  readonly policyName: string;
  readonly repository: string;
  /** Creation schedule, cron in UTC, e.g. `0 * * * *` (hourly). */
  readonly cron: string;
  /** Snapshots older than this are deleted (the newest one is always kept). */
  readonly maxAgeDays: number;
}

const SM_PATH = "/_plugins/_sm/policies";

export function snapshotPolicyBody(policy: SnapshotPolicy): Record<string, unknown> {
  return {
    description: `Scheduled snapshots to ${policy.repository} (managed by payments-dr)`,
    creation: { schedule: { cron: { expression: policy.cron, timezone: "UTC" } }, time_limit: "1h" },
    deletion: {
      schedule: { cron: { expression: policy.cron, timezone: "UTC" } },
      condition: { max_age: `${policy.maxAgeDays}d`, min_count: 1 },
      time_limit: "1h",
    },
    snapshot_config: {
      repository: policy.repository,
      indices: "*",
      include_global_state: false,
      ignore_unavailable: true,
      partial: false,
      date_format: "yyyy-MM-dd-HH-mm",
      timezone: "UTC",
    },
  };
}

/**
 * Creates the policy, or updates it when it exists: SM updates are optimistic (`if_seq_no` and
 * `if_primary_term` of the stored policy), so an existing policy is read first.
 */
export async function putSnapshotPolicy(
  target: OpenSearchTarget,
  policy: SnapshotPolicy,
  options?: CallOptions,
): Promise<"created" | "updated"> {
  const path = `${SM_PATH}/${encodeURIComponent(policy.policyName)}`;
  const body = snapshotPolicyBody(policy);
  try {
    await callOpenSearch(target, { method: "POST", path, body }, options);
    return "created";
  } catch (error) {
    if (!isAlreadyExists(error)) throw error;
  }
  const current = await callOpenSearch(target, { method: "GET", path }, options);
  const { _seq_no: seqNo, _primary_term: primaryTerm } = JSON.parse(current.body) as {
    _seq_no?: number;
    _primary_term?: number;
  };
  await callOpenSearch(
    target,
    { method: "PUT", path: `${path}?if_seq_no=${seqNo}&if_primary_term=${primaryTerm}`, body },
    options,
  );
  return "updated";
}

/** Deletes the policy (its snapshots stay in the repository); an unknown policy counts as deleted. */
export async function deleteSnapshotPolicy(
  target: OpenSearchTarget,
  policyName: string,
  options?: CallOptions,
): Promise<"deleted" | "absent"> {
  try {
    await callOpenSearch(
      target,
      { method: "DELETE", path: `${SM_PATH}/${encodeURIComponent(policyName)}` },
      options,
    );
    return "deleted";
  } catch (error) {
    if (isNotFound(error)) return "absent";
    throw error;
  }
}

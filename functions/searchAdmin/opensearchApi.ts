/**
 * The OpenSearch REST resources this project manages, on top of the signed client: security-plugin
 * role mappings, the cross-cluster replication auto-follow rule, the S3 snapshot repository and its
 * Snapshot Management policy. Creates and deletes are idempotent, so a retried invocation converges.
 * Called by the search admin Lambda (handler.ts), inside the domain's VPC.
 */
import {
  CallOptions,
  callOpenSearch,
  OpenSearchError,
  OpenSearchRequest,
  OpenSearchTarget,
} from "../../components/data/search/opensearchClient";

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

/**
 * No `server_side_encryption` setting: `true` makes the repository plugin request SSE-S3 on every
 * object, overriding the bucket's default SSE-KMS with the objects key. Without it S3 applies the
 * bucket default, and the snapshot role holds the KMS permissions that needs.
 */
export function registerSnapshotRepositoryRequest(repository: SnapshotRepository): OpenSearchRequest {
  return {
    method: "PUT",
    path: `/_snapshot/${encodeURIComponent(repository.name)}`,
    body: {
      type: "s3",
      settings: { bucket: repository.bucket, region: repository.bucketRegion, role_arn: repository.roleArn },
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

/** A security-plugin role mapping: who holds a role. */
export interface RoleMapping {
  readonly backend_roles: string[];
  readonly hosts: string[];
  readonly users: string[];
}

const ROLES_MAPPING_PATH = "/_plugins/_security/api/rolesmapping";

/** The current mapping of `role`; a role nobody is mapped to yet reads as empty. */
export async function getRoleMapping(
  target: OpenSearchTarget,
  role: string,
  options?: CallOptions,
): Promise<RoleMapping> {
  try {
    const response = await callOpenSearch(
      target,
      { method: "GET", path: `${ROLES_MAPPING_PATH}/${encodeURIComponent(role)}` },
      options,
    );
    const mapping = (JSON.parse(response.body) as Record<string, Partial<RoleMapping>>)[role] ?? {};
    return {
      backend_roles: mapping.backend_roles ?? [],
      hosts: mapping.hosts ?? [],
      users: mapping.users ?? [],
    };
  } catch (error) {
    if (isNotFound(error)) return { backend_roles: [], hosts: [], users: [] };
    throw error;
  }
}

/** Writes the whole mapping of `role` (PUT replaces it: callers merge with `getRoleMapping` first). */
export async function putRoleMapping(
  target: OpenSearchTarget,
  role: string,
  mapping: RoleMapping,
  options?: CallOptions,
): Promise<void> {
  await callOpenSearch(
    target,
    { method: "PUT", path: `${ROLES_MAPPING_PATH}/${encodeURIComponent(role)}`, body: mapping },
    options,
  );
}

/**
 * What the program asks the search admin function to do: one desired REST state per invocation
 * (`aws.lambda.Invocation` with `lifecycleScope: "CRUD"`), and the lifecycle the provider adds.
 *
 * The provider (terraform-provider-aws `aws_lambda_invocation`) sends the resource's `input` JSON
 * with one more key, `tf` by default (`terraformKey`): `{ action, prev_input }`. `action` is
 * `create`, `update` or `delete`; `prev_input` is null on create, the previous input on update,
 * and on delete the same input as the top level (the state's).
 */

export const LIFECYCLE_KEY = "tf";

export interface Lifecycle {
  readonly action: "create" | "update" | "delete";
  readonly prev_input: Record<string, unknown> | null;
}

/** Security-plugin roles and the IAM role ARNs (backend roles) this stack maps to each. */
export interface RoleMappingsRequest {
  readonly operation: "roleMappings";
  readonly domainName: string;
  readonly mappings: Readonly<Record<string, readonly string[]>>;
}

/** A manual-snapshot repository in S3 and the Snapshot Management policy that fills it. */
export interface SnapshotRepositoryRequest {
  readonly operation: "snapshotRepository";
  readonly domainName: string;
  readonly name: string;
  readonly bucket: string;
  readonly bucketRegion: string;
  readonly policyName: string;
  /** Cron in UTC, e.g. `0 * * * *`. */
  readonly cron: string;
  readonly maxAgeDays: number;
}

/** A cross-cluster replication auto-follow rule on this (follower) domain. */
export interface FollowRuleRequest {
  readonly operation: "followRule";
  readonly domainName: string;
  readonly leaderAlias: string;
  readonly ruleName: string;
  readonly pattern: string;
  readonly leaderClusterRole: string;
  readonly followerClusterRole: string;
}

export type SearchAdminRequest = RoleMappingsRequest | SnapshotRepositoryRequest | FollowRuleRequest;
export type SearchAdminEvent = SearchAdminRequest & { readonly [LIFECYCLE_KEY]?: Lifecycle };

const FIELDS: Readonly<Record<SearchAdminRequest["operation"], Readonly<Record<string, string>>>> = {
  roleMappings: { domainName: "string", mappings: "object" },
  snapshotRepository: {
    domainName: "string",
    name: "string",
    bucket: "string",
    bucketRegion: "string",
    policyName: "string",
    cron: "string",
    maxAgeDays: "number",
  },
  followRule: {
    domainName: "string",
    leaderAlias: "string",
    ruleName: "string",
    pattern: "string",
    leaderClusterRole: "string",
    followerClusterRole: "string",
  },
};

/** Checks a request's shape, naming the first field that is missing or of the wrong type. */
export function parseRequest(value: unknown): SearchAdminRequest {
  const input = (value ?? {}) as Record<string, unknown>;
  const operation = input.operation as SearchAdminRequest["operation"];
  const fields = FIELDS[operation];
  if (!fields) {
    throw new Error(
      `Invalid search admin request: operation = ${JSON.stringify(input.operation)}: expected one of ${Object.keys(FIELDS).join(", ")}`,
    );
  }
  for (const [field, type] of Object.entries(fields)) {
    const actual = input[field];
    if (typeof actual !== type || actual === null || actual === "") {
      throw new Error(
        `Invalid ${operation} request: ${field} = ${JSON.stringify(actual)}: expected a non-empty ${type}`,
      );
    }
  }
  if (operation === "roleMappings") {
    for (const [role, arns] of Object.entries(input.mappings as Record<string, unknown>)) {
      if (!Array.isArray(arns) || arns.some((arn) => typeof arn !== "string" || !arn.startsWith("arn:"))) {
        throw new Error(
          `Invalid roleMappings request: mappings.${role} = ${JSON.stringify(arns)}: expected a list of IAM role ARNs`,
        );
      }
    }
  }
  return input as unknown as SearchAdminRequest;
}

/** The lifecycle the provider added; a direct invocation without one is a create. */
export function lifecycleOf(event: Record<string, unknown>): Lifecycle {
  const lifecycle = event[LIFECYCLE_KEY] as Partial<Lifecycle> | undefined;
  if (lifecycle === undefined) return { action: "create", prev_input: null };
  if (lifecycle.action !== "create" && lifecycle.action !== "update" && lifecycle.action !== "delete") {
    throw new Error(
      `Invalid lifecycle: ${LIFECYCLE_KEY}.action = ${JSON.stringify(lifecycle.action)}: expected create, update or delete`,
    );
  }
  return { action: lifecycle.action, prev_input: lifecycle.prev_input ?? null };
}

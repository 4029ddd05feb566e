/**
 * The search admin function's three operations, each converging a domain on the desired state of
 * one request for a create, an update (from the previous request) or a delete. Every step is
 * idempotent, so a retried invocation repeats nothing harmful.
 */
import type { CallOptions, OpenSearchTarget } from "../../components/data/search/opensearchClient";
import {
  createAutoFollowRule,
  deleteAutoFollowRule,
  deleteSnapshotPolicy,
  deleteSnapshotRepository,
  getRoleMapping,
  putRoleMapping,
  putSnapshotPolicy,
  registerSnapshotRepository,
} from "./opensearchApi";
import { FollowRuleRequest, Lifecycle, RoleMappingsRequest, SnapshotRepositoryRequest } from "./requests";

/** Where and as whom the calls go. */
export interface Context {
  readonly target: OpenSearchTarget;
  /** The role OpenSearch assumes to write snapshots (the function holds `iam:PassRole` on it). */
  readonly snapshotRoleArn: string;
  readonly options?: CallOptions;
}

/** What an invocation did, step by step: the Invocation's `result`. */
export type Steps = string[];

/**
 * Adds this stack's backend roles to each security role and removes the ones it no longer maps,
 * keeping every other entry (the master user AWS maps, mappings made by hand). On delete, removes
 * what this stack mapped.
 */
export async function roleMappings(
  context: Context,
  request: RoleMappingsRequest,
  lifecycle: Lifecycle,
): Promise<Steps> {
  const previous = (lifecycle.prev_input as RoleMappingsRequest | null)?.mappings ?? {};
  const desired = lifecycle.action === "delete" ? {} : request.mappings;
  const removed = lifecycle.action === "delete" ? request.mappings : previous;
  const roles = [...new Set([...Object.keys(removed), ...Object.keys(desired)])].sort();
  const steps: Steps = [];
  for (const role of roles) {
    const current = await getRoleMapping(context.target, role, context.options);
    const wanted = desired[role] ?? [];
    const dropped = (removed[role] ?? []).filter((arn) => !wanted.includes(arn));
    const kept = current.backend_roles.filter((arn) => !dropped.includes(arn));
    const backendRoles = [...kept, ...wanted.filter((arn) => !kept.includes(arn))];
    if (sameList(backendRoles, current.backend_roles)) {
      steps.push(`rolesmapping ${role}: unchanged`);
      continue;
    }
    await putRoleMapping(context.target, role, { ...current, backend_roles: backendRoles }, context.options);
    steps.push(`rolesmapping ${role}: ${backendRoles.length} backend role(s)`);
  }
  return steps;
}

/**
 * Registers the repository (PUT overwrites its settings) and creates or updates its schedule. A
 * renamed repository or policy removes the previous one first; delete removes the schedule, then
 * unregisters the repository (its snapshots stay in the bucket).
 */
export async function snapshotRepository(
  context: Context,
  request: SnapshotRepositoryRequest,
  lifecycle: Lifecycle,
): Promise<Steps> {
  const { target, options } = context;
  const steps: Steps = [];
  if (lifecycle.action === "delete") {
    steps.push(
      `policy ${request.policyName}: ${await deleteSnapshotPolicy(target, request.policyName, options)}`,
    );
    steps.push(
      `repository ${request.name}: ${await deleteSnapshotRepository(target, request.name, options)}`,
    );
    return steps;
  }
  const previous = lifecycle.prev_input as SnapshotRepositoryRequest | null;
  if (previous && previous.policyName !== request.policyName) {
    steps.push(
      `policy ${previous.policyName}: ${await deleteSnapshotPolicy(target, previous.policyName, options)}`,
    );
  }
  await registerSnapshotRepository(
    target,
    {
      name: request.name,
      bucket: request.bucket,
      bucketRegion: request.bucketRegion,
      roleArn: context.snapshotRoleArn,
    },
    options,
  );
  steps.push(`repository ${request.name}: registered`);
  const policy = await putSnapshotPolicy(
    target,
    {
      policyName: request.policyName,
      repository: request.name,
      cron: request.cron,
      maxAgeDays: request.maxAgeDays,
    },
    options,
  );
  steps.push(`policy ${request.policyName}: ${policy}`);
  if (previous && previous.name !== request.name) {
    steps.push(
      `repository ${previous.name}: ${await deleteSnapshotRepository(target, previous.name, options)}`,
    );
  }
  return steps;
}

/**
 * Creates the rule; an update deletes the previous rule and creates the new one (the plugin has no
 * "modify rule" call; indices already replicating keep replicating). Delete removes it.
 */
export async function followRule(
  context: Context,
  request: FollowRuleRequest,
  lifecycle: Lifecycle,
): Promise<Steps> {
  const { target, options } = context;
  const name = (r: FollowRuleRequest) => `rule ${r.leaderAlias}/${r.ruleName}`;
  if (lifecycle.action === "delete")
    return [`${name(request)}: ${await deleteAutoFollowRule(target, request, options)}`];
  const steps: Steps = [];
  const previous = lifecycle.prev_input as FollowRuleRequest | null;
  if (previous && !sameRule(previous, request)) {
    steps.push(`${name(previous)}: ${await deleteAutoFollowRule(target, previous, options)}`);
  }
  steps.push(`${name(request)}: ${await createAutoFollowRule(target, request, options)}`);
  return steps;
}

function sameRule(a: FollowRuleRequest, b: FollowRuleRequest): boolean {
  return (["leaderAlias", "ruleName", "pattern", "leaderClusterRole", "followerClusterRole"] as const).every(
    (key) => a[key] === b[key],
  );
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}

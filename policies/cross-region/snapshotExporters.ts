/**
 * Snapshot exporters: what makes a `snapshot-bucket` tag on an ElastiCache store more than a
 * claim. ElastiCache has no export setting of its own; a scheduled function has to create
 * snapshots and copy them to the bucket. The stack must declare one: a Lambda function in the
 * store's Region that a schedule invokes (an EventBridge rule with a `scheduleExpression` and a
 * target, or an EventBridge Scheduler schedule), configured (environment variables) with both the
 * store's identifier and the bucket's name.
 */
import { neverFiresBecause } from "../lib/cron";
import { restViews } from "../lib/restRequests";
import { StackIndex, StackNode } from "../lib/stackIndex";
import { get, isUnknown, str, UNKNOWN, Unknown } from "../lib/values";

const FUNCTION = "aws:lambda/function:Function";
const RULE = "aws:cloudwatch/eventRule:EventRule";

/** ElastiCache store types and the property that identifies each to the ElastiCache API. */
export const EXPORTED_STORE_IDS: Readonly<Record<string, string>> = {
  "aws:elasticache/replicationGroup:ReplicationGroup": "replicationGroupId",
  "aws:elasticache/cluster:Cluster": "clusterId",
  "aws:elasticache/serverlessCache:ServerlessCache": "name",
};

interface Scheduled {
  readonly fn: StackNode;
  readonly schedule: StackNode;
}

const cache = new WeakMap<StackIndex, Scheduled[] | Unknown>();
const dead = new WeakMap<StackIndex, string[]>();

/**
 * Why a schedule never invokes its target, or undefined when it may: a disabled EventBridge rule
 * or Scheduler schedule, a Scheduler schedule whose end date has passed, or an expression that
 * never fires again (lib/cron.ts). UNKNOWN while its state is unknown.
 */
function notFiring(schedule: StackNode, expression: string, now = new Date()): string | Unknown | undefined {
  const state = str(schedule.props, "state");
  const enabled = get(schedule.props, "isEnabled");
  if (state === UNKNOWN || enabled === UNKNOWN) return UNKNOWN;
  if (state === "DISABLED" || enabled === false) return `schedule ${schedule.name} is disabled`;
  const end = str(schedule.props, "endDate");
  if (typeof end === "string" && Date.parse(end) < now.getTime())
    return `schedule ${schedule.name} ended on ${end}`;
  const why = neverFiresBecause(expression, now);
  return why && `schedule ${schedule.name} never fires: ${why}`;
}

/** Every function a schedule in the stack invokes; `UNKNOWN` if a target cannot be resolved yet. */
export function scheduledFunctions(index: StackIndex): Scheduled[] | Unknown {
  const cached = cache.get(index);
  if (cached) return cached;
  const found: Scheduled[] = [];
  let unknown = false;
  const skipped: string[] = [];
  /** True when `schedule` fires; records why not otherwise. */
  const fires = (schedule: StackNode, expression: string) => {
    const why = notFiring(schedule, expression);
    if (why === UNKNOWN) unknown = true;
    else if (why !== undefined) skipped.push(why);
    return why === undefined;
  };
  const functionsOf = (from: StackNode, prop: string, value: unknown) => {
    const fns = index.resolve(from, prop, value, [FUNCTION]);
    if (fns === UNKNOWN) unknown = true;
    return fns === UNKNOWN ? [] : fns;
  };
  for (const target of index.byType("aws:cloudwatch/eventTarget:EventTarget")) {
    const rules = index.resolve(target, "rule", get(target.props, "rule"), [RULE]);
    if (rules === UNKNOWN) {
      unknown = true;
      continue;
    }
    for (const rule of rules) {
      const expression = str(rule.props, "scheduleExpression");
      if (expression === UNKNOWN) unknown = true;
      if (typeof expression !== "string" || !fires(rule, expression)) continue;
      for (const fn of functionsOf(target, "arn", get(target.props, "arn")))
        found.push({ fn, schedule: rule });
    }
  }
  for (const schedule of index.byType("aws:scheduler/schedule:Schedule")) {
    const expression = str(schedule.props, "scheduleExpression");
    if (expression === UNKNOWN) unknown = true;
    if (typeof expression !== "string" || !fires(schedule, expression)) continue;
    for (const fn of functionsOf(schedule, "target", get(schedule.props, "target", "arn")))
      found.push({ fn, schedule });
  }
  const result = unknown && found.length === 0 ? UNKNOWN : found;
  cache.set(index, result);
  dead.set(index, [...new Set(skipped)].sort());
  return result;
}

/** The verdict on exports of `store` into `bucketName`: the exporter that does it, or why none counts. */
export function exporterOf(
  index: StackIndex,
  store: StackNode,
  bucketName: string,
): { ok: true; detail: string } | { ok: false; detail: string } | { ok: Unknown } {
  const idProp = EXPORTED_STORE_IDS[store.type];
  const storeId = str(store.props, idProp);
  if (storeId === UNKNOWN) return { ok: UNKNOWN };
  const scheduled = scheduledFunctions(index);
  if (scheduled === UNKNOWN) return { ok: UNKNOWN };
  let undecided = false;
  for (const { fn, schedule } of scheduled) {
    if (isUnknown(fn.region) || isUnknown(store.region)) {
      undecided = true;
      continue;
    }
    if (fn.region !== store.region) continue;
    const variables = get(fn.props, "environment", "variables");
    if (variables === UNKNOWN) {
      undecided = true;
      continue;
    }
    const values = Object.keys((variables as Record<string, unknown>) ?? {}).map((k) => get(variables, k));
    if (values.includes(storeId) && values.includes(bucketName))
      return { ok: true, detail: `by function ${fn.name}, scheduled by ${schedule.name}` };
    if (values.some(isUnknown)) undecided = true;
  }
  if (undecided) return { ok: UNKNOWN };
  const notCounted = dead.get(index) ?? [];
  return {
    ok: false,
    detail:
      `no scheduled function in ${String(store.region)} exports it: expected a Lambda function invoked by an enabled schedule ` +
      `(an EventBridge rule with a scheduleExpression, or a Scheduler schedule) that fires again, whose environment names ${idProp} "${String(storeId)}" and bucket ${bucketName}` +
      (notCounted.length > 0 ? ` (not counted: ${notCounted.join("; ")})` : ""),
  };
}

/** OpenSearch domain types: their snapshots reach S3 through a repository registered on the domain. */
export const REPOSITORY_DOMAIN_TYPES: readonly string[] = [
  "aws:opensearch/domain:Domain",
  "aws:elasticsearch/domain:Domain",
];

/**
 * The verdict on snapshots of an OpenSearch `domain` into `bucketName`. The stack must declare a
 * snapshot repository in the domain's Region, writing to the bucket (`bucket`) on a schedule
 * (`cron`), registered on the domain: either a resource whose `endpoint` is the domain's (or, while
 * unknown, depends on the domain), or a Lambda invocation whose input names the domain by
 * `domainName` (components/data/search/searchAdmin.ts). See `policies/lib/restRequests.ts`.
 */
export function repositoryOf(
  index: StackIndex,
  domain: StackNode,
  bucketName: string,
): { ok: true; detail: string } | { ok: false; detail: string } | { ok: Unknown } {
  const endpoint = str(domain.props, "endpoint");
  const domainName = str(domain.props, "domainName");
  let undecided = false;
  for (const { node, props, invocation } of restViews(index)) {
    if (node === domain) continue;
    if (props === UNKNOWN) {
      // An invocation whose input is not known yet: it may be this domain's repository.
      if (node.dependencies.includes(domain.urn)) undecided = true;
      continue;
    }
    if (get(props, invocation ? "domainName" : "endpoint") === undefined) continue;
    const bucket = str(props, "bucket");
    const cron = str(props, "cron");
    const onDomain = invocation
      ? domainName === UNKNOWN
        ? UNKNOWN
        : str(props, "domainName") === domainName
      : onDomainByEndpoint(node, str(props, "endpoint"), endpoint, domain);
    if (onDomain === false || (bucket !== UNKNOWN && bucket !== bucketName)) continue;
    if (onDomain === UNKNOWN || bucket === UNKNOWN || cron === UNKNOWN || isUnknown(node.region)) {
      undecided = true;
      continue;
    }
    if (typeof cron === "string" && node.region === domain.region)
      return { ok: true, detail: `by snapshot repository ${node.name} (schedule "${cron}")` };
  }
  if (undecided) return { ok: UNKNOWN };
  return {
    ok: false,
    detail:
      `no snapshot repository in ${String(domain.region)} registered on domain ${domain.name} writes to it on a schedule: ` +
      `expected a resource whose endpoint is the domain's endpoint (or an invocation whose input names domainName ${String(domainName)}), whose bucket is ${bucketName} and whose cron sets the snapshot schedule`,
  };
}

function onDomainByEndpoint(
  node: StackNode,
  target: string | Unknown | undefined,
  endpoint: string | Unknown | undefined,
  domain: StackNode,
): boolean | Unknown {
  return target === UNKNOWN || endpoint === UNKNOWN
    ? (node.propertyDependencies.endpoint ?? node.dependencies).includes(domain.urn) || UNKNOWN
    : target === endpoint;
}

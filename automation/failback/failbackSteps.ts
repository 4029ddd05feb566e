/**
 * What each failback step does (automation/failback/plan.ts for the order). Every step is
 * idempotent: a resumed run repeats the step that was interrupted, so each one first reads where
 * things stand (stack config and outputs, member roles, connection status) and only then acts.
 */
import { GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { FailoverGlobalReplicationGroupCommand } from "@aws-sdk/client-elasticache";
import { DescribeDBInstancesCommand, ModifyDBParameterGroupCommand } from "@aws-sdk/client-rds";
import { UpdateHealthCheckCommand } from "@aws-sdk/client-route-53";
import { awsCall, RetryPolicy } from "../aws/awsCall";
import { AwsClients } from "../aws/clients";
import { FailoverError } from "../errors";
import { lagQueries } from "../run/preflight";
import { StepContext, StepDefinition } from "../run/runner";
import { DrView, outputAt } from "../stack/drOutputs";
import { memberRole } from "../steps/cachePromotion";
import { promoteFollower } from "../steps/opensearchReplication";
import { abortableSleep } from "../steps/steps";
import { FailbackClients } from "./failbackClients";
import {
  checkpointsBehind,
  clearStaleCopies,
  ensureConnection,
  followerState,
  REVERSE_ALIAS,
  REVERSE_RULE,
  SearchDomain,
  startAutoFollow,
} from "./failbackSearch";
import { promotePrimaryDatabase, reseedPrimaryDatabase, returnToStandby } from "./failbackStackSteps";
import { FailbackStackOps } from "./failbackStacks";
import { boundPrimaryRegion } from "./peerDeadline";
import { FAILBACK_PLAN } from "./plan";

export interface FailbackStepDeps {
  readonly view: DrView;
  /** The dr stack's outputs when the run started (its promoted instance's ARN, its domain's ARN). */
  readonly drOutputs: Record<string, unknown>;
  readonly clients: AwsClients;
  readonly failbackClients: FailbackClients;
  readonly primaryStack: FailbackStackOps;
  readonly drStack: FailbackStackOps;
  readonly runId: string;
  readonly maxLagSeconds: number;
  /** Deadline of each call into the primary Region (peerDeadline.ts). @default 10000 */
  readonly peerTimeoutMs?: number;
  readonly retry?: RetryPolicy;
  /** @default abortableSleep */
  readonly pollSleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly now?: () => Date;
}

/** Polled steps wait this long between reads; the step timeout bounds the whole wait. */
export const POLL_MS = 10_000;
const hostOf = (endpoint: string) => endpoint.replace(/^https?:\/\//, "").split("/")[0];
const accountOf = (arn: string) => arn.split(":")[4] ?? "";

export function failbackSteps(deps: FailbackStepDeps): StepDefinition[] {
  const { view, retry } = deps;
  // Every call into the primary Region (and Route 53's control plane, in us-east-1) is bounded.
  const { clients, failbackClients: fb } = boundPrimaryRegion(deps, view.primary.region);
  const sleep = deps.pollSleep ?? abortableSleep;
  const now = deps.now ?? (() => new Date());
  const gid = view.cache.globalReplicationGroupId;
  const primaryGroup = view.primary.cacheReplicationGroupId;
  const drArn = String(outputAt(deps.drOutputs, "database.instanceArn") ?? "");
  const primaryOutputs = () => deps.primaryStack.outputs();
  const str = (outputs: Record<string, unknown>, path: string) => String(outputAt(outputs, path) ?? "");

  const drSearch: SearchDomain = {
    domainName: view.search.domainName,
    host: hostOf(view.search.endpoint),
    region: view.region,
    ownerId: accountOf(str(deps.drOutputs, "search.domainArn")),
    http: clients.signedHttp,
  };
  const primarySearch = async (): Promise<SearchDomain> => {
    const outputs = await primaryOutputs();
    return {
      domainName: str(outputs, "search.domainName"),
      host: hostOf(str(outputs, "search.endpoint")),
      region: view.primary.region,
      ownerId: accountOf(str(outputs, "search.domainArn")),
      http: fb.primarySignedHttp,
    };
  };
  const pollUntil = async (ctx: StepContext, check: () => Promise<string | string[]>): Promise<string> => {
    for (let attempt = 1; ; attempt++) {
      const result = await check();
      if (typeof result === "string") return result;
      ctx.log(`attempt ${attempt}: ${result.join("; ")}; retrying in ${POLL_MS / 1000} s`);
      await sleep(POLL_MS, ctx.signal);
    }
  };
  /** Latest lag datapoints of the re-seeded replica and the primary cache member (primary Region). */
  const primaryLag = async (since?: Date) => {
    const outputs = await primaryOutputs();
    const instance = str(outputs, "database.instanceIdentifier");
    const queries = lagQueries({
      ...view,
      database: { instanceIdentifier: instance },
      cache: { ...view.cache, replicationGroupId: primaryGroup },
    });
    const end = now();
    const result = await awsCall(
      "cloudwatch:GetMetricData",
      () =>
        fb.primaryCloudWatch.send(
          new GetMetricDataCommand({
            MetricDataQueries: queries,
            StartTime: new Date(end.getTime() - 10 * 60_000),
            EndTime: end,
            ScanBy: "TimestampDescending",
          }),
        ),
      retry,
    );
    const latest = (id: string) => {
      const r = result.MetricDataResults?.find((m) => m.Id === id);
      const at = r?.Timestamps?.[0];
      if (since && at && at.getTime() < since.getTime()) return undefined;
      return r?.Values?.[0];
    };
    return { instance, database: latest("databaseLag"), cache: latest("cacheLag") };
  };

  const runs: Record<string, StepDefinition["run"]> = {
    "primary-region-answers": async () => {
      const role = await memberRole(clients.primaryElastiCache, gid, primaryGroup, retry);
      if (role === "detached") {
        throw new FailoverError(
          `${primaryGroup} is not a member of ${gid}: an ungraceful failover or a manual change split the Global ` +
            "Datastore, so the primary Region cannot be re-seeded through it. Follow the runbook's \"Failback after an " +
            'ungraceful failover" (docs/failover-runbook.md), then rerun.',
          false,
        );
      }
      const outputs = await primaryOutputs();
      return `primary Region answers; ${primaryGroup} is ${role} in ${gid}; stack ${deps.primaryStack.name} at database generation ${Number(outputAt(outputs, "database.generation") ?? 0)}`;
    },
    "reseed-database": (ctx) => reseedPrimaryDatabase(deps.primaryStack, drArn, ctx),
    "reseed-search": async (ctx) => {
      const primary = await primarySearch();
      const wait = (reason: string) => (
        ctx.log(`${reason}; retrying in ${POLL_MS / 1000} s`),
        sleep(POLL_MS, ctx.signal)
      );
      const id = await ensureConnection(
        { follower: fb.primaryOpenSearch, leader: fb.drOpenSearch },
        primary,
        drSearch,
        REVERSE_ALIAS,
        wait,
        retry,
      );
      const stale = await clearStaleCopies(primary, drSearch, `failback-${deps.runId.toLowerCase()}`, retry);
      await startAutoFollow(primary, REVERSE_ALIAS, REVERSE_RULE, retry);
      return (
        `${primary.domainName} follows ${drSearch.domainName} over connection ${id} (${REVERSE_ALIAS}), rule ${REVERSE_RULE}` +
        (stale.length
          ? `; stale copies snapshotted as failback-${deps.runId.toLowerCase()} and removed: ${stale.join(", ")}`
          : "")
      );
    },
    "wait-in-sync": (ctx) =>
      pollUntil(ctx, async () => {
        const lag = await primaryLag();
        const search = await followerState(await primarySearch(), retry);
        const problems = [
          ...(lag.database === undefined || lag.database > deps.maxLagSeconds
            ? [
                `RDS ${lag.instance} ReplicaLag ${lag.database ?? "no datapoint"} (limit ${deps.maxLagSeconds} s)`,
              ]
            : []),
          ...(lag.cache === undefined || lag.cache > deps.maxLagSeconds
            ? [
                `${primaryGroup} GlobalDatastoreReplicationLag ${lag.cache ?? "no datapoint"} (limit ${deps.maxLagSeconds} s)`,
              ]
            : []),
          ...(search.syncing === 0 ? ["no search follower index syncing yet"] : []),
          ...search.problems,
        ];
        if (problems.length) return problems;
        return `in sync: RDS ${lag.instance} lag ${lag.database} s, cache lag ${lag.cache} s, ${search.syncing} search index(es) syncing`;
      }),
    "stop-writes": async () => {
      const db = (
        await awsCall(
          "rds:DescribeDBInstances",
          () =>
            clients.rds.send(
              new DescribeDBInstancesCommand({ DBInstanceIdentifier: view.database.instanceIdentifier }),
            ),
          retry,
        )
      ).DBInstances?.[0];
      const group = db?.DBParameterGroups?.[0]?.DBParameterGroupName;
      if (!group)
        throw new FailoverError(
          `RDS ${view.database.instanceIdentifier} has no parameter group to make read-only`,
        );
      await awsCall(
        "rds:ModifyDBParameterGroup",
        () =>
          clients.rds.send(
            new ModifyDBParameterGroupCommand({
              DBParameterGroupName: group,
              Parameters: [
                {
                  ParameterName: "default_transaction_read_only",
                  ParameterValue: "1",
                  ApplyMethod: "immediate",
                },
              ],
            }),
          ),
        retry,
      );
      return `${view.database.instanceIdentifier} is read-only (parameter group ${group}: default_transaction_read_only = 1)`;
    },
    drain: async (ctx) => {
      const started = now();
      const primary = await primarySearch();
      return pollUntil(ctx, async () => {
        const lag = await primaryLag(started);
        const behind = await checkpointsBehind(primary, retry);
        const problems = [
          ...(lag.database !== 0
            ? [`RDS ${lag.instance} ReplicaLag ${lag.database ?? "no datapoint since the freeze"}`]
            : []),
          ...behind.map((b) => `search follower ${b}`),
        ];
        return problems.length
          ? problems
          : `drained: ReplicaLag 0 since ${started.toISOString()}, every search follower at its leader's checkpoint`;
      });
    },
    "promote-database": (ctx) => promotePrimaryDatabase(deps.primaryStack, ctx),
    "promote-search": async () => {
      const primary = await primarySearch();
      return promoteFollower(
        primary.http,
        { host: primary.host, connectionAlias: REVERSE_ALIAS, followRuleName: REVERSE_RULE },
        retry,
      );
    },
    "cache-switch-back": async (ctx) => {
      if ((await memberRole(clients.primaryElastiCache, gid, primaryGroup, retry)) !== "PRIMARY") {
        await awsCall(
          "elasticache:FailoverGlobalReplicationGroup",
          () =>
            clients.primaryElastiCache.send(
              new FailoverGlobalReplicationGroupCommand({
                GlobalReplicationGroupId: gid,
                PrimaryRegion: view.primary.region,
                PrimaryReplicationGroupId: primaryGroup,
              }),
            ),
          retry,
        ).catch((error: unknown) => {
          // A failover already in progress (a resumed step) is waited for like our own.
          if ((error as { name?: string }).name !== "InvalidGlobalReplicationGroupStateFault") throw error;
        });
      }
      return pollUntil(ctx, async () => {
        const role = await memberRole(clients.primaryElastiCache, gid, primaryGroup, retry);
        return role === "PRIMARY"
          ? `${primaryGroup} (${view.primary.region}) is the Global Datastore primary again`
          : [`${primaryGroup} is ${role}`];
      });
    },
    "restore-dns": async () => {
      await awsCall(
        "route53:UpdateHealthCheck",
        () =>
          clients.route53.send(
            new UpdateHealthCheckCommand({
              HealthCheckId: view.primary.controlHealthCheckId,
              Inverted: false,
            }),
          ),
        retry,
      );
      return `control health check ${view.primary.controlHealthCheckId} un-inverted: primary serves again once healthy`;
    },
    "return-dr-to-standby": async (ctx) => {
      const detail = await returnToStandby(
        deps.drStack,
        async () =>
          (await memberRole(clients.elastiCache, gid, view.cache.replicationGroupId, retry)) === "detached",
        ctx,
      );
      const primary = await primarySearch();
      const stale = await clearStaleCopies(drSearch, primary, `failback-${deps.runId.toLowerCase()}`, retry);
      await startAutoFollow(drSearch, view.search.connectionAlias, view.search.followRuleName, retry);
      return `${detail}; ${drSearch.domainName} follows ${primary.domainName} again (rule ${view.search.followRuleName}${stale.length ? `, stale copies snapshotted and removed: ${stale.join(", ")}` : ""})`;
    },
  };
  return FAILBACK_PLAN.map((plan) => ({ ...plan, run: runs[plan.id] }));
}

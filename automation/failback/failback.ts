/**
 * Failback: returning to the primary Region once it is healthy. Most of it re-seeds data from dr,
 * which needs stack changes reviewed by a person; those steps are printed, not run. The steps that
 * are safe to automate run on the same machinery as the failover (lock, progress, resume, report),
 * under their own lock (`failback#<stack>`).
 */
import { UpdateHealthCheckCommand } from "@aws-sdk/client-route-53";
import { FailoverGlobalReplicationGroupCommand } from "@aws-sdk/client-elasticache";
import { awsCall } from "../aws/awsCall";
import { memberRole } from "../steps/cachePromotion";
import { ControllerOptions, prepareRun } from "../run/controller";
import { executeRun } from "../run/execute";
import { FailoverError } from "../errors";
import { RunReport } from "../run/report";
import { StepDefinition } from "../run/runner";
import { StepPlan } from "../steps/steps";

export interface FailbackPlanStep extends StepPlan {
  readonly automated: boolean;
}

export const FAILBACK_PLAN: readonly FailbackPlanStep[] = [
  {
    id: "primary-region-answers",
    automated: true,
    dependsOn: [],
    title:
      "Check the primary Region's ElastiCache API answers and still lists the primary group in the Global Datastore",
  },
  {
    id: "reseed-database",
    automated: false,
    dependsOn: [],
    title:
      "Re-seed RDS: make the primary stack's instance a cross-Region read replica of the promoted dr instance (stack change, reviewed), wait for ReplicaLag ≈ 0",
  },
  {
    id: "reseed-search",
    automated: false,
    dependsOn: [],
    title:
      "Re-seed OpenSearch: follow rule from the primary domain to the dr domain (reverse direction), wait until in sync",
  },
  {
    id: "freeze-writes",
    automated: false,
    dependsOn: [],
    title:
      "Announce a maintenance window and stop writes on dr (the switch-back is a planned, graceful move)",
  },
  {
    id: "cache-switch-back",
    automated: true,
    dependsOn: ["primary-region-answers"],
    title: "Graceful Global Datastore failover back to the primary Region's replication group",
  },
  {
    id: "restore-dns",
    automated: true,
    dependsOn: ["cache-switch-back"],
    title: "Put primary back in DNS: un-invert the primary's control health check",
  },
  {
    id: "return-dr-to-standby",
    automated: false,
    dependsOn: [],
    title:
      "Rebuild dr as a standby: new replica of the primary instance, follower rule, mode standby with payments-dr:confirmReturnToStandby true (the program refuses standby after a failover otherwise: flipping mode alone would try to turn a promoted instance back into a replica)",
  },
];

export function formatFailbackPlan(): string {
  const lines = ["Failback plan (run once the primary Region is healthy):"];
  FAILBACK_PLAN.forEach((step, i) =>
    lines.push(`  ${i + 1}. [${step.automated ? "auto  " : "manual"}] ${step.id}: ${step.title}`),
  );
  lines.push(
    "",
    "Automated steps run with: npm run failover -- failback --execute [--yes] [--json]",
    "They refuse to switch the cache back if the primary group is no longer a Global Datastore member (ungraceful failover): re-create the global datastore first.",
  );
  return `${lines.join("\n")}\n`;
}

export async function runFailback(options: ControllerOptions): Promise<RunReport> {
  const stackName = options.stackName ?? options.config.stackName;
  const { view, clients, store } = await prepareRun(options, "failback");
  const latest = await store.latestRun();
  const resume = latest && latest.status !== "succeeded" ? latest : undefined;
  if (
    !(await options.confirm(
      "Have the manual re-seed steps (database, search) completed and writes on dr stopped?",
    ))
  ) {
    throw new FailoverError("Failback not confirmed; nothing was changed.", false);
  }
  const gid = view.cache.globalReplicationGroupId;
  const primaryGroup = view.primary.cacheReplicationGroupId;
  const runs: Record<string, StepDefinition["run"]> = {
    "primary-region-answers": async () => {
      const role = await memberRole(clients.primaryElastiCache, gid, primaryGroup, options.retry);
      if (role === "detached") {
        throw new FailoverError(
          `${primaryGroup} is not a member of ${gid}: re-create the Global Datastore from dr first.`,
          false,
        );
      }
      return `primary Region answers; ${primaryGroup} is ${role} in ${gid}`;
    },
    "cache-switch-back": async () => {
      if ((await memberRole(clients.primaryElastiCache, gid, primaryGroup, options.retry)) === "PRIMARY") {
        return `${primaryGroup} is already primary`;
      }
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
        options.retry,
      );
      return `graceful failover of ${gid} back to ${primaryGroup} (${view.primary.region}) started`;
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
        options.retry,
      );
      return `control health check ${view.primary.controlHealthCheckId} un-inverted: primary serves again once healthy`;
    },
  };
  const plan = FAILBACK_PLAN.filter((s) => s.automated);
  return executeRun(options, {
    kind: "failback",
    plan,
    steps: plan.map((s) => ({ ...s, run: runs[s.id] })),
    store,
    stackName,
    resume,
    preflight: [],
  });
}

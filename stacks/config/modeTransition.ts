/** The one check that needs more than the config: what the stack's last deployment ran as. */
import { ConfigError } from "./errors";
import { PROJECT } from "./keys";
import { StackConfig } from "./schema";
import { Strategy, STRATEGIES } from "./sections/identity";

/**
 * Refuses to render a failed-over dr stack back in `standby` by accident: the repository's stack
 * file still says `standby` after a failover (the controller sets `active` on the stack, not in
 * git), and a routine `up` from it would scale the node group down and try to make the promoted
 * database a read replica again. A deliberate return needs `confirmReturnToStandby` AND a new
 * database generation (stacks/generation.ts): the promoted instance is never made a replica.
 *
 * @param previousMode the `mode` output of the stack's last deployment, if any
 * @param previousDatabaseGeneration its `database.generation` output (absent before generations: 0)
 */
export function checkModeTransition(
  config: StackConfig,
  previousMode: unknown,
  previousDatabaseGeneration: unknown = 0,
): void {
  if (config.role !== "dr" || config.mode !== "standby" || previousMode !== "active") return;
  if (!config.confirmReturnToStandby) {
    throw new ConfigError(
      `${PROJECT}:mode`,
      `Invalid config ${PROJECT}:mode = "standby": the ${config.stackName} stack was failed over (its last deployment ` +
        "ran with mode active, its database promoted). Rendering standby would scale the node group down and try to " +
        "make the promoted database a read replica again. Fix: pulumi config set payments-dr:mode active " +
        `--stack ${config.stackName} and commit Pulumi.${config.stackName}.yaml; to return to standby deliberately, ` +
        `follow the failback runbook and set ${PROJECT}:confirmReturnToStandby true.`,
    );
  }
  const promoted = Number(previousDatabaseGeneration ?? 0);
  if (config.generation.database <= promoted) {
    throw new ConfigError(
      `${PROJECT}:generation.database`,
      `Invalid config ${PROJECT}:generation.database = ${config.generation.database}: returning the ${config.stackName} ` +
        `stack to standby needs a new read replica, so a generation above ${promoted} (the promoted instance's, which ` +
        "RDS cannot turn back into a replica and which is kept). " +
        `Fix: pulumi config set --path ${PROJECT}:generation.database ${promoted + 1} --stack ${config.stackName}`,
    );
  }
}

/** What each strategy keeps running in standby; a move to a lower rank deletes something live. */
const LIVE_RANK: Readonly<Record<Strategy, number>> = {
  "backup-restore": 0,
  "pilot-light": 1,
  "warm-standby": 2,
};

/**
 * Refuses a strategy change that deletes live parts of the dr stack unless it is confirmed, like
 * `confirmReturnToStandby`: warm-standby → pilot-light removes the running nodes, → backup-restore
 * deletes the live replicas (the read replica, the Global Datastore member, the follower domain,
 * the warehouse), whose re-creation is a full re-seed. Moving up (adding replicas) is not guarded.
 * A stack that has never published `strategy` ran warm-standby (the only topology before).
 *
 * @param previousStrategy the `strategy` output of the stack's last deployment, if any
 * @param previousMode the `mode` output of the last deployment; none: a first deployment, not checked
 */
export function checkStrategyTransition(
  config: StackConfig,
  previousStrategy: unknown,
  previousMode: unknown,
): void {
  if (config.role !== "dr" || previousMode === undefined || previousMode === null) return;
  const previous: Strategy = STRATEGIES.includes(previousStrategy as Strategy)
    ? (previousStrategy as Strategy)
    : "warm-standby";
  if (config.strategy === previous) return;
  // Serving stores were promoted or restored under the old strategy; another one would declare
  // them differently (a restore is a new instance): never, whatever is confirmed.
  if (previousMode === "active" || config.mode === "active") {
    throw new ConfigError(
      `${PROJECT}:strategy`,
      `Invalid config ${PROJECT}:strategy = "${config.strategy}": the ${config.stackName} stack ` +
        `${previousMode === "active" ? "serves (its last deployment ran active)" : "is being made active"} under ${previous}; ` +
        "changing the strategy of a serving stack would re-declare the stores it serves from. " +
        `Fix: pulumi config set ${PROJECT}:strategy ${previous} --stack ${config.stackName}; change the strategy ` +
        "after the failback, while the stack is a standby.",
    );
  }
  if (LIVE_RANK[config.strategy] >= LIVE_RANK[previous] || config.confirmStrategyChange) return;
  const deletes =
    config.strategy === "backup-restore"
      ? previous === "warm-standby"
        ? "its live replicas (RDS read replica, Global Datastore member, OpenSearch follower, Redshift cluster) and its running nodes"
        : "its live replicas (RDS read replica, Global Datastore member, OpenSearch follower, Redshift cluster)"
      : "its running nodes (the node group goes to 0)";
  throw new ConfigError(
    `${PROJECT}:strategy`,
    `Invalid config ${PROJECT}:strategy = "${config.strategy}": the ${config.stackName} stack last ran ${previous}; ` +
      `moving to ${config.strategy} deletes ${deletes}. Fix: pulumi config set ${PROJECT}:strategy ${previous} ` +
      `--stack ${config.stackName}; to make the change deliberately, preview it and set ` +
      `${PROJECT}:confirmStrategyChange true (docs/strategies.md).`,
  );
}

/** The one check that needs more than the config: what the stack's last deployment ran as. */
import { ConfigError } from "./errors";
import { PROJECT } from "./keys";
import { StackConfig } from "./schema";

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

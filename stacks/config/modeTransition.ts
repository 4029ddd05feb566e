/** The one check that needs more than the config: what the stack's last deployment ran as. */
import { ConfigError } from "./errors";
import { PROJECT } from "./keys";
import { StackConfig } from "./schema";

/**
 * Refuses to render a failed-over dr stack back in `standby` by accident: the repository's stack
 * file still says `standby` after a failover (the controller sets `active` on the stack, not in
 * git), and a routine `up` from it would scale the node group down and try to make the promoted
 * database a read replica again.
 *
 * @param previousMode the `mode` output of the stack's last deployment, if any
 */
export function checkModeTransition(config: StackConfig, previousMode: unknown): void {
  if (config.role !== "dr" || config.mode !== "standby" || previousMode !== "active") return;
  if (config.confirmReturnToStandby) return;
  throw new ConfigError(
    `${PROJECT}:mode`,
    `Invalid config ${PROJECT}:mode = "standby": the ${config.stackName} stack was failed over (its last deployment ` +
      "ran with mode active, its database promoted). Rendering standby would scale the node group down and try to " +
      "make the promoted database a read replica again. Fix: pulumi config set payments-dr:mode active " +
      `--stack ${config.stackName} and commit Pulumi.${config.stackName}.yaml; to return to standby deliberately, ` +
      `follow the failback runbook and set ${PROJECT}:confirmReturnToStandby true.`,
  );
}

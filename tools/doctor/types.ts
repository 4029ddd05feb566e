/**
 * The doctor's vocabulary: a check is one read-only question about the account and Region a stack
 * is about to be deployed into, answered pass or fail with the fix.
 */
import type { StackConfig } from "../../stacks/config";
import type { DoctorClients } from "./clients";

export type Outcome =
  | { readonly ok: true; readonly detail: string }
  | { readonly ok: false; readonly detail: string; readonly fix: string };

export const pass = (detail: string): Outcome => ({ ok: true, detail });
export const fail = (detail: string, fix: string): Outcome => ({ ok: false, detail, fix });

/** Who the credentials are: filled in by the identity check, which runs first. */
export interface Identity {
  readonly accountId: string;
  /** The caller's ARN as STS reports it (an assumed-role session ARN for a role). */
  readonly arn: string;
}

export interface DoctorContext {
  readonly config: StackConfig;
  readonly clients: DoctorClients;
  /** Today, for lifecycle dates (Lambda runtime deprecation). */
  readonly today: Date;
  identity?: Identity;
}

export interface Check {
  /** Stable identifier, `<service>.<what>`: printed first on every line. */
  readonly id: string;
  /** What it verifies, with the configured values: what `--dry-run` lists. */
  describe(config: StackConfig): string;
  /** The read-only IAM actions it calls: the fix when AWS refuses one. */
  readonly actions: readonly string[];
  run(ctx: DoctorContext): Promise<Outcome>;
}

/** An error from an AWS call as one phrase: `AccessDenied: User ... is not authorized`. */
export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

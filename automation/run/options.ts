/**
 * What a failover or failback run is given: config, backends, approval, logging and timing knobs.
 * Its own module so the run's executor and its controller can both read it without a cycle.
 */
import { PulumiCommand } from "@pulumi/pulumi/automation";
import { StackConfig } from "../../stacks/config";
import { RetryPolicy } from "../aws/awsCall";
import { AwsClientFactory } from "../aws/clients";
import { ForceSelection } from "./preflight";

export interface ControllerOptions {
  /** The dr stack's validated config (Region, step timeout, RTO target, lag threshold). */
  readonly config: StackConfig;
  /** Stack name as the backend knows it. @default config.stackName */
  readonly stackName?: string;
  readonly workDir: string;
  readonly pulumiCommand?: PulumiCommand;
  readonly clientFactory: AwsClientFactory;
  readonly force: ForceSelection;
  /** Asked once preflight passed; resolve false to stop before anything changes. */
  readonly confirm: (summary: string) => Promise<boolean>;
  readonly log: (line: string) => void;
  readonly now?: () => Date;
  readonly retry?: RetryPolicy;
  /** Lock lifetime; renewed every third of it while the run is alive. @default 300 */
  readonly lockTtlSeconds?: number;
  readonly owner?: string;
  readonly signal?: AbortSignal;
  readonly pollSleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** `--resume <runId>`: continue this run even if it is older than the resume window. */
  readonly resumeRunId?: string;
  /** An unfinished run with progress older than this is not resumed unless named. @default 60 */
  readonly resumeWindowMinutes?: number;
  /** Deadline of each call into the primary Region, retries included. @default 10000 */
  readonly peerTimeoutMs?: number;
  /** `--verbose`: a failed step's raw detail (the CLI's full output) is logged too. @default false */
  readonly verbose?: boolean;
}

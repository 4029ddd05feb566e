/**
 * Wires `readiness` to the real backends: the dr stack's outputs and both stacks' last update
 * through the Automation API (read-only: `stack output`, `stack history`), the AWS clients of the
 * failover, and the failover-state table for the last drill. Tests call `runReadiness` with fakes,
 * or this with a fake `pulumi` and mocked clients.
 */
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { EC2Client } from "@aws-sdk/client-ec2";
import { IAMClient } from "@aws-sdk/client-iam";
import { LocalWorkspace, PulumiCommand, Stack } from "@pulumi/pulumi/automation";
import { ControllerOptions, prepareRun } from "../run/controller";
import { ClientRegions } from "../aws/clients";
import { Deployment, ReadinessClients, ReadinessReport, runReadiness } from "./readiness";

export type ReadinessClientFactory = (regions: ClientRegions) => ReadinessClients;

export const createReadinessClients: ReadinessClientFactory = ({ drRegion }) => ({
  // IAM is global; its policy simulator answers from any Region.
  iam: new IAMClient({ region: drRegion }),
  ec2: new EC2Client({ region: drRegion }),
  cloudWatch: new CloudWatchClient({ region: drRegion }),
});

export interface ReadinessOptions extends ControllerOptions {
  readonly roleArn?: string;
  /** @default createReadinessClients */
  readonly readinessClientFactory?: ReadinessClientFactory;
}

/** The last update of `name`: its version and the git commit the CLI recorded for it. */
export async function lastDeployment(
  workDir: string,
  name: string,
  pulumiCommand?: PulumiCommand,
): Promise<Deployment> {
  const workspace = await LocalWorkspace.create({ workDir, ...(pulumiCommand ? { pulumiCommand } : {}) });
  const stack = await Stack.select(name, workspace);
  const [last] = await stack.history(1);
  const env = last?.environment ?? {};
  return {
    stack: name,
    ...(last ? { version: last.version } : {}),
    ...(env["git.head"] ? { commit: env["git.head"] } : {}),
    ...(env["git.dirty"] === "true" ? { dirty: true } : {}),
  };
}

export async function readiness(options: ReadinessOptions): Promise<ReadinessReport> {
  const now = options.now ?? (() => new Date());
  const stackName = options.stackName ?? options.config.stackName;
  // prepareRun only reads: the outputs, the clients, the state store (no lock is taken here).
  const { view, clients, store, outputs } = await prepareRun(options, "failover");
  const regions = { drRegion: view.region, primaryRegion: view.primary.region };
  return runReadiness({
    stack: stackName,
    config: options.config,
    view,
    outputs,
    clients,
    readinessClients: (options.readinessClientFactory ?? createReadinessClients)(regions),
    deployments: async () => [
      await lastDeployment(options.workDir, stackName, options.pulumiCommand),
      await lastDeployment(options.workDir, options.config.primaryStack ?? "primary", options.pulumiCommand),
    ],
    latestFailover: () => store.latestRun(),
    ...(options.roleArn ? { roleArn: options.roleArn } : {}),
    now: now(),
    retry: options.retry,
  });
}

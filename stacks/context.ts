/**
 * What every part of a stack's composition shares: its validated config, account, tags, keys,
 * network and (on dr) the primary stack's outputs.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Keys } from "../components/foundation/keys";
import { Network } from "../components/foundation/network";
import { StackConfig } from "./config";

export interface StackContext {
  readonly config: StackConfig;
  readonly accountId: pulumi.Output<string>;
  /** Tags every taggable resource carries: ownership, stack and role, plus `payments-dr:tags`. */
  readonly tags: Readonly<Record<string, string>>;
  readonly keys: Keys;
  readonly network: Network;
  /** The primary stack's last outputs; present on the dr stack only. */
  readonly primary?: PrimaryStack;
  /** Resource options for stateful resources: `protect` follows `protectStatefulResources`. */
  stateful(opts: pulumi.CustomResourceOptions): pulumi.CustomResourceOptions;
}

/**
 * The dr stack's read-only view of the primary stack (DESIGN.md principle 2). It reads the last
 * outputs from the state backend, so it works while the primary Region is down.
 */
export class PrimaryStack {
  private readonly reference: pulumi.StackReference;

  constructor(readonly stackName: string) {
    this.reference = new pulumi.StackReference(stackName);
  }

  /** A required output at a dotted path such as `keys.data`; missing outputs fail the run clearly. */
  require<T = string>(path: string): pulumi.Output<T> {
    const [root, ...rest] = path.split(".");
    return this.reference.getOutput(root).apply((value: unknown) => {
      let current: unknown = value;
      for (const part of rest) {
        current =
          current === undefined || current === null ? undefined : (current as Record<string, unknown>)[part];
      }
      if (current === undefined || current === null) {
        throw new pulumi.RunError(
          `The primary stack ${this.stackName} has no output "${path}". Deploy or update it first: ` +
            "pulumi up --stack primary.",
        );
      }
      return current as T;
    });
  }
}

/**
 * The fully-qualified name of the running stack, for reading its own last outputs (a stack may
 * reference itself; the first deployment reads none).
 */
export function selfStackName(config: StackConfig): string {
  return `${pulumi.getOrganization() || "organization"}/${config.project}/${config.stackName}`;
}

export function stackTags(config: StackConfig): Record<string, string> {
  return {
    app: "payments",
    "payments-dr:stack": config.stackName,
    "payments-dr:role": config.role,
    ...config.tags,
  };
}

export function createContext(config: StackConfig): StackContext {
  const tags = stackTags(config);
  const accountId = aws.getCallerIdentityOutput({}).accountId;
  const primary =
    config.role === "dr" && config.primaryStack ? new PrimaryStack(config.primaryStack) : undefined;
  // Deleting a key makes everything it encrypts unreadable: the keys are stateful too (children
  // inherit `protect` from the component).
  const keys = new Keys(
    "keys",
    {
      region: config.region,
      peerRegion: config.peerRegion,
      accountId,
      aliasPrefix: `${config.project}/${config.stackName}`,
      primaryKeyArns: primary
        ? {
            data: primary.require("keys.data"),
            objects: primary.require("keys.objects"),
            backup: primary.require("keys.backup"),
            messaging: primary.require("keys.messaging"),
            cluster: primary.require("keys.cluster"),
          }
        : undefined,
      tags,
    },
    { protect: config.protectStatefulResources },
  );
  const network = new Network("network", { cidrBlock: config.network.vpcCidr, tags });
  return {
    config,
    accountId,
    tags,
    keys,
    network,
    primary,
    stateful: (opts) => ({ ...opts, protect: config.protectStatefulResources }),
  };
}

/**
 * Images of a stack: its Region's ECR setup (components/compute/registry.ts) and the image its
 * workload runs, re-pointed at its own Region's registry. The `images` output shows the parity:
 * both stacks publish the same digest, each with its own registry Region.
 */
import * as pulumi from "@pulumi/pulumi";
import { ImageRegistry } from "../components/compute/registry";
import { parseImageReference, stackImage, StackImage } from "../model/images";
import { StackContext } from "./context";

export interface RegistryOutputs {
  readonly images: {
    /** `<account>.dkr.ecr.<region>.amazonaws.com` */
    registryHost: pulumi.Output<string>;
    /** The workload's image reference, in `registryRegion`. */
    image: pulumi.Output<string>;
    registryRegion: string;
    /** The digest both stacks run, or `none (reference service base image, tag-pinned)`. */
    digest: string;
    source: StackImage["source"];
    /** The payments repository (primary only; dr receives its replica). */
    repositoryUrl?: pulumi.Output<string>;
    /** Where the primary replicates the payments repository. */
    replicatesTo?: string;
  };
}

/**
 * @param deps.nodeRoleName the EKS nodes' role, which pulls through the cache
 * @param configuredImage the digest-pinned application image (`payments-dr:workload.image`), or
 * undefined to run the reference service
 */
export function composeRegistry(
  ctx: StackContext,
  deps: { nodeRoleName: pulumi.Input<string> },
  configuredImage?: string,
): { registry: ImageRegistry; image: pulumi.Output<StackImage>; outputs: RegistryOutputs } {
  const { config } = ctx;
  const replicateTo = config.role === "primary" ? config.peerRegion : undefined;
  const registry = new ImageRegistry("registry", {
    region: config.region,
    accountId: ctx.accountId,
    kmsKeyArn: ctx.keys.arns.cluster,
    replicateTo,
    pullThroughRoleNames: [deps.nodeRoleName],
    tags: ctx.tags,
  });
  // The digest is known without the account: the parity output needs no apply.
  const digest = configuredImage === undefined ? undefined : parseImageReference(configuredImage)?.digest;
  const image = ctx.accountId.apply((account) => stackImage(configuredImage, account, config.region));
  return {
    registry,
    image,
    outputs: {
      images: {
        registryHost: registry.registryHost,
        image: image.apply((i) => i.image),
        registryRegion: config.region,
        digest: digest ?? "none (reference service base image, tag-pinned)",
        source: configuredImage === undefined ? "reference-service" : "configured",
        ...(registry.repositoryUrl ? { repositoryUrl: registry.repositoryUrl } : {}),
        ...(replicateTo ? { replicatesTo: replicateTo } : {}),
      },
    },
  };
}

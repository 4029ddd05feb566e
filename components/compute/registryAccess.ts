/** What the nodes may do in the Region's own registry beyond pulling existing images. */
import * as pulumi from "@pulumi/pulumi";

/**
 * The first pull of an upstream image through a pull-through cache imports it, creating its
 * repository, as the identity that pulls (the node). Held to the cache's prefix in one Region.
 */
export function nodePullThroughPolicy(
  region: string,
  accountId: pulumi.Input<string>,
  prefix: string,
): pulumi.Output<string> {
  return pulumi.output(accountId).apply((account) =>
    JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "ImportThroughTheCache",
          Effect: "Allow",
          Action: ["ecr:BatchImportUpstreamImage", "ecr:CreateRepository"],
          Resource: `arn:aws:ecr:${region}:${account}:repository/${prefix}/*`,
        },
      ],
    }),
  );
}

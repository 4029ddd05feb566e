/**
 * Synthesised outputs for the workload's images and identities: ECR (repository URL and registry id
 * as `<account>.dkr.ecr.<region>.amazonaws.com/<name>`; creation templates and pull-through rules
 * are identified by their prefix, the replication configuration by the registry) and EKS Pod
 * Identity associations (`a-` plus 17 characters, ARN under the cluster).
 */
import { arn, SynthInput, Synthesizer } from "../synth";

function registry(input: SynthInput): { registryId: string } {
  return { registryId: input.accountId };
}

export const imageSynthesizers: Record<string, Synthesizer> = {
  "aws:ecr/repository:Repository": (input) => {
    const name = input.physicalName;
    return {
      id: name,
      outputs: {
        name,
        arn: arn("ecr", input.region, input.accountId, `repository/${name}`),
        repositoryUrl: `${input.accountId}.dkr.ecr.${input.region}.amazonaws.com/${name}`,
        ...registry(input),
      },
    };
  },
  "aws:ecr/replicationConfiguration:ReplicationConfiguration": (input) => ({
    id: input.accountId,
    outputs: registry(input),
  }),
  "aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate": (input) => ({
    id: String(input.inputs.prefix),
    outputs: registry(input),
  }),
  "aws:ecr/pullThroughCacheRule:PullThroughCacheRule": (input) => ({
    id: String(input.inputs.ecrRepositoryPrefix),
    outputs: registry(input),
  }),
  "aws:eks/podIdentityAssociation:PodIdentityAssociation": (input) => {
    const id = `a-${input.hex(17, "association")}`;
    return {
      id: `${String(input.inputs.clusterName)},${id}`,
      outputs: {
        associationId: id,
        associationArn: arn(
          "eks",
          input.region,
          input.accountId,
          `podidentityassociation/${String(input.inputs.clusterName)}/${id}`,
        ),
      },
    };
  },
};

/**
 * Synthesised outputs for the foundation: KMS keys, awsx's VPC (a remote component, so its
 * children never appear under mocks: its outputs are all the program sees) and IAM.
 */
import { arn, SynthInput, Synthesizer } from "../synth";

/** A multi-Region key id starts with `mrk-`; its replicas share that id in other Regions. */
function keyId(input: SynthInput, multiRegion: boolean): string {
  return `${multiRegion ? "mrk-" : ""}${input.hex(32, "key")}`;
}

function keyOutputs(input: SynthInput, id: string) {
  return {
    id,
    outputs: {
      keyId: id,
      arn: arn("kms", input.region, input.accountId, `key/${id}`),
      region: input.region,
    },
  };
}

export const foundationSynthesizers: Record<string, Synthesizer> = {
  "aws:kms/key:Key": (input) => keyOutputs(input, keyId(input, input.inputs.multiRegion === true)),

  "aws:kms/replicaKey:ReplicaKey": (input) => {
    // A replica keeps the primary's key id; only the Region in its ARN differs.
    const primaryArn = String(input.inputs.primaryKeyArn ?? "");
    const id = primaryArn.split("/").pop() || keyId(input, true);
    return keyOutputs(input, id);
  },

  "aws:kms/alias:Alias": (input) => ({
    id: String(input.inputs.name),
    outputs: {
      arn: arn("kms", input.region, input.accountId, String(input.inputs.name)),
      targetKeyArn: input.inputs.targetKeyId,
      region: input.region,
    },
  }),

  "awsx:ec2:Vpc": (input) => {
    const azCount = Number(input.inputs.numberOfAvailabilityZones ?? 3);
    const subnets = (kind: string) =>
      Array.from({ length: azCount }, (_, i) => `subnet-${input.hex(17, `${kind}-${i}`)}`);
    const vpcId = `vpc-${input.hex(17, "vpc")}`;
    return {
      id: vpcId,
      outputs: {
        vpcId,
        privateSubnetIds: subnets("private"),
        publicSubnetIds: subnets("public"),
        isolatedSubnetIds: [],
      },
    };
  },

  "aws:iam/role:Role": (input) => ({
    outputs: {
      arn: arn("iam", null, input.accountId, `role/${input.physicalName}`),
      uniqueId: `AROA${input.hex(17, "role").toUpperCase()}`,
    },
  }),

  "aws:iam/policy:Policy": (input) => ({
    id: arn("iam", null, input.accountId, `policy/${input.physicalName}`),
    outputs: { arn: arn("iam", null, input.accountId, `policy/${input.physicalName}`) },
  }),
};

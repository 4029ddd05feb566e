/**
 * The stack's VPC block and its peer's. Both are required; that they must not overlap is a rule
 * (../rules.ts).
 */
import { z } from "zod";
import { parseCidr, inPrivateRange } from "../cidr";
import { field, MissingMeta } from "../fields";
import { SectionConfig } from "../section";

const VPC_CIDR_EXPECTED =
  "an RFC 1918 IPv4 block in CIDR notation with its network address and a /16 to /20 prefix " +
  "(room for a private and a public subnet in three Availability Zones), " +
  "e.g. 10.10.0.0/16";

function isVpcBlock(value: string): boolean {
  const parsed = parseCidr(value);
  return (
    parsed !== undefined &&
    parsed.prefixLength >= 16 &&
    parsed.prefixLength <= 20 &&
    inPrivateRange(parsed.address)
  );
}

/** A VPC block; `missing` says what to set when it is required and absent. */
export function vpcCidrField(missing?: MissingMeta) {
  return field(z.string().refine(isVpcBlock), {
    expected: VPC_CIDR_EXPECTED,
    example: "10.10.0.0/16",
    missing,
  });
}

export const networkFields = {
  /** RFC 1918 block for the stack's VPC, /16 to /20. Must not overlap the peer stack's block. */
  vpcCidr: vpcCidrField({ expected: "the VPC block, e.g. 10.10.0.0/16" }),
  /** The peer stack's VPC block, so overlaps are caught before either stack deploys. */
  peerVpcCidr: vpcCidrField({
    expected: "the peer stack's VPC block, e.g. 10.20.0.0/16",
    example: "10.20.0.0/16",
  }),
};

export type NetworkConfig = SectionConfig<typeof networkFields>;

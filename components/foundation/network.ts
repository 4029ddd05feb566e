// awsx's ec2 module alone: the package index also loads awsx "classic" (ECS, ECR, the ECS SDK
// client), about a tenth of the offline plan's start-up, for nothing this program uses.
import * as ec2 from "@pulumi/awsx/ec2";
import * as pulumi from "@pulumi/pulumi";

export interface NetworkArgs {
  /** The VPC's IPv4 block (validated by the stack config: RFC 1918, /16 to /20). */
  readonly cidrBlock: string;
  /**
   * Availability Zones to spread subnets over.
   *
   * @default 3 (RDS Multi-AZ, OpenSearch zone awareness and EKS all want three)
   */
  readonly availabilityZoneCount?: number;
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * One VPC in the stack's Region: a private and a public subnet in each Availability Zone, and a
 * NAT gateway per zone so losing one zone does not cut the others' egress.
 *
 * Built on awsx's `ec2.Vpc` (a remote component: its subnets are created by the awsx plugin).
 */
export class Network extends pulumi.ComponentResource {
  public readonly vpcId: pulumi.Output<string>;
  public readonly privateSubnetIds: pulumi.Output<string[]>;
  public readonly publicSubnetIds: pulumi.Output<string[]>;
  public readonly cidrBlock: string;

  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("payments-dr:components:Network", name, {}, opts);
    const masks = subnetMasks(args.cidrBlock);
    const vpc = new ec2.Vpc(
      `${name}-vpc`,
      {
        cidrBlock: args.cidrBlock,
        numberOfAvailabilityZones: args.availabilityZoneCount ?? 3,
        enableDnsHostnames: true,
        enableDnsSupport: true,
        natGateways: { strategy: ec2.NatGatewayStrategy.OnePerAz },
        subnetStrategy: ec2.SubnetAllocationStrategy.Auto,
        subnetSpecs: [
          { type: ec2.SubnetType.Private, cidrMask: masks.private },
          { type: ec2.SubnetType.Public, cidrMask: masks.public },
        ],
        tags: { ...args.tags },
      },
      { parent: this },
    );
    this.cidrBlock = args.cidrBlock;
    this.vpcId = vpc.vpcId;
    this.privateSubnetIds = vpc.privateSubnetIds;
    this.publicSubnetIds = vpc.publicSubnetIds;
    this.registerOutputs({
      vpcId: this.vpcId,
      privateSubnetIds: this.privateSubnetIds,
      publicSubnetIds: this.publicSubnetIds,
    });
  }
}

/**
 * Subnet sizes for a VPC block: private subnets get a sixteenth of the block each (pods and
 * databases live there), public subnets a sixty-fourth (load balancers and NAT gateways only).
 */
export function subnetMasks(cidrBlock: string): { private: number; public: number } {
  const prefixLength = Number(cidrBlock.split("/")[1]);
  return { private: prefixLength + 4, public: prefixLength + 6 };
}

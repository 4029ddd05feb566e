import * as assert from "assert";
import {
  DescribeAddressesCommand,
  DescribeInstanceTypesCommand,
  DescribeVpcsCommand,
} from "@aws-sdk/client-ec2";
import {
  GetAWSDefaultServiceQuotaCommand,
  GetServiceQuotaCommand,
  NoSuchResourceException,
} from "@aws-sdk/client-service-quotas";
import { eipQuotaCheck, vcpuQuotaCheck, vpcQuotaCheck } from "../../../tools/doctor/quotaChecks";
import { lineOf, mocks, resetMocks } from "./fixtures";

const quota = (value: number) => ({ Quota: { Value: value } });

describe("doctor: quotas for the active-mode capacity", () => {
  beforeEach(() => {
    resetMocks();
    mocks.ec2
      .on(DescribeInstanceTypesCommand, { InstanceTypes: ["m6i.large"] })
      .resolves({ InstanceTypes: [{ InstanceType: "m6i.large", VCpuInfo: { DefaultVCpus: 2 } }] });
  });

  it("passes when the standard on-demand vCPU quota covers the active node count", async () => {
    mocks.serviceQuotas
      .on(GetServiceQuotaCommand, { ServiceCode: "ec2", QuotaCode: "L-1216C47A" })
      .resolves(quota(32));
    assert.strictEqual(
      await lineOf(vcpuQuotaCheck),
      "PASS quota.ec2-vcpu: Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances: quota 32 vCPUs >= 6 " +
        "(3 x m6i.large, 2 each; other running instances not counted)",
    );
  });

  it("fails below it with the quota-increase command, falling back to AWS's default when none was applied", async () => {
    mocks.serviceQuotas.on(GetServiceQuotaCommand).rejects(
      new NoSuchResourceException({
        message: "The request failed because the specified service quota does not exist.",
        $metadata: {},
      }),
    );
    mocks.serviceQuotas
      .on(GetAWSDefaultServiceQuotaCommand, { ServiceCode: "ec2", QuotaCode: "L-1216C47A" })
      .resolves(quota(5));
    assert.strictEqual(
      await lineOf(vcpuQuotaCheck),
      "FAIL quota.ec2-vcpu: Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances: quota 5 vCPUs < 6 (3 x m6i.large). " +
        "Fix: aws service-quotas request-service-quota-increase --service-code ec2 --quota-code L-1216C47A --desired-value 6",
    );
  });

  it("passes when a VPC fits under the VPCs-per-Region quota, counting every page", async () => {
    mocks.ec2
      .on(DescribeVpcsCommand, { NextToken: undefined })
      .resolves({ Vpcs: [{ VpcId: "vpc-1" }, { VpcId: "vpc-2" }], NextToken: "n" })
      .on(DescribeVpcsCommand, { NextToken: "n" })
      .resolves({ Vpcs: [{ VpcId: "vpc-3" }] });
    mocks.serviceQuotas
      .on(GetServiceQuotaCommand, { ServiceCode: "vpc", QuotaCode: "L-F678F1CE" })
      .resolves(quota(5));
    assert.strictEqual(await lineOf(vpcQuotaCheck), "PASS quota.vpc: 3 of 5 VPCs used; the stack adds 1");
  });

  it("fails when the VPC quota is used up", async () => {
    mocks.ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [1, 2, 3, 4, 5].map((i) => ({ VpcId: `vpc-${i}` })) });
    mocks.serviceQuotas.on(GetServiceQuotaCommand).resolves(quota(5));
    assert.strictEqual(
      await lineOf(vpcQuotaCheck),
      "FAIL quota.vpc: 5 of 5 VPCs used; the stack needs 1 more. " +
        "Fix: aws service-quotas request-service-quota-increase --service-code vpc --quota-code L-F678F1CE --desired-value 6",
    );
  });

  it("passes when three NAT gateways' Elastic IPs fit, and fails when they do not", async () => {
    mocks.serviceQuotas
      .on(GetServiceQuotaCommand, { ServiceCode: "ec2", QuotaCode: "L-0263D0A3" })
      .resolves(quota(5));
    mocks.ec2.on(DescribeAddressesCommand).resolves({ Addresses: [{ AllocationId: "eipalloc-1" }] });
    assert.strictEqual(
      await lineOf(eipQuotaCheck),
      "PASS quota.eip: 1 of 5 Elastic IPs used; the stack's NAT gateways add 3",
    );
    mocks.ec2
      .on(DescribeAddressesCommand)
      .resolves({ Addresses: [1, 2, 3].map((i) => ({ AllocationId: `eipalloc-${i}` })) });
    assert.strictEqual(
      await lineOf(eipQuotaCheck),
      "FAIL quota.eip: 3 of 5 Elastic IPs used; the stack's NAT gateways need 3. " +
        "Fix: aws service-quotas request-service-quota-increase --service-code ec2 --quota-code L-0263D0A3 --desired-value 6",
    );
  });
});

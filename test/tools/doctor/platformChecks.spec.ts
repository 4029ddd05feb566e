import * as assert from "assert";
import { DescribeClusterVersionsCommand } from "@aws-sdk/client-eks";
import { GetHostedZoneCommand, ListHostedZonesByNameCommand } from "@aws-sdk/client-route-53";
import { eksVersionCheck, hostedZoneCheck, lambdaRuntimeCheck } from "../../../tools/doctor/platformChecks";
import { context, drConfig, lineOf, mocks, resetMocks } from "./fixtures";

const version = (v: string, status: "STANDARD_SUPPORT" | "EXTENDED_SUPPORT", endOfStandard: string) => ({
  clusterVersion: v,
  versionStatus: status,
  endOfStandardSupportDate: new Date(`${endOfStandard}T00:00:00Z`),
});

describe("doctor: EKS version, Lambda runtime, hosted zone", () => {
  beforeEach(resetMocks);

  describe("EKS", () => {
    it("passes for a version in standard support, with its end date, reading every page", async () => {
      mocks.eks
        .on(DescribeClusterVersionsCommand, { includeAll: true, nextToken: undefined })
        .resolves({ clusterVersions: [version("1.34", "STANDARD_SUPPORT", "2026-12-02")], nextToken: "n" })
        .on(DescribeClusterVersionsCommand, { includeAll: true, nextToken: "n" })
        .resolves({ clusterVersions: [version("1.35", "STANDARD_SUPPORT", "2027-03-27")] });
      assert.strictEqual(
        await lineOf(eksVersionCheck),
        "PASS eks.version: Kubernetes 1.35, standard support until 2027-03-27",
      );
    });

    it("fails for a version in extended support, proposing the newest in standard support", async () => {
      mocks.eks.on(DescribeClusterVersionsCommand).resolves({
        clusterVersions: [
          version("1.33", "EXTENDED_SUPPORT", "2026-07-29"),
          version("1.35", "STANDARD_SUPPORT", "2027-03-27"),
          version("1.34", "EXTENDED_SUPPORT", "2026-12-02"),
        ],
      });
      const config = drConfig();
      const ctx = context({ ...config, eks: { ...config.eks, kubernetesVersion: "1.33" } });
      assert.strictEqual(
        await lineOf(eksVersionCheck, ctx),
        "FAIL eks.version: Kubernetes 1.33 is in EXTENDED_SUPPORT (standard support ended 2026-07-29). " +
          "Fix: pulumi config set --path payments-dr:eks.kubernetesVersion 1.35 " +
          "(before the cluster exists; afterwards upgrade with the EKS API, docs/first-deployment.md)",
      );
    });
  });

  describe("Lambda runtime (a dated table: no AWS API lists supported runtimes)", () => {
    it("passes for nodejs24.x, saying where the answer comes from", async () => {
      assert.strictEqual(
        await lineOf(lambdaRuntimeCheck("nodejs24.x")),
        "PASS lambda.runtime: nodejs24.x supported until 2028-04-30 (Lambda runtime table as of 2026-12-05)",
      );
    });

    it("fails for nodejs20.x, deprecated before today", async () => {
      assert.strictEqual(
        await lineOf(lambdaRuntimeCheck("nodejs20.x")),
        "FAIL lambda.runtime: nodejs20.x was deprecated on 2026-04-30 (Lambda runtime table as of 2026-12-05). " +
          "Fix: move LAMBDA_RUNTIME (components/lambda/lambdaBundle.ts) to nodejs24.x and rebuild",
      );
    });

    it("makes no AWS call", async () => {
      await lineOf(lambdaRuntimeCheck("nodejs24.x"));
      assert.strictEqual(
        Object.values(mocks).reduce((n, m) => n + m.calls().length, 0),
        0,
      );
    });
  });

  describe("hosted zone", () => {
    it("passes when exactly one public zone has dns.zoneName", async () => {
      mocks.route53
        .on(ListHostedZonesByNameCommand, { DNSName: "payments.example.com.", MaxItems: 10 })
        .resolves({
          HostedZones: [
            {
              Id: "/hostedzone/ZPRIVATE",
              Name: "payments.example.com.",
              CallerReference: "a",
              Config: { PrivateZone: true },
            },
            {
              Id: "/hostedzone/Z0123456789ABC",
              Name: "payments.example.com.",
              CallerReference: "b",
              Config: { PrivateZone: false },
            },
            {
              Id: "/hostedzone/ZOTHER",
              Name: "payments2.example.com.",
              CallerReference: "c",
              Config: { PrivateZone: false },
            },
          ],
        });
      assert.strictEqual(
        await lineOf(hostedZoneCheck),
        "PASS route53.zone: public zone payments.example.com. is Z0123456789ABC",
      );
    });

    it("fails when the account has no public zone of that name", async () => {
      mocks.route53.on(ListHostedZonesByNameCommand).resolves({ HostedZones: [] });
      assert.strictEqual(
        await lineOf(hostedZoneCheck),
        "FAIL route53.zone: no public hosted zone payments.example.com. in this account. " +
          "Fix: create the public hosted zone of the registered domain, or fix payments-dr:dns.zoneName",
      );
    });

    it("reads the configured dns.hostedZoneId and fails when it is another zone", async () => {
      mocks.route53.on(GetHostedZoneCommand, { Id: "Z0123456789ABCDEFGHIJ" }).resolves({
        HostedZone: {
          Id: "/hostedzone/Z0123456789ABCDEFGHIJ",
          Name: "example.org.",
          CallerReference: "x",
          Config: { PrivateZone: false },
        },
      });
      const config = drConfig();
      const ctx = context({ ...config, dns: { ...config.dns, hostedZoneId: "Z0123456789ABCDEFGHIJ" } });
      assert.strictEqual(
        await lineOf(hostedZoneCheck, ctx),
        "FAIL route53.zone: hosted zone Z0123456789ABCDEFGHIJ is example.org., not the public zone payments.example.com.. " +
          "Fix: pulumi config set --path payments-dr:dns.hostedZoneId <the id of the public zone of dns.zoneName>",
      );
      assert.strictEqual(mocks.route53.commandCalls(ListHostedZonesByNameCommand).length, 0);
    });
  });
});

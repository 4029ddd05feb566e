/**
 * The EKS version, the Lambda runtime and the public hosted zone the stack is configured with.
 */
import { DescribeClusterVersionsCommand } from "@aws-sdk/client-eks";
import { GetHostedZoneCommand, ListHostedZonesByNameCommand } from "@aws-sdk/client-route-53";
import { LAMBDA_RUNTIME } from "../../components/lambda/lambdaBundle";
import { byVersion } from "./engineChecks";
import { Check, fail, pass } from "./types";

const day = (date: Date | undefined) => date?.toISOString().slice(0, 10) ?? "unknown";

export const eksVersionCheck: Check = {
  id: "eks.version",
  describe: (c) =>
    `Kubernetes ${c.eks.kubernetesVersion} in EKS standard support in ${c.region} (EKS DescribeClusterVersions)`,
  actions: ["eks:DescribeClusterVersions"],
  async run(ctx) {
    const wanted = ctx.config.eks.kubernetesVersion;
    const versions = [];
    let token: string | undefined;
    do {
      const page = await ctx.clients.eks.send(
        new DescribeClusterVersionsCommand({ includeAll: true, nextToken: token }),
      );
      versions.push(...(page.clusterVersions ?? []));
      token = page.nextToken;
    } while (token);
    const standard = versions
      .filter((v) => v.versionStatus === "STANDARD_SUPPORT" && v.clusterVersion)
      .map((v) => v.clusterVersion as string)
      .sort(byVersion);
    const fix = `pulumi config set --path payments-dr:eks.kubernetesVersion ${standard.pop() ?? "<a version in standard support>"} (before the cluster exists; afterwards upgrade with the EKS API, docs/first-deployment.md)`;
    const found = versions.find((v) => v.clusterVersion === wanted);
    if (!found) return fail(`Kubernetes ${wanted} is not offered by EKS in ${ctx.config.region}`, fix);
    if (found.versionStatus !== "STANDARD_SUPPORT") {
      return fail(
        `Kubernetes ${wanted} is in ${found.versionStatus ?? "unknown"} (standard support ended ${day(found.endOfStandardSupportDate)})`,
        fix,
      );
    }
    return pass(`Kubernetes ${wanted}, standard support until ${day(found.endOfStandardSupportDate)}`);
  },
};

/**
 * Deprecation dates of the Node.js Lambda runtimes, from the Lambda developer guide's runtime table
 * as of 2026-12-05. No AWS API lists the runtimes a Region accepts, so this is a dated table, not a
 * live answer; the doctor says so on its line.
 */
export const LAMBDA_RUNTIME_DEPRECATION: Readonly<Record<string, string>> = {
  "nodejs18.x": "2025-09-01",
  "nodejs20.x": "2026-04-30",
  "nodejs22.x": "2027-04-30",
  "nodejs24.x": "2028-04-30",
};

export function lambdaRuntimeCheck(runtime: string = LAMBDA_RUNTIME): Check {
  return {
    id: "lambda.runtime",
    describe: () =>
      `Lambda runtime ${runtime} not deprecated (dated table of the Lambda runtime page; no API lists runtimes)`,
    actions: [],
    async run(ctx) {
      const deprecation = LAMBDA_RUNTIME_DEPRECATION[runtime];
      const fix = "move LAMBDA_RUNTIME (components/lambda/lambdaBundle.ts) to nodejs24.x and rebuild";
      if (!deprecation) return fail(`${runtime} is not in the doctor's runtime table`, fix);
      const today = ctx.today.toISOString().slice(0, 10);
      return today < deprecation
        ? pass(`${runtime} supported until ${deprecation} (Lambda runtime table as of 2026-12-05)`)
        : fail(`${runtime} was deprecated on ${deprecation} (Lambda runtime table as of 2026-12-05)`, fix);
    },
  };
}

export const hostedZoneCheck: Check = {
  id: "route53.zone",
  describe: (c) =>
    `public hosted zone ${c.dns.zoneName}${c.dns.hostedZoneId ? ` (${c.dns.hostedZoneId})` : ""} exists (Route 53 ${c.dns.hostedZoneId ? "GetHostedZone" : "ListHostedZonesByName"})`,
  actions: ["route53:GetHostedZone", "route53:ListHostedZonesByName"],
  async run(ctx) {
    const { zoneName, hostedZoneId } = ctx.config.dns;
    const fqdn = `${zoneName.replace(/\.$/, "")}.`;
    if (hostedZoneId) {
      const answer = await ctx.clients.route53.send(new GetHostedZoneCommand({ Id: hostedZoneId }));
      const zone = answer.HostedZone;
      if (zone?.Name !== fqdn || zone.Config?.PrivateZone) {
        return fail(
          `hosted zone ${hostedZoneId} is ${zone?.Config?.PrivateZone ? "private " : ""}${zone?.Name ?? "unknown"}, not the public zone ${fqdn}`,
          "pulumi config set --path payments-dr:dns.hostedZoneId <the id of the public zone of dns.zoneName>",
        );
      }
      return pass(`${hostedZoneId} is the public zone ${fqdn}`);
    }
    const answer = await ctx.clients.route53.send(
      new ListHostedZonesByNameCommand({ DNSName: fqdn, MaxItems: 10 }),
    );
    const zones = (answer.HostedZones ?? []).filter((z) => z.Name === fqdn && !z.Config?.PrivateZone);
    if (zones.length === 1) return pass(`public zone ${fqdn} is ${zones[0].Id?.replace("/hostedzone/", "")}`);
    return fail(
      zones.length === 0
        ? `no public hosted zone ${fqdn} in this account`
        : `${zones.length} public hosted zones named ${fqdn}`,
      zones.length === 0
        ? "create the public hosted zone of the registered domain, or fix payments-dr:dns.zoneName"
        : "pulumi config set --path payments-dr:dns.hostedZoneId <the zone to use>",
    );
  },
};

import * as assert from "assert";
import { HEALTH_CHECKER_REGIONS } from "../../../components/traffic/dns";
import { RenderedStack } from "../../../tools/render/render";
import { find, findAll, renderTestStack } from "../../helpers/stacks";

const FQDN = "api.payments.example.com";

function alb(stack: RenderedStack) {
  return find(stack, "aws:lb/loadBalancer:LoadBalancer", "ingress-alb");
}

/** The exact settings of an endpoint health check on a stack's own load balancer. */
function endpointCheckSettings(stack: RenderedStack, setIdentifier: string) {
  return {
    type: "HTTPS",
    fqdn: alb(stack).outputs.dnsName,
    port: 443,
    resourcePath: "/healthz",
    enableSni: true,
    requestInterval: 10,
    failureThreshold: 3,
    regions: HEALTH_CHECKER_REGIONS,
    measureLatency: false,
    invertHealthcheck: false,
    tags: {
      app: "payments",
      "payments-dr:stack": stack.stack,
      "payments-dr:role": stack.stack,
      "cost-center": "payments-platform",
      Name: `${FQDN} ${setIdentifier} endpoint`,
    },
  };
}

describe("dns", function () {
  // Renders whole stacks under the mock runtime.
  this.timeout(300_000);
  describe("primary", () => {
    it("health-checks its own load balancer over HTTPS every 10 s from five Regions", async () => {
      const primary = await renderTestStack("primary");
      const check = find(primary, "aws:route53/healthCheck:HealthCheck", "dns-endpoint-check");
      assert.deepStrictEqual(check.inputs, endpointCheckSettings(primary, "primary-us-east-1"));
      assert.ok(HEALTH_CHECKER_REGIONS.length >= 3);
    });

    it("declares an always-healthy control check (disabled, the documented form) the controller owns (ignoreChanges on invertHealthcheck)", async () => {
      const primary = await renderTestStack("primary");
      const control = find(primary, "aws:route53/healthCheck:HealthCheck", "dns-control-check");
      const endpoint = find(primary, "aws:route53/healthCheck:HealthCheck", "dns-endpoint-check");
      const { tags: _tags, ...settings } = control.inputs;
      // No zero values: the provider would not send them (d.GetOk drops 0 and empty sets).
      assert.deepStrictEqual(settings, {
        type: "CALCULATED",
        childHealthchecks: [endpoint.id],
        childHealthThreshold: 1,
        disabled: true,
        invertHealthcheck: false,
      });
      assert.deepStrictEqual(control.ignoreChanges, ["invertHealthcheck"]);
      assert.strictEqual((primary.outputs.dns as Record<string, unknown>).controlHealthCheckId, control.id);
    });

    it("routes PRIMARY through a calculated check needing both the endpoint and the control", async () => {
      const primary = await renderTestStack("primary");
      const endpoint = find(primary, "aws:route53/healthCheck:HealthCheck", "dns-endpoint-check");
      const control = find(primary, "aws:route53/healthCheck:HealthCheck", "dns-control-check");
      const recordCheck = find(primary, "aws:route53/healthCheck:HealthCheck", "dns-record-check");
      const { tags: _tags, ...settings } = recordCheck.inputs;
      assert.deepStrictEqual(settings, {
        type: "CALCULATED",
        childHealthchecks: [endpoint.id, control.id],
        childHealthThreshold: 2,
        invertHealthcheck: false,
      });
      assert.deepStrictEqual(recordCheck.ignoreChanges, []);
      const record = find(primary, "aws:route53/record:Record", "dns-record");
      assert.deepStrictEqual(record.inputs, {
        zoneId: find(primary, "aws:route53/record:Record", "ingress-certificate-validation").inputs.zoneId,
        name: FQDN,
        type: "A",
        setIdentifier: "primary-us-east-1",
        failoverRoutingPolicies: [{ type: "PRIMARY" }],
        healthCheckId: recordCheck.id,
        aliases: [
          { name: alb(primary).outputs.dnsName, zoneId: "Z35SXDOTRQ7X7K", evaluateTargetHealth: true },
        ],
      });
    });

    it("publishes the record and both check ids", async () => {
      const primary = await renderTestStack("primary");
      const endpoint = find(primary, "aws:route53/healthCheck:HealthCheck", "dns-endpoint-check");
      const control = find(primary, "aws:route53/healthCheck:HealthCheck", "dns-control-check");
      assert.deepStrictEqual(primary.outputs.dns, {
        recordFqdn: FQDN,
        healthCheckId: endpoint.id,
        controlHealthCheckId: control.id,
      });
      assert.match(String(control.id), /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    });
  });

  describe("dr", () => {
    it("health-checks its own load balancer, not primary's and not the failover record", async () => {
      const dr = await renderTestStack("dr");
      const check = find(dr, "aws:route53/healthCheck:HealthCheck", "dns-endpoint-check");
      assert.deepStrictEqual(check.inputs, endpointCheckSettings(dr, "dr-us-west-2"));
      assert.match(String(check.inputs.fqdn), /\.us-west-2\.elb\.amazonaws\.com$/);
    });

    it("routes SECONDARY to the dr load balancer on its endpoint check, with no control check", async () => {
      const dr = await renderTestStack("dr");
      const endpoint = find(dr, "aws:route53/healthCheck:HealthCheck", "dns-endpoint-check");
      assert.deepStrictEqual(
        findAll(dr, "aws:route53/healthCheck:HealthCheck").map((c) => c.name),
        ["dns-endpoint-check"],
      );
      const record = find(dr, "aws:route53/record:Record", "dns-record");
      assert.deepStrictEqual(
        {
          name: record.inputs.name,
          setIdentifier: record.inputs.setIdentifier,
          failoverRoutingPolicies: record.inputs.failoverRoutingPolicies,
          healthCheckId: record.inputs.healthCheckId,
          aliases: record.inputs.aliases,
        },
        {
          name: FQDN,
          setIdentifier: "dr-us-west-2",
          failoverRoutingPolicies: [{ type: "SECONDARY" }],
          healthCheckId: endpoint.id,
          aliases: [{ name: alb(dr).outputs.dnsName, zoneId: "Z1H1FL5HABSF5", evaluateTargetHealth: true }],
        },
      );
      assert.strictEqual((dr.outputs.dns as Record<string, unknown>).controlHealthCheckId, undefined);
    });

    it("shares the hosted zone and record name with primary, with a different set identifier", async () => {
      const primary = find(await renderTestStack("primary"), "aws:route53/record:Record", "dns-record");
      const dr = find(await renderTestStack("dr"), "aws:route53/record:Record", "dns-record");
      assert.strictEqual(dr.inputs.zoneId, primary.inputs.zoneId);
      assert.strictEqual(dr.inputs.name, primary.inputs.name);
      assert.notStrictEqual(dr.inputs.setIdentifier, primary.inputs.setIdentifier);
      assert.match(String(dr.inputs.zoneId), /^Z[0-9A-F]{20}$/);
    });
  });

  it("uses a configured hosted zone id for every record instead of looking the zone up", async () => {
    const zoneId = "Z0123456789ABCDEFGHIJ";
    const dr = await renderTestStack("dr", [`payments-dr:dns.hostedZoneId=${zoneId}`]);
    assert.deepStrictEqual(
      [
        find(dr, "aws:route53/record:Record", "dns-record").inputs.zoneId,
        find(dr, "aws:route53/record:Record", "ingress-certificate-validation").inputs.zoneId,
      ],
      [zoneId, zoneId],
    );
  });
});

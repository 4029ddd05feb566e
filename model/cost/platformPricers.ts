/** What the platform is billed for: nodes and their volumes, NAT gateways, load balancers, health checks. */
import { RenderedResource } from "../rendered";
import { ASSUMPTIONS } from "./assumptions";
import { hours, Item, list, num, obj, Priced, PricingContext } from "./pricing";

export function nodeGroup(r: RenderedResource, ctx: PricingContext): Priced {
  const desired = num(obj(r.inputs.scalingConfig).desiredSize, 0);
  // EKS defaults a managed node group without instance types to t3.medium.
  const type = String((r.inputs.instanceTypes as unknown[] | undefined)?.[0] ?? "t3.medium");
  const template = ctx.stack.resources.find(
    (t) =>
      t.type === "aws:ec2/launchTemplate:LaunchTemplate" &&
      (t.outputs.id ?? t.id) === obj(r.inputs.launchTemplate).id,
  );
  const ebs = obj(list(template?.inputs.blockDeviceMappings)[0]?.ebs);
  const volume = num(ebs.volumeSize, num(r.inputs.diskSize, 20));
  const volumeType = String(ebs.volumeType ?? "gp2");
  return {
    items: [
      {
        item: `${desired} x ${type} node hours (desired size)`,
        priceKey: `ec2.instance.${type}`,
        quantity: hours(desired),
        region: r.region,
      },
      {
        item: `${desired} x ${volume} GB ${volumeType} root volumes`,
        priceKey: `ebs.${volumeType}`,
        quantity: desired * volume,
        region: r.region,
      },
    ],
  };
}

export function vpc(r: RenderedResource, ctx: PricingContext): Priced {
  const strategy = String(obj(r.inputs.natGateways).strategy ?? "OnePerAz");
  const zones = num(r.inputs.numberOfAvailabilityZones, 3);
  const gateways = strategy === "None" ? 0 : strategy === "Single" ? 1 : zones;
  const region = r.region ?? String(ctx.stack.config["aws:region"] ?? "");
  return {
    items: [
      {
        item: `${gateways} NAT gateway hours (${strategy})`,
        priceKey: "nat.hour",
        quantity: hours(gateways),
        region,
      },
      {
        item: `NAT data processed (${ASSUMPTIONS.natProcessedGb.value} GB per gateway, assumed)`,
        priceKey: "nat.processed",
        quantity: gateways * ASSUMPTIONS.natProcessedGb.value,
        region,
      },
    ],
  };
}

export function loadBalancer(r: RenderedResource): Priced {
  if ((r.inputs.loadBalancerType ?? "application") !== "application")
    return { unpriced: `no price for a ${String(r.inputs.loadBalancerType)} load balancer in the table` };
  return {
    items: [
      { item: "load balancer hours", priceKey: "alb.hour", quantity: hours(1), region: r.region },
      {
        item: `LCU hours (${ASSUMPTIONS.albLcu.value} LCU, assumed)`,
        priceKey: "alb.lcu",
        quantity: hours(ASSUMPTIONS.albLcu.value),
        region: r.region,
      },
    ],
  };
}

export function healthCheck(r: RenderedResource): Priced {
  // Route 53 is global and billed in us-east-1.
  const items: Item[] = [
    { item: "health check", priceKey: "route53.healthCheck", quantity: 1, region: "us-east-1" },
  ];
  if (String(r.inputs.type ?? "").startsWith("HTTPS"))
    items.push({
      item: "HTTPS option",
      priceKey: "route53.healthCheckHttps",
      quantity: 1,
      region: "us-east-1",
    });
  return { items };
}

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/**
 * Route 53 checker Regions: at least three are required; these spread over three continents so a
 * single Region's network trouble cannot mark a healthy endpoint unhealthy.
 */
export const HEALTH_CHECKER_REGIONS = ["us-east-1", "us-west-1", "us-west-2", "eu-west-1", "ap-southeast-1"];

/** Route 53 health-check interval: the fast (10 s) checks; failover then takes ~interval × threshold. */
export const HEALTH_CHECK_INTERVAL_SECONDS = 10;

export type FailoverRole = "PRIMARY" | "SECONDARY";

export interface DnsArgs {
  readonly zoneId: pulumi.Input<string>;
  /** `<recordName>.<zoneName>`: the one name clients use. */
  readonly recordFqdn: string;
  /** PRIMARY on the primary stack, SECONDARY on dr. */
  readonly failoverRole: FailoverRole;
  /** Distinguishes this stack's record from the other stack's record of the same name. */
  readonly setIdentifier: string;
  /** This Region's load balancer: the health check's target and the alias target. */
  readonly loadBalancerDnsName: pulumi.Input<string>;
  readonly loadBalancerZoneId: pulumi.Input<string>;
  readonly healthCheckPath: string;
  /** Consecutive failed checks before Route 53 marks the endpoint unhealthy (1-10). */
  readonly failureThreshold: number;
  /**
   * Adds the control health check the failover controller inverts to take this record out of DNS
   * while its endpoint still answers (the "forced failover" lever).
   *
   * @default false
   */
  readonly withControl?: boolean;
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * This stack's half of the failover record set: an HTTPS health check of its own load balancer
 * and its own failover alias record. On the primary, the record's health check is a CALCULATED
 * check that needs both the endpoint check and an always-healthy (disabled) "control" check;
 * inverting the control check (Route 53 `UpdateHealthCheck Inverted=true`) takes primary out of DNS.
 */
export class Dns extends pulumi.ComponentResource {
  public readonly recordFqdn: string;
  /** The endpoint check of this Region's load balancer. */
  public readonly healthCheckId: pulumi.Output<string>;
  /** The health check the record uses (the calculated one when a control exists). */
  public readonly recordHealthCheckId: pulumi.Output<string>;
  public readonly controlHealthCheckId?: pulumi.Output<string>;

  constructor(name: string, args: DnsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("payments-dr:components:Dns", name, {}, opts);
    const tags = args.tags ?? {};

    // Checks the load balancer's own name, not the failover record: the record resolves to
    // whichever Region is serving, so checking it would measure the wrong Region.
    const endpoint = new aws.route53.HealthCheck(
      `${name}-endpoint-check`,
      {
        type: "HTTPS",
        fqdn: args.loadBalancerDnsName,
        port: 443,
        resourcePath: args.healthCheckPath,
        enableSni: true,
        requestInterval: HEALTH_CHECK_INTERVAL_SECONDS,
        failureThreshold: args.failureThreshold,
        regions: HEALTH_CHECKER_REGIONS,
        measureLatency: false,
        invertHealthcheck: false,
        tags: { ...tags, Name: `${args.recordFqdn} ${args.setIdentifier} endpoint` },
      },
      { parent: this },
    );

    let recordCheck: aws.route53.HealthCheck = endpoint;
    let control: aws.route53.HealthCheck | undefined;
    if (args.withControl) {
      // Disabled: "After you disable a health check, Route 53 considers the status of the health
      // check to always be healthy ... If you want to stop routing traffic to a resource, change the
      // value of Inverted" (Route 53 API, HealthCheckConfig.Disabled): the documented switch. A
      // threshold of 0 with no children is not sent at all (the provider drops zero values on
      // create), so it would rest on Route 53's undocumented default. The endpoint is a child only
      // to give Route 53 a complete CALCULATED config; a disabled check does not aggregate it.
      control = new aws.route53.HealthCheck(
        `${name}-control-check`,
        {
          type: "CALCULATED",
          childHealthchecks: [endpoint.id],
          childHealthThreshold: 1,
          disabled: true,
          invertHealthcheck: false,
          tags: { ...tags, Name: `${args.recordFqdn} ${args.setIdentifier} failover control` },
        },
        // The failover controller owns `Inverted` once created: a routine `pulumi up` of primary
        // during a failover must not silently put primary back into DNS.
        { parent: this, ignoreChanges: ["invertHealthcheck"] },
      );
      recordCheck = new aws.route53.HealthCheck(
        `${name}-record-check`,
        {
          type: "CALCULATED",
          childHealthchecks: [endpoint.id, control.id],
          childHealthThreshold: 2,
          invertHealthcheck: false,
          tags: { ...tags, Name: `${args.recordFqdn} ${args.setIdentifier} endpoint and control` },
        },
        { parent: this },
      );
    }

    new aws.route53.Record(
      `${name}-record`,
      {
        zoneId: args.zoneId,
        name: args.recordFqdn,
        type: "A",
        setIdentifier: args.setIdentifier,
        failoverRoutingPolicies: [{ type: args.failoverRole }],
        healthCheckId: recordCheck.id,
        aliases: [
          { name: args.loadBalancerDnsName, zoneId: args.loadBalancerZoneId, evaluateTargetHealth: true },
        ],
      },
      { parent: this },
    );

    this.recordFqdn = args.recordFqdn;
    this.healthCheckId = endpoint.id;
    this.recordHealthCheckId = recordCheck.id;
    this.controlHealthCheckId = control?.id;
    this.registerOutputs({
      recordFqdn: this.recordFqdn,
      healthCheckId: this.healthCheckId,
      recordHealthCheckId: this.recordHealthCheckId,
      controlHealthCheckId: this.controlHealthCheckId,
    });
  }
}

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ACCESS_LOG_PREFIX, accessLogStore } from "../data/accessLogBucket";

export { ALB_LOGS_SSE_S3_REASON } from "../data/accessLogBucket";
export { SSE_S3_REASON_TAG } from "../data/objectStore";

export interface IngressArgs {
  readonly vpcId: pulumi.Input<string>;
  /** VPC block: the only destination the load balancer may open connections to. */
  readonly vpcCidr: string;
  readonly publicSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** Public hosted zone that holds the record and the certificate's validation record. */
  readonly zoneId: pulumi.Input<string>;
  /** The record users and health checks reach, `<recordName>.<zoneName>`. */
  readonly recordFqdn: string;
  /** ELB security policy of the HTTPS listener (validated in config: TLS 1.2+). */
  readonly tlsPolicy: string;
  /** Path the target group's health check requests (the same path Route 53 checks). */
  readonly healthCheckPath: string;
  /**
   * Port the application's pods listen on; the load balancer re-encrypts to it.
   *
   * @default 8443
   */
  readonly targetPort?: number;
  /** @default 365 */
  readonly accessLogRetentionDays?: number;
  /** @default true - deleting the load balancer needs a deliberate config change first. */
  readonly deletionProtection?: boolean;
  readonly region: string;
  /** Where the access logs are replicated (audit evidence outlives the Region). */
  readonly peerRegion: string;
  /** KMS key in `peerRegion` encrypting the access-log replica. */
  readonly logReplicaKeyArn: pulumi.Input<string>;
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * The Region's entry point: an internet-facing Application Load Balancer in the public subnets,
 * HTTPS only (TLS policy from config, a DNS-validated ACM certificate for the failover record), an
 * HTTP listener that only redirects, an IP target group the AWS Load Balancer Controller fills
 * with the application's pods (TargetGroupBinding), and access logs to a locked-down bucket.
 */
export class Ingress extends pulumi.ComponentResource {
  public readonly loadBalancerArn: pulumi.Output<string>;
  public readonly loadBalancerDnsName: pulumi.Output<string>;
  /** The load balancer's canonical hosted zone, for alias records. */
  public readonly loadBalancerZoneId: pulumi.Output<string>;
  public readonly targetGroupArn: pulumi.Output<string>;
  /** The load balancer's security group (rules to the pods are added with the workload). */
  public readonly securityGroupId: pulumi.Output<string>;
  public readonly certificateArn: pulumi.Output<string>;
  public readonly accessLogBucketName: pulumi.Output<string>;
  public readonly endpointUrl: string;

  constructor(name: string, args: IngressArgs, opts?: pulumi.ComponentResourceOptions) {
    super("payments-dr:components:Ingress", name, {}, opts);
    const tags = args.tags ?? {};
    const region = args.region;
    const targetPort = args.targetPort ?? 8443;

    const logs = accessLogStore(
      name,
      {
        region,
        peerRegion: args.peerRegion,
        replicaKeyArn: args.logReplicaKeyArn,
        retentionDays: args.accessLogRetentionDays ?? 365,
        tags,
      },
      this,
    );

    const securityGroup = new aws.ec2.SecurityGroup(
      `${name}-alb-sg`,
      {
        description: "Application load balancer: HTTPS in, application port to the VPC",
        vpcId: args.vpcId,
        region,
        tags,
      },
      { parent: this },
    );
    // 443 only: clients of a payments API must use TLS; plaintext is refused at the network, so
    // the port-80 listener below is defence in depth, not a path clients can rely on.
    for (const [suffix, cidr] of [
      ["https-ipv4", { cidrIpv4: "0.0.0.0/0" }],
      ["https-ipv6", { cidrIpv6: "::/0" }],
    ] as const) {
      new aws.vpc.SecurityGroupIngressRule(
        `${name}-alb-${suffix}`,
        {
          securityGroupId: securityGroup.id,
          ipProtocol: "tcp",
          fromPort: 443,
          toPort: 443,
          ...cidr,
          region,
          tags,
        },
        { parent: this },
      );
    }
    new aws.vpc.SecurityGroupEgressRule(
      `${name}-alb-to-targets`,
      {
        securityGroupId: securityGroup.id,
        ipProtocol: "tcp",
        fromPort: targetPort,
        toPort: targetPort,
        cidrIpv4: args.vpcCidr,
        region,
        tags,
      },
      { parent: this },
    );

    const loadBalancer = new aws.lb.LoadBalancer(
      `${name}-alb`,
      {
        loadBalancerType: "application",
        internal: false,
        subnets: args.publicSubnetIds,
        securityGroups: [securityGroup.id],
        dropInvalidHeaderFields: true,
        desyncMitigationMode: "strictest",
        enableDeletionProtection: args.deletionProtection ?? true,
        accessLogs: { bucket: logs.bucketName, prefix: ACCESS_LOG_PREFIX, enabled: true },
        region,
        tags,
      },
      // ALB checks it may write its logs when it is created: the bucket policy must exist first.
      { parent: this, dependsOn: [logs] },
    );

    const targetGroup = new aws.lb.TargetGroup(
      `${name}-app`,
      {
        targetType: "ip",
        vpcId: args.vpcId,
        port: targetPort,
        protocol: "HTTPS",
        deregistrationDelay: 30,
        healthCheck: {
          enabled: true,
          protocol: "HTTPS",
          path: args.healthCheckPath,
          matcher: "200",
          interval: 10,
          timeout: 5,
          healthyThreshold: 2,
          unhealthyThreshold: 2,
        },
        region,
        tags,
      },
      { parent: this },
    );

    const certificate = new aws.acm.Certificate(
      `${name}-certificate`,
      { domainName: args.recordFqdn, validationMethod: "DNS", keyAlgorithm: "EC_prime256v1", region, tags },
      { parent: this },
    );
    const option = certificate.domainValidationOptions[0];
    // ACM gives the same validation record for a domain to every certificate of the account, so
    // both stacks declare it: overwrite instead of failing, and keep it on delete so destroying one
    // stack does not break the other certificate's renewal.
    const validationRecord = new aws.route53.Record(
      `${name}-certificate-validation`,
      {
        zoneId: args.zoneId,
        name: option.resourceRecordName,
        type: option.resourceRecordType,
        records: [option.resourceRecordValue],
        ttl: 300,
        allowOverwrite: true,
      },
      { parent: this, retainOnDelete: true },
    );
    const validation = new aws.acm.CertificateValidation(
      `${name}-certificate-validated`,
      { certificateArn: certificate.arn, validationRecordFqdns: [validationRecord.fqdn], region },
      { parent: this },
    );

    new aws.lb.Listener(
      `${name}-https`,
      {
        loadBalancerArn: loadBalancer.arn,
        port: 443,
        protocol: "HTTPS",
        sslPolicy: args.tlsPolicy,
        certificateArn: validation.certificateArn,
        defaultActions: [{ type: "forward", targetGroupArn: targetGroup.arn }],
        region,
        tags,
      },
      { parent: this },
    );
    new aws.lb.Listener(
      `${name}-http-redirect`,
      {
        loadBalancerArn: loadBalancer.arn,
        port: 80,
        protocol: "HTTP",
        defaultActions: [
          { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } },
        ],
        region,
        tags,
      },
      { parent: this },
    );

    this.loadBalancerArn = loadBalancer.arn;
    this.loadBalancerDnsName = loadBalancer.dnsName;
    this.loadBalancerZoneId = loadBalancer.zoneId;
    this.targetGroupArn = targetGroup.arn;
    this.securityGroupId = securityGroup.id;
    this.certificateArn = validation.certificateArn;
    this.accessLogBucketName = logs.bucketName;
    this.endpointUrl = `https://${args.recordFqdn}`;
    this.registerOutputs({
      loadBalancerArn: this.loadBalancerArn,
      loadBalancerDnsName: this.loadBalancerDnsName,
      endpointUrl: this.endpointUrl,
    });
  }
}

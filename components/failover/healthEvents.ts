/**
 * AWS Health events for the detection path (pure, unit-tested): which Health service codes this
 * topology depends on, the event patterns, and what AWS delivers to which Region.
 *
 * Where AWS Health delivers (docs.aws.amazon.com/health/latest/ug/choosing-a-region.html,
 * about-public-events.html, aws-health-events-eventbridge-schema.html):
 * - every event, public or account-specific, goes to the default bus of the Region it concerns
 *   (`detail.eventRegion`; the envelope's `region` is where it was delivered, not the impact);
 * - public events are also sent to a backup Region: us-west-2 for every standard-partition
 *   Region, us-east-1 for us-west-2;
 * - global events (`eventRegion` = "global", e.g. IAM) go to us-east-1, with us-west-2 as backup;
 * - account-specific events (a scheduled instance retirement, an RDS maintenance) have no backup:
 *   they reach another Region only through a forwarding rule, which fails with the Region.
 */

/**
 * Health service code for each @pulumi/aws module the stacks deploy; `null` where Health publishes
 * no events the topology's availability depends on beyond the listed ones. A module missing here
 * fails the test that renders both stacks, so a new service cannot slip past detection.
 */
export const HEALTH_SERVICE_BY_MODULE: Readonly<Record<string, readonly string[] | null>> = {
  acm: ["ACM"],
  backup: ["BACKUP"],
  cloudwatch: ["CLOUDWATCH", "EVENTS"],
  codebuild: ["CODEBUILD"],
  dynamodb: ["DYNAMODB"],
  ec2: ["EC2", "VPC", "NATGATEWAY"],
  ecr: ["ECR"],
  eks: ["EKS"],
  elasticache: ["ELASTICACHE"],
  iam: ["IAM"],
  kms: ["KMS"],
  lambda: ["LAMBDA"],
  lb: ["ELASTICLOADBALANCING"],
  opensearch: ["ES"],
  rds: ["RDS"],
  redshift: ["REDSHIFT"],
  route53: ["ROUTE53"],
  s3: ["S3"],
  secretsmanager: ["SECRETSMANAGER"],
  sns: ["SNS"],
  sqs: ["SQS"],
  vpc: ["VPC"],
  dlm: ["EBS"],
};

/**
 * The Health service codes of the deployed modules (sorted, unique). Throws on a module the table
 * does not name: deciding whether its outages matter is a review, not a default.
 */
export function healthServicesFor(modules: Iterable<string>): string[] {
  const codes = new Set<string>();
  for (const module of modules) {
    if (!(module in HEALTH_SERVICE_BY_MODULE)) {
      throw new Error(
        `healthServicesFor: module "${module}" has no entry in HEALTH_SERVICE_BY_MODULE ` +
          "(components/failover/healthEvents.ts): add its AWS Health service codes, or null.",
      );
    }
    for (const code of HEALTH_SERVICE_BY_MODULE[module] ?? []) codes.add(code);
  }
  return [...codes].sort();
}

/** The services the detection rules watch: every module either stack deploys, with EBS (DLM). */
export const TOPOLOGY_HEALTH_SERVICES: readonly string[] = healthServicesFor(
  Object.keys(HEALTH_SERVICE_BY_MODULE),
);

/** The event pattern of Health events about `eventRegions` for `services`. */
export function healthEventPattern(
  services: readonly string[],
  eventRegions: readonly string[],
): Record<string, unknown> {
  if (services.length === 0) throw new Error("healthEventPattern: expected at least one service code.");
  if (eventRegions.length === 0) throw new Error("healthEventPattern: expected at least one Region.");
  return {
    // Exactly "aws.health": a wildcard source matches nothing (about-public-events.html).
    source: ["aws.health"],
    "detail-type": ["AWS Health Event"],
    detail: { service: [...services], eventRegion: [...eventRegions] },
  };
}

/** The Region public Health events of `region` are also delivered to. */
export function healthBackupRegion(region: string): string {
  return region === "us-west-2" ? "us-east-1" : "us-west-2";
}

export interface HealthDelivery {
  /** Events about the primary Region that reach the dr Region's bus with no forwarding. */
  readonly direct: string;
  /** What only the forwarding rule in the primary Region brings, and so is lost with it. */
  readonly forwardedOnly: string;
}

/** What the dr Region receives of the primary's Health events, given the two Regions. */
export function healthDelivery(primaryRegion: string, drRegion: string): HealthDelivery {
  const backup = healthBackupRegion(primaryRegion) === drRegion;
  const globals = drRegion === "us-east-1" || drRegion === "us-west-2";
  const direct = [
    backup ? `public events of ${primaryRegion} (${drRegion} is its Health backup Region)` : "",
    globals ? "global events" : "",
  ].filter(Boolean);
  return {
    direct: direct.length ? direct.join("; ") : "nothing",
    forwardedOnly: backup
      ? `account-specific events of ${primaryRegion}`
      : `every event of ${primaryRegion}, public and account-specific`,
  };
}

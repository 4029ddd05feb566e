/**
 * The modelled monthly cost of a rendered stack: an ESTIMATE from its resources, the price table
 * (priceTable.json, with sources and dates) and the volume assumptions (assumptions.ts). Not a bill:
 * on-demand list prices, no free tiers, discounts or taxes, usage-based charges listed apart.
 */
import { RenderedResource, RenderedStack } from "../rendered";
import { PRICERS, PricingContext } from "./pricers";
import { PRICES, PriceTable, priceOf } from "./prices";

export interface CostLine {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly item: string;
  /** The Region whose price applies. */
  readonly region: string | null;
  readonly priceKey: string;
  readonly quantity: number;
  readonly unit: string;
  readonly unitUsd: number;
  /** quantity x unitUsd, rounded to cents. */
  readonly monthlyUsd: number;
}

/** A resource left out of the total, with why. */
export interface Uncosted {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly reason: string;
}

export interface StackCost {
  readonly stack: string;
  readonly estimate: true;
  readonly currency: string;
  /** Sum of the lines, rounded to cents. Excludes `unpriced` and `usageBased`. */
  readonly monthlyUsd: number;
  readonly lines: CostLine[];
  /** Resources the model cannot price (unknown type, missing price): NOT counted as zero. */
  readonly unpriced: Uncosted[];
  /** Billed per request or per GB used, negligible at this workload's volumes and not modelled. */
  readonly usageBased: Uncosted[];
}

/** Billed per use (requests, invocations, ingested GB), not per resource. */
export const USAGE_BASED_TYPES: ReadonlySet<string> = new Set([
  "aws:lambda/function:Function",
  "aws:sqs/queue:Queue",
  "aws:sns/topic:Topic",
  "aws:cloudwatch/logGroup:LogGroup",
  "aws:cloudwatch/eventRule:EventRule",
  // Restore tests are billed per GB restored, per test.
  "aws:backup/restoreTestingPlan:RestoreTestingPlan",
  "aws:backup/restoreTestingSelection:RestoreTestingSelection",
]);

/** No charge of their own (configuration, identity, or priced through another resource). */
export const NO_CHARGE_TYPES: ReadonlySet<string> = new Set([
  "aws:acm/certificate:Certificate",
  "aws:acm/certificateValidation:CertificateValidation",
  "aws:backup/plan:Plan",
  "aws:backup/selection:Selection",
  "aws:backup/vault:Vault",
  "aws:backup/vaultLockConfiguration:VaultLockConfiguration",
  "aws:cloudwatch/eventTarget:EventTarget",
  "aws:ec2/launchTemplate:LaunchTemplate",
  "aws:dlm/lifecyclePolicy:LifecyclePolicy", // the snapshots it takes are EBS snapshot storage
  "aws:dynamodb/tableItem:TableItem",
  "aws:ec2/securityGroup:SecurityGroup",
  "aws:ecr/pullThroughCacheRule:PullThroughCacheRule",
  "aws:ecr/replicationConfiguration:ReplicationConfiguration",
  "aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate",
  "aws:eks/accessEntry:AccessEntry",
  "aws:eks/accessPolicyAssociation:AccessPolicyAssociation",
  "aws:eks/addon:Addon",
  "aws:eks/podIdentityAssociation:PodIdentityAssociation",
  "aws:elasticache/globalReplicationGroup:GlobalReplicationGroup",
  "aws:elasticache/subnetGroup:SubnetGroup",
  "aws:elasticache/user:User",
  "aws:elasticache/userGroup:UserGroup",
  "aws:iam/role:Role",
  "aws:iam/rolePolicy:RolePolicy",
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  "aws:kms/alias:Alias",
  "aws:lambda/eventSourceMapping:EventSourceMapping",
  "aws:lambda/invocation:Invocation",
  "aws:lambda/permission:Permission",
  "aws:lb/listener:Listener",
  "aws:lb/targetGroup:TargetGroup",
  "aws:opensearch/inboundConnectionAccepter:InboundConnectionAccepter",
  "aws:opensearch/outboundConnection:OutboundConnection",
  "aws:rds/parameterGroup:ParameterGroup",
  "aws:rds/subnetGroup:SubnetGroup",
  "aws:redshift/logging:Logging",
  "aws:redshift/parameterGroup:ParameterGroup",
  "aws:redshift/snapshotCopyGrant:SnapshotCopyGrant",
  "aws:redshift/subnetGroup:SubnetGroup",
  "aws:route53/record:Record",
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  "aws:s3/bucketObjectv2:BucketObjectv2", // the restore-test markers: a few bytes
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
  "aws:s3/bucketPolicy:BucketPolicy",
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  "aws:s3/bucketVersioning:BucketVersioning",
  "aws:sns/topicPolicy:TopicPolicy",
  "aws:sns/topicSubscription:TopicSubscription",
  "aws:sqs/queuePolicy:QueuePolicy",
  "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy",
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
]);

const cents = (usd: number) => Math.round(usd * 100) / 100;

/** Whether the estimate looks at a resource: custom AWS resources, and the awsx VPC component. */
function costed(r: RenderedResource): boolean {
  // Kubernetes objects cost what their nodes cost, which the node group prices.
  if (r.type.startsWith("pulumi:") || r.type.startsWith("kubernetes:")) return false;
  return r.custom || r.type in PRICERS;
}

export function stackCost(
  stack: RenderedStack,
  all: readonly RenderedStack[] = [stack],
  prices: PriceTable = PRICES,
): StackCost {
  const ctx: PricingContext = { stack, all };
  const lines: CostLine[] = [];
  const unpriced: Uncosted[] = [];
  const usageBased: Uncosted[] = [];
  for (const r of stack.resources.filter(costed)) {
    const who = { urn: r.urn, type: r.type, name: r.name };
    if (USAGE_BASED_TYPES.has(r.type)) {
      usageBased.push({ ...who, reason: "billed per use; not modelled" });
      continue;
    }
    const pricer = PRICERS[r.type];
    if (!pricer) {
      if (!NO_CHARGE_TYPES.has(r.type)) unpriced.push({ ...who, reason: "no pricing rule for this type" });
      continue;
    }
    const priced = pricer(r, ctx);
    if ("unpriced" in priced) {
      unpriced.push({ ...who, reason: priced.unpriced });
      continue;
    }
    for (const item of priced.items) {
      const unitUsd = priceOf(item.priceKey, item.region, prices);
      if (unitUsd === undefined) {
        unpriced.push({
          ...who,
          reason: `no price ${item.priceKey} for ${item.region ?? "no Region"} (${item.item})`,
        });
        continue;
      }
      lines.push({
        ...who,
        item: item.item,
        region: item.region,
        priceKey: item.priceKey,
        quantity: item.quantity,
        unit: prices.prices[item.priceKey].unit,
        unitUsd,
        monthlyUsd: cents(item.quantity * unitUsd),
      });
    }
  }
  return {
    stack: stack.stack,
    estimate: true,
    currency: prices.currency,
    monthlyUsd: cents(lines.reduce((sum, l) => sum + l.monthlyUsd, 0)),
    lines,
    unpriced,
    usageBased,
  };
}

/** `$1,234.56`; unit prices keep up to four decimals (`$0.0225`). */
export function usd(amount: number, maximumFractionDigits = 2): string {
  return `$${amount.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits })}`;
}

/** The estimate as text: total, lines by resource, then what it leaves out. */
export function formatStackCost(cost: StackCost): string[] {
  const lines = [
    `  Monthly cost ESTIMATE for ${cost.stack}: ${usd(cost.monthlyUsd)} (on-demand list prices, model/cost/priceTable.json)`,
  ];
  for (const l of cost.lines)
    lines.push(
      `    ${usd(l.monthlyUsd).padStart(11)}  ${l.name}: ${l.item} (${+l.quantity.toFixed(2)} ${l.unit} x ${usd(l.unitUsd, 4)}, ${l.region})`,
    );
  if (cost.unpriced.length > 0) lines.push(`    NOT PRICED (not in the total):`);
  for (const u of cost.unpriced) lines.push(`      ${u.type} ${u.name}: ${u.reason}`);
  if (cost.usageBased.length > 0)
    lines.push(
      `    usage-based, not modelled: ${cost.usageBased.length} resources (Lambda, SQS, SNS, logs, schedules)`,
    );
  return lines;
}

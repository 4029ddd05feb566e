/**
 * What each resource type is billed for: per type, the items (price key, quantity, Region) its
 * rendered inputs imply. Prices are looked up by cost.ts; a type absent here and from the free and
 * usage-based lists is reported unpriced, never zero.
 */
import { arnRegion } from "../links";
import { RenderedResource, RenderedStack } from "../rendered";
import { ASSUMPTIONS, monthlyChangeGb, retainedBackupGb } from "./assumptions";
import { HOURS_PER_MONTH } from "./prices";
import { storeDataGb } from "./sizes";

/** One billed item of a resource before pricing. */
export interface Item {
  readonly item: string;
  readonly priceKey: string;
  readonly quantity: number;
  /** The Region whose price applies (transfer is billed in the sending Region). */
  readonly region: string | null;
}

/** What a pricer returns: the items, or why it cannot price the resource. */
export type Priced = { readonly items: Item[] } | { readonly unpriced: string };

export interface PricingContext {
  readonly stack: RenderedStack;
  /** Every rendered stack, to resolve references across them (a Global Datastore's node type). */
  readonly all: readonly RenderedStack[];
}

const num = (value: unknown, fallback: number): number => {
  const n = Number(value);
  return value !== undefined && value !== null && Number.isFinite(n) ? n : fallback;
};
const obj = (value: unknown): Record<string, unknown> =>
  value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
const list = (value: unknown): Record<string, unknown>[] => (Array.isArray(value) ? value.map(obj) : []);
const hours = (count: number) => count * HOURS_PER_MONTH;

function allResources(ctx: PricingContext): RenderedResource[] {
  return ctx.all.flatMap((s) => s.resources);
}

function transfer(item: string, gb: number, fromRegion: string | null | undefined): Item {
  return { item, priceKey: "transfer.interRegion", quantity: gb, region: fromRegion ?? null };
}

function rdsInstance(r: RenderedResource): Priced {
  const multiAz = r.inputs.multiAz === true ? 2 : 1;
  const gb = num(r.inputs.allocatedStorage, NaN);
  const storageType = String(r.inputs.storageType ?? "gp2");
  if (!Number.isFinite(gb)) return { unpriced: "allocatedStorage is not rendered" };
  const az = multiAz === 2 ? " (Multi-AZ: 2 instances)" : "";
  const items: Item[] = [
    {
      item: `${r.inputs.instanceClass} instance hours${az}`,
      priceKey: `rds.${r.inputs.engine}.${r.inputs.instanceClass}`,
      quantity: hours(multiAz),
      region: r.region,
    },
    { item: `${storageType} storage${az}`, priceKey: `rds.${storageType}`, quantity: gb * multiAz, region: r.region },
  ];
  const retention = num(r.inputs.backupRetentionPeriod, 0);
  // Automated backups up to 100% of the provisioned storage are free; the increments beyond are not.
  const beyondFree = retainedBackupGb(gb, retention) - gb;
  if (retention > 0 && beyondFree > 0)
    items.push({
      item: `automated backups beyond the free allowance (${retention} days)`,
      priceKey: "rds.backup",
      quantity: beyondFree,
      region: r.region,
    });
  if (typeof r.inputs.replicateSourceDb === "string")
    items.push(
      transfer("replication from the source instance", monthlyChangeGb(gb), arnRegion(r.inputs.replicateSourceDb)),
    );
  return { items };
}

function cacheGroup(r: RenderedResource, ctx: PricingContext): Priced {
  let nodeType = r.inputs.nodeType;
  let primaryRegion: string | null = null;
  if (typeof r.inputs.globalReplicationGroupId === "string") {
    // A secondary inherits its node type from the Global Datastore's primary member.
    const resources = allResources(ctx);
    const global = resources.find(
      (g) =>
        g.type === "aws:elasticache/globalReplicationGroup:GlobalReplicationGroup" &&
        (g.outputs.globalReplicationGroupId === r.inputs.globalReplicationGroupId || g.id === r.inputs.globalReplicationGroupId),
    );
    const primary = resources.find(
      (p) =>
        p.type === r.type &&
        global !== undefined &&
        (p.outputs.replicationGroupId ?? p.inputs.replicationGroupId) === global.inputs.primaryReplicationGroupId,
    );
    nodeType ??= primary?.inputs.nodeType;
    primaryRegion = primary && primary.urn !== r.urn ? primary.region : null;
  }
  if (typeof nodeType !== "string")
    return { unpriced: "node type not rendered (a Global Datastore secondary whose primary is not rendered)" };
  const nodes = num(r.inputs.numCacheClusters, num(r.inputs.numNodeGroups, 1) * (num(r.inputs.replicasPerNodeGroup, 0) + 1));
  const gb = ASSUMPTIONS.cacheDataGb.value;
  const items: Item[] = [
    { item: `${nodes} x ${nodeType} node hours`, priceKey: `elasticache.${nodeType}`, quantity: hours(nodes), region: r.region },
  ];
  const retention = num(r.inputs.snapshotRetentionLimit, 0);
  if (retention > 0)
    items.push({ item: `${retention} daily snapshots`, priceKey: "elasticache.backup", quantity: gb * retention, region: r.region });
  if (primaryRegion) items.push(transfer("Global Datastore replication", monthlyChangeGb(gb), primaryRegion));
  return { items };
}

function searchDomain(r: RenderedResource, ctx: PricingContext): Priced {
  const cluster = obj(r.inputs.clusterConfig);
  const ebs = obj(r.inputs.ebsOptions);
  const count = num(cluster.instanceCount, 1);
  const items: Item[] = [
    {
      item: `${count} x ${cluster.instanceType} instance hours`,
      priceKey: `opensearch.${cluster.instanceType}`,
      quantity: hours(count),
      region: r.region,
    },
  ];
  if (cluster.dedicatedMasterEnabled === true) {
    const masters = num(cluster.dedicatedMasterCount, 3);
    items.push({
      item: `${masters} x ${cluster.dedicatedMasterType} dedicated master hours`,
      priceKey: `opensearch.${cluster.dedicatedMasterType}`,
      quantity: hours(masters),
      region: r.region,
    });
  }
  if (ebs.ebsEnabled === true) {
    const volume = num(ebs.volumeSize, 10);
    items.push({
      item: `${count} x ${volume} GB ${ebs.volumeType} volumes`,
      priceKey: `opensearch.${ebs.volumeType ?? "gp2"}`,
      quantity: count * volume,
      region: r.region,
    });
  }
  // A follower pulls the leader's changes: its connection is declared in this domain's stack.
  const domainName = r.outputs.domainName ?? r.inputs.domainName;
  const follow = ctx.stack.resources.find(
    (c) =>
      c.type === "aws:opensearch/outboundConnection:OutboundConnection" &&
      obj(c.inputs.localDomainInfo).domainName === domainName,
  );
  if (follow)
    items.push(
      transfer(
        "cross-cluster replication from the leader",
        monthlyChangeGb(storeDataGb(r)?.gb ?? 0),
        String(obj(follow.inputs.remoteDomainInfo).region ?? ""),
      ),
    );
  return { items };
}

function warehouse(r: RenderedResource): Priced {
  const nodes = r.inputs.clusterType === "single-node" ? 1 : num(r.inputs.numberOfNodes, 1);
  const gb = ASSUMPTIONS.warehouseDataGb.value;
  const retention = num(r.inputs.automatedSnapshotRetentionPeriod, 1);
  return {
    items: [
      { item: `${nodes} x ${r.inputs.nodeType} node hours`, priceKey: `redshift.${r.inputs.nodeType}`, quantity: hours(nodes), region: r.region },
      { item: "managed storage", priceKey: "redshift.managedStorage", quantity: gb, region: r.region },
      {
        item: `automated snapshots (${retention} days of increments)`,
        priceKey: "redshift.managedStorage",
        quantity: retainedBackupGb(gb, retention) - gb,
        region: r.region,
      },
    ],
  };
}

function nodeGroup(r: RenderedResource, ctx: PricingContext): Priced {
  const desired = num(obj(r.inputs.scalingConfig).desiredSize, 0);
  // EKS defaults a managed node group without instance types to t3.medium.
  const type = String((r.inputs.instanceTypes as unknown[] | undefined)?.[0] ?? "t3.medium");
  const template = ctx.stack.resources.find(
    (t) => t.type === "aws:ec2/launchTemplate:LaunchTemplate" && (t.outputs.id ?? t.id) === obj(r.inputs.launchTemplate).id,
  );
  const ebs = obj(list(template?.inputs.blockDeviceMappings)[0]?.ebs);
  const volume = num(ebs.volumeSize, num(r.inputs.diskSize, 20));
  const volumeType = String(ebs.volumeType ?? "gp2");
  return {
    items: [
      { item: `${desired} x ${type} node hours (desired size)`, priceKey: `ec2.instance.${type}`, quantity: hours(desired), region: r.region },
      { item: `${desired} x ${volume} GB ${volumeType} root volumes`, priceKey: `ebs.${volumeType}`, quantity: desired * volume, region: r.region },
    ],
  };
}

function vpc(r: RenderedResource, ctx: PricingContext): Priced {
  const strategy = String(obj(r.inputs.natGateways).strategy ?? "OnePerAz");
  const zones = num(r.inputs.numberOfAvailabilityZones, 3);
  const gateways = strategy === "None" ? 0 : strategy === "Single" ? 1 : zones;
  const region = r.region ?? String(ctx.stack.config["aws:region"] ?? "");
  return {
    items: [
      { item: `${gateways} NAT gateway hours (${strategy})`, priceKey: "nat.hour", quantity: hours(gateways), region },
      {
        item: `NAT data processed (${ASSUMPTIONS.natProcessedGb.value} GB per gateway, assumed)`,
        priceKey: "nat.processed",
        quantity: gateways * ASSUMPTIONS.natProcessedGb.value,
        region,
      },
    ],
  };
}

function loadBalancer(r: RenderedResource): Priced {
  if ((r.inputs.loadBalancerType ?? "application") !== "application")
    return { unpriced: `no price for a ${String(r.inputs.loadBalancerType)} load balancer in the table` };
  return {
    items: [
      { item: "load balancer hours", priceKey: "alb.hour", quantity: hours(1), region: r.region },
      { item: `LCU hours (${ASSUMPTIONS.albLcu.value} LCU, assumed)`, priceKey: "alb.lcu", quantity: hours(ASSUMPTIONS.albLcu.value), region: r.region },
    ],
  };
}

function bucketReplication(r: RenderedResource, ctx: PricingContext): Priced {
  const items: Item[] = [];
  const source = ctx.stack.resources.find((b) => b.type === "aws:s3/bucket:Bucket" && (b.outputs.bucket ?? b.id) === r.inputs.bucket);
  const changed = monthlyChangeGb(ASSUMPTIONS.bucketGb.value);
  for (const rule of list(r.inputs.rules)) {
    if (rule.status !== "Enabled") continue;
    const region = source?.region ?? r.region;
    items.push(transfer("replicated objects", changed, region));
    if (obj(obj(rule.destination).replicationTime).status === "Enabled")
      items.push({ item: "Replication Time Control", priceKey: "s3.rtc", quantity: changed, region });
  }
  return { items };
}

const BACKUP_PRICE: Record<string, string> = {
  "aws:rds/instance:Instance": "backup.rds",
  "aws:s3/bucket:Bucket": "backup.s3",
  "aws:dynamodb/table:Table": "backup.dynamodb",
  "aws:redshift/cluster:Cluster": "redshift.managedStorage",
};

/** A global table's replica ARN names the table declared in its home Region (same name). */
function tableReplica(arn: unknown, resources: readonly RenderedResource[]): RenderedResource | undefined {
  const match = /^arn:aws[a-z-]*:dynamodb:[^:]+:\d+:table\/(.+)$/.exec(String(arn));
  return match
    ? resources.find((t) => t.type === "aws:dynamodb/table:Table" && (t.outputs.name ?? t.inputs.name) === match[1])
    : undefined;
}

function backupSelection(r: RenderedResource, ctx: PricingContext): Priced {
  const plan = ctx.stack.resources.find((p) => p.type === "aws:backup/plan:Plan" && (p.outputs.id ?? p.id) === r.inputs.planId);
  if (!plan) return { unpriced: "its backup plan is not rendered" };
  const resources = allResources(ctx);
  const items: Item[] = [];
  for (const arn of (r.inputs.resources as unknown[] | undefined) ?? []) {
    const store = resources.find((s) => s.custom && s.outputs.arn === arn) ?? tableReplica(arn, resources);
    const size = store && storeDataGb(store);
    const key = store && BACKUP_PRICE[store.type];
    if (!store || !size || !key) return { unpriced: `cannot size the selected resource ${String(arn)}` };
    for (const rule of list(plan.inputs.rules)) {
      const days = num(obj(rule.lifecycle).deleteAfter, 35);
      items.push({ item: `${store.name}: recovery points (${days} days)`, priceKey: key, quantity: retainedBackupGb(size.gb, days), region: plan.region });
      for (const copy of list(rule.copyActions)) {
        const to = arnRegion(copy.destinationVaultArn) ?? null;
        const copyDays = num(obj(copy.lifecycle).deleteAfter, days);
        items.push({ item: `${store.name}: copies in ${to} (${copyDays} days)`, priceKey: key, quantity: retainedBackupGb(size.gb, copyDays), region: to });
        items.push(transfer(`${store.name}: copy transfer to ${to}`, monthlyChangeGb(size.gb), plan.region));
      }
    }
  }
  return { items };
}

function backupsReplication(r: RenderedResource, ctx: PricingContext): Priced {
  const source = allResources(ctx).find((s) => s.type === "aws:rds/instance:Instance" && s.outputs.arn === r.inputs.sourceDbInstanceArn);
  const size = source && storeDataGb(source);
  if (!source || !size) return { unpriced: "its source instance is not rendered" };
  const days = num(r.inputs.retentionPeriod, 7);
  return {
    items: [
      { item: `replicated automated backups (${days} days)`, priceKey: "rds.backup", quantity: retainedBackupGb(size.gb, days), region: r.region },
      transfer("backup replication transfer", monthlyChangeGb(size.gb), source.region),
    ],
  };
}

function snapshotCopy(r: RenderedResource): Priced {
  const gb = ASSUMPTIONS.warehouseDataGb.value;
  const days = num(r.inputs.retentionPeriod, 7);
  const to = String(r.inputs.destinationRegion ?? "");
  return {
    items: [
      { item: `snapshot copies in ${to} (${days} days)`, priceKey: "redshift.managedStorage", quantity: retainedBackupGb(gb, days), region: to },
      transfer(`snapshot copy transfer to ${to}`, monthlyChangeGb(gb), r.region),
    ],
  };
}

function table(r: RenderedResource): Priced {
  const gb = ASSUMPTIONS.tableGb.value;
  const items: Item[] = [{ item: "table storage", priceKey: "dynamodb.storage", quantity: gb, region: r.region }];
  for (const replica of list(r.inputs.replicas))
    items.push({ item: `replica storage in ${replica.regionName}`, priceKey: "dynamodb.storage", quantity: gb, region: String(replica.regionName) });
  return { items };
}

function healthCheck(r: RenderedResource): Priced {
  // Route 53 is global and billed in us-east-1.
  const items: Item[] = [{ item: "health check", priceKey: "route53.healthCheck", quantity: 1, region: "us-east-1" }];
  if (String(r.inputs.type ?? "").startsWith("HTTPS"))
    items.push({ item: "HTTPS option", priceKey: "route53.healthCheckHttps", quantity: 1, region: "us-east-1" });
  return { items };
}

const one = (item: string, priceKey: string) => (r: RenderedResource): Priced => ({
  items: [{ item, priceKey, quantity: 1, region: r.region }],
});

/** Per type, what it is billed for. */
export const PRICERS: Record<string, (r: RenderedResource, ctx: PricingContext) => Priced> = {
  "aws:rds/instance:Instance": rdsInstance,
  "aws:elasticache/replicationGroup:ReplicationGroup": cacheGroup,
  "aws:opensearch/domain:Domain": searchDomain,
  "aws:redshift/cluster:Cluster": warehouse,
  "aws:eks/cluster:Cluster": (r) => ({
    items: [{ item: "control plane hours", priceKey: "eks.cluster", quantity: hours(1), region: r.region }],
  }),
  "aws:eks/nodeGroup:NodeGroup": nodeGroup,
  "awsx:ec2:Vpc": vpc,
  "aws:ec2/natGateway:NatGateway": (r) => ({
    items: [{ item: "NAT gateway hours", priceKey: "nat.hour", quantity: hours(1), region: r.region }],
  }),
  "aws:lb/loadBalancer:LoadBalancer": loadBalancer,
  "aws:s3/bucket:Bucket": (r) => ({
    items: [{ item: `storage (${ASSUMPTIONS.bucketGb.value} GB, assumed)`, priceKey: "s3.standard", quantity: ASSUMPTIONS.bucketGb.value, region: r.region }],
  }),
  "aws:s3/bucketReplicationConfig:BucketReplicationConfig": bucketReplication,
  "aws:backup/selection:Selection": backupSelection,
  "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication": backupsReplication,
  "aws:redshift/snapshotCopy:SnapshotCopy": snapshotCopy,
  "aws:dynamodb/table:Table": table,
  "aws:kms/key:Key": one("customer managed key", "kms.key"),
  "aws:kms/replicaKey:ReplicaKey": one("replica key", "kms.key"),
  "aws:route53/healthCheck:HealthCheck": healthCheck,
  "aws:cloudwatch/metricAlarm:MetricAlarm": one("metric alarm", "cloudwatch.alarm"),
};

/** What the data stores are billed for: instance or node hours, storage, snapshots, replication. */
import { arnRegion } from "../links";
import { RenderedResource } from "../rendered";
import { ASSUMPTIONS, monthlyChangeGb, retainedBackupGb } from "./assumptions";
import { allResources, hours, Item, list, num, obj, Priced, PricingContext, transfer } from "./pricing";
import { storeDataGb } from "./sizes";

export function rdsInstance(r: RenderedResource): Priced {
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
    {
      item: `${storageType} storage${az}`,
      priceKey: `rds.${storageType}`,
      quantity: gb * multiAz,
      region: r.region,
    },
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
      transfer(
        "replication from the source instance",
        monthlyChangeGb(gb),
        arnRegion(r.inputs.replicateSourceDb),
      ),
    );
  return { items };
}

export function cacheGroup(r: RenderedResource, ctx: PricingContext): Priced {
  let nodeType = r.inputs.nodeType;
  let primaryRegion: string | null = null;
  if (typeof r.inputs.globalReplicationGroupId === "string") {
    // A secondary inherits its node type from the Global Datastore's primary member.
    const resources = allResources(ctx);
    const global = resources.find(
      (g) =>
        g.type === "aws:elasticache/globalReplicationGroup:GlobalReplicationGroup" &&
        (g.outputs.globalReplicationGroupId === r.inputs.globalReplicationGroupId ||
          g.id === r.inputs.globalReplicationGroupId),
    );
    const primary = resources.find(
      (p) =>
        p.type === r.type &&
        global !== undefined &&
        (p.outputs.replicationGroupId ?? p.inputs.replicationGroupId) ===
          global.inputs.primaryReplicationGroupId,
    );
    nodeType ??= primary?.inputs.nodeType;
    primaryRegion = primary && primary.urn !== r.urn ? primary.region : null;
  }
  if (typeof nodeType !== "string")
    return {
      unpriced: "node type not rendered (a Global Datastore secondary whose primary is not rendered)",
    };
  const nodes = num(
    r.inputs.numCacheClusters,
    num(r.inputs.numNodeGroups, 1) * (num(r.inputs.replicasPerNodeGroup, 0) + 1),
  );
  const gb = ASSUMPTIONS.cacheDataGb.value;
  const items: Item[] = [
    {
      item: `${nodes} x ${nodeType} node hours`,
      priceKey: `elasticache.${nodeType}`,
      quantity: hours(nodes),
      region: r.region,
    },
  ];
  const retention = num(r.inputs.snapshotRetentionLimit, 0);
  if (retention > 0)
    items.push({
      item: `${retention} daily snapshots`,
      priceKey: "elasticache.backup",
      quantity: gb * retention,
      region: r.region,
    });
  if (primaryRegion) items.push(transfer("Global Datastore replication", monthlyChangeGb(gb), primaryRegion));
  return { items };
}

export function searchDomain(r: RenderedResource, ctx: PricingContext): Priced {
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

export function warehouse(r: RenderedResource): Priced {
  const nodes = r.inputs.clusterType === "single-node" ? 1 : num(r.inputs.numberOfNodes, 1);
  const gb = ASSUMPTIONS.warehouseDataGb.value;
  const retention = num(r.inputs.automatedSnapshotRetentionPeriod, 1);
  return {
    items: [
      {
        item: `${nodes} x ${r.inputs.nodeType} node hours`,
        priceKey: `redshift.${r.inputs.nodeType}`,
        quantity: hours(nodes),
        region: r.region,
      },
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

export function table(r: RenderedResource): Priced {
  const gb = ASSUMPTIONS.tableGb.value;
  const items: Item[] = [
    { item: "table storage", priceKey: "dynamodb.storage", quantity: gb, region: r.region },
  ];
  for (const replica of list(r.inputs.replicas))
    items.push({
      item: `replica storage in ${replica.regionName}`,
      priceKey: "dynamodb.storage",
      quantity: gb,
      region: String(replica.regionName),
    });
  return { items };
}

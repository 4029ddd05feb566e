/** What cross-Region copies are billed for: retained copies in the destination and the transfer. */
import { arnRegion } from "../links";
import { RenderedResource } from "../rendered";
import { ASSUMPTIONS, monthlyChangeGb, retainedBackupGb } from "./assumptions";
import { allResources, Item, list, num, obj, Priced, PricingContext, transfer } from "./pricing";
import { storeDataGb } from "./sizes";

export function bucketReplication(r: RenderedResource, ctx: PricingContext): Priced {
  const items: Item[] = [];
  const source = ctx.stack.resources.find(
    (b) => b.type === "aws:s3/bucket:Bucket" && (b.outputs.bucket ?? b.id) === r.inputs.bucket,
  );
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
export function tableReplica(
  arn: unknown,
  resources: readonly RenderedResource[],
): RenderedResource | undefined {
  const match = /^arn:aws[a-z-]*:dynamodb:[^:]+:\d+:table\/(.+)$/.exec(String(arn));
  return match
    ? resources.find(
        (t) => t.type === "aws:dynamodb/table:Table" && (t.outputs.name ?? t.inputs.name) === match[1],
      )
    : undefined;
}

export function backupSelection(r: RenderedResource, ctx: PricingContext): Priced {
  const plan = ctx.stack.resources.find(
    (p) => p.type === "aws:backup/plan:Plan" && (p.outputs.id ?? p.id) === r.inputs.planId,
  );
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
      items.push({
        item: `${store.name}: recovery points (${days} days)`,
        priceKey: key,
        quantity: retainedBackupGb(size.gb, days),
        region: plan.region,
      });
      for (const copy of list(rule.copyActions)) {
        const to = arnRegion(copy.destinationVaultArn) ?? null;
        const copyDays = num(obj(copy.lifecycle).deleteAfter, days);
        items.push({
          item: `${store.name}: copies in ${to} (${copyDays} days)`,
          priceKey: key,
          quantity: retainedBackupGb(size.gb, copyDays),
          region: to,
        });
        items.push(transfer(`${store.name}: copy transfer to ${to}`, monthlyChangeGb(size.gb), plan.region));
      }
    }
  }
  return { items };
}

export function backupsReplication(r: RenderedResource, ctx: PricingContext): Priced {
  const source = allResources(ctx).find(
    (s) => s.type === "aws:rds/instance:Instance" && s.outputs.arn === r.inputs.sourceDbInstanceArn,
  );
  const size = source && storeDataGb(source);
  if (!source || !size) return { unpriced: "its source instance is not rendered" };
  const days = num(r.inputs.retentionPeriod, 7);
  return {
    items: [
      {
        item: `replicated automated backups (${days} days)`,
        priceKey: "rds.backup",
        quantity: retainedBackupGb(size.gb, days),
        region: r.region,
      },
      transfer("backup replication transfer", monthlyChangeGb(size.gb), source.region),
    ],
  };
}

export function snapshotCopy(r: RenderedResource): Priced {
  const gb = ASSUMPTIONS.warehouseDataGb.value;
  const days = num(r.inputs.retentionPeriod, 7);
  const to = String(r.inputs.destinationRegion ?? "");
  return {
    items: [
      {
        item: `snapshot copies in ${to} (${days} days)`,
        priceKey: "redshift.managedStorage",
        quantity: retainedBackupGb(gb, days),
        region: to,
      },
      transfer(`snapshot copy transfer to ${to}`, monthlyChangeGb(gb), r.region),
    ],
  };
}

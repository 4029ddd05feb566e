/**
 * A Mermaid diagram of the rendered stacks: one box per Region with the stacks' components and
 * data stores, a box for global services, and an arrow for every cross-Region link (replication,
 * backup copy, snapshot copy, subscription, DNS failover). GitHub and GitLab render it inline.
 */
import { CrossRegionLink, findCrossRegionLinks } from "./links";
import { STORE_TYPES } from "./posture";
import { RenderedResource, RenderedStack } from "./render/render";

const LINK_LABELS: Record<CrossRegionLink["kind"], string> = {
  "s3-replication": "S3 replication",
  "rds-read-replica": "read replica",
  "rds-backup-replication": "automated backups",
  "elasticache-global-datastore": "Global Datastore",
  "opensearch-cross-cluster": "cross-cluster replication",
  "redshift-snapshot-copy": "snapshot copy",
  "dynamodb-global-table": "global table",
  "backup-copy": "AWS Backup copy",
  "sns-subscription": "SNS subscription",
  "dns-failover": "DNS failover",
  "kms-replica-key": "replica key",
};

function nodeId(text: string): string {
  return `n_${text.replace(/[^A-Za-z0-9]/g, "_")}`;
}

function label(text: string): string {
  return `"${text.replace(/"/g, "'")}"`;
}

function shortType(type: string): string {
  return type.split(":").pop() ?? type;
}

interface Node {
  readonly id: string;
  readonly text: string;
  readonly region: string | null;
  readonly store: boolean;
}

export function buildDiagram(stacks: readonly RenderedStack[], links = findCrossRegionLinks(stacks)): string {
  const nodes = new Map<string, Node>();
  const addNode = (key: string, text: string, region: string | null, store = false) => {
    const id = nodeId(key);
    if (!nodes.has(id)) nodes.set(id, { id, text, region, store });
    return id;
  };
  const stackOf = new Map<string, string>();
  const roleOf = new Map<string, string>();
  for (const stack of stacks) {
    roleOf.set(String(stack.config["aws:region"]), `${stack.stack} stack`);
    for (const r of stack.resources) stackOf.set(r.urn, stack.stack);
  }
  const resourceNode = (r: RenderedResource, region: string | null) =>
    addNode(
      r.urn,
      `${r.name}<br/><small>${shortType(r.type)} · ${stackOf.get(r.urn) ?? ""}</small>`,
      region,
      STORE_TYPES.has(r.type),
    );

  for (const stack of stacks) {
    const root = stack.resources.find((r) => r.type === "pulumi:pulumi:Stack");
    const region = String(stack.config["aws:region"]);
    for (const component of stack.resources.filter(
      (r) => !r.custom && r.parent === root?.urn && !r.type.startsWith("pulumi:"),
    )) {
      addNode(
        `${stack.stack}:${component.name}`,
        `${component.name}<br/><small>component · ${stack.stack}</small>`,
        region,
      );
    }
    for (const store of stack.resources.filter((r) => STORE_TYPES.has(r.type) && r.region === region)) {
      resourceNode(store, region);
    }
  }

  const edges: string[] = [];
  for (const link of links) {
    const global = link.kind === "dns-failover";
    const from = resourceNode(link.source, global ? null : link.sourceRegion);
    const to = link.target
      ? resourceNode(link.target, global ? null : link.targetRegion)
      : addNode(
          `${link.kind}:${link.targetRegion}:${link.declaredBy}`,
          `${LINK_LABELS[link.kind]} target<br/><small>declared by ${link.declaredBy}</small>`,
          link.targetRegion,
        );
    const rtc = link.detail.rtcMinutes ? ` (RTC ${link.detail.rtcMinutes} min)` : "";
    const edge = `  ${from} -- ${label(`${LINK_LABELS[link.kind]}${rtc}`)} --> ${to}`;
    if (!edges.includes(edge)) edges.push(edge);
  }

  const lines = ["flowchart LR"];
  const regions = [...new Set([...nodes.values()].map((n) => n.region))];
  for (const region of regions) {
    const members = [...nodes.values()].filter((n) => n.region === region);
    const title =
      region === null
        ? "Route 53 (global)"
        : `${region}${roleOf.has(region) ? ` · ${roleOf.get(region)}` : ""}`;
    lines.push(`  subgraph ${nodeId(`region ${region ?? "global"}`)}[${label(title)}]`);
    for (const n of members)
      lines.push(`    ${n.id}${n.store ? `[(${label(n.text)})]` : `[${label(n.text)}]`}`);
    lines.push("  end");
  }
  lines.push(...edges);
  return `${lines.join("\n")}\n`;
}

/**
 * A Mermaid diagram of the rendered stacks: one box per Region with the stacks' components and
 * data stores, a box for global services, and an arrow for every cross-Region link (replication,
 * backup copy, snapshot copy, subscription, DNS failover). GitHub and GitLab render it inline.
 */
import { CrossRegionLink, findCrossRegionLinks } from "../model/links";
import { STORE_TYPES } from "../model/rpo";
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
  "ecr-replication": "ECR replication",
  "dlm-snapshot-copy": "DLM snapshot copy",
};

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
    const existing = nodes.get(key);
    if (existing) return existing.id;
    const id = `n${nodes.size + 1}`;
    nodes.set(key, { id, text, region, store });
    return id;
  };
  const byUrn = new Map(stacks.flatMap((s) => s.resources.map((r) => [r.urn, r] as const)));
  /** The component just below the stack that a resource belongs to. */
  const topComponent = (r: RenderedResource): RenderedResource | undefined => {
    let current: RenderedResource | undefined = r;
    while (current?.parent && byUrn.get(current.parent)?.type !== "pulumi:pulumi:Stack")
      current = byUrn.get(current.parent);
    return current && !current.custom ? current : undefined;
  };
  const stackOf = new Map<string, string>();
  const roleOf = new Map<string, string>();
  for (const stack of stacks) {
    roleOf.set(String(stack.config["aws:region"]), `${stack.stack} stack`);
    for (const r of stack.resources) stackOf.set(r.urn, stack.stack);
  }
  const componentNode = (component: RenderedResource, region: string | null) =>
    addNode(
      `${component.urn}@${region}`,
      `${component.name}<br/><small>${shortType(component.type)} · ${stackOf.get(component.urn) ?? ""}</small>`,
      region,
    );
  const resourceNode = (r: RenderedResource, region: string | null) => {
    // Non-store resources (keys, topics, records) are drawn as their component, so five replica
    // keys make one arrow between the two `keys` components.
    const component = STORE_TYPES.has(r.type) ? undefined : topComponent(r);
    if (component) return componentNode(component, region);
    return addNode(
      r.urn,
      `${r.name}<br/><small>${shortType(r.type)} · ${stackOf.get(r.urn) ?? ""}</small>`,
      region,
      STORE_TYPES.has(r.type),
    );
  };

  for (const stack of stacks) {
    const root = stack.resources.find((r) => r.type === "pulumi:pulumi:Stack");
    const region = String(stack.config["aws:region"]);
    const stores = stack.resources.filter((r) => STORE_TYPES.has(r.type) && r.region === region);
    const withStores = new Set(stores.map((store) => topComponent(store)?.urn));
    const components = stack.resources.filter(
      (r) => !r.custom && r.parent === root?.urn && !r.type.startsWith("pulumi:"),
    );
    // A component whose stores are drawn needs no box of its own.
    for (const component of components.filter((c) => !withStores.has(c.urn)))
      componentNode(component, region);
    for (const store of stores) resourceNode(store, region);
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

  // In-Region: the workload's binding to its load balancer, and the identities pods run as.
  for (const stack of stacks) {
    const region = String(stack.config["aws:region"]);
    for (const r of stack.resources) {
      const component = topComponent(r);
      if (!component) continue;
      if (r.type === "kubernetes:elbv2.k8s.aws/v1beta1:TargetGroupBinding") {
        const arn = (r.inputs.spec as { targetGroupARN?: unknown } | undefined)?.targetGroupARN;
        const group = stack.resources.find(
          (t) => t.type === "aws:lb/targetGroup:TargetGroup" && t.outputs.arn === arn,
        );
        const owner = group && topComponent(group);
        if (owner) {
          const edge = `  ${componentNode(component, region)} -- ${label("TargetGroupBinding (ip)")} --> ${componentNode(owner, region)}`;
          if (!edges.includes(edge)) edges.push(edge);
        }
      }
      const identities =
        r.type === "aws:eks/podIdentityAssociation:PodIdentityAssociation"
          ? [`${r.inputs.namespace}/${r.inputs.serviceAccount}`]
          : r.type === "aws:eks/addon:Addon"
            ? ((r.inputs.podIdentityAssociations ?? []) as { serviceAccount: string }[]).map(
                (a) => `${r.inputs.addonName}/${a.serviceAccount}`,
              )
            : [];
      for (const identity of identities) {
        const node = addNode(
          `identity:${stackOf.get(r.urn)}:${identity}`,
          `Pod Identity<br/><small>${identity}</small>`,
          region,
        );
        const edge = `  ${componentNode(component, region)} -- ${label("runs as")} --> ${node}`;
        if (!edges.includes(edge)) edges.push(edge);
      }
    }
  }

  const lines = ["flowchart LR"];
  const regions = [...new Set([...nodes.values()].map((n) => n.region))];
  for (const region of regions) {
    const members = [...nodes.values()].filter((n) => n.region === region);
    const title =
      region === null
        ? "Route 53 (global)"
        : `${region}${roleOf.has(region) ? ` · ${roleOf.get(region)}` : ""}`;
    lines.push(`  subgraph ${(region ?? "global").replace(/-/g, "_")}[${label(title)}]`);
    for (const n of members)
      lines.push(`    ${n.id}${n.store ? `[(${label(n.text)})]` : `[${label(n.text)}]`}`);
    lines.push("  end");
  }
  lines.push(...edges);
  return `${lines.join("\n")}\n`;
}

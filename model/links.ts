/**
 * Finds every cross-Region link in rendered stacks: which resource copies or replicates which data
 * store into which Region, and by what mechanism. The posture report and the diagram both read it.
 *
 * It works on resource types and the inputs AWS defines, never on this project's logical names, so
 * a store added later is covered without touching this file.
 */
import { dlmLinks } from "./dlmLinks";
import { CrossRegionLink, LinkKind } from "./linkTypes";
import { RenderedResource, RenderedStack } from "./rendered";

export type { CrossRegionLink, LinkKind } from "./linkTypes";

interface Located {
  readonly resource: RenderedResource;
  readonly stack: string;
}

/** The Region in an ARN (`arn:aws:<svc>:<region>:...`), or undefined for global/Region-less ARNs. */
export function arnRegion(arn: unknown): string | undefined {
  if (typeof arn !== "string" || !arn.startsWith("arn:")) return undefined;
  return arn.split(":")[3] || undefined;
}

const asArray = (value: unknown): Record<string, unknown>[] =>
  Array.isArray(value) ? (value.filter((v) => v && typeof v === "object") as Record<string, unknown>[]) : [];

class ResourceIndex {
  private readonly byKey = new Map<string, Located>();

  constructor(stacks: readonly RenderedStack[]) {
    for (const stack of stacks) {
      for (const resource of stack.resources) {
        if (!resource.custom) continue;
        const located = { resource, stack: stack.stack };
        if (resource.id) this.byKey.set(`${resource.type}|${resource.id}`, located);
        for (const key of [
          "arn",
          "id",
          "name",
          "bucket",
          "replicationGroupId",
          "globalReplicationGroupId",
          "domainName",
          "clusterIdentifier",
        ]) {
          const value = resource.outputs[key];
          if (typeof value === "string" && value !== "") this.byKey.set(`${resource.type}|${value}`, located);
        }
      }
    }
  }

  find(type: string, key: unknown): Located | undefined {
    return typeof key === "string" ? this.byKey.get(`${type}|${key}`) : undefined;
  }

  /** Any resource whose ARN is this value, whatever its type. */
  findArn(types: readonly string[], arn: unknown): Located | undefined {
    for (const type of types) {
      const hit = this.find(type, arn);
      if (hit) return hit;
    }
    return undefined;
  }
}

export const BUCKET = "aws:s3/bucket:Bucket";
export const RDS_INSTANCE = "aws:rds/instance:Instance";
export const REPLICATION_GROUP = "aws:elasticache/replicationGroup:ReplicationGroup";
export const OPENSEARCH_DOMAIN = "aws:opensearch/domain:Domain";
export const REDSHIFT_CLUSTER = "aws:redshift/cluster:Cluster";
export const DYNAMODB_TABLE = "aws:dynamodb/table:Table";
export const ECR_REPOSITORY = "aws:ecr/repository:Repository";

/** An ECR replication rule's filters select a repository: none selects all; PREFIX_MATCH by name. */
const selects = (filters: Record<string, unknown>[], name: string) =>
  filters.length === 0 ||
  filters.some((f) => f.filterType === "PREFIX_MATCH" && name.startsWith(String(f.filter)));

/** Store types whose ARNs an AWS Backup selection can name, as this analysis resolves them. */
const BACKUP_TARGET_TYPES = [
  RDS_INSTANCE,
  DYNAMODB_TABLE,
  BUCKET,
  REDSHIFT_CLUSTER,
  "aws:efs/fileSystem:FileSystem",
  // An EKS backup: the cluster's state and persistent volumes in one composite recovery point.
  "aws:eks/cluster:Cluster",
  "aws:ebs/volume:Volume",
];

export function findCrossRegionLinks(stacks: readonly RenderedStack[]): CrossRegionLink[] {
  const index = new ResourceIndex(stacks);
  const links: CrossRegionLink[] = [];
  const add = (
    declaredBy: string,
    kind: LinkKind,
    source: Located | undefined,
    targetRegion: string | undefined,
    target?: RenderedResource,
    detail: Record<string, unknown> = {},
  ) => {
    const sourceRegion = source?.resource.region;
    if (!source || !sourceRegion || !targetRegion || sourceRegion === targetRegion) return;
    links.push({ kind, declaredBy, source: source.resource, sourceRegion, targetRegion, target, detail });
  };

  for (const stack of stacks) {
    for (const r of stack.resources) {
      const here = { resource: r, stack: stack.stack };
      switch (r.type) {
        case "aws:s3/bucketReplicationConfig:BucketReplicationConfig": {
          const source = index.find(BUCKET, r.inputs.bucket);
          for (const rule of asArray(r.inputs.rules)) {
            if (rule.status !== "Enabled") continue;
            const destination = (rule.destination ?? {}) as Record<string, unknown>;
            const bucketName = String(destination.bucket ?? "").replace(/^arn:aws:s3:::/, "");
            const target = index.find(BUCKET, bucketName)?.resource;
            const time = (destination.replicationTime ?? {}) as Record<string, unknown>;
            const rtcMinutes =
              time.status === "Enabled"
                ? Number(((time.time ?? {}) as Record<string, unknown>).minutes)
                : undefined;
            add(stack.stack, "s3-replication", source, target?.region ?? undefined, target, { rtcMinutes });
          }
          break;
        }
        case RDS_INSTANCE:
          if (r.inputs.replicateSourceDb) {
            const source = index.find(RDS_INSTANCE, r.inputs.replicateSourceDb);
            add(stack.stack, "rds-read-replica", source, r.region ?? undefined, r);
          }
          break;
        case "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication":
          add(
            stack.stack,
            "rds-backup-replication",
            index.find(RDS_INSTANCE, r.inputs.sourceDbInstanceArn),
            r.region ?? undefined,
            r,
            {
              retentionDays: r.inputs.retentionPeriod,
            },
          );
          break;
        case REPLICATION_GROUP:
          if (r.inputs.globalReplicationGroupId) {
            const global = index.find(
              "aws:elasticache/globalReplicationGroup:GlobalReplicationGroup",
              r.inputs.globalReplicationGroupId,
            );
            const primary =
              global && index.find(REPLICATION_GROUP, global.resource.inputs.primaryReplicationGroupId);
            add(stack.stack, "elasticache-global-datastore", primary, r.region ?? undefined, r);
          }
          break;
        case "aws:opensearch/outboundConnection:OutboundConnection": {
          const local = (r.inputs.localDomainInfo ?? {}) as Record<string, unknown>;
          const remote = (r.inputs.remoteDomainInfo ?? {}) as Record<string, unknown>;
          const leader = index.find(OPENSEARCH_DOMAIN, remote.domainName);
          const follower = index.find(OPENSEARCH_DOMAIN, local.domainName);
          add(
            stack.stack,
            "opensearch-cross-cluster",
            leader,
            String(local.region ?? follower?.resource.region ?? ""),
            follower?.resource,
          );
          break;
        }
        case "aws:redshift/snapshotCopy:SnapshotCopy":
          add(
            stack.stack,
            "redshift-snapshot-copy",
            index.find(REDSHIFT_CLUSTER, r.inputs.clusterIdentifier),
            String(r.inputs.destinationRegion ?? ""),
            undefined,
            {
              retentionDays: r.inputs.retentionPeriod,
            },
          );
          break;
        case DYNAMODB_TABLE:
          for (const replica of asArray(r.inputs.replicas)) {
            add(stack.stack, "dynamodb-global-table", here, String(replica.regionName ?? ""), undefined, {
              pointInTimeRecovery: replica.pointInTimeRecovery === true,
            });
          }
          break;
        case "aws:backup/selection:Selection": {
          const plan = index.find("aws:backup/plan:Plan", r.inputs.planId)?.resource;
          for (const rule of asArray(plan?.inputs.rules)) {
            for (const copy of asArray(rule.copyActions)) {
              for (const arn of Array.isArray(r.inputs.resources) ? r.inputs.resources : []) {
                add(
                  stack.stack,
                  "backup-copy",
                  index.findArn(BACKUP_TARGET_TYPES, arn),
                  arnRegion(copy.destinationVaultArn),
                  undefined,
                  {
                    schedule: rule.schedule,
                    continuousBackup: rule.enableContinuousBackup === true,
                    destinationVaultArn: copy.destinationVaultArn,
                  },
                );
              }
            }
          }
          break;
        }
        case "aws:sns/topicSubscription:TopicSubscription": {
          const topic = index.find("aws:sns/topic:Topic", r.inputs.topic);
          const queue = index.find("aws:sqs/queue:Queue", r.inputs.endpoint)?.resource;
          add(stack.stack, "sns-subscription", topic, arnRegion(r.inputs.endpoint), queue, {
            protocol: r.inputs.protocol,
          });
          break;
        }
        case "aws:ecr/replicationConfiguration:ReplicationConfiguration": {
          // The registry of its own Region: every repository of this stack there a rule's filter selects.
          const rules = asArray((r.inputs.replicationConfiguration as Record<string, unknown>)?.rules);
          const repos = stack.resources.filter((x) => x.type === ECR_REPOSITORY && x.region === r.region);
          for (const repo of repos)
            for (const rule of rules.filter((u) =>
              selects(asArray(u.repositoryFilters), String(repo.inputs.name)),
            ))
              for (const d of asArray(rule.destinations))
                add(stack.stack, "ecr-replication", { resource: repo, stack: stack.stack }, String(d.region));
          break;
        }
        case "aws:kms/replicaKey:ReplicaKey":
          add(
            stack.stack,
            "kms-replica-key",
            index.find("aws:kms/key:Key", r.inputs.primaryKeyArn),
            r.region ?? undefined,
            r,
          );
          break;
      }
    }
  }
  return [...links, ...dnsFailoverLinks(stacks), ...dlmLinks(stacks)];
}

/** PRIMARY and SECONDARY failover records: traffic moves from the PRIMARY target's Region to the SECONDARY's. */
function dnsFailoverLinks(stacks: readonly RenderedStack[]): CrossRegionLink[] {
  const records = stacks.flatMap((stack) =>
    stack.resources
      .filter((r) => r.type === "aws:route53/record:Record")
      .map((record) => {
        const policy = asArray(record.inputs.failoverRoutingPolicies)[0]?.type;
        const alias = asArray(record.inputs.aliases)[0];
        const region = /\.([a-z]{2}-[a-z]+-\d)\.elb\.amazonaws\.com$/.exec(String(alias?.name ?? ""))?.[1];
        return { stack: stack.stack, record, policy, region };
      }),
  );
  const links: CrossRegionLink[] = [];
  for (const primary of records.filter((r) => r.policy === "PRIMARY")) {
    for (const secondary of records.filter(
      (r) => r.policy === "SECONDARY" && r.record.inputs.name === primary.record.inputs.name,
    )) {
      if (!primary.region || !secondary.region || primary.region === secondary.region) continue;
      links.push({
        kind: "dns-failover",
        declaredBy: secondary.stack,
        source: primary.record,
        sourceRegion: primary.region,
        targetRegion: secondary.region,
        target: secondary.record,
        detail: { name: primary.record.inputs.name },
      });
    }
  }
  return links;
}

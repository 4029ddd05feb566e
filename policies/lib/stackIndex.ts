/**
 * One pass over a stack's resources that lets stack rules look resources up by URN, type, ARN or
 * any identifier another resource may reference them by (bucket name, cluster identifier, vault
 * name, plan id). Built once per resource list and shared by every stack rule, so stack-level
 * checks stay linear in the number of resources.
 */
import { PolicyResource } from "@pulumi/policy";
import { isUnknown, regionOf, str, tagsOf, UNKNOWN, Unknown } from "./values";

export interface StackNode {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** Outputs (engine `analyzeStack`). */
  readonly props: Record<string, unknown>;
  readonly region: string | Unknown | undefined;
  readonly tags: Record<string, unknown> | Unknown;
  readonly dependencies: readonly string[];
  /** URN of the resource's provider (default or explicit), when the engine names one. */
  readonly provider?: string;
  readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
}

/** Properties a resource is referenced by from other resources' inputs. */
const IDENTIFIER_FIELDS = [
  "id",
  "arn",
  "name",
  "bucket",
  "identifier",
  "clusterIdentifier",
  "replicationGroupId",
  "globalReplicationGroupId",
  "globalClusterIdentifier",
  "domainName",
  "namespaceName",
  "snapshotCopyGrantName",
] as const;

const cache = new WeakMap<readonly PolicyResource[], StackIndex>();

export class StackIndex {
  readonly nodes: StackNode[] = [];
  private readonly urns = new Map<string, StackNode>();
  private readonly types = new Map<string, StackNode[]>();
  private readonly identifiers = new Map<string, StackNode[]>();
  /**
   * Regions of the default aws provider the stack's resources use (`aws:region`): the stack's own
   * Region. Default providers are named `default` or `default_<version>` by the engine.
   */
  readonly defaultAwsRegions = new Set<string | Unknown>();

  static of(resources: readonly PolicyResource[]): StackIndex {
    let index = cache.get(resources);
    if (!index) {
      index = new StackIndex(resources);
      cache.set(resources, index);
    }
    return index;
  }

  private constructor(resources: readonly PolicyResource[]) {
    for (const resource of resources) {
      const propertyDependencies: Record<string, string[]> = {};
      for (const [key, deps] of Object.entries(resource.propertyDependencies ?? {})) {
        propertyDependencies[key] = deps.map((d) => d.urn);
      }
      const provider = resource.provider;
      if (provider?.type === "pulumi:providers:aws" && /^default(_|$)/.test(provider.name)) {
        const region = str(provider.props, "region");
        if (region !== undefined) this.defaultAwsRegions.add(region);
      }
      const node: StackNode = {
        urn: resource.urn,
        type: resource.type,
        name: resource.name,
        props: resource.props,
        region: knownRegion(resource),
        tags: tagsOf(resource.props),
        dependencies: (resource.dependencies ?? []).map((d) => d.urn),
        ...(resource.provider?.urn ? { provider: resource.provider.urn } : {}),
        propertyDependencies,
      };
      this.nodes.push(node);
      this.urns.set(node.urn, node);
      push(this.types, node.type, node);
      for (const field of IDENTIFIER_FIELDS) {
        const value = str(node.props, field);
        if (typeof value === "string") push(this.identifiers, `${node.type}|${value}`, node);
      }
    }
  }

  /** The stack's own Region (its default aws provider's), or why it cannot be told. */
  stackRegion(): { region: string } | { unknownBecause: string } {
    const regions = [...this.defaultAwsRegions];
    if (regions.some(isUnknown))
      return { unknownBecause: "the default aws provider's Region is unknown until apply" };
    if (regions.length === 1) return { region: regions[0] as string };
    return {
      unknownBecause:
        regions.length === 0
          ? "no resource of this stack uses the default aws provider, so the stack's Region (aws:region) is not known to the pack"
          : `the default aws providers name several Regions (${(regions as string[]).sort().join(", ")})`,
    };
  }

  byUrn(urn: string): StackNode | undefined {
    return this.urns.get(urn);
  }

  byType(...types: readonly string[]): StackNode[] {
    return types.flatMap((type) => this.types.get(type) ?? []);
  }

  /** Resources of the given types whose id, ARN, name or identifier equals `value`. */
  find(types: readonly string[], value: string): StackNode[] {
    const found = new Set<StackNode>();
    for (const type of types)
      for (const node of this.identifiers.get(`${type}|${value}`) ?? []) found.add(node);
    return [...found];
  }

  /**
   * The resources `from.props[prop]` refers to. A known value is looked up by identifier; an
   * unknown or unmatched value falls back to the property's dependencies (`propertyDependencies`,
   * else the resource's dependencies) when they name exactly the resources of those types.
   * Returns `UNKNOWN` when the value is unknown and no dependency tells.
   * (`UNKNOWN` is also what `get` returns for a proxied unknown.)
   */
  resolve(from: StackNode, prop: string, value: unknown, types: readonly string[]): StackNode[] | Unknown {
    if (typeof value === "string" && !isUnknown(value)) {
      const found = this.find(types, value);
      if (found.length > 0) return found;
    }
    const own = from.propertyDependencies[prop];
    const candidates = (own ?? from.dependencies)
      .map((urn) => this.urns.get(urn))
      .filter((n): n is StackNode => n !== undefined && types.includes(n.type));
    if (isUnknown(value)) return candidates.length > 0 ? candidates : UNKNOWN;
    // A known value that names nothing here: trust the property's own dependency if it names one.
    return own && candidates.length === 1 ? candidates : [];
  }
}

/**
 * A resource's Region as known at preview: its own `region` when known; when the engine shows it
 * unknown but the program did not compute it from another resource (no property dependency), the
 * provider fills it in from its own configured Region, which is what the resource will get.
 */
function knownRegion(resource: PolicyResource): string | Unknown | undefined {
  const region = regionOf(resource.props, resource.provider);
  if (region !== UNKNOWN || (resource.propertyDependencies?.["region"] ?? []).length > 0) return region;
  return resource.provider ? str(resource.provider.props, "region") : UNKNOWN;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * The stack configuration schema and its validation.
 *
 * `parseStackConfig` is pure: it takes the raw values a stack was given (from `Pulumi.<stack>.yaml`,
 * `pulumi config set` or the offline plan's `--set`) and returns a typed, fully-defaulted
 * `StackConfig`, or throws one `ConfigError` that names the key, the bad value, the allowed values
 * and the fix. Nothing here touches the Pulumi runtime, so every rule is unit-tested directly.
 */

import { GenerationConfig, parseGeneration } from "./generation";

export const PROJECT = "payments-dr";

export type Role = "primary" | "dr";
export type Mode = "active" | "standby";
export type FailoverMode = "manual" | "automatic";

export const ROLES: readonly Role[] = ["primary", "dr"];
export const MODES: readonly Mode[] = ["active", "standby"];
export const FAILOVER_MODES: readonly FailoverMode[] = ["manual", "automatic"];

export interface NetworkConfig {
  /** RFC 1918 block for the stack's VPC, /16 to /20. Must not overlap the peer stack's block. */
  readonly vpcCidr: string;
  /** The peer stack's VPC block, so overlaps are caught before either stack deploys. */
  readonly peerVpcCidr: string;
}

export interface EksConfig {
  readonly kubernetesVersion: string;
  readonly nodeInstanceType: string;
  /** Nodes the dr stack runs while it is a warm standby. */
  readonly standbyNodeCount: number;
  /** Nodes a Region runs while it serves traffic (always, for primary). */
  readonly activeNodeCount: number;
  /** Node group maximum; never below `activeNodeCount`, so failover only changes desired size. */
  readonly maxNodeCount: number;
  readonly nodeVolumeSizeGb: number;
}

export interface DnsConfig {
  /** Public hosted zone that already exists (registered domain), e.g. `payments.example.com`. */
  readonly zoneName: string;
  /**
   * The zone's id (`Z...`). When set, the program does not look the zone up by name, so a preview
   * makes no Route 53 call (its control plane is in us-east-1, the primary's Region by default).
   */
  readonly hostedZoneId?: string;
  /** Label of the failover record inside the zone: `<recordName>.<zoneName>`. */
  readonly recordName: string;
  /** Consecutive failed checks (10 s apart) before Route 53 marks an endpoint unhealthy. */
  readonly healthCheckFailureThreshold: number;
  /** Path the HTTPS health check requests. */
  readonly healthCheckPath: string;
}

export interface IngressConfig {
  /** ELB security policy for the HTTPS listener. */
  readonly tlsPolicy: string;
}

export interface DatabaseConfig {
  readonly instanceClass: string;
  readonly engineVersion: string;
  readonly allocatedStorageGb: number;
  readonly backupRetentionDays: number;
}

export interface CacheConfig {
  /** Must not be a burstable (`cache.t*`) type: Global Datastore does not support them. */
  readonly nodeType: string;
  readonly engineVersion: string;
  readonly replicasPerNodeGroup: number;
}

export interface SearchConfig {
  readonly engineVersion: string;
  readonly instanceType: string;
  readonly instanceCount: number;
  readonly volumeSizeGb: number;
}

export interface WarehouseConfig {
  readonly nodeType: string;
  readonly nodeCount: number;
  readonly databaseName: string;
  readonly snapshotCopyRetentionDays: number;
}

export interface BackupConfig {
  readonly retentionDays: number;
  readonly vaultLockMinRetentionDays: number;
  readonly vaultLockMaxRetentionDays: number;
  /** Cooling-off period before Vault Lock becomes immutable (compliance mode). */
  readonly vaultLockChangeableForDays: number;
}

export interface IngestConfig {
  readonly batchSize: number;
  readonly maxConcurrency: number;
  /** Receives before a message moves to the dead-letter queue. */
  readonly maxReceiveCount: number;
  /** How long the dr consumer keeps retrying an object that replication has not delivered yet. */
  readonly replicationWaitSeconds: number;
}

export interface FailoverConfig {
  readonly mode: FailoverMode;
  /** Preflight refuses a failover when replica lag exceeds this, unless forced. */
  readonly maxReplicaLagSeconds: number;
  readonly stepTimeoutSeconds: number;
  /** Where detection notifications go; empty means the topic has no e-mail subscriber. */
  readonly operatorEmail: string;
}

export interface TargetsConfig {
  readonly rpoSeconds: number;
  readonly rtoSeconds: number;
}

export interface StackConfig {
  readonly project: string;
  readonly stackName: string;
  readonly role: Role;
  readonly mode: Mode;
  /** The stack's own Region (`aws:region`). */
  readonly region: string;
  /** The other Region of the pair: primary's peer is the dr Region and vice versa. */
  readonly peerRegion: string;
  /** dr only: fully-qualified name of the primary stack (`org/payments-dr/primary`). */
  readonly primaryStack?: string;
  /**
   * Lets a dr stack that was failed over (its last deployment ran `active`) be set back to
   * `standby`: a deliberate failback step, since its promoted database cannot become a replica
   * again in place. @default false
   */
  readonly confirmReturnToStandby: boolean;
  /** Generations of the replicated data stores (stacks/generation.ts). @default all 0 */
  readonly generation: GenerationConfig;
  /** Sets `protect` on stateful resources; turn off only for throwaway test stacks. */
  readonly protectStatefulResources: boolean;
  readonly targets: TargetsConfig;
  readonly network: NetworkConfig;
  readonly eks: EksConfig;
  readonly dns: DnsConfig;
  readonly ingress: IngressConfig;
  readonly database: DatabaseConfig;
  readonly cache: CacheConfig;
  readonly search: SearchConfig;
  readonly warehouse: WarehouseConfig;
  readonly backup: BackupConfig;
  readonly ingest: IngestConfig;
  readonly failover: FailoverConfig;
  readonly tags: Readonly<Record<string, string>>;
}

/** A configuration mistake. Its message is meant for the operator, verbatim, with no stack trace. */
export class ConfigError extends Error {
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(message);
    this.name = "ConfigError";
  }
}

/**
 * Raw configuration: fully-qualified keys (`aws:region`, `payments-dr:mode`) mapped to what the
 * CLI or the stack file holds. Scalars may arrive as strings (`pulumi config set` stores strings);
 * objects arrive parsed or as JSON text.
 */
export type RawConfig = Readonly<Record<string, unknown>>;

type Section = Readonly<Record<string, unknown>>;

const DEFAULTS = {
  protectStatefulResources: true,
  targets: { rpoSeconds: 900, rtoSeconds: 1800 },
  eks: {
    kubernetesVersion: "1.33",
    nodeInstanceType: "m6i.large",
    standbyNodeCount: 1,
    activeNodeCount: 3,
    maxNodeCount: 6,
    nodeVolumeSizeGb: 50,
  },
  dns: { recordName: "api", healthCheckFailureThreshold: 3, healthCheckPath: "/healthz" },
  ingress: { tlsPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06" },
  database: {
    instanceClass: "db.r6g.large",
    engineVersion: "16.4",
    allocatedStorageGb: 100,
    backupRetentionDays: 14,
  },
  cache: { nodeType: "cache.r7g.large", engineVersion: "7.1", replicasPerNodeGroup: 1 },
  search: {
    engineVersion: "OpenSearch_2.17",
    instanceType: "r6g.large.search",
    instanceCount: 3,
    volumeSizeGb: 100,
  },
  warehouse: {
    nodeType: "ra3.xlplus",
    nodeCount: 2,
    databaseName: "payments",
    snapshotCopyRetentionDays: 7,
  },
  backup: {
    retentionDays: 35,
    vaultLockMinRetentionDays: 7,
    vaultLockMaxRetentionDays: 365,
    vaultLockChangeableForDays: 3,
  },
  ingest: { batchSize: 10, maxConcurrency: 5, maxReceiveCount: 5, replicationWaitSeconds: 900 },
  failover: {
    mode: "manual" as FailoverMode,
    maxReplicaLagSeconds: 60,
    stepTimeoutSeconds: 900,
    operatorEmail: "",
  },
} as const;

/** Every key this project reads; anything else under `payments-dr:` is a typo and is refused. */
export const PROJECT_KEYS = [
  "role",
  "mode",
  "peerRegion",
  "primaryStack",
  "protectStatefulResources",
  "confirmReturnToStandby",
  "generation",
  "targets",
  "network",
  "eks",
  "dns",
  "ingress",
  "database",
  "cache",
  "search",
  "warehouse",
  "backup",
  "ingest",
  "failover",
  "tags",
] as const;

const REGION_PATTERN = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;
const STACK_REFERENCE_PATTERN = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+){0,2}$/;

function describe(value: unknown): string {
  return typeof value === "string" ? `"${value}"` : JSON.stringify(value);
}

function fail(key: string, value: unknown, expected: string, fix: string): never {
  throw new ConfigError(key, `Invalid config ${key} = ${describe(value)}: expected ${expected}. ${fix}`);
}

function missing(key: string, expected: string, fix: string): never {
  throw new ConfigError(key, `Missing config ${key}: expected ${expected}. ${fix}`);
}

function setHint(key: string, example: string): string {
  return `Fix: pulumi config set ${key.includes(".") ? "--path " : ""}${key} ${example}`;
}

/** Parses a JSON object given as text (how the CLI hands structured values to a program). */
function section(raw: RawConfig, name: string): Section {
  const key = `${PROJECT}:${name}`;
  const value = raw[key];
  if (value === undefined || value === null || value === "") return {};
  let parsed: unknown = value;
  if (typeof value === "string") {
    try {
      parsed = JSON.parse(value);
    } catch {
      fail(key, value, "an object", `Give ${key} as a YAML map in Pulumi.<stack>.yaml.`);
    }
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    fail(key, value, "an object", `Give ${key} as a YAML map in Pulumi.<stack>.yaml.`);
  }
  const known = Object.keys(DEFAULTS[name as keyof typeof DEFAULTS] ?? {});
  const extra =
    name === "network" ? ["vpcCidr", "peerVpcCidr"] : name === "dns" ? ["zoneName", "hostedZoneId"] : [];
  const allowed = [...known, ...extra];
  if (name !== "tags") {
    for (const field of Object.keys(parsed)) {
      if (!allowed.includes(field)) {
        fail(
          `${key}.${field}`,
          (parsed as Section)[field],
          `one of the keys ${allowed.join(", ")}`,
          `Remove ${key}.${field} or correct its spelling.`,
        );
      }
    }
  }
  return parsed as Section;
}

export function positiveInteger(key: string, value: unknown, example = "3"): number {
  const n = typeof value === "string" && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof n !== "number" || !Number.isInteger(n) || n <= 0) {
    fail(key, value, "a positive integer", setHint(key, example));
  }
  return n;
}

function nonEmptyString(key: string, value: unknown, example: string): string {
  if (typeof value !== "string" || value.trim() === "") {
    fail(key, value, "a non-empty string", setHint(key, example));
  }
  return value;
}

function oneOf<T extends string>(key: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== "string" || !allowed.includes(value as T)) {
    fail(key, value, `one of ${allowed.join(", ")}`, setHint(key, allowed[0]));
  }
  return value as T;
}

function booleanValue(key: string, value: unknown): boolean {
  if (typeof value === "boolean") return value;
  if (value === "true" || value === "false") return value === "true";
  return fail(key, value, "true or false", setHint(key, "true"));
}

export function awsRegion(key: string, value: unknown): string {
  if (value === undefined || value === "") {
    missing(key, "an AWS Region such as us-east-1", setHint(key, "us-east-1"));
  }
  if (typeof value !== "string" || !REGION_PATTERN.test(value)) {
    fail(key, value, "an AWS Region such as us-east-1 or eu-west-2", setHint(key, "us-east-1"));
  }
  return value;
}

/** Parses an IPv4 CIDR into its network address and prefix length. */
export function parseCidr(value: string): { address: number; prefixLength: number } | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(value);
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const prefixLength = Number(match[5]);
  if (octets.some((o) => o > 255) || prefixLength > 32) return undefined;
  const address = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
  const mask = prefixLength === 0 ? 0 : (0xffffffff << (32 - prefixLength)) >>> 0;
  if ((address & mask) >>> 0 !== address) return undefined;
  return { address, prefixLength };
}

function inPrivateRange(address: number): boolean {
  const ranges: [number, number][] = [
    [0x0a000000, 8],
    [0xac100000, 12],
    [0xc0a80000, 16],
  ];
  return ranges.some(([base, len]) => (address & ((0xffffffff << (32 - len)) >>> 0)) >>> 0 === base);
}

export function vpcCidr(key: string, value: unknown): string {
  const expected =
    "an RFC 1918 IPv4 block in CIDR notation with its network address and a /16 to /20 prefix " +
    "(room for a private and a public subnet in three Availability Zones), " +
    "e.g. 10.10.0.0/16";
  if (typeof value !== "string") return fail(key, value, expected, setHint(key, "10.10.0.0/16"));
  const parsed = parseCidr(value);
  if (!parsed || parsed.prefixLength < 16 || parsed.prefixLength > 20 || !inPrivateRange(parsed.address)) {
    fail(key, value, expected, setHint(key, "10.10.0.0/16"));
  }
  return value;
}

export function cidrsOverlap(a: string, b: string): boolean {
  const x = parseCidr(a);
  const y = parseCidr(b);
  if (!x || !y) return false;
  const len = Math.min(x.prefixLength, y.prefixLength);
  const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
  return (x.address & mask) >>> 0 === (y.address & mask) >>> 0;
}

function withDefaults(raw: RawConfig, name: keyof typeof DEFAULTS): Section {
  const defaults = DEFAULTS[name];
  return { ...(typeof defaults === "object" ? defaults : {}), ...section(raw, name) };
}

/**
 * Turns a stack's raw configuration into a validated `StackConfig`.
 *
 * @throws ConfigError naming the first bad key, its value, the allowed values and the fix.
 */
export function parseStackConfig(raw: RawConfig, stackName: string): StackConfig {
  const key = (name: string) => `${PROJECT}:${name}`;

  for (const fullKey of Object.keys(raw)) {
    if (!fullKey.startsWith(`${PROJECT}:`)) continue;
    const name = fullKey.slice(PROJECT.length + 1);
    if (!(PROJECT_KEYS as readonly string[]).includes(name)) {
      fail(
        fullKey,
        raw[fullKey],
        `one of the keys ${PROJECT_KEYS.map(key).join(", ")}`,
        `Remove ${fullKey} (pulumi config rm ${fullKey}) or correct its spelling.`,
      );
    }
  }

  if (raw[key("role")] === undefined) {
    missing(
      key("role"),
      `one of ${ROLES.join(", ")}`,
      setHint(key("role"), stackName === "dr" ? "dr" : "primary"),
    );
  }
  const role = oneOf(key("role"), raw[key("role")], ROLES);
  const mode = oneOf(key("mode"), raw[key("mode")] ?? (role === "primary" ? "active" : "standby"), MODES);
  if (role === "primary" && mode !== "active") {
    fail(
      key("mode"),
      mode,
      "active for the primary stack (only the dr stack has a standby mode)",
      `${setHint(key("mode"), "active")} --stack ${stackName}`,
    );
  }

  const region = awsRegion("aws:region", raw["aws:region"]);
  const peerRegion = awsRegion(key("peerRegion"), raw[key("peerRegion")]);
  if (peerRegion === region) {
    const [own, peer] = role === "dr" ? ["dr", "primary"] : ["primary", "dr"];
    fail(
      "aws:region",
      region,
      `a Region different from the ${peer} Region (${key("peerRegion")} = ${peerRegion}): ` +
        `the ${own} stack exists to survive the loss of the ${peer} Region`,
      role === "dr"
        ? "Fix: pulumi config set aws:region us-west-2 --stack dr (any Region other than the primary's)."
        : `Fix: set ${key("peerRegion")} to the dr Region, e.g. us-west-2.`,
    );
  }

  const primaryStackRaw = raw[key("primaryStack")];
  let primaryStack: string | undefined;
  if (role === "dr") {
    if (primaryStackRaw === undefined || primaryStackRaw === "") {
      missing(
        key("primaryStack"),
        "the fully-qualified name of the primary stack, <org>/payments-dr/<stack>",
        `The dr stack reads the primary's outputs through a StackReference. ${setHint(key("primaryStack"), "my-org/payments-dr/primary")}`,
      );
    }
    if (typeof primaryStackRaw !== "string" || !STACK_REFERENCE_PATTERN.test(primaryStackRaw)) {
      fail(
        key("primaryStack"),
        primaryStackRaw,
        "a stack name of the form <org>/<project>/<stack>, <project>/<stack> or <stack>",
        setHint(key("primaryStack"), "my-org/payments-dr/primary"),
      );
    }
    primaryStack = primaryStackRaw;
  } else if (primaryStackRaw !== undefined) {
    fail(
      key("primaryStack"),
      primaryStackRaw,
      "no value on the primary stack: primary never reads another stack",
      `Fix: pulumi config rm ${key("primaryStack")} --stack ${stackName}`,
    );
  }

  const targetsRaw = withDefaults(raw, "targets");
  const targets: TargetsConfig = {
    rpoSeconds: positiveInteger(key("targets.rpoSeconds"), targetsRaw.rpoSeconds, "900"),
    rtoSeconds: positiveInteger(key("targets.rtoSeconds"), targetsRaw.rtoSeconds, "1800"),
  };

  const networkRaw = section(raw, "network");
  if (networkRaw.vpcCidr === undefined) {
    missing(
      key("network.vpcCidr"),
      "the VPC block, e.g. 10.10.0.0/16",
      setHint(key("network.vpcCidr"), "10.10.0.0/16"),
    );
  }
  if (networkRaw.peerVpcCidr === undefined) {
    missing(
      key("network.peerVpcCidr"),
      "the peer stack's VPC block, e.g. 10.20.0.0/16",
      setHint(key("network.peerVpcCidr"), "10.20.0.0/16"),
    );
  }
  const network: NetworkConfig = {
    vpcCidr: vpcCidr(key("network.vpcCidr"), networkRaw.vpcCidr),
    peerVpcCidr: vpcCidr(key("network.peerVpcCidr"), networkRaw.peerVpcCidr),
  };
  if (cidrsOverlap(network.vpcCidr, network.peerVpcCidr)) {
    fail(
      key("network.vpcCidr"),
      network.vpcCidr,
      `a block that does not overlap the peer VPC (${network.peerVpcCidr}), so the Regions can be peered or routed`,
      setHint(key("network.vpcCidr"), "10.10.0.0/16"),
    );
  }

  const eksRaw = withDefaults(raw, "eks");
  const eks: EksConfig = {
    kubernetesVersion: kubernetesVersion(key("eks.kubernetesVersion"), eksRaw.kubernetesVersion),
    nodeInstanceType: nonEmptyString(key("eks.nodeInstanceType"), eksRaw.nodeInstanceType, "m6i.large"),
    standbyNodeCount: positiveInteger(key("eks.standbyNodeCount"), eksRaw.standbyNodeCount, "1"),
    activeNodeCount: positiveInteger(key("eks.activeNodeCount"), eksRaw.activeNodeCount, "3"),
    maxNodeCount: positiveInteger(key("eks.maxNodeCount"), eksRaw.maxNodeCount, "6"),
    nodeVolumeSizeGb: positiveInteger(key("eks.nodeVolumeSizeGb"), eksRaw.nodeVolumeSizeGb, "50"),
  };
  if (eks.standbyNodeCount > eks.activeNodeCount) {
    fail(
      key("eks.standbyNodeCount"),
      eks.standbyNodeCount,
      `at most ${key("eks.activeNodeCount")} (${eks.activeNodeCount}): a warm standby runs fewer nodes than the active Region`,
      `${setHint(key("eks.standbyNodeCount"), String(Math.min(1, eks.activeNodeCount)))}, or raise ${key("eks.activeNodeCount")}.`,
    );
  }
  if (eks.maxNodeCount < eks.activeNodeCount) {
    fail(
      key("eks.maxNodeCount"),
      eks.maxNodeCount,
      `at least ${key("eks.activeNodeCount")} (${eks.activeNodeCount}), so a failover only raises the desired size`,
      setHint(key("eks.maxNodeCount"), String(eks.activeNodeCount * 2)),
    );
  }

  const dnsRaw = withDefaults(raw, "dns");
  const dns: DnsConfig = {
    zoneName: hostname(key("dns.zoneName"), dnsRaw.zoneName),
    hostedZoneId: hostedZoneId(key("dns.hostedZoneId"), dnsRaw.hostedZoneId),
    recordName: nonEmptyString(key("dns.recordName"), dnsRaw.recordName, "api"),
    healthCheckFailureThreshold: rangeInteger(
      key("dns.healthCheckFailureThreshold"),
      dnsRaw.healthCheckFailureThreshold,
      1,
      10,
    ),
    healthCheckPath: healthCheckPath(key("dns.healthCheckPath"), dnsRaw.healthCheckPath),
  };

  const ingressRaw = withDefaults(raw, "ingress");
  const ingress: IngressConfig = {
    tlsPolicy: tlsPolicy(key("ingress.tlsPolicy"), ingressRaw.tlsPolicy),
  };

  const databaseRaw = withDefaults(raw, "database");
  const database: DatabaseConfig = {
    instanceClass: prefixed(key("database.instanceClass"), databaseRaw.instanceClass, "db.", "db.r6g.large"),
    engineVersion: nonEmptyString(key("database.engineVersion"), databaseRaw.engineVersion, "16.4"),
    allocatedStorageGb: rangeInteger(
      key("database.allocatedStorageGb"),
      databaseRaw.allocatedStorageGb,
      20,
      65536,
    ),
    backupRetentionDays: rangeInteger(
      key("database.backupRetentionDays"),
      databaseRaw.backupRetentionDays,
      1,
      35,
    ),
  };

  const cacheRaw = withDefaults(raw, "cache");
  const cacheNodeType = prefixed(key("cache.nodeType"), cacheRaw.nodeType, "cache.", "cache.r7g.large");
  if (/^cache\.t\d/.test(cacheNodeType)) {
    fail(
      key("cache.nodeType"),
      cacheNodeType,
      "a non-burstable node type (cache.m*, cache.r*): ElastiCache Global Datastore does not support cache.t* types",
      setHint(key("cache.nodeType"), "cache.r7g.large"),
    );
  }
  const cache: CacheConfig = {
    nodeType: cacheNodeType,
    engineVersion: nonEmptyString(key("cache.engineVersion"), cacheRaw.engineVersion, "7.1"),
    replicasPerNodeGroup: rangeInteger(
      key("cache.replicasPerNodeGroup"),
      cacheRaw.replicasPerNodeGroup,
      1,
      5,
    ),
  };

  const searchRaw = withDefaults(raw, "search");
  const search: SearchConfig = {
    engineVersion: prefixed(
      key("search.engineVersion"),
      searchRaw.engineVersion,
      "OpenSearch_",
      "OpenSearch_2.17",
    ),
    instanceType: nonEmptyString(key("search.instanceType"), searchRaw.instanceType, "r6g.large.search"),
    instanceCount: positiveInteger(key("search.instanceCount"), searchRaw.instanceCount, "3"),
    volumeSizeGb: positiveInteger(key("search.volumeSizeGb"), searchRaw.volumeSizeGb, "100"),
  };

  const warehouseRaw = withDefaults(raw, "warehouse");
  const warehouse: WarehouseConfig = {
    nodeType: nonEmptyString(key("warehouse.nodeType"), warehouseRaw.nodeType, "ra3.xlplus"),
    nodeCount: positiveInteger(key("warehouse.nodeCount"), warehouseRaw.nodeCount, "2"),
    databaseName: nonEmptyString(key("warehouse.databaseName"), warehouseRaw.databaseName, "payments"),
    snapshotCopyRetentionDays: positiveInteger(
      key("warehouse.snapshotCopyRetentionDays"),
      warehouseRaw.snapshotCopyRetentionDays,
      "7",
    ),
  };

  const backupRaw = withDefaults(raw, "backup");
  const backup: BackupConfig = {
    // Continuous backups (point-in-time restore for RDS and S3) keep at most 35 days.
    retentionDays: rangeInteger(key("backup.retentionDays"), backupRaw.retentionDays, 1, 35),
    vaultLockMinRetentionDays: positiveInteger(
      key("backup.vaultLockMinRetentionDays"),
      backupRaw.vaultLockMinRetentionDays,
      "7",
    ),
    vaultLockMaxRetentionDays: positiveInteger(
      key("backup.vaultLockMaxRetentionDays"),
      backupRaw.vaultLockMaxRetentionDays,
      "365",
    ),
    vaultLockChangeableForDays: rangeInteger(
      key("backup.vaultLockChangeableForDays"),
      backupRaw.vaultLockChangeableForDays,
      3,
      36500,
    ),
  };
  if (
    backup.retentionDays < backup.vaultLockMinRetentionDays ||
    backup.retentionDays > backup.vaultLockMaxRetentionDays
  ) {
    fail(
      key("backup.retentionDays"),
      backup.retentionDays,
      `a value between ${key("backup.vaultLockMinRetentionDays")} (${backup.vaultLockMinRetentionDays}) and ` +
        `${key("backup.vaultLockMaxRetentionDays")} (${backup.vaultLockMaxRetentionDays}): Vault Lock rejects recovery points outside its bounds`,
      setHint(key("backup.retentionDays"), String(backup.vaultLockMinRetentionDays)),
    );
  }

  const ingestRaw = withDefaults(raw, "ingest");
  const ingest: IngestConfig = {
    batchSize: rangeInteger(key("ingest.batchSize"), ingestRaw.batchSize, 1, 10),
    maxConcurrency: rangeInteger(key("ingest.maxConcurrency"), ingestRaw.maxConcurrency, 2, 1000),
    maxReceiveCount: rangeInteger(key("ingest.maxReceiveCount"), ingestRaw.maxReceiveCount, 1, 1000),
    replicationWaitSeconds: positiveInteger(
      key("ingest.replicationWaitSeconds"),
      ingestRaw.replicationWaitSeconds,
      "900",
    ),
  };

  const failoverRaw = withDefaults(raw, "failover");
  const failover: FailoverConfig = {
    mode: oneOf(key("failover.mode"), failoverRaw.mode, FAILOVER_MODES),
    maxReplicaLagSeconds: positiveInteger(
      key("failover.maxReplicaLagSeconds"),
      failoverRaw.maxReplicaLagSeconds,
      "60",
    ),
    stepTimeoutSeconds: positiveInteger(
      key("failover.stepTimeoutSeconds"),
      failoverRaw.stepTimeoutSeconds,
      "900",
    ),
    operatorEmail: emailOrEmpty(key("failover.operatorEmail"), failoverRaw.operatorEmail),
  };

  const protectRaw = raw[key("protectStatefulResources")];
  const confirmRaw = raw[key("confirmReturnToStandby")];
  return {
    project: PROJECT,
    stackName,
    role,
    mode,
    region,
    peerRegion,
    primaryStack,
    confirmReturnToStandby:
      confirmRaw === undefined ? false : booleanValue(key("confirmReturnToStandby"), confirmRaw),
    generation: parseGeneration(raw[key("generation")], role, peerRegion, (k, message) => {
      throw new ConfigError(k, message);
    }),
    protectStatefulResources:
      protectRaw === undefined
        ? DEFAULTS.protectStatefulResources
        : booleanValue(key("protectStatefulResources"), protectRaw),
    targets,
    network,
    eks,
    dns,
    ingress,
    database,
    cache,
    search,
    warehouse,
    backup,
    ingest,
    failover,
    tags: tags(key("tags"), section(raw, "tags")),
  };
}

function rangeInteger(key: string, value: unknown, min: number, max: number): number {
  const n = typeof value === "string" && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof n !== "number" || !Number.isInteger(n) || n < min || n > max) {
    fail(key, value, `an integer from ${min} to ${max}`, setHint(key, String(min)));
  }
  return n;
}

function prefixed(key: string, value: unknown, prefix: string, example: string): string {
  if (typeof value !== "string" || !value.startsWith(prefix) || value.length === prefix.length) {
    fail(key, value, `a value starting with "${prefix}", e.g. ${example}`, setHint(key, example));
  }
  return value;
}

function kubernetesVersion(key: string, value: unknown): string {
  if (typeof value !== "string" || !/^1\.\d{2}$/.test(value)) {
    fail(key, value, 'a Kubernetes minor version such as "1.33"', setHint(key, "1.33"));
  }
  return value;
}

function hostname(key: string, value: unknown): string {
  if (value === undefined)
    missing(
      key,
      "the public hosted zone's name, e.g. payments.example.com",
      setHint(key, "payments.example.com"),
    );
  if (typeof value !== "string" || !/^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(value)) {
    fail(
      key,
      value,
      "a lower-case DNS name such as payments.example.com (no trailing dot)",
      setHint(key, "payments.example.com"),
    );
  }
  return value;
}

function hostedZoneId(key: string, value: unknown): string | undefined {
  if (value === undefined || value === "") return undefined;
  if (typeof value !== "string" || !/^Z[0-9A-Z]{1,31}$/.test(value)) {
    fail(
      key,
      value,
      "a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ",
      setHint(key, "Z0123456789ABCDEFGHIJ"),
    );
  }
  return value;
}

function healthCheckPath(key: string, value: unknown): string {
  if (typeof value !== "string" || !value.startsWith("/")) {
    fail(key, value, 'a URL path starting with "/"', setHint(key, "/healthz"));
  }
  return value;
}

function tlsPolicy(key: string, value: unknown): string {
  if (typeof value !== "string" || !/^ELBSecurityPolicy-(TLS13-1-[23]|TLS-1-2|FS-1-2)/.test(value)) {
    fail(
      key,
      value,
      "an ELB security policy that refuses TLS below 1.2 (ELBSecurityPolicy-TLS13-1-2-*, -TLS13-1-3-*, -TLS-1-2-*, -FS-1-2-*)",
      setHint(key, DEFAULTS.ingress.tlsPolicy),
    );
  }
  return value;
}

function emailOrEmpty(key: string, value: unknown): string {
  if (value === "") return "";
  if (typeof value !== "string" || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value)) {
    fail(
      key,
      value,
      "an e-mail address, or an empty string for no e-mail subscriber",
      setHint(key, "sre-oncall@example.com"),
    );
  }
  return value;
}

function tags(key: string, value: Section): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== "string")
      fail(`${key}.${k}`, v, "a string tag value", setHint(`${key}.${k}`, "payments"));
    result[k] = v;
  }
  return result;
}

/**
 * Refuses to render a failed-over dr stack back in `standby` by accident: the repository's stack
 * file still says `standby` after a failover (the controller sets `active` on the stack, not in
 * git), and a routine `up` from it would scale the node group down and try to make the promoted
 * database a read replica again. A deliberate return needs `confirmReturnToStandby` AND a new
 * database generation (stacks/generation.ts): the promoted instance is never made a replica.
 *
 * @param previousMode the `mode` output of the stack's last deployment, if any
 * @param previousDatabaseGeneration its `database.generation` output (absent before generations: 0)
 */
export function checkModeTransition(
  config: StackConfig,
  previousMode: unknown,
  previousDatabaseGeneration: unknown = 0,
): void {
  if (config.role !== "dr" || config.mode !== "standby" || previousMode !== "active") return;
  if (!config.confirmReturnToStandby) {
    throw new ConfigError(
      `${PROJECT}:mode`,
      `Invalid config ${PROJECT}:mode = "standby": the ${config.stackName} stack was failed over (its last deployment ` +
        "ran with mode active, its database promoted). Rendering standby would scale the node group down and try to " +
        "make the promoted database a read replica again. Fix: pulumi config set payments-dr:mode active " +
        `--stack ${config.stackName} and commit Pulumi.${config.stackName}.yaml; to return to standby deliberately, ` +
        `follow the failback runbook and set ${PROJECT}:confirmReturnToStandby true.`,
    );
  }
  const promoted = Number(previousDatabaseGeneration ?? 0);
  if (config.generation.database <= promoted) {
    throw new ConfigError(
      `${PROJECT}:generation.database`,
      `Invalid config ${PROJECT}:generation.database = ${config.generation.database}: returning the ${config.stackName} ` +
        `stack to standby needs a new read replica, so a generation above ${promoted} (the promoted instance's, which ` +
        "RDS cannot turn back into a replica and which is kept). " +
        `Fix: pulumi config set --path ${PROJECT}:generation.database ${promoted + 1} --stack ${config.stackName}`,
    );
  }
}

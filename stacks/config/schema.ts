/**
 * The whole stack configuration as one zod schema, assembled from the sections (sections/) and the
 * cross-field rules (rules.ts), and the `StackConfig` it produces.
 *
 * Its input is namespaced like Pulumi config: `{ stack, aws: { region }, "payments-dr": { … } }`
 * (`configInput` builds it from the flat keys), so an issue's path reads back as the key the
 * operator types.
 */
import { z } from "zod";
import { PROJECT, ProjectKey, projectKey, RawConfig } from "./keys";
import {
  backupRules,
  defaultMode,
  eksRules,
  generationRules,
  networkRules,
  topLevelRules,
  workloadRules,
} from "./rules";
import { restoreFollowsStrategy } from "./restoreRules";
import { section, stringMap } from "./section";
import { BackupConfig, backupFields } from "./sections/backup";
import { CacheConfig, cacheFields } from "./sections/cache";
import { DatabaseConfig, databaseFields } from "./sections/database";
import { DnsConfig, dnsFields } from "./sections/dns";
import { EksConfig, eksFields } from "./sections/eks";
import { FailoverConfig, failoverFields } from "./sections/failover";
import { GenerationConfig, generationFields } from "./sections/generation";
import { awsRegionField, identity, Mode, Role, Strategy, switches } from "./sections/identity";
import { IngestConfig, ingestFields } from "./sections/ingest";
import { IngressConfig, ingressFields } from "./sections/ingress";
import { NetworkConfig, networkFields } from "./sections/network";
import { RestoreConfig, restoreFields } from "./sections/restore";
import { SearchConfig, searchFields } from "./sections/search";
import { tagValue } from "./sections/tags";
import { TargetsConfig, targetsFields } from "./sections/targets";
import { WarehouseConfig, warehouseFields } from "./sections/warehouse";
import { WorkloadConfig, workloadFields } from "./sections/workload";

export interface StackConfig {
  readonly project: string;
  readonly stackName: string;
  readonly role: Role;
  readonly mode: Mode;
  /**
   * What the dr Region runs before a failover; always `warm-standby` on the primary.
   * @default "warm-standby"
   */
  readonly strategy: Strategy;
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
  /**
   * Lets the dr stack's strategy change from what its last deployment ran, when the change deletes
   * live replicas or running nodes (modeTransition.ts). @default false
   */
  readonly confirmStrategyChange: boolean;
  /** backup-restore only: the copies `up` creates the stores from in `mode: active`. @default - none */
  readonly restore: RestoreConfig;
  /** Generations of the replicated data stores (stacks/generation.ts). @default all 0 */
  readonly generation: GenerationConfig;
  /** Sets `protect` on stateful resources; turn off only for throwaway test stacks. @default true */
  readonly protectStatefulResources: boolean;
  readonly targets: TargetsConfig;
  readonly network: NetworkConfig;
  readonly eks: EksConfig;
  /** Replicas by mode and the application image (@default the reference service). */
  readonly workload: WorkloadConfig;
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

/** The keys under `payments-dr:`, in the order they are checked (precedence.ts). */
const projectShape = {
  role: identity.role,
  mode: identity.mode,
  strategy: identity.strategy,
  peerRegion: identity.peerRegion,
  primaryStack: identity.primaryStack,
  targets: section(targetsFields),
  network: section(networkFields, ...networkRules),
  eks: section(eksFields, ...eksRules),
  workload: section(workloadFields, ...workloadRules),
  dns: section(dnsFields),
  ingress: section(ingressFields),
  database: section(databaseFields),
  cache: section(cacheFields),
  search: section(searchFields),
  warehouse: section(warehouseFields),
  backup: section(backupFields, ...backupRules),
  ingest: section(ingestFields),
  failover: section(failoverFields),
  confirmReturnToStandby: switches.confirmReturnToStandby,
  confirmStrategyChange: switches.confirmStrategyChange,
  restore: section(restoreFields),
  generation: section(generationFields, ...generationRules),
  protectStatefulResources: switches.protectStatefulResources,
  tags: stringMap(tagValue),
} satisfies Record<ProjectKey, z.ZodType>;

/** The top-level keys in check order: `aws:region` is checked just before `peerRegion`. */
export const CHECK_ORDER: readonly string[] = Object.keys(projectShape).flatMap((name) =>
  name === "peerRegion" ? ["aws:region", projectKey(name)] : [projectKey(name)],
);

type Parsed = z.output<z.ZodObject<typeof projectShape, z.core.$strict>>;

function assemble(input: { stack: string; aws: { region: string }; [PROJECT]: Parsed }): StackConfig {
  const config = input[PROJECT];
  return {
    project: PROJECT,
    stackName: input.stack,
    role: config.role,
    mode: config.mode ?? defaultMode(config.role),
    strategy: config.strategy,
    region: input.aws.region,
    peerRegion: config.peerRegion,
    primaryStack: config.primaryStack,
    confirmReturnToStandby: config.confirmReturnToStandby,
    confirmStrategyChange: config.confirmStrategyChange,
    restore: withoutEmpty(config.restore),
    generation: withoutEmptyReseed(config.generation),
    protectStatefulResources: config.protectStatefulResources,
    targets: config.targets,
    network: config.network,
    eks: config.eks,
    // The key is always there, `undefined` when no image is set.
    workload: { ...config.workload, image: config.workload.image },
    // The key is always there, `undefined` when not set, as consumers have always seen it.
    dns: { ...config.dns, hostedZoneId: config.dns.hostedZoneId },
    ingress: config.ingress,
    database: config.database,
    cache: config.cache,
    search: config.search,
    warehouse: config.warehouse,
    backup: config.backup,
    ingest: config.ingest,
    failover: config.failover,
    tags: config.tags,
  };
}

/** Only the copies that are set: the controller clears a key by removing it. */
function withoutEmpty(restore: RestoreConfig): RestoreConfig {
  return Object.fromEntries(Object.entries(restore).filter(([, v]) => v !== undefined)) as RestoreConfig;
}

/** `reseedSourceArn: ""` means "none", as `pulumi config set … ''` is how an operator clears it. */
function withoutEmptyReseed(generation: GenerationConfig): GenerationConfig {
  const { reseedSourceArn, ...rest } = generation;
  return reseedSourceArn ? { ...rest, reseedSourceArn } : rest;
}

export const stackConfigSchema = z
  .object({
    /** The stack's name, for messages that say `--stack <name>`. */
    stack: z.string(),
    /** Only `aws:region` is read from the provider's namespace; other `aws:` keys are its own. */
    aws: z.object({ region: awsRegionField() }),
    [PROJECT]: z.strictObject(projectShape),
  })
  .check(...topLevelRules, restoreFollowsStrategy)
  .transform(assemble);

/** The schema's input: the stack's flat keys (`payments-dr:eks`) grouped by namespace. */
export function configInput(raw: RawConfig, stackName: string): z.input<typeof stackConfigSchema> {
  const project: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (key.startsWith(`${PROJECT}:`)) project[key.slice(PROJECT.length + 1)] = value;
  }
  return { stack: stackName, aws: { region: raw["aws:region"] }, [PROJECT]: project } as z.input<
    typeof stackConfigSchema
  >;
}

/**
 * The cross-field rules: what no single field's schema can say. Each is a zod check that reports a
 * custom issue carrying its message words (`RuleParams`), and runs only once the fields it reads
 * are valid, so it never second-guesses a field that already has its own error.
 *
 * - Rules over top-level keys (role, mode, Regions, primaryStack) run whatever else is wrong and
 *   name their place in the check order (`anchor`, see precedence.ts).
 * - Rules over one section's fields run once that section parsed cleanly, after its fields.
 */
import { z } from "zod";
import { cidrsOverlap } from "./cidr";
import { RuleParams, setHint } from "./errors";
import { PROJECT, projectKey } from "./keys";
import { BackupConfig } from "./sections/backup";
import { EksConfig } from "./sections/eks";
import { GenerationConfig } from "./sections/generation";
import { Mode, Role, Strategy } from "./sections/identity";
import { NetworkConfig } from "./sections/network";
import { WorkloadConfig } from "./sections/workload";
import { RestoreConfig } from "./sections/restore";

/** The default mode of each role: the primary serves, the dr stack waits. */
export function defaultMode(role: Role): Mode {
  return role === "primary" ? "active" : "standby";
}

/** The top-level keys as the rules over them see them: `{ stack, aws, "payments-dr" }`. */
export interface TopLevel {
  readonly stack: string;
  readonly aws: { readonly region: string };
  readonly [PROJECT]: {
    readonly role: Role;
    readonly mode?: Mode;
    readonly strategy: Strategy;
    readonly peerRegion: string;
    /** Whatever was given: which values are allowed depends on the role. */
    readonly primaryStack?: unknown;
    readonly generation: GenerationConfig;
    readonly restore: RestoreConfig;
  };
}

export type Ctx = z.core.$RefinementCtx<unknown>;

export function report(ctx: Ctx, path: string[], input: unknown, params: RuleParams): void {
  ctx.addIssue({ code: "custom", path, input, params: { ...params } });
}

function startsWith(path: readonly PropertyKey[], prefix: readonly string[]): boolean {
  return prefix.every((part, i) => path[i] === part);
}

/** A rule over top-level keys, run when none of the paths it `reads` has an issue. */
export function topLevelRule(reads: readonly string[][], check: (config: TopLevel, ctx: Ctx) => void) {
  return z.superRefine<TopLevel>(check, {
    when: (payload) =>
      !payload.issues.some((issue) => reads.some((read) => startsWith(issue.path ?? [], read))),
  });
}

export const ROLE = [PROJECT, "role"];
export const MODE = [PROJECT, "mode"];
export const REGION = ["aws", "region"];
const PEER_REGION = [PROJECT, "peerRegion"];

/** Only the dr stack has a standby mode. */
const primaryIsActive = topLevelRule([ROLE, MODE], (config, ctx) => {
  const { role, mode = defaultMode(role) } = config[PROJECT];
  if (role !== "primary" || mode === "active") return;
  report(ctx, MODE, mode, {
    expected: "active for the primary stack (only the dr stack has a standby mode)",
    fix: `${setHint(projectKey("mode"), "active")} --stack ${config.stack}`,
    anchor: { key: projectKey("mode"), at: "after" },
  });
});

export const STRATEGY = [PROJECT, "strategy"];

/** The strategy says what the dr Region runs before a failover; the primary always serves. */
const strategyIsDrOnly = topLevelRule([ROLE, STRATEGY], (config, ctx) => {
  const { role, strategy } = config[PROJECT];
  if (role !== "primary" || strategy === "warm-standby") return;
  report(ctx, STRATEGY, strategy, {
    expected: "warm-standby (the default) on the primary stack: the strategy is chosen on the dr stack",
    fix: `Fix: pulumi config rm ${projectKey("strategy")} --stack ${config.stack}, and set it on the dr stack.`,
    anchor: { key: projectKey("strategy"), at: "after" },
  });
});

/** The dr stack exists to survive the loss of the primary's Region, so it cannot share it. */
const regionsDiffer = topLevelRule([ROLE, REGION, PEER_REGION], (config, ctx) => {
  const { role, peerRegion } = config[PROJECT];
  const region = config.aws.region;
  if (region !== peerRegion) return;
  const [own, peer] = role === "dr" ? ["dr", "primary"] : ["primary", "dr"];
  report(ctx, REGION, region, {
    expected:
      `a Region different from the ${peer} Region (${projectKey("peerRegion")} = ${peerRegion}): ` +
      `the ${own} stack exists to survive the loss of the ${peer} Region`,
    fix:
      role === "dr"
        ? "Fix: pulumi config set aws:region us-west-2 --stack dr (any Region other than the primary's)."
        : `Fix: set ${projectKey("peerRegion")} to the dr Region, e.g. us-west-2.`,
    anchor: { key: projectKey("peerRegion"), at: "after" },
  });
});

/** dr reads the primary through a StackReference; the primary never reads another stack. */
const primaryStackFollowsRole = topLevelRule([ROLE], (config, ctx) => {
  const { role, primaryStack } = config[PROJECT];
  const key = projectKey("primaryStack");
  const anchor = { key, at: "before" } as const;
  if (role === "dr" && (primaryStack === undefined || primaryStack === "")) {
    report(ctx, [PROJECT, "primaryStack"], primaryStack, {
      missing: true,
      expected: "the fully-qualified name of the primary stack, <org>/payments-dr/<stack>",
      fix: `The dr stack reads the primary's outputs through a StackReference. ${setHint(key, "my-org/payments-dr/primary")}`,
      anchor,
    });
  } else if (role === "primary" && primaryStack !== undefined) {
    report(ctx, [PROJECT, "primaryStack"], primaryStack, {
      expected: "no value on the primary stack: primary never reads another stack",
      fix: `Fix: pulumi config rm ${key} --stack ${config.stack}`,
      anchor,
    });
  }
});

const GENERATION = [PROJECT, "generation"];
const RDS_INSTANCE_ARN = /^arn:aws[a-z-]*:rds:([a-z0-9-]+):(\d{12}):db:[a-z][a-z0-9-]{0,62}$/;

/**
 * The primary's cache member owns the Global Datastore (a new one would replace it), and only the
 * primary re-seeds from the dr stack's promoted instance, which lives in the peer Region.
 */
const generationFollowsRole = topLevelRule([ROLE, PEER_REGION, GENERATION], (config, ctx) => {
  const { role, peerRegion, generation } = config[PROJECT];
  const key = (field: string) => projectKey(`generation.${field}`);
  if (role === "primary" && generation.cache !== 0) {
    report(ctx, [...GENERATION, "cache"], generation.cache, {
      expected: "0 on the primary stack (it owns the Global Datastore; only dr members get generations)",
      fix: setHint(key("cache"), "0"),
      anchor: { key: projectKey("generation"), at: "after" },
    });
    return;
  }
  const reseed = generation.reseedSourceArn;
  if (reseed === undefined || reseed === "") return;
  if (role !== "primary") {
    report(ctx, [...GENERATION, "reseedSourceArn"], reseed, {
      expected: "no value on the dr stack (dr replicates the primary stack's instance)",
      fix: setHint(key("reseedSourceArn"), "''"),
      anchor: { key: projectKey("generation"), at: "after" },
    });
    return;
  }
  if (RDS_INSTANCE_ARN.exec(reseed)?.[1] !== peerRegion) {
    report(ctx, [...GENERATION, "reseedSourceArn"], reseed, {
      expected: `the ARN of the dr stack's RDS instance in ${peerRegion} (arn:aws:rds:${peerRegion}:<account>:db:<id>)`,
      fix: setHint(key("reseedSourceArn"), `arn:aws:rds:${peerRegion}:111122223333:db:payments-dr-dr`),
      anchor: { key: projectKey("generation"), at: "after" },
    });
  } else if (generation.database === 0) {
    report(ctx, [...GENERATION, "database"], generation.database, {
      expected: "at least 1 with reseedSourceArn: the re-seed is a new instance, never generation 0",
      fix: setHint(key("database"), "1"),
      anchor: { key: projectKey("generation"), at: "after" },
    });
  }
});

export const topLevelRules = [
  primaryIsActive,
  strategyIsDrOnly,
  regionsDiffer,
  primaryStackFollowsRole,
  generationFollowsRole,
];

/**
 * A rule over one section, run once every field of the section is valid (zod would otherwise run
 * it after a range error too: those issues do not abort the object's checks).
 */
function sectionRule<T>(check: (section: T, ctx: Ctx) => void) {
  return z.superRefine<T>(check, { when: (payload) => payload.issues.length === 0 });
}

/** Reports a section rule's issue, which the check order puts after the section's fields. */
function reportInSection(ctx: Ctx, field: string, input: unknown, params: RuleParams): void {
  report(ctx, [field], input, { ...params, sectionRule: true });
}

/** The two Regions' VPCs must be routable to each other. */
export const networkRules = [
  sectionRule<NetworkConfig>((network, ctx) => {
    if (!cidrsOverlap(network.vpcCidr, network.peerVpcCidr)) return;
    const key = projectKey("network.vpcCidr");
    reportInSection(ctx, "vpcCidr", network.vpcCidr, {
      expected: `a block that does not overlap the peer VPC (${network.peerVpcCidr}), so the Regions can be peered or routed`,
      fix: setHint(key, "10.10.0.0/16"),
    });
  }),
];

/** A warm standby runs fewer nodes than an active Region; a failover only raises desired size. */
export const eksRules = [
  sectionRule<EksConfig>((eks, ctx) => {
    if (eks.standbyNodeCount <= eks.activeNodeCount) return;
    const active = projectKey("eks.activeNodeCount");
    reportInSection(ctx, "standbyNodeCount", eks.standbyNodeCount, {
      expected: `at most ${active} (${eks.activeNodeCount}): a warm standby runs fewer nodes than the active Region`,
      fix: `${setHint(projectKey("eks.standbyNodeCount"), String(Math.min(1, eks.activeNodeCount)))}, or raise ${active}.`,
    });
  }),
  sectionRule<EksConfig>((eks, ctx) => {
    if (eks.maxNodeCount >= eks.activeNodeCount) return;
    reportInSection(ctx, "maxNodeCount", eks.maxNodeCount, {
      expected: `at least ${projectKey("eks.activeNodeCount")} (${eks.activeNodeCount}), so a failover only raises the desired size`,
      fix: setHint(projectKey("eks.maxNodeCount"), String(eks.activeNodeCount * 2)),
    });
  }),
];

/** A standby runs fewer pods than an active Region; the autoscaler's ceiling is above both. */
export const workloadRules = [
  sectionRule<WorkloadConfig>((workload, ctx) => {
    if (workload.standbyReplicas <= workload.activeReplicas) return;
    const active = projectKey("workload.activeReplicas");
    reportInSection(ctx, "standbyReplicas", workload.standbyReplicas, {
      expected: `at most ${active} (${workload.activeReplicas}): a warm standby runs fewer pods than the active Region`,
      fix: `${setHint(projectKey("workload.standbyReplicas"), "1")}, or raise ${active}.`,
    });
  }),
  sectionRule<WorkloadConfig>((workload, ctx) => {
    if (workload.maxReplicas >= workload.activeReplicas) return;
    reportInSection(ctx, "maxReplicas", workload.maxReplicas, {
      expected: `at least ${projectKey("workload.activeReplicas")} (${workload.activeReplicas}): the autoscaler's minimum in an active Region`,
      fix: setHint(projectKey("workload.maxReplicas"), String(workload.activeReplicas * 2)),
    });
  }),
];

/** Vault Lock rejects recovery points kept for less or more than its bounds; restore tests look back within them. */
export const backupRules = [
  sectionRule<BackupConfig>((backup, ctx) => {
    const { retentionDays, vaultLockMinRetentionDays: min, vaultLockMaxRetentionDays: max } = backup;
    if (retentionDays >= min && retentionDays <= max) return;
    reportInSection(ctx, "retentionDays", retentionDays, {
      expected:
        `a value between ${projectKey("backup.vaultLockMinRetentionDays")} (${min}) and ` +
        `${projectKey("backup.vaultLockMaxRetentionDays")} (${max}): Vault Lock rejects recovery points outside its bounds`,
      fix: setHint(projectKey("backup.retentionDays"), String(min)),
    });
  }),
  // A window longer than copies are kept selects from days that hold no copy: say so at config time.
  sectionRule<BackupConfig>((backup, ctx) => {
    const { restoreTestSelectionWindowDays: window, retentionDays } = backup;
    if (window <= retentionDays) return;
    reportInSection(ctx, "restoreTestSelectionWindowDays", window, {
      expected:
        `at most ${projectKey("backup.retentionDays")} (${retentionDays}): restore tests choose among the copies ` +
        "kept in the peer Region, and none is older than the retention",
      fix: setHint(projectKey("backup.restoreTestSelectionWindowDays"), String(Math.min(7, retentionDays))),
    });
  }),
];

/** A live generation is never retired; cache generation 0 owns the app user later ones share. */
export const generationRules = [
  sectionRule<GenerationConfig>((generation, ctx) => {
    const retire = (field: "retiredDatabases" | "retiredCaches", current: number, lowest: number) => {
      const list = generation[field];
      const key = projectKey(`generation.${field}`);
      if (list.some((g) => g < lowest)) {
        reportInSection(ctx, field, list, {
          expected: `generations from ${lowest}: cache generation 0 owns the app user the later generations share`,
          fix: setHint(key, "'[1]'"),
        });
      } else if (list.some((g) => g >= current)) {
        reportInSection(ctx, field, list, {
          expected: `earlier generations than the current one (${current}): a live store is never retired`,
          fix: setHint(key, "'[0]'"),
        });
      }
    };
    retire("retiredDatabases", generation.database, 0);
    retire("retiredCaches", generation.cache, 1);
  }),
];

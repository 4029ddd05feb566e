/**
 * `npm run failover -- restore-drill`: restores the latest copied recovery point of each store in
 * the dr Region's copy vault into scratch resources, waits, validates, measures and always cleans up.
 */
import {
  BackupClient,
  DescribeRestoreJobCommand,
  GetRecoveryPointRestoreMetadataCommand,
  ListRecoveryPointsByBackupVaultCommand,
  RecoveryPointByBackupVault,
  StartRestoreJobCommand,
} from "@aws-sdk/client-backup";
import { DeadlineError, withDeadline } from "../aws/deadline";
import { DrillClients, DrillPlacement, STORE_HANDLERS } from "./stores";

export interface DrillOptions {
  readonly backup: BackupClient;
  readonly clients: DrillClients;
  /** The dr Region's vault holding the primary's copies (`<project>-<primary stack>-copies`). */
  readonly vaultName: string;
  /** The role AWS Backup assumes to restore (the dr stack's backup role). */
  readonly restoreRoleArn: string;
  readonly placement: DrillPlacement;
  /** Names every scratch resource: `drill-<drillId>-<type>`. */
  readonly drillId: string;
  /** Deadline for all restores to finish, from the first start. */
  readonly deadlineMs: number;
  readonly pollMs: number;
  /** List and plan only: start, validate and delete nothing. */
  readonly dryRun: boolean;
  readonly log: (line: string) => void;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export type StoreOutcome =
  | "restored" // restored and validated
  | "invalid" // restored, validation failed
  | "failed" // the restore job failed or could not start
  | "timed-out"
  | "skipped"
  | "planned"; // dry run

export interface StoreResult {
  readonly resourceType: string;
  readonly sourceResourceArn?: string;
  readonly recoveryPointArn?: string;
  readonly recoveryPointCreated?: string;
  readonly scratchName?: string;
  readonly restoreJobId?: string;
  readonly createdResourceArn?: string;
  readonly outcome: StoreOutcome;
  readonly detail: string;
  /** Start to COMPLETED, as AWS Backup reports it (else as polled). */
  readonly restoreSeconds?: number;
  /** "deleted", "nothing to delete", or the exact command to delete by hand. */
  readonly cleanup?: string;
}

export interface DrillReport {
  readonly drillId: string;
  readonly vaultName: string;
  readonly region: string;
  readonly dryRun: boolean;
  readonly stores: readonly StoreResult[];
  /** Commands to run for what the drill could not delete. */
  readonly leftovers: readonly string[];
  readonly passed: boolean;
}

/** Latest COMPLETED recovery point per resource type in the vault. */
export async function latestRecoveryPoints(
  backup: BackupClient,
  vaultName: string,
): Promise<Map<string, RecoveryPointByBackupVault>> {
  const latest = new Map<string, RecoveryPointByBackupVault>();
  let token: string | undefined;
  do {
    const page = await backup.send(
      new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: vaultName, NextToken: token }),
    );
    for (const point of page.RecoveryPoints ?? []) {
      if (point.Status !== "COMPLETED" || !point.ResourceType) continue;
      const current = latest.get(point.ResourceType);
      if (!current || (point.CreationDate?.getTime() ?? 0) > (current.CreationDate?.getTime() ?? 0)) {
        latest.set(point.ResourceType, point);
      }
    }
    token = page.NextToken;
  } while (token);
  return latest;
}

/** Scratch name of a drilled store: lower-case, valid for a bucket, table and DB identifier. */
export function scratchName(drillId: string, resourceType: string): string {
  return `drill-${drillId}-${resourceType}`.toLowerCase().replace(/[^a-z0-9-]/g, "-");
}

export async function runRestoreDrill(o: DrillOptions): Promise<DrillReport> {
  const now = o.now ?? Date.now;
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const points = await latestRecoveryPoints(o.backup, o.vaultName);
  if (points.size === 0)
    o.log(`No completed recovery point in vault ${o.vaultName} (${o.placement.region}).`);
  const started: { result: StoreResult; startedAt: number }[] = [];
  const results: StoreResult[] = [];

  for (const [type, point] of [...points].sort(([a], [b]) => a.localeCompare(b))) {
    const base = {
      resourceType: type,
      sourceResourceArn: point.ResourceArn,
      recoveryPointArn: point.RecoveryPointArn,
      recoveryPointCreated: point.CreationDate?.toISOString(),
    };
    const handler = STORE_HANDLERS[type];
    if (!handler) {
      results.push({
        ...base,
        outcome: "skipped",
        detail: `${type} is not drilled here (AWS Backup restore testing covers it)`,
      });
      continue;
    }
    const scratch = scratchName(o.drillId, type);
    const overrides = handler.overrides(scratch, o.placement);
    if (typeof overrides === "string") {
      results.push({ ...base, scratchName: scratch, outcome: "skipped", detail: overrides });
      continue;
    }
    if (o.dryRun) {
      results.push({
        ...base,
        scratchName: scratch,
        outcome: "planned",
        detail: `would restore as ${scratch}`,
      });
      continue;
    }
    try {
      const meta = await o.backup.send(
        new GetRecoveryPointRestoreMetadataCommand({
          BackupVaultName: o.vaultName,
          RecoveryPointArn: point.RecoveryPointArn,
        }),
      );
      const job = await o.backup.send(
        new StartRestoreJobCommand({
          RecoveryPointArn: point.RecoveryPointArn,
          IamRoleArn: o.restoreRoleArn,
          ResourceType: type,
          IdempotencyToken: scratch,
          Metadata: { ...(meta.RestoreMetadata ?? {}), ...overrides },
        }),
      );
      o.log(`${type}: restore job ${job.RestoreJobId} started into ${scratch}`);
      started.push({
        result: {
          ...base,
          scratchName: scratch,
          restoreJobId: job.RestoreJobId,
          outcome: "failed",
          detail: "",
        },
        startedAt: now(),
      });
    } catch (error) {
      results.push({
        ...base,
        scratchName: scratch,
        outcome: "failed",
        detail: `could not start: ${message(error)}`,
      });
    }
  }

  const finished = await waitAll(o, started, now, sleep);
  for (const r of finished) results.push(await validateAndClean(o, r));
  results.sort((a, b) => a.resourceType.localeCompare(b.resourceType));
  const leftovers = results.flatMap((r) => (r.cleanup && r.cleanup.startsWith("aws ") ? [r.cleanup] : []));
  return {
    drillId: o.drillId,
    vaultName: o.vaultName,
    region: o.placement.region,
    dryRun: o.dryRun,
    stores: results,
    leftovers,
    passed:
      !results.some((r) => ["invalid", "failed", "timed-out"].includes(r.outcome)) && leftovers.length === 0,
  };
}

/** Polls every started job until it ends or the deadline passes; one progress line per change. */
async function waitAll(
  o: DrillOptions,
  jobs: { result: StoreResult; startedAt: number }[],
  now: () => number,
  sleep: (ms: number) => Promise<void>,
): Promise<StoreResult[]> {
  const done = new Map<string, StoreResult>();
  const seen = new Map<string, string>();
  const poll = async (signal: AbortSignal) => {
    while (done.size < jobs.length) {
      for (const { result, startedAt } of jobs) {
        const id = result.restoreJobId as string;
        if (done.has(id)) continue;
        signal.throwIfAborted();
        const job = await o.backup.send(new DescribeRestoreJobCommand({ RestoreJobId: id }), {
          abortSignal: signal,
        });
        const line = `${job.Status}${job.PercentDone ? ` ${job.PercentDone}` : ""}`;
        if (seen.get(id) !== line) o.log(`${result.resourceType}: ${id} ${line}`);
        seen.set(id, line);
        if (job.Status === "COMPLETED") {
          const seconds =
            job.CompletionDate && job.CreationDate
              ? (job.CompletionDate.getTime() - job.CreationDate.getTime()) / 1000
              : (now() - startedAt) / 1000;
          done.set(id, {
            ...result,
            outcome: "restored",
            createdResourceArn: job.CreatedResourceArn,
            restoreSeconds: seconds,
            detail: "",
          });
        } else if (job.Status === "FAILED" || job.Status === "ABORTED") {
          done.set(id, {
            ...result,
            outcome: "failed",
            createdResourceArn: job.CreatedResourceArn,
            detail: `restore job ${job.Status}: ${job.StatusMessage ?? "no message"}`,
          });
        }
      }
      if (done.size < jobs.length) await sleep(o.pollMs);
    }
  };
  if (jobs.length) {
    try {
      await withDeadline(o.deadlineMs, undefined, "restore drill", poll);
    } catch (error) {
      if (!(error instanceof DeadlineError)) throw error;
      o.log(
        `Deadline of ${o.deadlineMs / 1000} s passed with ${jobs.length - done.size} restore(s) unfinished.`,
      );
    }
  }
  return jobs.map(
    ({ result }) =>
      done.get(result.restoreJobId as string) ?? {
        ...result,
        outcome: "timed-out",
        detail: `no result within ${o.deadlineMs / 1000} s (--deadline-minutes); AWS Backup cannot stop a restore job`,
      },
  );
}

async function validateAndClean(o: DrillOptions, r: StoreResult): Promise<StoreResult> {
  const handler = STORE_HANDLERS[r.resourceType];
  let result = r;
  if (r.outcome === "restored" && r.createdResourceArn) {
    try {
      const check = await handler.validate(o.clients, r.createdResourceArn);
      result = { ...r, outcome: check.ok ? "restored" : "invalid", detail: check.detail };
    } catch (error) {
      result = { ...r, outcome: "invalid", detail: `validation failed: ${message(error)}` };
    }
  }
  if (r.outcome === "timed-out") {
    const find = `aws backup describe-restore-job --region ${o.placement.region} --restore-job-id ${r.restoreJobId}`;
    return { ...result, cleanup: `${find} # then delete its CreatedResourceArn` };
  }
  if (!result.createdResourceArn) return { ...result, cleanup: "nothing to delete" };
  try {
    await handler.remove(o.clients, result.createdResourceArn);
    o.log(`${r.resourceType}: deleted ${result.createdResourceArn}`);
    return { ...result, cleanup: "deleted" };
  } catch (error) {
    o.log(`${r.resourceType}: could not delete ${result.createdResourceArn}: ${message(error)}`);
    return { ...result, cleanup: handler.deleteCommand(result.createdResourceArn, o.placement.region) };
  }
}

function message(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

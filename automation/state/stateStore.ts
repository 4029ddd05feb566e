/**
 * The failover lock and run progress, in the dr stack's failover-state DynamoDB table (dr Region).
 *
 * Items share `pk = "failover#<stack>"`: `sk = "lock"` is the lock (owner, run id, expiry; taken
 * and released with conditional writes so two runs cannot race), and `sk = "run#<runId>"` is one
 * run's progress (every step's outcome and timing, the forced checks, the final report). Run ids
 * start with a UTC timestamp, so the newest run is the first item of a descending query. Progress
 * writes are conditional on a version number: a second writer of the same run fails instead of
 * silently overwriting.
 */
import {
  AttributeValue,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { awsCall, RetryPolicy } from "../aws/awsCall";
import { FailoverError, LockLostError } from "../errors";
import { RtoPoint, rtoAttributes, rtoPoint, rtoTrendQuery } from "./rtoHistory";

/** `superseded`: an unfinished run too old to resume, closed when a newer run started (resumePolicy.ts). */
export type RunStatus = "running" | "failed" | "succeeded" | "superseded";

export interface LockInfo {
  readonly runId: string;
  readonly owner: string;
  readonly acquiredAt: string;
  /** Epoch seconds. */
  readonly expiresAt: number;
}

export interface StepRecord {
  readonly status: "succeeded" | "failed";
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly durationMs: number;
  readonly detail?: string;
  readonly error?: string;
}

export interface RunRecord {
  readonly runId: string;
  readonly kind: "failover" | "failback";
  readonly status: RunStatus;
  readonly startedAt: string;
  readonly updatedAt: string;
  /** Optimistic-concurrency counter; each save requires the stored value to match. */
  readonly version: number;
  readonly steps: Readonly<Record<string, StepRecord>>;
  readonly forced: readonly string[];
  readonly report?: unknown;
  /** The run that closed this one (status `superseded`). */
  readonly supersededBy?: string;
}

type Item = Record<string, AttributeValue>;

const s = (value: string): AttributeValue => ({ S: value });
const n = (value: number): AttributeValue => ({ N: String(value) });

function lockFrom(item: Item | undefined): LockInfo | undefined {
  if (!item) return undefined;
  return {
    runId: item.runId?.S ?? "",
    owner: item.owner?.S ?? "",
    acquiredAt: item.acquiredAt?.S ?? "",
    expiresAt: Number(item.expiresAt?.N ?? 0),
  };
}

function runFrom(item: Item): RunRecord {
  return {
    runId: item.runId?.S ?? "",
    kind: (item.kind?.S ?? "failover") as RunRecord["kind"],
    status: (item.status?.S ?? "running") as RunStatus,
    startedAt: item.startedAt?.S ?? "",
    updatedAt: item.updatedAt?.S ?? "",
    version: Number(item.version?.N ?? 0),
    steps: JSON.parse(item.steps?.S ?? "{}") as Record<string, StepRecord>,
    forced: JSON.parse(item.forced?.S ?? "[]") as string[],
    report: item.report?.S ? (JSON.parse(item.report.S) as unknown) : undefined,
    ...(item.supersededBy?.S ? { supersededBy: item.supersededBy.S } : {}),
  };
}

export interface StateStoreOptions {
  readonly now?: () => Date;
  readonly retry?: RetryPolicy;
  /** `failover` or `failback`: separate lock and progress per kind. @default "failover" */
  readonly kind?: RunRecord["kind"];
}

export class StateStore {
  readonly pk: string;
  private readonly now: () => Date;
  private readonly kind: RunRecord["kind"];

  constructor(
    private readonly client: DynamoDBClient,
    readonly tableName: string,
    readonly stackName: string,
    private readonly options: StateStoreOptions = {},
  ) {
    this.kind = options.kind ?? "failover";
    this.pk = `${this.kind}#${stackName}`;
    this.now = options.now ?? (() => new Date());
  }

  private call<T>(action: string, fn: () => Promise<T>): Promise<T> {
    return awsCall(action, fn, this.options.retry);
  }

  async readLock(): Promise<LockInfo | undefined> {
    const result = await this.call("dynamodb:GetItem", () =>
      this.client.send(
        new GetItemCommand({
          TableName: this.tableName,
          Key: { pk: s(this.pk), sk: s("lock") },
          ConsistentRead: true,
        }),
      ),
    );
    return lockFrom(result.Item);
  }

  /**
   * Takes the lock. Without `takeOver` it must be free; with it, it must still be exactly that
   * (expired) lock, so two operators forcing at once cannot both win.
   */
  async acquireLock(runId: string, owner: string, ttlSeconds: number, takeOver?: LockInfo): Promise<void> {
    const nowSeconds = Math.floor(this.now().getTime() / 1000);
    const condition = takeOver
      ? {
          expr: "runId = :oldRun AND expiresAt = :oldExpiry",
          values: { ":oldRun": s(takeOver.runId), ":oldExpiry": n(takeOver.expiresAt) },
        }
      : { expr: "attribute_not_exists(pk)", values: undefined };
    try {
      await this.call("dynamodb:PutItem", () =>
        this.client.send(
          new PutItemCommand({
            TableName: this.tableName,
            Item: {
              pk: s(this.pk),
              sk: s("lock"),
              runId: s(runId),
              owner: s(owner),
              acquiredAt: s(this.now().toISOString()),
              expiresAt: n(nowSeconds + ttlSeconds),
            },
            ConditionExpression: condition.expr,
            ExpressionAttributeValues: condition.values,
          }),
        ),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const holder = await this.readLock();
      throw new FailoverError(
        `Another ${this.kind} holds the lock on ${this.stackName}: run ${holder?.runId ?? "?"} by ${holder?.owner ?? "?"}` +
          ` since ${holder?.acquiredAt ?? "?"}. Wait for it to finish (npm run failover -- --to dr shows its progress when rerun).`,
        false,
      );
    }
  }

  /**
   * Extends the lock while a long step (the stack update) runs; doubles as the ownership check
   * before each step. Throws LockLostError when another run holds it (or it is gone).
   */
  async renewLock(runId: string, ttlSeconds: number): Promise<void> {
    const nowSeconds = Math.floor(this.now().getTime() / 1000);
    try {
      await this.renew(runId, nowSeconds + ttlSeconds);
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const holder = await this.readLock().catch(() => undefined);
      throw new LockLostError(
        `Run ${runId} lost the ${this.kind} lock on ${this.stackName}: ` +
          (holder
            ? `run ${holder.runId} by ${holder.owner} took it at ${holder.acquiredAt}`
            : "the lock item is gone") +
          ". Running steps were stopped and no new step started. Check that run's progress; once it has finished " +
          "(or if it is dead and its lock expired), rerun the same command to resume this one.",
      );
    }
  }

  private async renew(runId: string, expiresAt: number): Promise<void> {
    await this.call("dynamodb:UpdateItem", () =>
      this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: { pk: s(this.pk), sk: s("lock") },
          UpdateExpression: "SET expiresAt = :expiry",
          ConditionExpression: "runId = :run",
          ExpressionAttributeValues: { ":expiry": n(expiresAt), ":run": s(runId) },
        }),
      ),
    );
  }

  /** Releases our own lock; a lock another run has since taken is left alone. */
  async releaseLock(runId: string): Promise<void> {
    try {
      await this.call("dynamodb:DeleteItem", () =>
        this.client.send(
          new DeleteItemCommand({
            TableName: this.tableName,
            Key: { pk: s(this.pk), sk: s("lock") },
            ConditionExpression: "runId = :run",
            ExpressionAttributeValues: { ":run": s(runId) },
          }),
        ),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async latestRun(): Promise<RunRecord | undefined> {
    const result = await this.call("dynamodb:Query", () =>
      this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: "pk = :pk AND begins_with(sk, :run)",
          ExpressionAttributeValues: { ":pk": s(this.pk), ":run": s("run#") },
          ScanIndexForward: false,
          Limit: 1,
          ConsistentRead: true,
        }),
      ),
    );
    const item = result.Items?.[0];
    return item ? runFrom(item) : undefined;
  }

  /** The newest `limit` runs' measured RTO (rtoHistory.ts). */
  async rtoTrend(limit: number): Promise<RtoPoint[]> {
    const result = await this.call("dynamodb:Query", () =>
      this.client.send(new QueryCommand(rtoTrendQuery(this.tableName, this.pk, limit))),
    );
    return (result.Items ?? []).map(rtoPoint);
  }

  /** Writes a run record; `version` 0 creates it, otherwise the stored version must match. */
  async saveRun(record: Omit<RunRecord, "updatedAt" | "version"> & { version: number }): Promise<RunRecord> {
    const saved: RunRecord = { ...record, version: record.version + 1, updatedAt: this.now().toISOString() };
    const item: Item = {
      pk: s(this.pk),
      sk: s(`run#${saved.runId}`),
      runId: s(saved.runId),
      kind: s(saved.kind),
      status: s(saved.status),
      startedAt: s(saved.startedAt),
      updatedAt: s(saved.updatedAt),
      version: n(saved.version),
      steps: s(JSON.stringify(saved.steps)),
      forced: s(JSON.stringify(saved.forced)),
      ...(saved.report !== undefined ? { report: s(JSON.stringify(saved.report)) } : {}),
      ...(saved.supersededBy !== undefined ? { supersededBy: s(saved.supersededBy) } : {}),
      ...rtoAttributes(saved.report),
    };
    try {
      await this.call("dynamodb:PutItem", () =>
        this.client.send(
          new PutItemCommand({
            TableName: this.tableName,
            Item: item,
            ConditionExpression: record.version === 0 ? "attribute_not_exists(pk)" : "version = :version",
            ExpressionAttributeValues: record.version === 0 ? undefined : { ":version": n(record.version) },
          }),
        ),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      throw new FailoverError(
        `The progress record of run ${record.runId} changed under this run (expected version ${record.version}): ` +
          "another controller is writing it. Stop the other run, then rerun to resume.",
        false,
      );
    }
    return saved;
  }
}

/**
 * The top-level rule over `payments-dr:restore` (sections/restore.ts): only a backup-restore dr
 * stack restores, only copies in its own Region, and it turns active only with them named.
 */
import { setHint } from "./errors";
import { PROJECT, projectKey } from "./keys";
import { defaultMode, MODE, REGION, report, ROLE, STRATEGY, topLevelRule } from "./rules";
import { RDS_SNAPSHOT_ARN, RestoreConfig } from "./sections/restore";

const RESTORE = [PROJECT, "restore"];

/**
 * Copies are restored only by a backup-restore dr stack, only from its own Region, and such a stack
 * turns active only with both copies named: `up` would otherwise create empty stores.
 */
export const restoreFollowsStrategy = topLevelRule([ROLE, MODE, STRATEGY, REGION, RESTORE], (config, ctx) => {
  const { role, strategy, restore } = config[PROJECT];
  const mode = config[PROJECT].mode ?? defaultMode(role);
  const region = config.aws.region;
  const key = (field: string) => projectKey(`restore.${field}`);
  const anchor = { key: projectKey("restore"), at: "after" } as const;
  const given = (Object.keys(restore) as (keyof RestoreConfig)[]).filter((f) => restore[f] !== undefined);
  if (role !== "dr" || strategy !== "backup-restore") {
    for (const field of given) {
      report(ctx, [...RESTORE, field], restore[field], {
        expected: `no value: only a dr stack with ${projectKey("strategy")} backup-restore restores its stores (this stack ${role === "dr" ? `runs ${strategy}` : "is the primary"})`,
        fix: `Fix: pulumi config rm --path ${key(field)} --stack ${config.stack}`,
        anchor,
      });
    }
    return;
  }
  const database = restore.database;
  const databaseRegion = database === undefined ? undefined : RDS_SNAPSHOT_ARN.exec(database)?.[1];
  if (database !== undefined && databaseRegion !== region) {
    report(ctx, [...RESTORE, "database"], database, {
      expected: `an RDS snapshot in the dr stack's Region ${region} (a copy in ${databaseRegion} cannot be restored here)`,
      fix: setHint(key("database"), `arn:aws:rds:${region}:111122223333:snapshot:awsbackup:job-0123abcd`),
      anchor,
    });
  }
  if (mode !== "active") return;
  for (const field of ["database", "cache"] as const) {
    if (restore[field] !== undefined) continue;
    report(ctx, [...RESTORE, field], undefined, {
      missing: true,
      expected:
        field === "database"
          ? `the RDS snapshot in ${region} to restore from: a backup-restore stack creates its database from a copy when it turns active`
          : "the exported cache snapshot (.rdb) in the primary's cache snapshot replica bucket: a backup-restore stack seeds its cache from it when it turns active",
      fix:
        "Fix: npm run failover -- --to dr finds the latest copy and sets it; by hand: " +
        `pulumi config set --path ${key(field)} ${
          field === "database"
            ? `arn:aws:rds:${region}:111122223333:snapshot:awsbackup:job-0123abcd`
            : "arn:aws:s3:::<bucket>/<key>.rdb"
        }`,
      anchor,
    });
  }
});

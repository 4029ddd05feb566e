/**
 * The failback steps, in dependency order. Their ids are part of the progress records in the state
 * table (`failback#<stack>`): a renamed step would run again on resume, so change them with care.
 *
 *   primary-region-answers ─┬─ reseed-database ─┐
 *                           └─ reseed-search ───┴─ wait-in-sync ── stop-writes ── drain ─┐
 *        ┌─────────────────────────────────────────────────────────────────────────────────┘
 *        ├─ promote-database ─┐
 *        ├─ promote-search ───┼─ restore-dns ── return-dr-to-standby
 *        └─ cache-switch-back ┘
 *
 * Re-seeding copies the active (dr) Region's data back to the primary Region into NEW stores (a
 * new database generation; the cache's primary member already follows dr after a graceful
 * failover; OpenSearch replication runs primary <- dr). The switchover is planned and loses no
 * data: writes stop at the database (read-only), replication drains, the primary Region's copies
 * are promoted and DNS returns to primary. dr then becomes a standby again with new replicas; the
 * instance it promoted is kept until an operator retires it (stacks/generation.ts).
 */
import { StepPlan } from "../steps/steps";

export type FailbackStepPlan = StepPlan;

export const FAILBACK_PLAN: readonly FailbackStepPlan[] = [
  {
    id: "primary-region-answers",
    title:
      "The primary Region answers: its ElastiCache API lists the primary group as a Global Datastore member, its stack's outputs are readable",
    dependsOn: [],
  },
  {
    id: "reseed-database",
    title:
      "Primary stack: a new database generation created as a cross-Region read replica of dr's promoted instance (config generation.*, up)",
    dependsOn: ["primary-region-answers"],
  },
  {
    id: "reseed-search",
    title:
      "OpenSearch replication reversed: connection primary -> dr, stale primary indices snapshotted and removed, autofollow rule on the primary domain",
    dependsOn: ["primary-region-answers"],
  },
  {
    id: "wait-in-sync",
    title:
      "Wait until the new primary replica's ReplicaLag, the primary cache member's Global Datastore lag and the search followers are within bounds",
    dependsOn: ["reseed-database", "reseed-search"],
  },
  {
    id: "stop-writes",
    title: "Stop writes at the lever: dr's database parameter group sets default_transaction_read_only = 1",
    dependsOn: ["wait-in-sync"],
  },
  {
    id: "drain",
    title:
      "Drain: ReplicaLag 0 on a datapoint after the freeze, every search follower at its leader's checkpoint",
    dependsOn: ["stop-writes"],
  },
  {
    id: "promote-database",
    title: "Primary stack: remove generation.reseedSourceArn and up (the replica is promoted in place)",
    dependsOn: ["drain"],
  },
  {
    id: "promote-search",
    title: "Stop the reversed replication on the primary domain (autofollow rule and follower indices)",
    dependsOn: ["drain"],
  },
  {
    id: "cache-switch-back",
    title: "Graceful Global Datastore failover back to the primary Region's group; wait until it is primary",
    dependsOn: ["drain"],
  },
  {
    id: "restore-dns",
    title: "Put primary back in DNS: un-invert the primary's control health check",
    dependsOn: ["promote-database", "promote-search", "cache-switch-back"],
  },
  {
    id: "return-dr-to-standby",
    title:
      "dr stack: mode standby with a new database generation (and a new cache member if the old one was detached), up; dr's search follows primary again",
    dependsOn: ["restore-dns"],
  },
];

import * as assert from "assert";
import {
  ACTIVE_OVERRIDE,
  BACKUP_RESTORE_NOTE,
  dryRunFrom,
  restorePlaceholders,
  resourceViolations,
} from "../../automation/dry-run/dryRun";
import { renderTestStack } from "../helpers/stacks";

const strategy = (s: string) => `payments-dr:strategy=${s}`;
const name = (urn: string) => urn.split("::").pop();

describe("failover dry run per dr strategy", () => {
  it("pilot-light: promotes the replica and scales the node group from 0, replacing and deleting nothing", async function () {
    this.timeout(60_000);
    const result = dryRunFrom(
      "dr",
      await renderTestStack("dr", [strategy("pilot-light")]),
      await renderTestStack("dr", [strategy("pilot-light"), ACTIVE_OVERRIDE]),
      "pilot-light",
    );
    assert.deepStrictEqual(
      result.diff.updated.map((u) => `${name(u.urn)}: ${u.paths.join(", ")}`),
      [
        "database-instance: replicateSourceDb",
        "eks-nodes: scalingConfig.desiredSize",
        "payments-deployment: spec.replicas",
        "payments-hpa: spec.minReplicas",
      ],
    );
    assert.deepStrictEqual(
      [result.diff.replaced, result.diff.deleted, result.dataStoreViolations, result.resourceViolations],
      [[], [], [], []],
    );
  });

  it("backup-restore: creates every store from its copy and replaces or deletes nothing", async function () {
    this.timeout(60_000);
    const result = dryRunFrom(
      "dr",
      await renderTestStack("dr", [strategy("backup-restore")]),
      await renderTestStack("dr", [
        strategy("backup-restore"),
        ACTIVE_OVERRIDE,
        ...restorePlaceholders("us-west-2"),
      ]),
      "backup-restore",
    );
    assert.deepStrictEqual(
      result.diff.updated.map((u) => `${name(u.urn)}: ${u.paths.join(", ")}`),
      ["eks-nodes: scalingConfig.desiredSize"],
    );
    assert.deepStrictEqual(
      [result.diff.replaced, result.diff.deleted, result.resourceViolations],
      [[], [], []],
    );
    const createdStores = result.diff.created.filter((c) => c.dataStore).map((c) => name(c.urn));
    assert.deepStrictEqual(createdStores.sort(), [
      "cache-replication-group",
      "database-instance",
      "ingest-dlq",
      "ingest-queue",
      "search-domain",
      "warehouse-cluster",
    ]);
    assert.deepStrictEqual(result.configChanges["payments-dr:restore"], {
      from: undefined,
      to: {
        database: "arn:aws:rds:us-west-2:111122223333:snapshot:awsbackup:job-dry-run",
        cache: "arn:aws:s3:::dry-run-cache-snapshots-replica/dry-run.rdb",
      },
    });
    assert.deepStrictEqual(result.notes, [BACKUP_RESTORE_NOTE]);
    assert.deepStrictEqual(
      result.steps.map((s) => s.id),
      [
        "find-restore-points",
        "dns-lever",
        "set-restore-config",
        "stack-activate",
        "verify",
        "stack-reconcile",
      ],
    );
  });

  it("reports a replaced or deleted resource that is not a data store", () => {
    const diff = {
      updated: [],
      created: [],
      replaced: [
        {
          urn: "urn:a",
          type: "aws:ec2/securityGroup:SecurityGroup",
          paths: ["vpcId"],
          reason: "vpcId",
          dataStore: false,
        },
      ],
      deleted: [{ urn: "urn:b", type: "aws:sns/topic:Topic", dataStore: false }],
    };
    assert.deepStrictEqual(resourceViolations(diff), [
      "urn:a would be REPLACED: vpcId",
      "urn:b would be DELETED: it is absent from the active rendering",
    ]);
  });
});

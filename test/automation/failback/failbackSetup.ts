/** The failed-over world every failback spec starts from (dr active, the primary Region back). */
import * as assert from "assert";
import {
  DescribeGlobalReplicationGroupsCommand,
  FailoverGlobalReplicationGroupCommand,
} from "@aws-sdk/client-elasticache";
import { DescribeDBInstancesCommand, ModifyDBParameterGroupCommand } from "@aws-sdk/client-rds";
import { ClientRegions } from "../../../automation/aws/clients";
import { FailbackOptions } from "../../../automation/failback/failback";
import { DR_OUTPUTS_ACTIVE } from "../fakes";
import { harness } from "../harness";
import { fakeFailbackAws, fakeStacks, searchDomain } from "./fakeFailback";

export const primaryMembers = (primaryRole: "PRIMARY" | "SECONDARY") => ({
  GlobalReplicationGroups: [
    {
      GlobalReplicationGroupId: "ldgnf-payments-cache",
      Members: [
        {
          ReplicationGroupId: "payments-cache-primary",
          ReplicationGroupRegion: "us-east-1",
          Role: primaryRole,
        },
        {
          ReplicationGroupId: "payments-cache-dr",
          ReplicationGroupRegion: "us-west-2",
          Role: primaryRole === "PRIMARY" ? "SECONDARY" : "PRIMARY",
        },
      ],
    },
  ],
});

/** A failed-over world: dr active, the primary Region back, its cache group a Global Datastore secondary. */
export function setup() {
  const h = harness();
  h.pulumi.outputs = DR_OUTPUTS_ACTIVE;
  const stacks = fakeStacks((outputs) => (h.pulumi.outputs = outputs));
  const fb = fakeFailbackAws(() => new Date(Date.now() + 60_000));
  let switched = false;
  h.aws.primaryCache
    .on(DescribeGlobalReplicationGroupsCommand)
    .callsFake(() => primaryMembers(switched ? "PRIMARY" : "SECONDARY"));
  h.aws.primaryCache.on(FailoverGlobalReplicationGroupCommand).callsFake(() => {
    switched = true;
    return {};
  });
  h.aws.rds.on(DescribeDBInstancesCommand).resolves({
    DBInstances: [
      {
        DBInstanceIdentifier: "payments-db-dr",
        DBInstanceStatus: "available",
        DBParameterGroups: [
          { DBParameterGroupName: "database-parameters-5d1e2f0", ParameterApplyStatus: "in-sync" },
        ],
      },
    ],
  });
  h.aws.rds
    .on(ModifyDBParameterGroupCommand)
    .resolves({ DBParameterGroupName: "database-parameters-5d1e2f0" });
  h.aws.searchHandler = searchDomain(["payments", "refunds"], []);
  const options: FailbackOptions = {
    ...h.options(),
    stacks: { primary: stacks.primary, dr: stacks.dr },
    failbackClientFactory: (regions: ClientRegions) => {
      assert.deepStrictEqual(regions, { drRegion: "us-west-2", primaryRegion: "us-east-1" });
      return fb.clients;
    },
  };
  return { h, stacks, fb, options };
}

import * as assert from "assert";
import { DescribeDBInstancesCommand } from "@aws-sdk/client-rds";
import { runFailover } from "../../automation/run/controller";
import { abortableSleep } from "../../automation/steps/steps";
import { DR_CONFIG, harness } from "./harness";

const verifyOf = (report: {
  steps: readonly { id: string; status: string; detail?: string; error?: string }[];
}) => report.steps.find((s) => s.id === "verify");

describe("failover verify reads the real dr resources", () => {
  it("asks RDS and EKS in the dr Region about the promoted instance and the scaled node group", async () => {
    const h = harness();
    const report = await runFailover(h.options());
    assert.strictEqual(report.status, "succeeded", report.error);
    assert.deepStrictEqual(
      h.aws.rds.commandCalls(DescribeDBInstancesCommand).map((c) => c.args[0].input),
      [{ DBInstanceIdentifier: "payments-db-dr" }],
    );
    assert.strictEqual(await h.aws.clients.rds.config.region(), "us-west-2");
    assert.deepStrictEqual(h.aws.nodegroupRequests, [["payments-dr-eks", "payments-dr-nodes"]]);
    assert.match(
      verifyOf(report)?.detail ?? "",
      /^RDS payments-db-dr standalone and available; node group payments-dr-nodes ACTIVE at 3 nodes; cache primary;/,
    );
  });

  it("keeps polling while the outputs say promoted but RDS is still a replica", async () => {
    const h = harness();
    h.aws.rds
      .on(DescribeDBInstancesCommand)
      .resolvesOnce({
        DBInstances: [
          {
            DBInstanceIdentifier: "payments-db-dr",
            DBInstanceStatus: "modifying",
            ReadReplicaSourceDBInstanceIdentifier:
              "arn:aws:rds:us-east-1:111122223333:db:payments-db-primary",
          },
        ],
      })
      .resolves({ DBInstances: [{ DBInstanceIdentifier: "payments-db-dr", DBInstanceStatus: "available" }] });
    const report = await runFailover(h.options());
    assert.strictEqual(report.status, "succeeded", report.error);
    assert.ok(
      h.lines.some((l) =>
        l.includes(
          "attempt 1: RDS payments-db-dr is still a read replica of arn:aws:rds:us-east-1:111122223333:db:payments-db-primary; RDS payments-db-dr status is modifying, not available",
        ),
      ),
      h.lines.join("\n"),
    );
    assert.strictEqual(h.aws.rds.commandCalls(DescribeDBInstancesCommand).length, 2);
  });

  it("fails the step when the node group never reaches the active size", async () => {
    const h = harness();
    h.aws.nodegroup = {
      status: "UPDATING",
      desiredSize: 1,
      minSize: 1,
      maxSize: 6,
      healthIssues: ["AsgInstanceLaunchFailures: InsufficientInstanceCapacity"],
    };
    const config = { ...DR_CONFIG, failover: { ...DR_CONFIG.failover, stepTimeoutSeconds: 1 } };
    const report = await runFailover(
      h.options({ config, pollSleep: (_ms, signal) => abortableSleep(50, signal) }),
    );
    assert.strictEqual(report.status, "failed");
    assert.match(verifyOf(report)?.error ?? "", /^Step verify did not finish within 1 s/);
    assert.ok(
      h.lines.some((l) =>
        l.includes(
          "EKS node group payments-dr-nodes (cluster payments-dr-eks) desired size is 1, expected 3; " +
            "EKS node group payments-dr-nodes (cluster payments-dr-eks) status is UPDATING, not ACTIVE; " +
            "EKS node group payments-dr-nodes (cluster payments-dr-eks) health issues: AsgInstanceLaunchFailures: InsufficientInstanceCapacity",
        ),
      ),
      h.lines.join("\n"),
    );
  });

  it("fails at once, naming the action, when the role may not describe the node group", async () => {
    const h = harness();
    h.aws.nodegroup = () => {
      throw Object.assign(
        new Error(
          "User: arn:aws:sts::111122223333:assumed-role/payments-dr-failover-runner/codebuild is not authorized to perform: eks:DescribeNodegroup",
        ),
        { name: "AccessDeniedException", $metadata: { httpStatusCode: 403 } },
      );
    };
    const report = await runFailover(h.options());
    assert.strictEqual(report.status, "failed");
    assert.match(
      verifyOf(report)?.error ?? "",
      /^Access denied calling eks:DescribeNodegroup as arn:aws:sts::111122223333:assumed-role\/payments-dr-failover-runner\/codebuild\./,
    );
    assert.strictEqual(h.aws.nodegroupRequests.length, 1);
  });
});

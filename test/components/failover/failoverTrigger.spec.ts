import * as assert from "assert";
import { validateFailoverTriggerArgs } from "../../../components/failover/failoverTrigger";
import { runnerBuildspec } from "../../../components/failover/failoverRunner";
import { RenderedResource, RenderedStack } from "../../../tools/render/render";
import { find, findAll, renderTestStack } from "../../helpers/stacks";

const RUNNER_SOURCE_REPLICA = "failover-trigger-runner-source-replica-";
const AUTOMATIC = [
  "payments-dr:failover.mode=automatic",
  "payments-dr:failover.operatorEmail=sre-oncall@example.com",
];

/** Resources under a component (any depth), by the component's URN suffix. */
function under(stack: RenderedStack, componentType: string): RenderedResource[] {
  const roots = stack.resources.filter((r) => r.type === componentType).map((r) => r.urn);
  const inside = new Set(roots);
  let grew = true;
  while (grew) {
    grew = false;
    for (const r of stack.resources) {
      if (r.parent && inside.has(r.parent) && !inside.has(r.urn)) {
        inside.add(r.urn);
        grew = true;
      }
    }
  }
  return stack.resources.filter((r) => inside.has(r.urn) && r.custom);
}

function keys(stack: RenderedStack): Record<string, string> {
  return stack.outputs.keys as Record<string, string>;
}

describe("failover trigger", function () {
  // Renders whole stacks under the mock runtime.
  this.timeout(300_000);
  it("exists only on the dr stack", async () => {
    const primary = await renderTestStack("primary");
    assert.deepStrictEqual(under(primary, "payments-dr:components:FailoverTrigger"), []);
    assert.strictEqual(primary.outputs.failoverTrigger, undefined);
  });

  it("places every resource of the detection path in the dr Region (IAM is global)", async () => {
    for (const dr of [await renderTestStack("dr"), await renderTestStack("dr", AUTOMATIC)]) {
      const resources = under(dr, "payments-dr:components:FailoverTrigger");
      assert.ok(resources.length > 15, `only ${resources.length} resources`);
      for (const r of resources) {
        if (r.type.startsWith("aws:iam/")) {
          assert.strictEqual(r.region, null, r.urn);
        } else if (r.name.startsWith(RUNNER_SOURCE_REPLICA)) {
          // The runner source bucket's cross-Region copy: a backup, not part of detection.
          assert.strictEqual(r.region, "us-east-1", r.urn);
        } else {
          assert.strictEqual(r.region, "us-west-2", r.urn);
          assert.strictEqual(r.inputs.region, "us-west-2", `${r.urn} must name its Region explicitly`);
        }
      }
    }
  });

  it("keeps only the runner source's replica outside the dr Region", async () => {
    const dr = await renderTestStack("dr", AUTOMATIC);
    const outside = under(dr, "payments-dr:components:FailoverTrigger").filter(
      (r) => r.region !== "us-west-2" && r.region !== null,
    );
    assert.ok(outside.length > 0);
    assert.deepStrictEqual(
      outside.filter((r) => !r.name.startsWith(RUNNER_SOURCE_REPLICA)).map((r) => r.urn),
      [],
    );
    const replica = find(dr, "aws:s3/bucket:Bucket", `${RUNNER_SOURCE_REPLICA}bucket`);
    assert.strictEqual(replica.region, "us-east-1");
  });

  it("alarms after consecutive failed probes of the primary, treating missing data as breaching", async () => {
    const dr = await renderTestStack("dr");
    const alarm = find(dr, "aws:cloudwatch/metricAlarm:MetricAlarm", "failover-trigger-primary-down");
    const topic = find(dr, "aws:sns/topic:Topic", "failover-trigger-alarms");
    const { alarmDescription: _d, tags: _t, ...settings } = alarm.inputs;
    assert.deepStrictEqual(settings, {
      name: "payments-dr-dr-primary-endpoint-down",
      namespace: "PaymentsDr/Probe",
      metricName: "PrimaryEndpointHealthy",
      dimensions: { Endpoint: "api.payments.example.com" },
      statistic: "Maximum",
      period: 60,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      threshold: 1,
      comparisonOperator: "LessThanThreshold",
      treatMissingData: "breaching",
      alarmActions: [topic.outputs.arn],
      okActions: [topic.outputs.arn],
      region: "us-west-2",
    });
  });

  it("encrypts both topics with the dr Region's messaging key", async () => {
    const dr = await renderTestStack("dr");
    for (const name of ["failover-trigger-alarms", "failover-trigger-operators"]) {
      const topic = find(dr, "aws:sns/topic:Topic", name);
      assert.strictEqual(topic.inputs.kmsMasterKeyId, keys(dr).messaging);
    }
    assert.match(keys(dr).messaging, /^arn:aws:kms:us-west-2:/);
  });

  it("probes the primary Region's load balancer directly, under the public name", async () => {
    const primary = await renderTestStack("primary");
    const dr = await renderTestStack("dr");
    const probe = find(dr, "aws:lambda/function:Function", "failover-trigger-probe");
    assert.deepStrictEqual(probe.inputs.environment, {
      variables: {
        TARGET_HOST: (primary.outputs.ingress as Record<string, string>).loadBalancerDnsName,
        HOST_NAME: "api.payments.example.com",
        HEALTH_PATH: "/healthz",
        TIMEOUT_MS: "5000",
      },
    });
    assert.match(
      String(
        probe.inputs.environment &&
          (probe.inputs.environment as { variables: Record<string, string> }).variables.TARGET_HOST,
      ),
      /\.us-east-1\.elb\.amazonaws\.com$/,
    );
    const rule = find(dr, "aws:cloudwatch/eventRule:EventRule", "failover-trigger-probe-schedule");
    assert.strictEqual(rule.inputs.scheduleExpression, "rate(1 minute)");
    const target = find(dr, "aws:cloudwatch/eventTarget:EventTarget", "failover-trigger-probe-target");
    assert.strictEqual(target.inputs.arn, probe.outputs.arn);
  });

  it("subscribes the trigger function to the alarm topic, bundled from functions/failoverTrigger", async () => {
    const dr = await renderTestStack("dr");
    const topic = find(dr, "aws:sns/topic:Topic", "failover-trigger-alarms");
    const fn = find(dr, "aws:lambda/function:Function", "failover-trigger-trigger");
    const subscription = find(
      dr,
      "aws:sns/topicSubscription:TopicSubscription",
      "failover-trigger-trigger-subscription",
    );
    assert.deepStrictEqual(
      [subscription.inputs.topic, subscription.inputs.protocol, subscription.inputs.endpoint],
      [topic.outputs.arn, "lambda", fn.outputs.arn],
    );
    const permission = find(dr, "aws:lambda/permission:Permission", "failover-trigger-trigger-invoke");
    assert.deepStrictEqual(
      [permission.inputs.principal, permission.inputs.sourceArn],
      ["sns.amazonaws.com", topic.outputs.arn],
    );
    assert.strictEqual(fn.inputs.runtime, "nodejs24.x");
    assert.strictEqual(fn.inputs.handler, "index.handler");
    const code = fn.inputs.code as { assets: Record<string, { textBytes: number }> };
    assert.ok(code.assets["index.js"].textBytes > 10_000, "the bundle includes the AWS SDK clients");
  });

  describe("manual mode (the default)", () => {
    it("configures the trigger to notify operators, with no runner", async () => {
      const dr = await renderTestStack("dr");
      const fn = find(dr, "aws:lambda/function:Function", "failover-trigger-trigger");
      const operators = find(dr, "aws:sns/topic:Topic", "failover-trigger-operators");
      assert.deepStrictEqual(fn.inputs.environment, {
        variables: {
          FAILOVER_MODE: "manual",
          STACK_NAME: "dr",
          ALARM_NAME: "payments-dr-dr-primary-endpoint-down",
          OPERATOR_TOPIC_ARN: operators.outputs.arn,
        },
      });
      assert.deepStrictEqual(findAll(dr, "aws:codebuild/project:Project"), []);
      assert.deepStrictEqual(
        under(dr, "payments-dr:components:FailoverTrigger")
          .filter((r) => r.type === "aws:sns/topicSubscription:TopicSubscription")
          .map((s) => s.inputs.protocol),
        ["lambda"],
      );
      const outputs = dr.outputs.failoverTrigger as Record<string, unknown>;
      assert.deepStrictEqual(Object.keys(outputs).sort(), [
        "alarmName",
        "functionName",
        "operatorTopicArn",
        "probeFunctionName",
        "topicArn",
      ]);
    });
  });

  describe("automatic mode", () => {
    it("declares a CodeBuild runner in the dr Region that runs the controller, one build at a time", async () => {
      const dr = await renderTestStack("dr", AUTOMATIC);
      const project = find(dr, "aws:codebuild/project:Project", "failover-trigger-runner-project");
      const secret = find(dr, "aws:secretsmanager/secret:Secret", "failover-trigger-runner-pulumi-token");
      const source = find(dr, "aws:s3/bucket:Bucket", "failover-trigger-runner-source-bucket");
      assert.strictEqual(project.region, "us-west-2");
      assert.strictEqual(project.inputs.name, "payments-dr-dr-failover");
      assert.strictEqual(project.inputs.concurrentBuildLimit, 1);
      assert.strictEqual(project.inputs.buildTimeout, 60);
      assert.deepStrictEqual(project.inputs.source, {
        type: "S3",
        location: `${source.outputs.bucket}/source/payments-dr.zip`,
        buildspec: runnerBuildspec("dr"),
      });
      assert.deepStrictEqual(project.inputs.environment, {
        type: "LINUX_CONTAINER",
        computeType: "BUILD_GENERAL1_SMALL",
        image: "aws/codebuild/amazonlinux-x86_64-standard:5.0",
        imagePullCredentialsType: "CODEBUILD",
        environmentVariables: [
          { name: "PULUMI_ACCESS_TOKEN", type: "SECRETS_MANAGER", value: secret.outputs.arn },
          { name: "PULUMI_SKIP_UPDATE_CHECK", type: "PLAINTEXT", value: "true" },
        ],
      });
      assert.strictEqual(secret.inputs.kmsKeyId, keys(dr).messaging);
    });

    it("runs npm ci then the controller with --to dr --yes --json on Node 22", () => {
      const spec = runnerBuildspec("dr");
      assert.match(spec, /nodejs: 22/);
      assert.match(spec, /- npm ci\n\s+- npm run failover -- --to dr --stack dr --yes --json/);
      assert.match(spec, /get\.pulumi\.com \| sh -s -- --version 3\.248\.0/);
    });

    it("lets the runner use the failover state table in the dr Region and invert primary's control check", async () => {
      const primary = await renderTestStack("primary");
      const dr = await renderTestStack("dr", AUTOMATIC);
      const policy = JSON.parse(
        String(find(dr, "aws:iam/rolePolicy:RolePolicy", "failover-trigger-runner-policy").inputs.policy),
      );
      const bySid = Object.fromEntries(policy.Statement.map((s: { Sid: string }) => [s.Sid, s]));
      const table = (dr.outputs.failoverState as Record<string, string>).tableName;
      assert.deepStrictEqual(
        bySid.UseFailoverStateTable.Resource,
        `arn:aws:dynamodb:us-west-2:111122223333:table/${table}`,
      );
      assert.deepStrictEqual(bySid.UseStateTableKeyThroughDynamoDb.Condition, {
        StringEquals: {
          "kms:ViaService": "dynamodb.us-west-2.amazonaws.com",
          "kms:CallerAccount": "111122223333",
        },
      });
      const control = (primary.outputs.dns as Record<string, string>).controlHealthCheckId;
      assert.deepStrictEqual(bySid.InvertPrimaryControlCheck, {
        Sid: "InvertPrimaryControlCheck",
        Effect: "Allow",
        Action: ["route53:GetHealthCheck", "route53:UpdateHealthCheck"],
        Resource: `arn:aws:route53:::healthcheck/${control}`,
      });
      assert.ok(!JSON.stringify(policy).includes('"Action":"*"'), "no wildcard actions");
    });

    it("lets the reconcile step replicate the promoted database's backups into the primary Region, with dr's copy key there only", async () => {
      const dr = await renderTestStack("dr", AUTOMATIC);
      const policy = JSON.parse(
        String(find(dr, "aws:iam/rolePolicy:RolePolicy", "failover-trigger-runner-policy").inputs.policy),
      );
      const bySid = Object.fromEntries(policy.Statement.map((s: { Sid: string }) => [s.Sid, s]));
      const peerDataKey = (dr.outputs.peerKeys as Record<string, string>).data;
      assert.match(peerDataKey, /^arn:aws:kms:us-east-1:/);
      const database = (dr.outputs.database as Record<string, string>).instanceArn;
      assert.deepStrictEqual(bySid.ReplicatePromotedDatabaseBackups.Resource, [
        database,
        "arn:aws:rds:us-east-1:111122223333:auto-backup:*",
      ]);
      assert.deepStrictEqual(
        [bySid.EncryptBackupCopiesThroughRds.Resource, bySid.EncryptBackupCopiesThroughRds.Condition],
        [peerDataKey, { StringEquals: { "kms:ViaService": "rds.us-east-1.amazonaws.com" } }],
      );
      const active = await renderTestStack("dr", [...AUTOMATIC, "payments-dr:mode=active"]);
      const replication = find(
        active,
        "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication",
        "database-backups-replication",
      );
      // Only rendered once dr is active; the key the policy admits is the one it uses.
      assert.strictEqual(replication.inputs.kmsKeyId, peerDataKey);
    });

    it("lets the runner promote only the dr database and fail over only this Global Datastore", async () => {
      const primary = await renderTestStack("primary");
      const dr = await renderTestStack("dr", AUTOMATIC);
      const policy = JSON.parse(
        String(find(dr, "aws:iam/rolePolicy:RolePolicy", "failover-trigger-runner-policy").inputs.policy),
      );
      const bySid = Object.fromEntries(policy.Statement.map((s: { Sid: string }) => [s.Sid, s]));
      const database = (dr.outputs.database as Record<string, string>).instanceArn;
      assert.match(database, /^arn:aws:rds:us-west-2:111122223333:db:payments-dr-dr$/);
      assert.strictEqual(bySid.PromoteDatabaseReplica.Resource, database);
      const cache = (s: typeof dr) => s.outputs.cache as Record<string, string>;
      assert.deepStrictEqual(bySid.FailOverGlobalDatastore.Resource, [
        `arn:aws:elasticache::111122223333:globalreplicationgroup:${cache(primary).globalReplicationGroupId}`,
        `arn:aws:elasticache:us-west-2:111122223333:replicationgroup:${cache(dr).replicationGroupId}`,
        `arn:aws:elasticache:us-east-1:111122223333:replicationgroup:${cache(primary).replicationGroupId}`,
      ]);
    });

    it("lets the trigger start, list and read builds of the runner only, read its alarm's history to arm, and e-mails operators", async () => {
      const dr = await renderTestStack("dr", AUTOMATIC);
      const project = find(dr, "aws:codebuild/project:Project", "failover-trigger-runner-project");
      const fn = find(dr, "aws:lambda/function:Function", "failover-trigger-trigger");
      const env = (fn.inputs.environment as { variables: Record<string, string> }).variables;
      assert.strictEqual(env.FAILOVER_MODE, "automatic");
      assert.strictEqual(env.RUNNER_PROJECT_NAME, "payments-dr-dr-failover");
      assert.strictEqual(env.ARM_AFTER_HEALTHY_MINUTES, "30");
      const policy = JSON.parse(
        String(find(dr, "aws:iam/rolePolicy:RolePolicy", "failover-trigger-trigger-policy").inputs.policy),
      );
      assert.deepStrictEqual(
        policy.Statement.find((s: { Action: unknown }) => JSON.stringify(s.Action).includes("codebuild")),
        {
          Effect: "Allow",
          Action: ["codebuild:StartBuild", "codebuild:ListBuildsForProject", "codebuild:BatchGetBuilds"],
          Resource: project.outputs.arn,
        },
      );
      const alarm = find(dr, "aws:cloudwatch/metricAlarm:MetricAlarm", "failover-trigger-primary-down");
      assert.deepStrictEqual(
        policy.Statement.filter((s: { Action: unknown }) => JSON.stringify(s.Action).includes("cloudwatch:")),
        [{ Effect: "Allow", Action: "cloudwatch:DescribeAlarmHistory", Resource: alarm.outputs.arn }],
      );
      const email = find(
        dr,
        "aws:sns/topicSubscription:TopicSubscription",
        "failover-trigger-operators-email",
      );
      assert.deepStrictEqual(
        [email.inputs.protocol, email.inputs.endpoint, email.inputs.topic],
        [
          "email",
          "sre-oncall@example.com",
          find(dr, "aws:sns/topic:Topic", "failover-trigger-operators").outputs.arn,
        ],
      );
      assert.strictEqual(
        (dr.outputs.failoverTrigger as Record<string, string>).runnerProjectName,
        "payments-dr-dr-failover",
      );
    });
  });

  it("refuses an automatic trigger without runner settings", () => {
    assert.throws(
      () => validateFailoverTriggerArgs({ mode: "automatic", evaluationPeriods: 3 }),
      /failover.mode = "automatic" needs `runner`.*or set payments-dr:failover.mode to "manual"/,
    );
    assert.doesNotThrow(() => validateFailoverTriggerArgs({ mode: "manual", evaluationPeriods: 3 }));
  });

  it("refuses automatic failover on a single failed probe, and an arming period outside 1-1440 minutes", () => {
    const runner = {} as never;
    assert.throws(() => validateFailoverTriggerArgs({ mode: "automatic", runner, evaluationPeriods: 1 }), {
      message:
        'FailoverTrigger: evaluationPeriods = 1 with failover.mode = "automatic": expected at least 2 ' +
        "(one failed probe is not sustained evidence). Fix: pulumi config set --path payments-dr:dns.healthCheckFailureThreshold 3",
    });
    assert.doesNotThrow(() => validateFailoverTriggerArgs({ mode: "manual", evaluationPeriods: 1 }));
    assert.throws(
      () =>
        validateFailoverTriggerArgs({
          mode: "automatic",
          runner,
          evaluationPeriods: 3,
          armAfterHealthyMinutes: 0,
        }),
      /armAfterHealthyMinutes = 0: expected an integer from 1 to 1440/,
    );
  });
});

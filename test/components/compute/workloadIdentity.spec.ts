import * as assert from "assert";
import { RenderedStack } from "../../../tools/render/render";
import { MOCK_ACCOUNT_ID } from "../../../tools/render/synth";
import { find, renderTestStack } from "../../helpers/stacks";

const T = {
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  association: "aws:eks/podIdentityAssociation:PodIdentityAssociation",
  instance: "aws:rds/instance:Instance",
  bucket: "aws:s3/bucket:Bucket",
  topic: "aws:sns/topic:Topic",
};
const A = MOCK_ACCOUNT_ID;

function expected(stack: RenderedStack) {
  const keys = stack.outputs.keys as Record<string, string>;
  const db = find(stack, T.instance, "database-instance");
  const landing = find(stack, T.bucket, "objects-landing-bucket");
  const topic = find(stack, T.topic, "ingest-topic");
  return {
    dbResourceId: String(db.outputs.resourceId),
    landingArn: String(landing.outputs.arn),
    topicArn: String(topic.outputs.arn),
    messagingKey: keys.messaging,
    cacheId: (stack.outputs.cache as Record<string, string>).replicationGroupId,
  };
}

describe("payments workload identity (rendered)", () => {
  let primary: RenderedStack;
  let dr: RenderedStack;
  before(async function () {
    this.timeout(120_000);
    [primary, dr] = await Promise.all([renderTestStack("primary"), renderTestStack("dr")]);
  });

  for (const [stackName, region, metricRegions] of [
    ["primary", "us-east-1", ["us-east-1", "us-west-2"]],
    ["dr", "us-west-2", ["us-west-2"]],
  ] as const) {
    describe(stackName, () => {
      const stack = () => (stackName === "primary" ? primary : dr);
      const clusterName = () => (stack().outputs.eks as Record<string, string>).clusterName;

      it("only EKS Pod Identity may assume the role, for this account's cluster and the payments service account", () => {
        const role = find(stack(), T.role, "payments-identity-role");
        assert.deepStrictEqual(JSON.parse(String(role.inputs.assumeRolePolicy)), {
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "EksPodIdentityForThePaymentsServiceAccount",
              Effect: "Allow",
              Principal: { Service: "pods.eks.amazonaws.com" },
              Action: ["sts:AssumeRole", "sts:TagSession"],
              Condition: {
                StringEquals: {
                  "aws:SourceAccount": A,
                  "aws:RequestTag/kubernetes-namespace": "payments",
                  "aws:RequestTag/kubernetes-service-account": "payments-api",
                },
                ArnEquals: { "aws:SourceArn": `arn:aws:eks:${region}:${A}:cluster/${clusterName()}` },
              },
            },
          ],
        });
      });

      it(`grants each permission on ${region}'s own resources only, statement by statement`, () => {
        const e = expected(stack());
        const landingKeyArn = (stack().outputs.keys as Record<string, string>).objects;
        const statements = JSON.parse(
          String(find(stack(), T.rolePolicy, "payments-identity-policy").inputs.policy),
        ).Statement;
        assert.deepStrictEqual(statements, [
          {
            Sid: "ConnectToItsDatabaseWithIam",
            Effect: "Allow",
            Action: "rds-db:connect",
            Resource: `arn:aws:rds-db:${region}:${A}:dbuser:${e.dbResourceId}/payments_app`,
          },
          {
            Sid: "ConnectToItsCacheWithIam",
            Effect: "Allow",
            Action: "elasticache:Connect",
            Resource: [
              `arn:aws:elasticache:${region}:${A}:replicationgroup:${e.cacheId}`,
              `arn:aws:elasticache:${region}:${A}:user:payments-app`,
            ],
          },
          {
            Sid: "PutLandingObjects",
            Effect: "Allow",
            Action: "s3:PutObject",
            Resource: `${e.landingArn}/payments/*`,
          },
          {
            Sid: "PublishIngestPointers",
            Effect: "Allow",
            Action: ["sns:Publish", "sns:GetTopicAttributes"],
            Resource: e.topicArn,
          },
          {
            Sid: "EncryptLandingObjectsThroughS3",
            Effect: "Allow",
            Action: "kms:GenerateDataKey",
            Resource: landingKeyArn,
            Condition: { StringEquals: { "kms:ViaService": `s3.${region}.amazonaws.com` } },
          },
          {
            Sid: "EncryptIngestMessagesThroughSns",
            Effect: "Allow",
            Action: ["kms:GenerateDataKey", "kms:Decrypt"],
            Resource: e.messagingKey,
            Condition: { StringEquals: { "kms:ViaService": `sns.${region}.amazonaws.com` } },
          },
          {
            Sid: "PutPaymentsAcceptedMetric",
            Effect: "Allow",
            Action: "cloudwatch:PutMetricData",
            Resource: "*",
            Condition: {
              StringEquals: {
                "cloudwatch:namespace": "PaymentsDr/Service",
                "aws:RequestedRegion": [...metricRegions],
              },
            },
          },
        ]);
        // Every Regional ARN the policy names is in the stack's own Region (S3 ARNs carry none).
        for (const value of [e.topicArn, e.messagingKey, landingKeyArn])
          assert.strictEqual(value.split(":")[3], region, value);
        assert.ok(e.dbResourceId.startsWith("db-"));
      });

      it(`associates the role with payments/payments-api on ${region}'s own cluster`, () => {
        const association = find(stack(), T.association, "payments-identity-association");
        const role = find(stack(), T.role, "payments-identity-role");
        assert.deepStrictEqual(
          Object.fromEntries(
            Object.entries(association.inputs).filter(([k]) => !k.startsWith("tags") && !k.startsWith("__")),
          ),
          {
            clusterName: clusterName(),
            namespace: "payments",
            serviceAccount: "payments-api",
            roleArn: role.outputs.arn,
            region,
          },
        );
        assert.strictEqual(association.region, region);
      });

      it("publishes the identity under workloadIdentity", () => {
        const out = stack().outputs.workloadIdentity as Record<string, unknown>;
        assert.deepStrictEqual(Object.keys(out).sort(), [
          "associationId",
          "metricRegions",
          "namespace",
          "roleArn",
          "serviceAccount",
        ]);
        assert.deepStrictEqual(out.metricRegions, [...metricRegions]);
        assert.match(String(out.associationId), /^a-[0-9a-f]{17}$/);
      });
    });
  }
});

import * as assert from "assert";
import {
  CACHE_SNAPSHOTS_SSE_S3_REASON,
  EXPORT_POLL_MINUTES,
  exportIntervalMinutes,
} from "../../../../components/data/cache/cacheSnapshotExport";
import { validateObjectStoreEncryption } from "../../../../components/data/objectStorePolicies";
import { elastiCacheCanonicalUser } from "../../../../components/data/cache/cacheSnapshotExportPolicies";
import { CACHE_SNAPSHOT_STORE_NAME } from "../../../../stacks/dataTier";
import { planStackViolations } from "../../../../tools/policy";
import { RenderedStack } from "../../../../tools/render/render";
import { find, renderTestStack } from "../../../helpers/stacks";

const STACKS = [
  { stack: "primary", region: "us-east-1", peer: "us-west-2", group: "payments-dr-primary" },
  { stack: "dr", region: "us-west-2", peer: "us-east-1", group: "payments-dr-dr" },
] as const;
const ACTIVE = ["payments-dr:mode=active"];
const ACCOUNT = "111122223333";

const T = {
  fn: "aws:lambda/function:Function",
  bucket: "aws:s3/bucket:Bucket",
  group: "aws:elasticache/replicationGroup:ReplicationGroup",
};
const bucketOf = (s: RenderedStack, suffix = "") =>
  find(s, T.bucket, `${CACHE_SNAPSHOT_STORE_NAME}${suffix}-bucket`);
const exporterOf = (s: RenderedStack) => find(s, T.fn, "cache-snapshot-export-exporter");
const statements = (s: RenderedStack, type: string, name: string) =>
  JSON.parse(String(find(s, type, name).inputs.policy)).Statement as Record<string, unknown>[];

describe("cache snapshot export", () => {
  before(async function () {
    this.timeout(300_000);
    await Promise.all([renderTestStack("primary"), renderTestStack("dr"), renderTestStack("dr", ACTIVE)]);
  });

  describe("interval derived from the RPO target", () => {
    it("snapshots every RPO, but never more often than every 90 minutes (20 manual backups per node a day)", () => {
      assert.deepStrictEqual(
        [900, 5400, 5401, 7200, 86400].map(exportIntervalMinutes),
        [90, 90, 91, 120, 1440],
      );
    });
    it("refuses a non-positive RPO with the key and the fix", () =>
      assert.throws(
        () => exportIntervalMinutes(0),
        /Invalid config payments-dr:targets\.rpoSeconds = 0: expected a positive integer .*Fix: pulumi config set/,
      ));
  });

  describe("object store encryption arguments", () => {
    it("takes a key or a reason for SSE-S3, never both or neither", () => {
      assert.strictEqual(validateObjectStoreEncryption("s", { sseS3Reason: "only SSE-S3" }), undefined);
      assert.strictEqual(validateObjectStoreEncryption("s", { keyArn: "k" }), "k");
      assert.throws(() => validateObjectStoreEncryption("s", {}), /ObjectStore s: keyArn is missing/);
      assert.throws(() => validateObjectStoreEncryption("s", { keyArn: "k", sseS3Reason: "r" }), /not both/);
      assert.throws(() => validateObjectStoreEncryption("s", { sseS3Reason: " " }), /sseS3Reason is empty/);
    });
  });

  for (const { stack, region, peer, group } of STACKS) {
    describe(`${stack} stack`, () => {
      it("runs the exporter in the cache's own Region on its own group and same-Region bucket", async () => {
        const s = await renderTestStack(stack);
        const fn = exporterOf(s);
        assert.strictEqual(fn.region, region);
        assert.deepStrictEqual(fn.inputs.environment, {
          variables: {
            REPLICATION_GROUP_ID: group,
            TARGET_BUCKET: bucketOf(s).outputs.bucket,
            SNAPSHOT_PREFIX: `${group}-export`,
            INTERVAL_MINUTES: "90",
            KEEP_SNAPSHOTS: "2",
            STALE_AFTER_MINUTES: "180",
          },
        });
        assert.strictEqual(bucketOf(s).region, region);
        assert.strictEqual(find(s, T.group, "cache-replication-group").inputs.replicationGroupId, group);
      });

      it(`invokes it every ${EXPORT_POLL_MINUTES} minutes from an EventBridge rule, and only from that rule`, async () => {
        const s = await renderTestStack(stack);
        const rule = find(s, "aws:cloudwatch/eventRule:EventRule", "cache-snapshot-export-schedule");
        const target = find(s, "aws:cloudwatch/eventTarget:EventTarget", "cache-snapshot-export-target");
        const permission = find(s, "aws:lambda/permission:Permission", "cache-snapshot-export-invoke");
        assert.deepStrictEqual(
          [rule.region, rule.inputs.scheduleExpression, target.inputs.rule, target.inputs.arn],
          [region, "rate(15 minutes)", rule.outputs.name, exporterOf(s).outputs.arn],
        );
        assert.deepStrictEqual(
          [permission.inputs.principal, permission.inputs.sourceArn, permission.inputs.function],
          ["events.amazonaws.com", rule.outputs.arn, exporterOf(s).outputs.name],
        );
      });

      it("grants the exporter only its own snapshots of its group, the export bucket and the cache key", async () => {
        const s = await renderTestStack(stack);
        const bucketArn = String(bucketOf(s).outputs.arn);
        const keys = s.outputs.keys as Record<string, string>;
        const ec = (resource: string) => `arn:aws:elasticache:${region}:${ACCOUNT}:${resource}`;
        const own = ec(`snapshot:${group}-export-*`);
        const logs = find(s, "aws:cloudwatch/logGroup:LogGroup", "cache-snapshot-export-exporter-logs");
        assert.deepStrictEqual(
          statements(s, "aws:iam/rolePolicy:RolePolicy", "cache-snapshot-export-exporter-policy"),
          [
            {
              Effect: "Allow",
              Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
              Resource: `${logs.outputs.arn}:*`,
            },
            {
              Sid: "SnapshotTheReplicationGroup",
              Effect: "Allow",
              Action: "elasticache:CreateSnapshot",
              Resource: [ec(`replicationgroup:${group}`), ec(`cluster:${group}-*`), own],
            },
            {
              Sid: "ExportAndDeleteOwnSnapshots",
              Effect: "Allow",
              Action: ["elasticache:CopySnapshot", "elasticache:DeleteSnapshot"],
              Resource: own,
            },
            {
              Sid: "ListSnapshots",
              Effect: "Allow",
              Action: "elasticache:DescribeSnapshots",
              Resource: ec("snapshot:*"),
            },
            {
              Sid: "FindTheExportBucket",
              Effect: "Allow",
              Action: ["s3:ListAllMyBuckets", "s3:GetBucketLocation"],
              Resource: "*",
            },
            { Sid: "ListExports", Effect: "Allow", Action: "s3:ListBucket", Resource: bucketArn },
            {
              Sid: "ExportIntoTheBucket",
              Effect: "Allow",
              Action: ["s3:PutObject", "s3:GetObject"],
              Resource: `${bucketArn}/*`,
            },
            { Sid: "DescribeTheCacheKey", Effect: "Allow", Action: "kms:DescribeKey", Resource: keys.data },
            {
              Sid: "GrantTheCacheKeyToElastiCache",
              Effect: "Allow",
              Action: "kms:CreateGrant",
              Resource: keys.data,
              Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
            },
          ],
        );
      });

      it("lets only ElastiCache's export grantees (canonical user, this Region's service) write to the bucket, over TLS, without ACLs", async () => {
        const s = await renderTestStack(stack);
        const arn = String(bucketOf(s).outputs.arn);
        assert.deepStrictEqual(
          statements(s, "aws:s3/bucketPolicy:BucketPolicy", `${CACHE_SNAPSHOT_STORE_NAME}-policy`),
          [
            {
              Sid: "DenyInsecureTransport",
              Effect: "Deny",
              Principal: "*",
              Action: "s3:*",
              Resource: [arn, `${arn}/*`],
              Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
            {
              Sid: "ElastiCacheWritesSnapshotExports",
              Effect: "Allow",
              // Default Regions: the canonical user the guide grants by ACL; opt-in Regions: the
              // Region's service principal. ACLs are disabled, so both go in the bucket policy.
              Principal: {
                Service: `${region}.elasticache-snapshot.amazonaws.com`,
                CanonicalUser: "540804c33a284a299d2547575ce1010f2312ef3da9b3a053c8bc45bf233e4353",
              },
              Action: [
                "s3:PutObject",
                "s3:GetObject",
                "s3:ListBucket",
                "s3:GetBucketAcl",
                "s3:ListMultipartUploadParts",
                "s3:ListBucketMultipartUploads",
              ],
              Resource: [arn, `${arn}/*`],
            },
          ],
        );
        const ownership = find(
          s,
          "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
          `${CACHE_SNAPSHOT_STORE_NAME}-ownership`,
        );
        assert.deepStrictEqual(ownership.inputs.rule, { objectOwnership: "BucketOwnerEnforced" });
      });

      it("uses SSE-S3 only where ElastiCache writes, says why, and keeps the peer key on the replica bucket", async () => {
        const s = await renderTestStack(stack);
        const sse = (suffix: string) =>
          find(
            s,
            "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
            `${CACHE_SNAPSHOT_STORE_NAME}${suffix}-encryption`,
          );
        const peerKeys = s.outputs.peerKeys as Record<string, string>;
        assert.deepStrictEqual(sse("").inputs.rules, [
          { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
        ]);
        assert.deepStrictEqual(sse("-replica").inputs.rules, [
          {
            bucketKeyEnabled: true,
            applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: peerKeys.objects },
          },
        ]);
        assert.strictEqual(sse("-replica").region, peer);
        const tags = bucketOf(s).inputs.tags as Record<string, string>;
        assert.strictEqual(tags["payments-dr:sse-s3-reason"], CACHE_SNAPSHOTS_SSE_S3_REASON);
        // S3 tag values: at most 256 of letters, digits, spaces and + - = . _ : / @
        assert.match(CACHE_SNAPSHOTS_SSE_S3_REASON, /^[\w +\-=.:/@]{1,256}$/);
        assert.strictEqual(
          (bucketOf(s, "-replica").inputs.tags as Record<string, string>)["payments-dr:sse-s3-reason"],
          undefined,
        );
      });

      it("the advisory exemption rule reports the SSE-S3 bucket with its reason on every run", async () => {
        const s = await renderTestStack(stack);
        const reported = planStackViolations(s).filter((v) => v.policy === "s3-bucket-sse-s3-exemption");
        const mine = reported.filter((v) => v.urn === bucketOf(s).urn);
        assert.strictEqual(mine.length, 1);
        assert.ok(mine[0].message.includes(CACHE_SNAPSHOTS_SSE_S3_REASON), mine[0].message);
      });

      it("replicates exports to the peer Region within 15 minutes, with no source key to decrypt", async () => {
        const s = await renderTestStack(stack);
        const replication = find(
          s,
          "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
          `${CACHE_SNAPSHOT_STORE_NAME}-replication`,
        );
        const rules = replication.inputs.rules as Record<string, Record<string, unknown>>[];
        assert.deepStrictEqual(
          [replication.region, rules[0].destination.bucket, rules[0].destination.replicationTime],
          [region, bucketOf(s, "-replica").outputs.arn, { status: "Enabled", time: { minutes: 15 } }],
        );
        const sids = statements(
          s,
          "aws:iam/rolePolicy:RolePolicy",
          `${CACHE_SNAPSHOT_STORE_NAME}-replication-policy`,
        ).map((st) => st.Sid);
        assert.deepStrictEqual(sids, [
          "ReadSourceConfiguration",
          "ReadSourceVersions",
          "WriteReplicas",
          "EncryptReplicas",
        ]);
      });

      it("expires exports after the backup retention in both buckets", async () => {
        const s = await renderTestStack(stack);
        for (const suffix of ["", "-replica"]) {
          const lifecycle = find(
            s,
            "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
            `${CACHE_SNAPSHOT_STORE_NAME}${suffix}-lifecycle`,
          );
          const [rule] = lifecycle.inputs.rules as Record<string, unknown>[];
          assert.deepStrictEqual(
            [rule.expiration, rule.noncurrentVersionExpiration],
            [{ days: 35 }, { noncurrentDays: 90 }],
          );
        }
      });

      it("tags the replication group with the export bucket, so the policy pack follows it", async () => {
        const s = await renderTestStack(stack);
        const tags = find(s, T.group, "cache-replication-group").inputs.tags as Record<string, string>;
        assert.strictEqual(tags["payments-dr:snapshot-bucket"], bucketOf(s).outputs.bucket);
      });

      it("alarms on an encrypted topic when the exporter fails or stops running", async () => {
        const s = await renderTestStack(stack);
        const topic = find(s, "aws:sns/topic:Topic", "cache-snapshot-export-alarms");
        const keys = s.outputs.keys as Record<string, string>;
        assert.strictEqual(topic.inputs.kmsMasterKeyId, keys.messaging);
        const alarm = (name: string) =>
          find(s, "aws:cloudwatch/metricAlarm:MetricAlarm", `cache-snapshot-export-${name}`).inputs;
        const pick = (a: Record<string, unknown>) => [
          a.namespace,
          a.metricName,
          a.dimensions,
          a.statistic,
          a.comparisonOperator,
          a.threshold,
          a.treatMissingData,
          a.alarmActions,
        ];
        const dims = { FunctionName: exporterOf(s).outputs.name };
        assert.deepStrictEqual(pick(alarm("errors")), [
          "AWS/Lambda",
          "Errors",
          dims,
          "Sum",
          "GreaterThanOrEqualToThreshold",
          1,
          "notBreaching",
          [topic.outputs.arn],
        ]);
        assert.deepStrictEqual(pick(alarm("not-running")), [
          "AWS/Lambda",
          "Invocations",
          dims,
          "Sum",
          "LessThanThreshold",
          1,
          "breaching",
          [topic.outputs.arn],
        ]);
      });

      it("publishes the exporter, its alarm, interval and buckets", async () => {
        const s = await renderTestStack(stack);
        assert.deepStrictEqual(s.outputs.cacheSnapshotExport, {
          functionName: exporterOf(s).outputs.name,
          errorAlarmName: find(s, "aws:cloudwatch/metricAlarm:MetricAlarm", "cache-snapshot-export-errors")
            .outputs.name,
          alarmTopicArn: find(s, "aws:sns/topic:Topic", "cache-snapshot-export-alarms").outputs.arn,
          intervalMinutes: 90,
          bucketName: bucketOf(s).outputs.bucket,
          replicaBucketName: bucketOf(s, "-replica").outputs.bucket,
        });
        assert.strictEqual(
          (s.outputs.objects as { buckets: Record<string, string> }).buckets.cacheSnapshots,
          bucketOf(s).outputs.bucket,
        );
      });
    });
  }

  it("keeps the dr exporter identical when dr becomes active: failover creates and replaces nothing here", async () => {
    const standby = await renderTestStack("dr");
    const active = await renderTestStack("dr", ACTIVE);
    const mine = (s: RenderedStack) =>
      s.resources.filter(
        (r) => r.name.startsWith("cache-snapshot-export") || r.name.startsWith(CACHE_SNAPSHOT_STORE_NAME),
      );
    assert.ok(mine(standby).length >= 20, `only ${mine(standby).length} resources found`);
    assert.deepStrictEqual(
      mine(active).map((r) => [r.urn, r.inputs]),
      mine(standby).map((r) => [r.urn, r.inputs]),
    );
  });
});

describe("ElastiCache export grantee", () => {
  it("names the canonical user the ElastiCache guide gives per partition: GovCloud's own, else the default one", () => {
    assert.strictEqual(
      elastiCacheCanonicalUser("us-gov-west-1"),
      "40fa568277ad703bd160f66ae4f83fc9dfdfd06c2f1b5060ca22442ac3ef8be6",
    );
    for (const region of ["us-east-1", "us-west-2"])
      assert.strictEqual(
        elastiCacheCanonicalUser(region),
        "540804c33a284a299d2547575ce1010f2312ef3da9b3a053c8bc45bf233e4353",
      );
  });
});

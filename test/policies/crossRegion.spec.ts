import * as assert from "assert";
import { EngineResource } from "../../tools/policyEngine";
import { expectViolations, key, PEER, PRIMARY, resource, UNKNOWN_VALUE, urnOf, violations } from "./fixtures";
import {
  backedUpDatabase,
  bucket,
  DB_ARN,
  database,
  plan,
  replication,
  replicatedBuckets,
  selection,
  T,
  vault,
  vaultArn,
} from "./scenarios";

const POLICY = "aws-datastore-cross-region-copy";
const DB = urnOf(T.db, "db");
const replace = (resources: EngineResource[], name: string, by: EngineResource) =>
  resources.map((r) => (r.name === name ? by : r));

describe("aws-datastore-cross-region-copy", () => {
  describe("AWS Backup", () => {
    it("passes a store selected by ARN in a plan that copies to a vault in another Region", () =>
      // An hourly backup plus its copy meets a 65-minute RPO, not the default 15 minutes.
      assert.deepStrictEqual(
        // The fixture keys are not declared in the stack: kms-key-owner-verified is tested on its own.
        violations(backedUpDatabase(), undefined, {
          "aws-datastore-rpo-estimate": { rpoSeconds: 3900 },
          "kms-key-owner-verified": { enforcementLevel: "disabled" },
        }),
        [],
      ));

    it("passes a store selected by tags it really carries", () =>
      expectViolations(
        replace(
          backedUpDatabase(),
          "selection",
          selection({ selectionTags: [{ type: "STRINGEQUALS", key: "backup", value: "daily" }] }),
        ),
        POLICY,
        [],
      ));

    it("passes a store matched by wildcard resources AND tag conditions", () =>
      expectViolations(
        replace(
          backedUpDatabase(),
          "selection",
          selection({
            resources: ["arn:aws:rds:*:*:db:*"],
            conditions: [{ stringEquals: [{ key: "aws:ResourceTag/backup", value: "daily" }] }],
          }),
        ),
        POLICY,
        [],
      ));

    it("reports a copy action into the store's own Region", () =>
      expectViolations(replace(backedUpDatabase(), "plan", plan(vaultArn(PRIMARY, "local"))), POLICY, [
        [DB, `copies to "${vaultArn(PRIMARY, "local")}" in ${PRIMARY}, the store's own Region`],
      ]));

    it("reports a selection whose tags the store does not carry", () =>
      expectViolations(
        replace(
          backedUpDatabase(),
          "selection",
          selection({ selectionTags: [{ type: "STRINGEQUALS", key: "backup", value: "weekly" }] }),
        ),
        POLICY,
        [
          [
            DB,
            "not selected by any AWS Backup selection in this stack (checked selection (tags backup=weekly)",
          ],
        ],
      ));

    it("reports a store covered only by a plan that keeps its backups in the same Region", () =>
      expectViolations(replace(backedUpDatabase(), "plan", plan(undefined)), POLICY, [
        [DB, "backup selection selection (plan plan) has no copy action to another Region"],
      ]));

    it("reports a plan in another Region, which cannot back up the store", () =>
      expectViolations(
        replace(backedUpDatabase(), "plan", plan(vaultArn(PEER, "copies"), { region: PEER })),
        POLICY,
        [[DB, `is a plan in "${PEER}", which cannot back up a store in ${PRIMARY}`]],
      ));

    it("reports a copy vault encrypted with a key from another Region", () =>
      expectViolations(replace(backedUpDatabase(), "copies", vault("copies", PEER, key(PRIMARY))), POLICY, [
        [DB, `encrypted with a key in ${PRIMARY}: expected a key in ${PEER}`],
      ]));

    it("reports a copy into a vault this stack does not declare", () =>
      expectViolations(replace(backedUpDatabase(), "plan", plan(vaultArn(PEER, "elsewhere"))), POLICY, [
        [DB, "a vault not declared in this stack"],
      ]));

    it("reports a store excluded by notResources", () =>
      expectViolations(
        replace(
          backedUpDatabase(),
          "selection",
          selection({ resources: ["arn:aws:rds:*:*:db:*"], notResources: [DB_ARN] }),
        ),
        POLICY,
        [[DB, "not selected by any AWS Backup selection"]],
      ));

    it("resolves an ARN unknown during preview through the selection's property dependencies", () =>
      expectViolations(
        replace(
          backedUpDatabase(),
          "selection",
          selection({ resources: [UNKNOWN_VALUE] }, { propertyDependencies: { resources: [DB] } }),
        ),
        POLICY,
        [],
      ));

    it("does not count a selection whose unknown ARNs do not come from the store (fail closed)", () =>
      expectViolations(
        replace(backedUpDatabase(), "selection", selection({ resources: [UNKNOWN_VALUE] })),
        POLICY,
        [[urnOf(T.db, "db"), "RDS DB instance db in us-east-1 has no copy in another Region"]],
      ));
  });

  describe("S3 replication", () => {
    it("reports a source whose replica bucket is not encrypted with SSE-KMS", () => {
      const resources = replicatedBuckets().filter((r) => r.name !== "app-replica-sse");
      expectViolations(resources, POLICY, [
        [urnOf(T.bucket, "app"), "replica bucket app-replica is not encrypted with SSE-KMS"],
        // Not a valid copy, so the replica is not covered as one either.
        [urnOf(T.bucket, "app-replica"), "S3 bucket app-replica in us-west-2 has no copy in another Region"],
      ]);
      expectViolations(resources, "s3-bucket-encryption-at-rest", [
        [urnOf(T.bucket, "app-replica"), "no BucketServerSideEncryptionConfiguration"],
      ]);
    });

    it("reports replication into a bucket in the same Region", () => {
      const resources = [
        ...bucket("app", PRIMARY),
        ...bucket("copy", PRIMARY),
        replication("app", "copy", {
          destination: {
            bucket: "arn:aws:s3:::copy",
            encryptionConfiguration: { replicaKmsKeyId: key(PRIMARY) },
          },
        }),
      ];
      expectViolations(resources, POLICY, [
        [urnOf(T.bucket, "app"), `stays in ${PRIMARY}, the store's own Region`],
        [urnOf(T.bucket, "copy"), "has no copy in another Region"],
      ]);
    });

    it("counts only a rule with an empty filter as replicating the whole bucket", () => {
      const filtered = (rule: Record<string, unknown>) => [
        ...bucket("app", PRIMARY),
        ...bucket("app-replica", PEER),
        replication("app", "app-replica", rule),
      ];
      expectViolations(filtered({ filter: {} }), POLICY, []);
      expectViolations(filtered({ filter: { prefix: "" } }), POLICY, []);
      const partial: [string, string][] = [
        [urnOf(T.bucket, "app"), "replicates only objects matching"],
        [urnOf(T.bucket, "app-replica"), "has no copy in another Region"],
      ];
      expectViolations(filtered({ filter: { prefix: "ledger/" } }), POLICY, [
        [urnOf(T.bucket, "app"), 'S3 replication rule crr replicates only objects matching prefix "ledger/"'],
        partial[1],
      ]);
      expectViolations(filtered({ filter: { tag: { key: "replicate", value: "yes" } } }), POLICY, partial);
      expectViolations(filtered({ filter: { and: { prefix: "a/", tags: { x: "1" } } } }), POLICY, partial);
      expectViolations(filtered({ prefix: "legacy/" }), POLICY, partial);
      // Fail closed: a filter unknown until apply may select part of the bucket.
      expectViolations(filtered({ filter: { prefix: UNKNOWN_VALUE } }), POLICY, [
        [
          urnOf(T.bucket, "app"),
          'S3 bucket app in "us-east-1": a copy in another Region cannot be proven at preview',
        ],
        [urnOf(T.bucket, "app-replica"), "a copy in another Region cannot be proven at preview"],
      ]);
    });

    it("reports a rule that does not replicate SSE-KMS objects", () =>
      expectViolations(
        [
          ...bucket("app", PRIMARY),
          ...bucket("app-replica", PEER),
          replication("app", "app-replica", { sourceSelectionCriteria: undefined }),
        ],
        POLICY,
        [
          [urnOf(T.bucket, "app"), "does not replicate SSE-KMS objects"],
          [urnOf(T.bucket, "app-replica"), "has no copy in another Region"],
        ],
      ));
  });

  describe("native replication of other services", () => {
    const table = (inputs: Record<string, unknown>) =>
      resource(
        "aws:dynamodb/table:Table",
        "table",
        { serverSideEncryption: { enabled: true, kmsKeyArn: key(PRIMARY) }, ...inputs },
        { outputs: { arn: `arn:aws:dynamodb:${PRIMARY}:1:table/t` } },
      );
    it("passes a DynamoDB table with a replica in another Region", () =>
      expectViolations([table({ replicas: [{ regionName: PEER, kmsKeyArn: key(PEER) }] })], POLICY, []));
    it("passes a DynamoDB table with a TableReplica resource in another Region", () =>
      expectViolations(
        [
          table({}),
          resource("aws:dynamodb/tableReplica:TableReplica", "replica", {
            globalTableArn: `arn:aws:dynamodb:${PRIMARY}:1:table/t`,
            kmsKeyArn: key(PEER),
            region: PEER,
          }),
        ],
        POLICY,
        [],
      ));
    it("reports a DynamoDB table without replicas or backups", () =>
      expectViolations([table({})], POLICY, [
        [
          urnOf("aws:dynamodb/table:Table", "table"),
          "DynamoDB table table in us-east-1 has no copy in another Region",
        ],
      ]));

    const backupsReplication = (inputs: Record<string, unknown>) =>
      resource("aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication", "pitr", {
        sourceDbInstanceArn: DB_ARN,
        region: PEER,
        ...inputs,
      });
    it("passes RDS automated-backups replication encrypted with the destination Region's key", () =>
      expectViolations([database(), backupsReplication({ kmsKeyId: key(PEER) })], POLICY, []));
    it("reports automated-backups replication that names no key for an encrypted source", () =>
      expectViolations([database(), backupsReplication({})], POLICY, [
        [DB, `automated-backups replication pitr to ${PEER} names no KMS key`],
      ]));

    const group = (name: string, inputs: Record<string, unknown>) =>
      resource("aws:elasticache/replicationGroup:ReplicationGroup", name, {
        atRestEncryptionEnabled: true,
        transitEncryptionEnabled: true,
        kmsKeyId: key(PRIMARY),
        ...inputs,
      });
    it("passes an ElastiCache Global Datastore secondary member", () =>
      expectViolations(
        [group("cache", { globalReplicationGroupId: "ldgnf-global", kmsKeyId: key(PRIMARY) })],
        POLICY,
        [],
      ));
    it("passes a Global Datastore primary whose secondary in another Region is in the same stack", () =>
      expectViolations(
        [
          group("cache", { replicationGroupId: "cache" }),
          resource(
            "aws:elasticache/globalReplicationGroup:GlobalReplicationGroup",
            "global",
            { globalReplicationGroupIdSuffix: "g", primaryReplicationGroupId: "cache" },
            { outputs: { globalReplicationGroupId: "ldgnf-g" } },
          ),
          group("cache-peer", { globalReplicationGroupId: "ldgnf-g", region: PEER, kmsKeyId: key(PEER) }),
        ],
        POLICY,
        [],
      ));
    it("does not count a Global Datastore secondary that explicitly disables encryption at rest", () =>
      expectViolations(
        [
          group("cache", { replicationGroupId: "cache" }),
          resource(
            "aws:elasticache/globalReplicationGroup:GlobalReplicationGroup",
            "global",
            { globalReplicationGroupIdSuffix: "g", primaryReplicationGroupId: "cache" },
            { outputs: { globalReplicationGroupId: "ldgnf-g" } },
          ),
          group("cache-peer", {
            globalReplicationGroupId: "ldgnf-g",
            region: PEER,
            atRestEncryptionEnabled: false,
            kmsKeyId: undefined,
          }),
        ],
        POLICY,
        [
          [
            urnOf("aws:elasticache/replicationGroup:ReplicationGroup", "cache"),
            `Global Datastore member cache-peer to ${PEER} has atRestEncryptionEnabled: false`,
          ],
        ],
      ));
    // ElastiCache snapshot export: the tag, a replicated bucket and a scheduled exporter of that group.
    const GROUP = urnOf("aws:elasticache/replicationGroup:ReplicationGroup", "cache");
    const taggedGroup = () =>
      group("cache", {
        replicationGroupId: "payments-cache",
        tags: { "payments-dr:snapshot-bucket": "app" },
      });
    const FN_ARN = `arn:aws:lambda:${PRIMARY}:111122223333:function:exporter`;
    const exporter = (variables: Record<string, unknown>, inputs: Record<string, unknown> = {}) =>
      resource(
        "aws:lambda/function:Function",
        "exporter",
        { environment: { variables }, ...inputs },
        { outputs: { arn: FN_ARN } },
      );
    const EXPORTS = { REPLICATION_GROUP_ID: "payments-cache", TARGET_BUCKET: "app" };
    const schedule = (rule: Record<string, unknown> = { scheduleExpression: "rate(15 minutes)" }) => [
      resource("aws:cloudwatch/eventRule:EventRule", "schedule", rule, { outputs: { name: "schedule-1" } }),
      resource("aws:cloudwatch/eventTarget:EventTarget", "target", { rule: "schedule-1", arn: FN_ARN }),
    ];
    it("passes an ElastiCache group whose snapshots a scheduled function exports to a replicated bucket", () =>
      expectViolations(
        [taggedGroup(), exporter(EXPORTS), ...schedule(), ...replicatedBuckets()],
        POLICY,
        [],
      ));
    it("passes an export scheduled by EventBridge Scheduler", () =>
      expectViolations(
        [
          taggedGroup(),
          exporter(EXPORTS),
          resource("aws:scheduler/schedule:Schedule", "every-15", {
            scheduleExpression: "rate(15 minutes)",
            target: { arn: FN_ARN, roleArn: "arn:aws:iam::111122223333:role/scheduler" },
          }),
          ...replicatedBuckets(),
        ],
        POLICY,
        [],
      ));
    it("reports an ElastiCache group whose snapshot-bucket tag no exporter backs", () =>
      expectViolations([taggedGroup(), ...replicatedBuckets()], POLICY, [
        [
          GROUP,
          `its "payments-dr:snapshot-bucket" tag names bucket app, but no scheduled function in ${PRIMARY} exports it: expected a Lambda function invoked by an enabled schedule`,
        ],
      ]));
    it("does not count an exporter that nothing schedules, or one configured for another group", () => {
      expectViolations([taggedGroup(), exporter(EXPORTS), ...replicatedBuckets()], POLICY, [
        [GROUP, "no scheduled function in us-east-1 exports it"],
      ]);
      expectViolations(
        [
          taggedGroup(),
          exporter({ ...EXPORTS, REPLICATION_GROUP_ID: "other" }),
          ...schedule(),
          ...replicatedBuckets(),
        ],
        POLICY,
        [[GROUP, `whose environment names replicationGroupId "payments-cache" and bucket app`]],
      );
      expectViolations(
        [taggedGroup(), exporter(EXPORTS), ...schedule({ eventPattern: "{}" }), ...replicatedBuckets()],
        POLICY,
        [[GROUP, "no scheduled function"]],
      );
    });
    it("does not count an exporter in another Region (ElastiCache exports only within its Region)", () =>
      expectViolations(
        [taggedGroup(), exporter(EXPORTS, { region: PEER }), ...schedule(), ...replicatedBuckets()],
        POLICY,
        [[GROUP, `no scheduled function in ${PRIMARY} exports it`]],
      ));
    it("reports an exported group whose bucket is not replicated", () =>
      expectViolations([taggedGroup(), exporter(EXPORTS), ...schedule(), ...bucket("app", PRIMARY)], POLICY, [
        [GROUP, "names bucket app, which is not replicated to another Region"],
        [urnOf(T.bucket, "app"), "S3 bucket app"],
      ]));
    it("refuses as unproven (fail closed) a group whose tagged bucket or exporter settings are unknown", () => {
      const unknownTag = group("cache", {
        replicationGroupId: "payments-cache",
        tags: { "payments-dr:snapshot-bucket": UNKNOWN_VALUE },
      });
      const unproven: [string, string][] = [
        [
          urnOf("aws:elasticache/replicationGroup:ReplicationGroup", "cache"),
          "a copy in another Region cannot be proven at preview",
        ],
      ];
      expectViolations([unknownTag, ...replicatedBuckets()], POLICY, unproven);
      expectViolations(
        [
          taggedGroup(),
          exporter({ ...EXPORTS, TARGET_BUCKET: UNKNOWN_VALUE }),
          ...schedule(),
          ...replicatedBuckets(),
        ],
        POLICY,
        unproven,
      );
    });
    // OpenSearch snapshots reach S3 through a repository registered on the domain, with a schedule.
    const SEARCH = urnOf("aws:opensearch/domain:Domain", "search");
    const ENDPOINT = "vpc-search-1.us-east-1.es.amazonaws.com";
    const domain = () =>
      resource(
        "aws:opensearch/domain:Domain",
        "search",
        { domainName: "search", tags: { "payments-dr:snapshot-bucket": "app" } },
        { outputs: { endpoint: ENDPOINT } },
      );
    const repository = (inputs: Record<string, unknown> = {}) =>
      resource("pulumi-nodejs:dynamic/opensearch:SnapshotRepository", "repository", {
        endpoint: ENDPOINT,
        name: "payments-snapshots",
        bucket: "app",
        cron: "0 * * * *",
        ...inputs,
      });
    it("passes an OpenSearch domain whose scheduled snapshot repository is a replicated bucket", () =>
      expectViolations([domain(), repository(), ...replicatedBuckets()], POLICY, []));
    it("reports an OpenSearch domain whose snapshot-bucket tag no scheduled repository backs", () => {
      const expected: [string, string][] = [
        [
          SEARCH,
          `its "payments-dr:snapshot-bucket" tag names bucket app, but no snapshot repository in ${PRIMARY} registered on domain search writes to it on a schedule`,
        ],
      ];
      expectViolations([domain(), ...replicatedBuckets()], POLICY, expected);
      expectViolations([domain(), repository({ cron: undefined }), ...replicatedBuckets()], POLICY, expected);
      expectViolations([domain(), repository({ bucket: "other" }), ...replicatedBuckets()], POLICY, expected);
      expectViolations(
        [domain(), repository({ endpoint: "vpc-other.us-east-1.es.amazonaws.com" }), ...replicatedBuckets()],
        POLICY,
        expected,
      );
    });
    // The search admin function registers the repository: an invocation naming the domain.
    const invokedRepository = (input: Record<string, unknown> = {}, options = {}) =>
      resource(
        "aws:lambda/invocation:Invocation",
        "repository",
        {
          functionName: "search-admin",
          lifecycleScope: "CRUD",
          input: JSON.stringify({
            operation: "snapshotRepository",
            domainName: "search",
            name: "payments-snapshots",
            bucket: "app",
            bucketRegion: PRIMARY,
            policyName: "payments-scheduled",
            cron: "0 * * * *",
            maxAgeDays: 35,
            ...input,
          }),
        },
        options,
      );
    it("passes an OpenSearch domain whose repository a Lambda invocation registers by domain name", () =>
      expectViolations([domain(), invokedRepository(), ...replicatedBuckets()], POLICY, []));
    it("reports an invocation for another domain, another bucket or without a schedule", () => {
      const expected: [string, string][] = [
        [
          SEARCH,
          `but no snapshot repository in ${PRIMARY} registered on domain search writes to it on a schedule`,
        ],
      ];
      for (const change of [{ domainName: "other" }, { bucket: "other" }, { cron: undefined }])
        expectViolations([domain(), invokedRepository(change), ...replicatedBuckets()], POLICY, expected);
    });
    it("refuses at preview, naming what is unknown, an invocation with unknown input that depends on the domain", () => {
      const unknownInput = (dependencies: string[]) =>
        resource(
          "aws:lambda/invocation:Invocation",
          "repository",
          { functionName: "search-admin", lifecycleScope: "CRUD", input: UNKNOWN_VALUE },
          { dependencies },
        );
      // Fail closed (issue 13): the repository it may register cannot be proven, so the domain is refused.
      expectViolations([domain(), unknownInput([SEARCH]), ...replicatedBuckets()], POLICY, [
        [
          SEARCH,
          `OpenSearch domain search in "${PRIMARY}": a copy in another Region cannot be proven at preview: its snapshot repository. ` +
            "Expected a mechanism whose store, destination Region and key are known at preview or come from resources " +
            "declared in this stack (the engine's property dependencies). A store whose copy cannot be proven is refused, " +
            "not assumed covered.",
        ],
      ]);
      expectViolations([domain(), unknownInput([]), ...replicatedBuckets()], POLICY, [
        [
          SEARCH,
          `but no snapshot repository in ${PRIMARY} registered on domain search writes to it on a schedule`,
        ],
      ]);
    });
    it("does not count the snapshot-bucket tag on a store whose snapshots cannot be exported to S3", () =>
      expectViolations(
        [database({ tags: { "payments-dr:snapshot-bucket": "app" } }), ...replicatedBuckets()],
        POLICY,
        [
          [
            DB,
            `its "payments-dr:snapshot-bucket" tag names bucket app, but aws:rds/instance:Instance snapshots are not exported to S3 by a verified exporter`,
          ],
        ],
      ));

    const warehouse = resource("aws:redshift/cluster:Cluster", "warehouse", {
      clusterIdentifier: "warehouse",
      encrypted: "true",
      kmsKeyId: key(PRIMARY),
    });
    const copy = resource("aws:redshift/snapshotCopy:SnapshotCopy", "copy", {
      clusterIdentifier: "warehouse",
      destinationRegion: PEER,
      snapshotCopyGrantName: "grant",
    });
    it("passes a Redshift snapshot copy with a grant in the destination Region", () =>
      expectViolations(
        [
          warehouse,
          copy,
          resource("aws:redshift/snapshotCopyGrant:SnapshotCopyGrant", "grant", {
            snapshotCopyGrantName: "grant",
            kmsKeyId: key(PEER),
            region: PEER,
          }),
        ],
        POLICY,
        [],
      ));
    it("reports a Redshift snapshot copy of a KMS-encrypted cluster without a grant", () =>
      expectViolations([warehouse, copy], POLICY, [
        [
          urnOf("aws:redshift/cluster:Cluster", "warehouse"),
          `has no snapshot-copy grant declared in that Region`,
        ],
      ]));

    it("passes an EFS file system replicated to another Region", () =>
      expectViolations(
        [
          resource(
            "aws:efs/fileSystem:FileSystem",
            "fs",
            { encrypted: true, kmsKeyId: key(PRIMARY) },
            { outputs: { id: "fs-1" } },
          ),
          resource("aws:efs/replicationConfiguration:ReplicationConfiguration", "fs-replication", {
            sourceFileSystemId: "fs-1",
            destination: { region: PEER, kmsKeyId: key(PEER) },
          }),
        ],
        POLICY,
        [],
      ));

    // Cross-cluster replication: the follower (local side) replicates the leader (remote side) only
    // once the leader accepts the connection and a follow rule starts replication.
    const CONNECTION = "aws:opensearch/outboundConnection:OutboundConnection";
    const FOLLOWER_ENDPOINT = "vpc-follower-1.us-east-1.es.amazonaws.com";
    const ccr = (withAccepter: boolean, withRule: boolean, leaderInStack: boolean) => [
      resource(
        "aws:opensearch/domain:Domain",
        "follower",
        { domainName: "follower", encryptAtRest: { enabled: true, kmsKeyId: key(PRIMARY) } },
        { outputs: { endpoint: FOLLOWER_ENDPOINT } },
      ),
      ...(leaderInStack
        ? [resource("aws:opensearch/domain:Domain", "leader", { domainName: "leader", region: PEER })]
        : []),
      resource(
        CONNECTION,
        "connection",
        {
          connectionAlias: "leader",
          localDomainInfo: { domainName: "follower", region: PRIMARY, ownerId: "1" },
          remoteDomainInfo: { domainName: "leader", region: PEER, ownerId: "1" },
        },
        { outputs: { id: "1:leader:follower" } },
      ),
      ...(withAccepter
        ? [
            resource("aws:opensearch/inboundConnectionAccepter:InboundConnectionAccepter", "accepter", {
              connectionId: "1:leader:follower",
              region: PEER,
            }),
          ]
        : []),
      ...(withRule
        ? [
            resource("pulumi-nodejs:dynamic/opensearch:FollowRule", "follow-rule", {
              endpoint: FOLLOWER_ENDPOINT,
              leaderAlias: "leader",
              ruleName: "all",
              pattern: "*",
            }),
          ]
        : []),
    ];
    it("passes a follower whose follow rule a Lambda invocation creates by domain name", () => {
      const [follower, connection, accepter] = ccr(true, false, false);
      const rule = resource("aws:lambda/invocation:Invocation", "follow-rule", {
        functionName: "search-admin",
        lifecycleScope: "CRUD",
        input: JSON.stringify({
          operation: "followRule",
          domainName: "follower",
          leaderAlias: "leader",
          ruleName: "all",
          pattern: "*",
        }),
      });
      expectViolations([follower, connection, accepter, rule], POLICY, []);
      const elsewhere = resource("aws:lambda/invocation:Invocation", "follow-rule", {
        input: JSON.stringify({
          operation: "followRule",
          domainName: "other",
          leaderAlias: "leader",
          ruleName: "all",
        }),
      });
      expectViolations([follower, connection, accepter, elsewhere], POLICY, [
        [urnOf("aws:opensearch/domain:Domain", "follower"), "replicates nothing"],
      ]);
    });
    const FOLLOWER = urnOf("aws:opensearch/domain:Domain", "follower");
    const LEADER = urnOf("aws:opensearch/domain:Domain", "leader");
    it("passes a follower domain as a replica of its leader in another Region once replication runs", () =>
      expectViolations(ccr(true, true, false), POLICY, []));
    it("passes a leader domain declared in the stack whose follower in another Region replicates it", () =>
      expectViolations(ccr(true, true, true), POLICY, []));
    it("does not count a cross-cluster connection nobody accepts or no follow rule uses", () => {
      for (const [accepter, rule] of [
        [false, false],
        [true, false],
        [false, true],
      ]) {
        expectViolations(ccr(accepter, rule, false), POLICY, [
          [FOLLOWER, 'cross-cluster connection connection (with "leader") replicates nothing: expected'],
        ]);
        expectViolations(ccr(accepter, rule, true), POLICY, [
          [FOLLOWER, "replicates nothing"],
          [LEADER, "replicates nothing"],
        ]);
      }
    });
  });

  it("skips types listed in ignoredTypes", () =>
    expectViolations([database()], POLICY, [], {
      [POLICY]: { ignoredTypes: ["aws:rds/instance:Instance"] },
    }));

  it("does not count a read replica's source in another stack as the replica's copy", () =>
    expectViolations(
      [database({ replicateSourceDb: "arn:aws:rds:us-west-2:1:db:source", region: PRIMARY })],
      POLICY,
      [[DB, "has no copy in another Region"]],
    ));
});

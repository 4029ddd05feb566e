import * as assert from "assert";
import { AT_REST_TYPES } from "../../policies/encryption/encryptionAtRest";
import { expectViolations, key, PEER, PRIMARY, resource, urnOf } from "./fixtures";

const CMK = key(PRIMARY);

/** Per type: compliant inputs, the argument holding the key, and the change that disables encryption. */
const FIXTURES: Record<
  string,
  {
    compliant: Record<string, unknown>;
    keyPath: string[];
    unencrypted?: Record<string, unknown>;
    /** Without a key the store is not encrypted at all (SNS): the default-key cases do not apply. */
    keyIsEncryption?: boolean;
  }
> = {
  "aws:rds/instance:Instance": {
    compliant: { storageEncrypted: true, kmsKeyId: CMK },
    keyPath: ["kmsKeyId"],
    unencrypted: { storageEncrypted: false, kmsKeyId: undefined },
  },
  "aws:rds/cluster:Cluster": {
    compliant: { storageEncrypted: true, kmsKeyId: CMK },
    keyPath: ["kmsKeyId"],
    unencrypted: { storageEncrypted: false, kmsKeyId: undefined },
  },
  "aws:rds/globalCluster:GlobalCluster": {
    compliant: { storageEncrypted: true },
    keyPath: [],
    unencrypted: { storageEncrypted: false },
  },
  "aws:dynamodb/table:Table": {
    compliant: { serverSideEncryption: { enabled: true, kmsKeyArn: CMK } },
    keyPath: ["serverSideEncryption", "kmsKeyArn"],
  },
  "aws:dynamodb/tableReplica:TableReplica": { compliant: { kmsKeyArn: CMK }, keyPath: ["kmsKeyArn"] },
  "aws:ebs/volume:Volume": {
    compliant: { encrypted: true, kmsKeyId: CMK },
    keyPath: ["kmsKeyId"],
    unencrypted: { encrypted: false, kmsKeyId: undefined },
  },
  "aws:efs/fileSystem:FileSystem": {
    compliant: { encrypted: true, kmsKeyId: CMK },
    keyPath: ["kmsKeyId"],
    unencrypted: { encrypted: undefined, kmsKeyId: undefined },
  },
  "aws:elasticache/replicationGroup:ReplicationGroup": {
    compliant: { atRestEncryptionEnabled: true, kmsKeyId: CMK },
    keyPath: ["kmsKeyId"],
    unencrypted: { atRestEncryptionEnabled: false, kmsKeyId: undefined },
  },
  "aws:elasticache/cluster:Cluster": {
    compliant: { replicationGroupId: "cache-group" },
    keyPath: [],
    unencrypted: { replicationGroupId: undefined, engine: "memcached" },
  },
  "aws:elasticache/serverlessCache:ServerlessCache": { compliant: { kmsKeyId: CMK }, keyPath: ["kmsKeyId"] },
  "aws:opensearch/domain:Domain": {
    compliant: { encryptAtRest: { enabled: true, kmsKeyId: CMK } },
    keyPath: ["encryptAtRest", "kmsKeyId"],
    unencrypted: { encryptAtRest: { enabled: false } },
  },
  "aws:elasticsearch/domain:Domain": {
    compliant: { encryptAtRest: { enabled: true, kmsKeyId: CMK } },
    keyPath: ["encryptAtRest", "kmsKeyId"],
    unencrypted: { encryptAtRest: undefined },
  },
  "aws:redshift/cluster:Cluster": {
    compliant: { encrypted: "true", kmsKeyId: CMK },
    keyPath: ["kmsKeyId"],
    unencrypted: { encrypted: "false", kmsKeyId: undefined },
  },
  "aws:redshiftserverless/namespace:Namespace": { compliant: { kmsKeyId: CMK }, keyPath: ["kmsKeyId"] },
  "aws:neptune/cluster:Cluster": {
    compliant: { storageEncrypted: true, kmsKeyArn: CMK },
    keyPath: ["kmsKeyArn"],
    unencrypted: { storageEncrypted: false, kmsKeyArn: undefined },
  },
  "aws:neptune/globalCluster:GlobalCluster": {
    compliant: { storageEncrypted: true },
    keyPath: [],
    unencrypted: { storageEncrypted: undefined },
  },
  "aws:docdb/cluster:Cluster": {
    compliant: { storageEncrypted: true, kmsKeyId: CMK },
    keyPath: ["kmsKeyId"],
    unencrypted: { storageEncrypted: false, kmsKeyId: undefined },
  },
  "aws:docdb/globalCluster:GlobalCluster": {
    compliant: { storageEncrypted: true },
    keyPath: [],
    unencrypted: { storageEncrypted: false },
  },
  "aws:fsx/lustreFileSystem:LustreFileSystem": {
    compliant: { deploymentType: "PERSISTENT_2", kmsKeyId: CMK },
    keyPath: ["kmsKeyId"],
  },
  "aws:fsx/windowsFileSystem:WindowsFileSystem": { compliant: { kmsKeyId: CMK }, keyPath: ["kmsKeyId"] },
  "aws:fsx/ontapFileSystem:OntapFileSystem": { compliant: { kmsKeyId: CMK }, keyPath: ["kmsKeyId"] },
  "aws:fsx/openZfsFileSystem:OpenZfsFileSystem": { compliant: { kmsKeyId: CMK }, keyPath: ["kmsKeyId"] },
  "aws:kinesis/stream:Stream": {
    compliant: { encryptionType: "KMS", kmsKeyId: CMK },
    keyPath: ["kmsKeyId"],
    unencrypted: { encryptionType: "NONE", kmsKeyId: undefined },
  },
  "aws:sqs/queue:Queue": {
    compliant: { kmsMasterKeyId: CMK },
    keyPath: ["kmsMasterKeyId"],
    unencrypted: { kmsMasterKeyId: undefined, sqsManagedSseEnabled: false },
  },
  "aws:sns/topic:Topic": {
    compliant: { kmsMasterKeyId: CMK },
    keyPath: ["kmsMasterKeyId"],
    keyIsEncryption: true,
    unencrypted: { kmsMasterKeyId: undefined },
  },
  "aws:backup/vault:Vault": { compliant: { kmsKeyArn: CMK }, keyPath: ["kmsKeyArn"] },
  "aws:ec2/instance:Instance": {
    compliant: { rootBlockDevice: { encrypted: true, kmsKeyId: CMK } },
    keyPath: ["rootBlockDevice", "kmsKeyId"],
    unencrypted: { rootBlockDevice: { encrypted: false } },
  },
  "aws:ec2/spotInstanceRequest:SpotInstanceRequest": {
    compliant: { rootBlockDevice: { encrypted: true, kmsKeyId: CMK } },
    keyPath: ["rootBlockDevice", "kmsKeyId"],
    unencrypted: { rootBlockDevice: undefined },
  },
  "aws:ec2/launchTemplate:LaunchTemplate": {
    compliant: {
      blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true", kmsKeyId: CMK } }],
    },
    keyPath: ["blockDeviceMappings", "0", "ebs", "kmsKeyId"],
    unencrypted: { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "false" } }] },
  },
  "aws:cloudwatch/logGroup:LogGroup": { compliant: { kmsKeyId: CMK }, keyPath: ["kmsKeyId"] },
};

/** A copy of `props` with the value at `path` replaced (undefined removes it). */
function withValue(props: Record<string, unknown>, path: string[], value: unknown): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(props)) as Record<string, unknown>;
  let node = copy;
  path.slice(0, -1).forEach((k) => (node = (node[k] ??= {}) as Record<string, unknown>));
  if (value === undefined) delete node[path[path.length - 1]];
  else node[path[path.length - 1]] = value;
  return copy;
}

describe("encryption-at-rest rules", () => {
  it("covers every listed data-store type with a fixture", () => {
    assert.deepStrictEqual(AT_REST_TYPES.map((t) => t.type).sort(), Object.keys(FIXTURES).sort());
  });

  for (const entry of AT_REST_TYPES) {
    const fixture = FIXTURES[entry.type];
    const policy = `${entry.prefix}-encryption-at-rest`;
    const urn = urnOf(entry.type, "store");
    const run = (
      props: Record<string, unknown>,
      expected: [string, string][],
      config?: Record<string, unknown>,
    ) =>
      expectViolations(
        [resource(entry.type, "store", props)],
        policy,
        expected,
        config ? { [policy]: config } : undefined,
      );

    describe(policy, () => {
      it("passes a store encrypted with a customer-managed key in its own Region", () =>
        run(fixture.compliant, []));

      if (fixture.unencrypted) {
        const unencrypted = { ...fixture.compliant, ...fixture.unencrypted };
        for (const k of Object.keys(unencrypted)) if (unencrypted[k] === undefined) delete unencrypted[k];
        it("reports a store that is not encrypted at rest, naming expected and actual", () =>
          run(unencrypted, [[urn, `${entry.label} is not encrypted at rest: expected`]]));
      }

      if (fixture.keyPath.length > 0 && !fixture.keyIsEncryption) {
        it("reports the service's default key when a customer-managed key is required", () =>
          run(withValue(fixture.compliant, fixture.keyPath, undefined), [
            [urn, `${entry.label} is not encrypted with a customer-managed key`],
          ]));
      }
      if (fixture.keyPath.length > 0) {
        it("reports an AWS-managed alias as not customer-managed", () =>
          run(withValue(fixture.compliant, fixture.keyPath, "alias/aws/service"), [
            [urn, '"alias/aws/service" (AWS-managed)'],
          ]));
        it("reports a key in another Region than the store", () =>
          run(withValue(fixture.compliant, fixture.keyPath, key(PEER)), [
            [urn, `in ${PRIMARY} is encrypted with a key in ${PEER}`],
          ]));
      }
      if (fixture.keyPath.length > 0 && !fixture.keyIsEncryption) {
        it("accepts the default key when requireCustomerManagedKey is false", () =>
          run(withValue(fixture.compliant, fixture.keyPath, undefined), [], {
            requireCustomerManagedKey: false,
          }));
      }
    });
  }

  it("accepts an encrypted cross-Region RDS replica whose kmsKeyId is in the replica's Region", () =>
    expectViolations(
      [
        resource("aws:rds/instance:Instance", "replica", {
          replicateSourceDb: "arn:aws:rds:us-east-1:1:db:src",
          kmsKeyId: key(PEER),
          region: PEER,
        }),
      ],
      "rds-instance-encryption-at-rest",
      [],
    ));

  it("reports a DynamoDB replica whose key is in another Region than the replica", () => {
    const table = {
      serverSideEncryption: { enabled: true, kmsKeyArn: CMK },
      replicas: [{ regionName: PEER, kmsKeyArn: CMK }],
    };
    expectViolations(
      [resource("aws:dynamodb/table:Table", "table", table)],
      "dynamodb-table-encryption-at-rest",
      [
        [
          urnOf("aws:dynamodb/table:Table", "table"),
          `DynamoDB replica in ${PEER} has replicas[].kmsKeyArn in ${PRIMARY}`,
        ],
      ],
    );
  });

  const GROUP = "aws:elasticache/replicationGroup:ReplicationGroup";
  it("trusts a Global Datastore secondary's inherited encryption only when its flags are absent", () => {
    const secondary = (inputs: Record<string, unknown>) =>
      resource(GROUP, "store", { globalReplicationGroupId: "ldgnf-global", kmsKeyId: CMK, ...inputs });
    expectViolations([secondary({})], "elasticache-replication-group-encryption-at-rest", []);
    expectViolations(
      [secondary({ atRestEncryptionEnabled: false })],
      "elasticache-replication-group-encryption-at-rest",
      [[urnOf(GROUP, "store"), "ElastiCache replication group is not encrypted at rest: expected"]],
    );
  });

  it("accepts the customer-managed-key check on an FSx for Lustre scratch file system, which cannot use one", () =>
    expectViolations(
      [resource("aws:fsx/lustreFileSystem:LustreFileSystem", "scratch", { deploymentType: "SCRATCH_2" })],
      "fsx-lustre-file-system-encryption-at-rest",
      [],
    ));
});

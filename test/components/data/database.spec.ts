/**
 * RDS PostgreSQL in both stacks: encryption with each Region's key, TLS-only, managed master
 * password, automated-backup replication to the peer Region, the dr cross-Region read replica and
 * its in-place promotion.
 */
import * as assert from "assert";
import { REPLACE_ON_CHANGE } from "../../../automation/stack/replaceRules";
import { postgresFamily } from "../../../components/data/database";
import { databaseNameFor } from "../../../stacks/databases";
import { RenderedResource, RenderedStack } from "../../../tools/render/render";
import { find, findAll, renderTestStack } from "../../helpers/stacks";

const INSTANCE = "aws:rds/instance:Instance";
const BACKUP_REPLICATION = "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication";

/** The replace-only arguments of `aws.rds.Instance`, from the table the failover dry run uses. */
const RDS_REPLACE_ONLY = REPLACE_ON_CHANGE[INSTANCE];

const keysOf = (stack: RenderedStack) => stack.outputs.keys as Record<string, string>;
const peerKeysOf = (stack: RenderedStack) => stack.outputs.peerKeys as Record<string, string>;
const regionOfArn = (arn: unknown) => String(arn).split(":")[3];
const without = (inputs: Record<string, unknown>, key: string) =>
  Object.fromEntries(Object.entries(inputs).filter(([k]) => k !== key));

describe("database (RDS PostgreSQL)", () => {
  let primary: RenderedStack;
  let standby: RenderedStack;
  let active: RenderedStack;
  before(async function () {
    this.timeout(180_000);
    primary = await renderTestStack("primary");
    standby = await renderTestStack("dr");
    active = await renderTestStack("dr", ["payments-dr:mode=active"]);
  });

  describe("primary", () => {
    let instance: RenderedResource;
    before(() => (instance = find(primary, INSTANCE, "database-instance")));

    it("encrypts storage, the managed master secret and Performance Insights with the primary Region's data key", () => {
      const dataKey = keysOf(primary).data;
      assert.strictEqual(regionOfArn(dataKey), "us-east-1");
      assert.deepStrictEqual(
        [
          instance.inputs.storageEncrypted,
          instance.inputs.kmsKeyId,
          instance.inputs.masterUserSecretKmsKeyId,
          instance.inputs.performanceInsightsEnabled,
          instance.inputs.performanceInsightsKmsKeyId,
        ],
        [true, dataKey, dataKey, true, dataKey],
      );
      assert.strictEqual(instance.region, "us-east-1");
    });

    it("pins only the major version and lets RDS apply minor versions, on the primary and the dr replica", () => {
      // The provider keeps a major-only engineVersion in state while engineVersionActual follows
      // the running 16.x, so an AWS-applied minor upgrade never plans a downgrade.
      for (const [stack, rendered] of [
        ["primary", primary],
        ["dr standby", standby],
        ["dr active", active],
      ] as const) {
        const db = find(rendered, INSTANCE, "database-instance");
        const parameters = find(rendered, "aws:rds/parameterGroup:ParameterGroup", "database-parameters");
        assert.deepStrictEqual(
          [
            db.inputs.engine,
            db.inputs.engineVersion,
            db.inputs.autoMinorVersionUpgrade,
            parameters.inputs.family,
          ],
          ["postgres", "16", true, "postgres16"],
          stack,
        );
      }
    });

    it("lets RDS generate and rotate the master password: no password in config or state", () => {
      assert.strictEqual(instance.inputs.manageMasterUserPassword, true);
      assert.strictEqual(instance.inputs.password, undefined);
      assert.strictEqual(instance.inputs.passwordWo, undefined);
      assert.strictEqual(instance.inputs.username, "payments_admin");
    });

    it("is Multi-AZ, private, deletion-protected, keeps automated backups for the configured days, and is protected", () => {
      assert.deepStrictEqual(
        {
          multiAz: instance.inputs.multiAz,
          publiclyAccessible: instance.inputs.publiclyAccessible,
          deletionProtection: instance.inputs.deletionProtection,
          backupRetentionPeriod: instance.inputs.backupRetentionPeriod,
          deleteAutomatedBackups: instance.inputs.deleteAutomatedBackups,
          skipFinalSnapshot: instance.inputs.skipFinalSnapshot,
          engine: instance.inputs.engine,
          identifier: instance.inputs.identifier,
        },
        {
          multiAz: true,
          publiclyAccessible: false,
          deletionProtection: true,
          backupRetentionPeriod: 14,
          deleteAutomatedBackups: false,
          skipFinalSnapshot: false,
          engine: "postgres",
          identifier: "payments-dr-primary",
        },
      );
      assert.strictEqual(instance.protect, true);
    });

    it("forces TLS through its own parameter group (rds.force_ssl = 1)", () => {
      const parameters = find(primary, "aws:rds/parameterGroup:ParameterGroup", "database-parameters");
      assert.strictEqual(parameters.inputs.family, "postgres16");
      assert.deepStrictEqual(parameters.inputs.parameters, [
        { name: "rds.force_ssl", value: "1", applyMethod: "pending-reboot" },
      ]);
      assert.strictEqual(instance.inputs.parameterGroupName, parameters.outputs.name);
    });

    it("lives in the private subnets and admits PostgreSQL from the VPC only", () => {
      const subnets = find(primary, "aws:rds/subnetGroup:SubnetGroup", "database-subnets");
      const network = primary.outputs.network as { privateSubnetIds: string[]; cidrBlock: string };
      assert.deepStrictEqual(subnets.inputs.subnetIds, network.privateSubnetIds);
      assert.strictEqual(instance.inputs.dbSubnetGroupName, subnets.outputs.name);
      const securityGroup = find(primary, "aws:ec2/securityGroup:SecurityGroup", "database-security-group");
      assert.deepStrictEqual(
        (securityGroup.inputs.ingress as Record<string, unknown>[]).map((rule) => [
          rule.protocol,
          rule.fromPort,
          rule.toPort,
          rule.cidrBlocks,
        ]),
        [["tcp", 5432, 5432, ["10.10.0.0/16"]]],
      );
      assert.strictEqual(network.cidrBlock, "10.10.0.0/16");
    });

    it("replicates its automated backups into the dr Region, encrypted with its own key there", () => {
      const replication = find(primary, BACKUP_REPLICATION, "database-backups-replication");
      assert.strictEqual(replication.region, "us-west-2");
      assert.deepStrictEqual(replication.inputs, {
        sourceDbInstanceArn: instance.outputs.arn,
        kmsKeyId: peerKeysOf(primary).data,
        retentionPeriod: 14,
        region: "us-west-2",
      });
      assert.strictEqual(regionOfArn(replication.inputs.kmsKeyId), "us-west-2");
      assert.strictEqual(replication.protect, true);
    });

    it("publishes the instance for the dr replica and the failover controller", () => {
      assert.deepStrictEqual(primary.outputs.database, {
        instanceIdentifier: "payments-dr-primary",
        instanceArn: "arn:aws:rds:us-east-1:111122223333:db:payments-dr-primary",
        endpoint: instance.outputs.endpoint,
        isReplica: false,
        presence: "source",
        generation: 0,
      });
      assert.match(
        String(instance.outputs.endpoint),
        /^payments-dr-primary\.[a-z0-9]{12}\.us-east-1\.rds\.amazonaws\.com:5432$/,
      );
    });
  });

  describe("dr", () => {
    let replica: RenderedResource;
    let promoted: RenderedResource;
    before(() => {
      replica = find(standby, INSTANCE, "database-instance");
      promoted = find(active, INSTANCE, "database-instance");
    });

    it("is a cross-Region read replica of the primary instance, given by the primary's ARN", () => {
      assert.strictEqual(
        replica.inputs.replicateSourceDb,
        (primary.outputs.database as { instanceArn: string }).instanceArn,
      );
      assert.strictEqual(regionOfArn(replica.inputs.replicateSourceDb), "us-east-1");
      assert.strictEqual(replica.region, "us-west-2");
    });

    it("encrypts the replica with the dr Region's data key (the replica of the multi-Region key)", () => {
      const drKey = keysOf(standby).data;
      assert.strictEqual(regionOfArn(drKey), "us-west-2");
      assert.strictEqual(find(standby, "aws:kms/replicaKey:ReplicaKey", "keys-data").outputs.arn, drKey);
      assert.deepStrictEqual(
        [
          replica.inputs.storageEncrypted,
          replica.inputs.kmsKeyId,
          replica.inputs.performanceInsightsKmsKeyId,
        ],
        [true, drKey, drKey],
      );
    });

    it("never sets what a replica inherits from its source (master user, database name, managed password)", () => {
      for (const instance of [replica, promoted]) {
        assert.deepStrictEqual(
          [
            instance.inputs.username,
            instance.inputs.dbName,
            instance.inputs.manageMasterUserPassword,
            instance.inputs.password,
          ],
          [undefined, undefined, undefined, undefined],
        );
      }
      // Enabling managed passwords after promotion is an out-of-band step the next `up` keeps.
      assert.deepStrictEqual(promoted.ignoreChanges, [
        "manageMasterUserPassword",
        "masterUserSecretKmsKeyId",
      ]);
    });

    it("promotes in place: standby and active differ on the instance only by replicateSourceDb", () => {
      assert.strictEqual(promoted.urn, replica.urn);
      assert.strictEqual(promoted.inputs.replicateSourceDb, undefined);
      assert.deepStrictEqual(promoted.inputs, without(replica.inputs, "replicateSourceDb"));
      assert.deepStrictEqual(promoted.ignoreChanges, replica.ignoreChanges);
      assert.strictEqual(promoted.protect, true);
    });

    it("changes no replace-only argument between standby and active", () => {
      assert.ok(["kmsKeyId", "storageEncrypted", "identifier"].every((k) => RDS_REPLACE_ONLY.includes(k)));
      for (const key of RDS_REPLACE_ONLY) {
        assert.deepStrictEqual(promoted.inputs[key], replica.inputs[key], `replace-only ${key} differs`);
      }
      assert.deepStrictEqual(promoted.replaceOnChanges, []);
    });

    it("keeps its automated backups on (PostgreSQL 14.1+ replicas support them) so promotion does not change them", () => {
      assert.strictEqual(replica.inputs.backupRetentionPeriod, 14);
      assert.strictEqual(promoted.inputs.backupRetentionPeriod, 14);
    });

    it("replicates its own backups back to the primary Region only once promoted, as a create", () => {
      assert.deepStrictEqual(findAll(standby, BACKUP_REPLICATION), []);
      const replication = find(active, BACKUP_REPLICATION, "database-backups-replication");
      assert.strictEqual(replication.region, "us-east-1");
      assert.deepStrictEqual(replication.inputs, {
        sourceDbInstanceArn: promoted.outputs.arn,
        kmsKeyId: peerKeysOf(active).data,
        retentionPeriod: 14,
        region: "us-east-1",
      });
      assert.strictEqual(regionOfArn(replication.inputs.kmsKeyId), "us-east-1");
    });

    it("keeps the URN of every data store and of every other databases resource through failover", () => {
      const urns = (stack: RenderedStack) =>
        stack.resources.filter((r) => /::(database|cache|search)(-|$)/.test(r.urn)).map((r) => r.urn);
      for (const [type, name] of [
        [INSTANCE, "database-instance"],
        ["aws:elasticache/replicationGroup:ReplicationGroup", "cache-replication-group"],
        ["aws:opensearch/domain:Domain", "search-domain"],
      ]) {
        assert.strictEqual(find(active, type, name).urn, find(standby, type, name).urn);
      }
      const added = urns(active).filter((urn) => !urns(standby).includes(urn));
      assert.deepStrictEqual(
        urns(standby).filter((urn) => !urns(active).includes(urn)),
        [],
        "failover removes nothing",
      );
      assert.deepStrictEqual(added, [find(active, BACKUP_REPLICATION, "database-backups-replication").urn]);
    });

    it("is selected for AWS Backup (copied to the peer vault) as a replica and once promoted, with the same selection", () => {
      const selected = (stack: RenderedStack) =>
        findAll(stack, "aws:backup/selection:Selection").filter((s) =>
          ((s.inputs.resources as string[] | undefined) ?? []).includes(
            String(find(stack, INSTANCE, "database-instance").outputs.arn),
          ),
        );
      assert.strictEqual(selected(standby).length, 1);
      assert.deepStrictEqual(
        selected(active).map((s) => [s.urn, s.inputs]),
        selected(standby).map((s) => [s.urn, s.inputs]),
      );
    });

    it("reports whether it is still a replica", () => {
      assert.strictEqual((standby.outputs.database as { isReplica: boolean }).isReplica, true);
      assert.strictEqual((active.outputs.database as { isReplica: boolean }).isReplica, false);
    });
  });

  describe("naming and validation", () => {
    it("derives the parameter group family from a major version and refuses minor versions and versions before 10", () => {
      assert.strictEqual(postgresFamily("16"), "postgres16");
      assert.strictEqual(postgresFamily("17"), "postgres17");
      assert.throws(
        () => postgresFamily("9"),
        /payments-dr:database\.engineVersion = "9": expected a PostgreSQL major version 10 or later.*Fix: pulumi config set --path payments-dr:database\.engineVersion 16/,
      );
      // A pinned minor version is retired by AWS and, once AWS upgrades it, read back as a downgrade.
      assert.throws(
        () => postgresFamily("16.4"),
        /payments-dr:database\.engineVersion = "16\.4": expected a PostgreSQL major version .*no minor version/,
      );
    });

    it("names databases <project>-<stack> within OpenSearch's 28 characters", () => {
      assert.strictEqual(databaseNameFor("payments-dr", "dr"), "payments-dr-dr");
      assert.throws(
        () => databaseNameFor("payments-dr", "a-very-long-stack-name-x"),
        /3-28 lower-case.*Fix: use a shorter stack name/,
      );
    });
  });
});

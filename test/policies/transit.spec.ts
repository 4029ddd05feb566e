import { expectViolations, resource, urnOf } from "./fixtures";

const GROUP = "aws:elasticache/replicationGroup:ReplicationGroup";
const CLUSTER = "aws:elasticache/cluster:Cluster";
const DOMAIN = "aws:opensearch/domain:Domain";
const ES = "aws:elasticsearch/domain:Domain";
const DB = "aws:rds/instance:Instance";
const AURORA = "aws:rds/cluster:Cluster";
const WAREHOUSE = "aws:redshift/cluster:Cluster";

const secureDomain = {
  nodeToNodeEncryption: { enabled: true },
  domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: "Policy-Min-TLS-1-2-PFS-2023-10" },
};

describe("encryption-in-transit rules", () => {
  describe("elasticache-replication-group-encryption-in-transit", () => {
    const policy = "elasticache-replication-group-encryption-in-transit";
    it("passes transit encryption in required mode", () =>
      expectViolations(
        [resource(GROUP, "cache", { transitEncryptionEnabled: true, transitEncryptionMode: "required" })],
        policy,
        [],
      ));
    it("reports disabled transit encryption", () =>
      expectViolations([resource(GROUP, "cache", { transitEncryptionEnabled: false })], policy, [
        [urnOf(GROUP, "cache"), "transitEncryptionEnabled: false: expected true"],
      ]));
    it("reports the preferred mode, which still accepts clear-text clients", () =>
      expectViolations(
        [resource(GROUP, "cache", { transitEncryptionEnabled: true, transitEncryptionMode: "preferred" })],
        policy,
        [[urnOf(GROUP, "cache"), 'transitEncryptionMode: "preferred": expected "required"']],
      ));
    it("leaves a Global Datastore secondary to the settings it inherits", () =>
      expectViolations([resource(GROUP, "cache", { globalReplicationGroupId: "ldgnf-g" })], policy, []));
  });

  describe("elasticache-cluster-encryption-in-transit", () => {
    const policy = "elasticache-cluster-encryption-in-transit";
    it("passes a standalone cluster with TLS and a replication-group node", () =>
      expectViolations(
        [
          resource(CLUSTER, "a", { transitEncryptionEnabled: true }),
          resource(CLUSTER, "b", { replicationGroupId: "g" }),
        ],
        policy,
        [],
      ));
    it("reports a standalone cluster without TLS", () =>
      expectViolations([resource(CLUSTER, "a", {})], policy, [
        [urnOf(CLUSTER, "a"), "transitEncryptionEnabled: not set: expected true"],
      ]));
  });

  for (const [type, prefix, label] of [
    [DOMAIN, "opensearch-domain", "OpenSearch domain"],
    [ES, "elasticsearch-domain", "Elasticsearch domain"],
  ]) {
    describe(`${prefix}-encryption-in-transit`, () => {
      const policy = `${prefix}-encryption-in-transit`;
      const urn = urnOf(type, "search");
      it("passes node-to-node encryption with HTTPS and TLS 1.2", () =>
        expectViolations([resource(type, "search", secureDomain)], policy, []));
      it("reports each missing setting", () =>
        expectViolations(
          [
            resource(type, "search", {
              domainEndpointOptions: { tlsSecurityPolicy: "Policy-Min-TLS-1-0-2019-07" },
            }),
          ],
          policy,
          [
            [urn, `${label} has nodeToNodeEncryption.enabled: not set: expected true`],
            [urn, `${label} has domainEndpointOptions.enforceHttps: not set: expected true`],
            [urn, '"Policy-Min-TLS-1-0-2019-07": expected a TLS 1.2+ policy'],
          ],
        ));
    });
  }

  describe("rds-instance-ssl-required and rds-cluster-ssl-required", () => {
    const group = (type: string, name: string, parameters: { name: string; value: string }[]) =>
      resource(type, name, { name, family: "postgres16", parameters });
    it("passes a PostgreSQL instance whose parameter group sets rds.force_ssl = 1", () =>
      expectViolations(
        [
          resource(DB, "db", { engine: "postgres", parameterGroupName: "pg" }),
          group("aws:rds/parameterGroup:ParameterGroup", "pg", [{ name: "rds.force_ssl", value: "1" }]),
        ],
        "rds-instance-ssl-required",
        [],
      ));
    it("reports rds.force_ssl = 0", () =>
      expectViolations(
        [
          resource(DB, "db", { engine: "postgres", parameterGroupName: "pg" }),
          group("aws:rds/parameterGroup:ParameterGroup", "pg", [{ name: "rds.force_ssl", value: "0" }]),
        ],
        "rds-instance-ssl-required",
        [[urnOf(DB, "db"), 'expected rds.force_ssl = 1 in parameter group pg, found "0"']],
      ));
    it("reports an instance on the engine's default parameter group", () =>
      expectViolations([resource(DB, "db", { engine: "mysql" })], "rds-instance-ssl-required", [
        [
          urnOf(DB, "db"),
          "require_secure_transport = 1, found parameterGroupName: not set (the engine default group)",
        ],
      ]));
    it("passes an Aurora MySQL cluster requiring secure transport", () =>
      expectViolations(
        [
          resource(AURORA, "aurora", { engine: "aurora-mysql", dbClusterParameterGroupName: "cpg" }),
          group("aws:rds/clusterParameterGroup:ClusterParameterGroup", "cpg", [
            { name: "require_secure_transport", value: "ON" },
          ]),
        ],
        "rds-cluster-ssl-required",
        [],
      ));
    it("does not apply to Oracle, which enforces TLS through its option group", () =>
      expectViolations([resource(DB, "db", { engine: "oracle-ee" })], "rds-instance-ssl-required", []));
  });

  describe("redshift-cluster-ssl-required", () => {
    const cluster = resource(WAREHOUSE, "warehouse", { clusterParameterGroupName: "rs" });
    it("passes a cluster whose parameter group sets require_ssl = true", () =>
      expectViolations(
        [
          cluster,
          resource("aws:redshift/parameterGroup:ParameterGroup", "rs", {
            name: "rs",
            family: "redshift-2.0",
            parameters: [{ name: "require_ssl", value: "true" }],
          }),
        ],
        "redshift-cluster-ssl-required",
        [],
      ));
    it("reports a parameter group that does not require SSL", () =>
      expectViolations(
        [
          cluster,
          resource("aws:redshift/parameterGroup:ParameterGroup", "rs", {
            name: "rs",
            family: "redshift-2.0",
            parameters: [],
          }),
        ],
        "redshift-cluster-ssl-required",
        [[urnOf(WAREHOUSE, "warehouse"), "expected require_ssl = true in parameter group rs, found not set"]],
      ));
  });
});

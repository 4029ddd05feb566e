/**
 * Encryption in transit where it is a resource setting: ElastiCache TLS, OpenSearch/Elasticsearch
 * node-to-node encryption and HTTPS, and the SSL-enforcing parameters of RDS and Redshift (stack
 * rules: the parameter is set on a parameter group the database names). S3's TLS-only bucket
 * policy is in `s3.ts`.
 */
import { Policies } from "@pulumi/policy";
import { resourceRule, stackRule } from "../lib/rule";
import { StackIndex, StackNode } from "../lib/stackIndex";
import { bool, get, list, show, str, UNKNOWN } from "../lib/values";

const WHY = "Without it, payment data and credentials cross the network in clear text.";

export const elasticacheGroupTransit = resourceRule({
  name: "elasticache-replication-group-encryption-in-transit",
  description: "Requires TLS (transit encryption, mode required) on every ElastiCache replication group.",
  enforcementLevel: "mandatory",
  types: ["aws:elasticache/replicationGroup:ReplicationGroup"],
  check: ({ props }) => {
    if (get(props, "globalReplicationGroupId") !== undefined) return []; // inherited from the Global Datastore
    const enabled = bool(props, "transitEncryptionEnabled");
    const mode = str(props, "transitEncryptionMode");
    if (enabled === UNKNOWN || mode === UNKNOWN) return [];
    if (enabled !== true)
      return [
        `ElastiCache replication group has transitEncryptionEnabled: ${show(enabled)}: expected true. ${WHY}`,
      ];
    return mode === "preferred"
      ? [
          `ElastiCache replication group has transitEncryptionMode: "preferred": expected "required" (or not set), so clients cannot connect without TLS. ${WHY}`,
        ]
      : [];
  },
});

export const elasticacheClusterTransit = resourceRule({
  name: "elasticache-cluster-encryption-in-transit",
  description:
    "Requires TLS on every standalone ElastiCache cluster (nodes of a replication group follow the group).",
  enforcementLevel: "mandatory",
  types: ["aws:elasticache/cluster:Cluster"],
  check: ({ props }) => {
    if (get(props, "replicationGroupId") !== undefined) return [];
    const enabled = bool(props, "transitEncryptionEnabled");
    return enabled === UNKNOWN || enabled === true
      ? []
      : [`ElastiCache cluster has transitEncryptionEnabled: ${show(enabled)}: expected true. ${WHY}`];
  },
});

const domainTransit = (type: string, prefix: string, label: string) =>
  resourceRule({
    name: `${prefix}-encryption-in-transit`,
    description: `Requires node-to-node encryption and HTTPS-only access with a TLS 1.2+ policy on every ${label}.`,
    enforcementLevel: "mandatory",
    types: [type],
    check: ({ props }) => {
      const messages: string[] = [];
      const nodeToNode = bool(props, "nodeToNodeEncryption", "enabled");
      const https = bool(props, "domainEndpointOptions", "enforceHttps");
      const tls = str(props, "domainEndpointOptions", "tlsSecurityPolicy");
      if (nodeToNode !== UNKNOWN && nodeToNode !== true)
        messages.push(
          `${label} has nodeToNodeEncryption.enabled: ${show(nodeToNode)}: expected true. ${WHY}`,
        );
      if (https !== UNKNOWN && https !== true)
        messages.push(
          `${label} has domainEndpointOptions.enforceHttps: ${show(https)}: expected true. ${WHY}`,
        );
      if (tls !== UNKNOWN && !(typeof tls === "string" && /TLS-1-[23]/.test(tls)))
        messages.push(
          `${label} has domainEndpointOptions.tlsSecurityPolicy: ${show(tls)}: expected a TLS 1.2+ policy such as "Policy-Min-TLS-1-2-PFS-2023-10". Older TLS versions have known weaknesses.`,
        );
      return messages;
    },
  });

/** The parameter that refuses non-TLS connections, by engine family. */
export function sslParameter(engine: string): { name: string; values: string[] } | undefined {
  if (/postgres|sqlserver/.test(engine)) return { name: "rds.force_ssl", values: ["1", "true"] };
  if (/mysql|mariadb/.test(engine))
    return { name: "require_secure_transport", values: ["1", "ON", "on", "true"] };
  return undefined; // Oracle and Db2 enforce TLS through option groups / listeners, not a parameter
}

function parameterValue(group: StackNode, name: string): unknown {
  const params = list(group.props, "parameters");
  if (params === UNKNOWN) return UNKNOWN;
  const found = params.find((p) => str(p, "name") === name);
  return found === undefined ? undefined : get(found, "value");
}

function sslRule(
  name: string,
  label: string,
  dbTypes: string[],
  groupArg: string,
  groupType: string,
  parameterFor: (db: StackNode) => { name: string; values: string[] } | undefined | typeof UNKNOWN,
) {
  return stackRule({
    name,
    description: `Requires every ${label} to use a parameter group declared in the stack that refuses connections without TLS.`,
    enforcementLevel: "mandatory",
    check: (index: StackIndex, _config, report) => {
      for (const db of index.byType(...dbTypes)) {
        const parameter = parameterFor(db);
        if (parameter === undefined || parameter === UNKNOWN) continue;
        const groupName = get(db.props, groupArg);
        const groups = index.resolve(db, groupArg, groupName, [groupType]);
        if (groups === UNKNOWN) continue;
        const expected = `${groupArg} naming a parameter group in this stack with ${parameter.name} = ${parameter.values[0]}`;
        if (groups.length === 0) {
          report(
            db.urn,
            `${label} ${db.name} does not enforce TLS: expected ${expected}, found ${groupArg}: ${show(groupName)}${groupName ? " (not declared in this stack)" : " (the engine default group)"}. ${WHY}`,
          );
          continue;
        }
        const value = parameterValue(groups[0], parameter.name);
        if (value !== UNKNOWN && !parameter.values.includes(String(value))) {
          report(
            db.urn,
            `${label} ${db.name} does not enforce TLS: expected ${parameter.name} = ${parameter.values[0]} in parameter group ${groups[0].name}, found ${show(value)}. ${WHY}`,
          );
        }
      }
    },
  });
}

const engineParameter = (db: StackNode) => {
  const engine = str(db.props, "engine");
  return engine === UNKNOWN ? UNKNOWN : engine ? sslParameter(engine) : undefined;
};

export const rdsInstanceSsl = sslRule(
  "rds-instance-ssl-required",
  "RDS DB instance",
  ["aws:rds/instance:Instance"],
  "parameterGroupName",
  "aws:rds/parameterGroup:ParameterGroup",
  engineParameter,
);
export const rdsClusterSsl = sslRule(
  "rds-cluster-ssl-required",
  "RDS/Aurora cluster",
  ["aws:rds/cluster:Cluster"],
  "dbClusterParameterGroupName",
  "aws:rds/clusterParameterGroup:ClusterParameterGroup",
  engineParameter,
);
export const redshiftSsl = sslRule(
  "redshift-cluster-ssl-required",
  "Redshift cluster",
  ["aws:redshift/cluster:Cluster"],
  "clusterParameterGroupName",
  "aws:redshift/parameterGroup:ParameterGroup",
  () => ({ name: "require_ssl", values: ["true", "1"] }),
);

export const transitPolicies: Policies = [
  elasticacheGroupTransit,
  elasticacheClusterTransit,
  domainTransit("aws:opensearch/domain:Domain", "opensearch-domain", "OpenSearch domain"),
  domainTransit("aws:elasticsearch/domain:Domain", "elasticsearch-domain", "Elasticsearch domain"),
  rdsInstanceSsl,
  rdsClusterSsl,
  redshiftSsl,
];

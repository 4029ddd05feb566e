/**
 * Synthesised outputs for the databases: RDS PostgreSQL, ElastiCache (replication groups, RBAC,
 * Global Datastore) and OpenSearch (domains, cross-cluster connections), shaped as the provider
 * returns them. Under preview every attribute the program reads must be present, or the stack's
 * outputs become unknown.
 */
import { arn, deterministicHex, SynthInput, Synthesizer, uuidFrom } from "../synth";

/** `us-east-1` -> `use1`, `ap-southeast-2` -> `apse2`: the Region code in ElastiCache host names. */
export function elastiCacheRegionCode(region: string): string {
  const [area = "", direction = "", number = ""] = region.split("-");
  const directions: Record<string, string> = {
    east: "e",
    west: "w",
    north: "n",
    south: "s",
    central: "c",
    northeast: "ne",
    northwest: "nw",
    southeast: "se",
    southwest: "sw",
  };
  return `${area}${directions[direction] ?? direction.charAt(0)}${number}`;
}

/** Lower-case letters and digits, as RDS and OpenSearch use in generated host names. */
function alnum(seed: string, length: number): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  const hex = deterministicHex(seed, length * 2);
  let out = "";
  for (let i = 0; i < length; i++)
    out += alphabet[parseInt(hex.slice(i * 2, i * 2 + 2), 16) % alphabet.length];
  return out;
}

function region(input: SynthInput): string {
  return input.region ?? "";
}

export const databaseSynthesizers: Record<string, Synthesizer> = {
  "aws:rds/instance:Instance": (input) => {
    const identifier = String(input.inputs.identifier ?? input.physicalName);
    // One generated label per account and Region, shared by every instance there.
    const address = `${identifier}.${alnum(`${input.accountId}|${region(input)}|rds`, 12)}.${region(input)}.rds.amazonaws.com`;
    const managed = input.inputs.manageMasterUserPassword === true;
    return {
      id: `db-${alnum(input.urn, 26).toUpperCase()}`,
      outputs: {
        identifier,
        arn: arn("rds", input.region, input.accountId, `db:${identifier}`),
        address,
        endpoint: `${address}:5432`,
        port: 5432,
        hostedZoneId: "Z2R2ITUGPM61AM",
        resourceId: `db-${alnum(input.urn, 26).toUpperCase()}`,
        status: "available",
        username: input.inputs.username ?? "payments_admin",
        masterUserSecrets: managed
          ? [
              {
                secretArn: arn(
                  "secretsmanager",
                  input.region,
                  input.accountId,
                  `secret:rds!db-${uuidFrom(`${input.urn}|secret`)}-${alnum(input.urn, 6)}`,
                ),
                kmsKeyId: input.inputs.masterUserSecretKmsKeyId,
                secretStatus: "active",
              },
            ]
          : [],
      },
    };
  },

  "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication": (input) => {
    const id = arn("rds", input.region, input.accountId, `auto-backup:ab-${alnum(input.urn, 26)}`);
    return { id, outputs: {} };
  },

  "aws:rds/parameterGroup:ParameterGroup": (input) => ({
    outputs: { arn: arn("rds", input.region, input.accountId, `pg:${input.physicalName}`) },
  }),

  "aws:rds/subnetGroup:SubnetGroup": (input) => ({
    outputs: { arn: arn("rds", input.region, input.accountId, `subgrp:${input.physicalName}`) },
  }),

  "aws:elasticache/replicationGroup:ReplicationGroup": (input) => {
    const id = String(input.inputs.replicationGroupId ?? input.physicalName);
    const host = `${id}.${alnum(`${input.accountId}|${region(input)}|cache|${id}`, 6)}.${elastiCacheRegionCode(region(input))}.cache.amazonaws.com`;
    const clusters = Number(input.inputs.numCacheClusters ?? 2);
    return {
      id,
      outputs: {
        replicationGroupId: id,
        arn: arn("elasticache", input.region, input.accountId, `replicationgroup:${id}`),
        primaryEndpointAddress: `master.${host}`,
        readerEndpointAddress: `replica.${host}`,
        port: 6379,
        clusterEnabled: false,
        memberClusters: Array.from({ length: clusters }, (_, i) => `${id}-${String(i + 1).padStart(3, "0")}`),
        // A secondary inherits these from its Global Datastore.
        engine: input.inputs.engine ?? "redis",
        engineVersionActual: input.inputs.engineVersion ? `${String(input.inputs.engineVersion)}.0` : "7.1.0",
        globalReplicationGroupId: input.inputs.globalReplicationGroupId ?? "",
      },
    };
  },

  "aws:elasticache/globalReplicationGroup:GlobalReplicationGroup": (input) => {
    // AWS prefixes the suffix with a fixed code; global ARNs carry no Region.
    const id = `ldgnf-${String(input.inputs.globalReplicationGroupIdSuffix)}`;
    return {
      id,
      outputs: {
        globalReplicationGroupId: id,
        arn: arn("elasticache", null, input.accountId, `globalreplicationgroup:${id}`),
        atRestEncryptionEnabled: true,
        transitEncryptionEnabled: true,
        clusterEnabled: false,
      },
    };
  },

  "aws:elasticache/subnetGroup:SubnetGroup": (input) => ({
    id: input.physicalName,
    outputs: { arn: arn("elasticache", input.region, input.accountId, `subnetgroup:${input.physicalName}`) },
  }),

  "aws:elasticache/user:User": (input) => ({
    id: String(input.inputs.userId),
    outputs: {
      arn: arn("elasticache", input.region, input.accountId, `user:${String(input.inputs.userId)}`),
    },
  }),

  "aws:elasticache/userGroup:UserGroup": (input) => ({
    id: String(input.inputs.userGroupId),
    outputs: {
      arn: arn("elasticache", input.region, input.accountId, `usergroup:${String(input.inputs.userGroupId)}`),
    },
  }),

  "aws:opensearch/domain:Domain": (input) => {
    const name = String(input.inputs.domainName ?? input.physicalName);
    const domainArn = arn("es", input.region, input.accountId, `domain/${name}`);
    return {
      id: domainArn,
      outputs: {
        domainName: name,
        arn: domainArn,
        domainId: `${input.accountId}/${name}`,
        endpoint: `vpc-${name}-${alnum(input.urn, 26)}.${region(input)}.es.amazonaws.com`,
        dashboardEndpoint: `vpc-${name}-${alnum(input.urn, 26)}.${region(input)}.es.amazonaws.com/_dashboards`,
      },
    };
  },

  "aws:opensearch/outboundConnection:OutboundConnection": (input) => ({
    id: `cc-${alnum(input.urn, 16)}`,
    outputs: { connectionStatus: "PENDING_ACCEPTANCE" },
  }),

  "aws:opensearch/inboundConnectionAccepter:InboundConnectionAccepter": (input) => ({
    id: String(input.inputs.connectionId),
    outputs: { connectionStatus: "ACTIVE" },
  }),
};

/**
 * Synthesised outputs for the storage half of the data tier: S3 buckets, AWS Backup, DynamoDB,
 * Redshift, Data Lifecycle Manager, and the security groups and log groups the warehouse creates. Shapes follow what the
 * providers return (bucket ARNs have no Region or account; Backup plan ids are UUIDs; a Redshift
 * endpoint is `<id>.<hash>.<region>.redshift.amazonaws.com:5439`).
 */
import { arn, SynthInput, Synthesizer, uuidFrom } from "../synth";

function region(input: SynthInput): string {
  return input.region ?? "";
}

/** A global table replica keeps the table's name; only the Region in its ARNs differs. */
function tableArns(input: SynthInput, tableRegion: string, name: string, label: string) {
  const tableArn = arn("dynamodb", tableRegion, input.accountId, `table/${name}`);
  return { arn: tableArn, streamArn: `${tableArn}/stream/${label}`, streamLabel: label };
}

export const storageSynthesizers: Record<string, Synthesizer> = {
  "aws:s3/bucket:Bucket": (input) => {
    const name = String(input.inputs.bucket ?? input.physicalName);
    return {
      id: name,
      outputs: {
        bucket: name,
        arn: `arn:aws:s3:::${name}`,
        bucketDomainName: `${name}.s3.amazonaws.com`,
        bucketRegionalDomainName: `${name}.s3.${region(input)}.amazonaws.com`,
        hostedZoneId: "Z3AQBSTGFYJSTF",
        region: region(input),
      },
    };
  },

  "aws:backup/vault:Vault": (input) => ({
    id: input.physicalName,
    outputs: {
      name: input.physicalName,
      arn: arn("backup", input.region, input.accountId, `backup-vault:${input.physicalName}`),
      recoveryPoints: 0,
    },
  }),

  "aws:backup/plan:Plan": (input) => {
    const id = uuidFrom(`${input.urn}|plan`);
    return {
      id,
      outputs: {
        arn: arn("backup", input.region, input.accountId, `backup-plan:${id}`),
        version: input.hex(32, "version").toUpperCase().slice(0, 24),
      },
    };
  },

  "aws:backup/selection:Selection": (input) => ({ id: uuidFrom(`${input.urn}|selection`), outputs: {} }),

  // DLM policy ids are `policy-` and 17 hex digits; the ARN carries the Region and account.
  "aws:dlm/lifecyclePolicy:LifecyclePolicy": (input) => {
    const id = `policy-${input.hex(17, "policy")}`;
    return { id, outputs: { arn: arn("dlm", input.region, input.accountId, `policy/${id}`) } };
  },

  // AWS Backup appends a generated suffix to a restore testing plan's ARN, not to its name.
  "aws:backup/restoreTestingPlan:RestoreTestingPlan": (input) => ({
    id: input.physicalName,
    outputs: {
      arn: arn(
        "backup",
        input.region,
        input.accountId,
        `restore-testing-plan:${input.physicalName}-${input.hex(6, "plan")}`,
      ),
      scheduleExpressionTimezone: input.inputs.scheduleExpressionTimezone ?? "Etc/UTC",
    },
  }),

  "aws:backup/restoreTestingSelection:RestoreTestingSelection": (input) => ({
    id: `${String(input.inputs.restoreTestingPlanName)}:${input.physicalName}`,
    outputs: {},
  }),

  "aws:dynamodb/table:Table": (input) => {
    const name = input.physicalName;
    const label = "2026-01-01T00:00:00.000";
    const replicas = Array.isArray(input.inputs.replicas) ? input.inputs.replicas : [];
    return {
      id: name,
      outputs: {
        ...tableArns(input, region(input), name, label),
        replicas: replicas.map((replica) => {
          const r = replica as Record<string, unknown>;
          const arns = tableArns(input, String(r.regionName), name, label);
          return { ...r, arn: arns.arn, streamArn: arns.streamArn, streamLabel: label };
        }),
      },
    };
  },

  "aws:redshift/cluster:Cluster": (input) => {
    const id = String(input.inputs.clusterIdentifier);
    const host = `${id}.${input.hex(12, "endpoint")}.${region(input)}.redshift.amazonaws.com`;
    const port = Number(input.inputs.port ?? 5439);
    return {
      id,
      outputs: {
        arn: arn("redshift", input.region, input.accountId, `cluster:${id}`),
        clusterNamespaceArn: arn(
          "redshift",
          input.region,
          input.accountId,
          `namespace:${uuidFrom(input.urn)}`,
        ),
        endpoint: `${host}:${port}`,
        dnsName: host,
        masterPasswordSecretArn: arn(
          "secretsmanager",
          input.region,
          input.accountId,
          `secret:redshift!${id}-${String(input.inputs.masterUsername ?? "admin")}-${input.hex(6, "secret")}`,
        ),
        clusterNodes: [],
      },
    };
  },

  "aws:redshift/snapshotCopyGrant:SnapshotCopyGrant": (input) => {
    const name = String(input.inputs.snapshotCopyGrantName);
    return {
      id: name,
      outputs: { arn: arn("redshift", input.region, input.accountId, `snapshotcopygrant:${name}`) },
    };
  },

  "aws:redshift/snapshotCopy:SnapshotCopy": (input) => ({
    id: String(input.inputs.clusterIdentifier),
    outputs: {},
  }),

  "aws:redshift/logging:Logging": (input) => ({ id: String(input.inputs.clusterIdentifier), outputs: {} }),

  "aws:ec2/securityGroup:SecurityGroup": (input) => {
    const id = `sg-${input.hex(17, "sg")}`;
    return {
      id,
      outputs: {
        arn: arn("ec2", input.region, input.accountId, `security-group/${id}`),
        ownerId: input.accountId,
      },
    };
  },

  "aws:cloudwatch/logGroup:LogGroup": (input) => ({
    id: input.physicalName,
    outputs: { arn: arn("logs", input.region, input.accountId, `log-group:${input.physicalName}`) },
  }),
};

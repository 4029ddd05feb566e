/**
 * The failover runner's IAM policy, as a pure function so its statements are unit-tested.
 */
import { DR_PREVIEW_INVOKES, previewReadActions } from "./previewReads";

export interface RunnerPolicyParams {
  readonly region: string;
  readonly accountId: string;
  readonly stateTableName: string;
  readonly controlHealthCheckId: string;
  readonly clusterName: string;
  readonly sourceBucketArn: string;
  readonly tokenSecretArn: string;
  readonly logGroupArn: string;
  readonly keyArns: string[];
  /** The primary's Region, where the reconcile step creates the promoted database's backup copies. */
  readonly peerRegion: string;
  /** The dr stack's data key in `peerRegion`, which encrypts those copies. */
  readonly peerDataKeyArn: string;
  /** The dr database the failover promotes: the only instance the runner may modify. */
  readonly databaseInstanceArn: string;
  /** The Global Datastore and its two members: the only cache groups the runner may fail over. */
  readonly globalDatastoreArns: string[];
}

/**
 * What the runner may do: read its source and token, write its logs, use the failover state
 * table, make the controller's own calls (the Route 53 lever, Global Datastore failover, OpenSearch
 * replication stop, replica lag), and apply the standby → active diff of the dr stack (node group
 * size, replica promotion, and, once the primary Region answers, the promoted database's
 * automated-backups replication into it). Anything else the dr stack would change is refused, on
 * purpose: an automatic failover applies only the reviewed failover diff.
 */
export function runnerPolicyStatements(p: RunnerPolicyParams): Record<string, unknown>[] {
  const { region, accountId: account } = p;
  return [
    {
      Sid: "WriteBuildLogs",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: [p.logGroupArn, `${p.logGroupArn}:*`],
    },
    {
      Sid: "ReadSource",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:GetObjectVersion"],
      Resource: `${p.sourceBucketArn}/*`,
    },
    {
      Sid: "ReadSourceBucket",
      Effect: "Allow",
      Action: ["s3:GetBucketAcl", "s3:GetBucketLocation"],
      Resource: p.sourceBucketArn,
    },
    {
      Sid: "ReadPulumiToken",
      Effect: "Allow",
      Action: "secretsmanager:GetSecretValue",
      Resource: p.tokenSecretArn,
    },
    {
      Sid: "UseRunnerKeys",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: p.keyArns,
    },
    {
      Sid: "UseFailoverStateTable",
      Effect: "Allow",
      Action: [
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "dynamodb:DeleteItem",
        "dynamodb:Query",
        "dynamodb:ConditionCheckItem",
        "dynamodb:DescribeTable",
      ],
      Resource: `arn:aws:dynamodb:${region}:${account}:table/${p.stateTableName}`,
    },
    {
      Sid: "UseStateTableKeyThroughDynamoDb",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "kms:DescribeKey"],
      Resource: "*",
      Condition: {
        StringEquals: { "kms:ViaService": `dynamodb.${region}.amazonaws.com`, "kms:CallerAccount": account },
      },
    },
    {
      Sid: "InvertPrimaryControlCheck",
      Effect: "Allow",
      Action: ["route53:GetHealthCheck", "route53:UpdateHealthCheck"],
      Resource: `arn:aws:route53:::healthcheck/${p.controlHealthCheckId}`,
    },
    {
      Sid: "FailOverGlobalDatastore",
      Effect: "Allow",
      Action: [
        "elasticache:FailoverGlobalReplicationGroup",
        "elasticache:DisassociateGlobalReplicationGroup",
      ],
      Resource: p.globalDatastoreArns,
    },
    {
      Sid: "ReadGlobalDatastore",
      Effect: "Allow",
      Action: ["elasticache:DescribeGlobalReplicationGroups", "elasticache:DescribeReplicationGroups"],
      Resource: "*",
    },
    {
      Sid: "StopSearchReplication",
      Effect: "Allow",
      Action: ["es:ESHttpGet", "es:ESHttpPost", "es:ESHttpDelete", "es:DescribeDomain"],
      Resource: [`arn:aws:es:${region}:${account}:domain/*`],
    },
    { Sid: "ReadReplicaLag", Effect: "Allow", Action: "cloudwatch:GetMetricData", Resource: "*" },
    {
      Sid: "PromoteDatabaseReplica",
      Effect: "Allow",
      Action: ["rds:PromoteReadReplica", "rds:ModifyDBInstance"],
      Resource: p.databaseInstanceArn,
    },
    {
      Sid: "ReplicatePromotedDatabaseBackups",
      Effect: "Allow",
      Action: ["rds:StartDBInstanceAutomatedBackupsReplication", "rds:DescribeDBInstanceAutomatedBackups"],
      Resource: [p.databaseInstanceArn, `arn:aws:rds:${p.peerRegion}:${account}:auto-backup:*`],
    },
    {
      Sid: "EncryptBackupCopiesThroughRds",
      Effect: "Allow",
      Action: ["kms:DescribeKey", "kms:CreateGrant", "kms:GenerateDataKey*", "kms:Encrypt", "kms:Decrypt"],
      Resource: p.peerDataKeyArn,
      Condition: { StringEquals: { "kms:ViaService": `rds.${p.peerRegion}.amazonaws.com` } },
    },
    {
      Sid: "ScaleNodeGroup",
      Effect: "Allow",
      Action: [
        "eks:DescribeNodegroup",
        "eks:UpdateNodegroupConfig",
        "eks:DescribeUpdate",
        "eks:ListTagsForResource",
      ],
      Resource: [
        `arn:aws:eks:${region}:${account}:nodegroup/${p.clusterName}/*/*`,
        `arn:aws:eks:${region}:${account}:cluster/${p.clusterName}`,
      ],
    },
    {
      // Derived from the provider functions the dr program calls in preview (previewReads.ts).
      Sid: "ReadWhatThePreviewInvokes",
      Effect: "Allow",
      Action: previewReadActions(DR_PREVIEW_INVOKES),
      Resource: "*",
    },
    {
      // The provider reads back what the failover diff updates (replica promotion, node group).
      Sid: "ReadBackWhatTheFailoverUpdates",
      Effect: "Allow",
      Action: ["rds:DescribeDBInstances", "rds:ListTagsForResource", "eks:DescribeCluster"],
      Resource: "*",
    },
  ];
}

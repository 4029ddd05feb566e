/**
 * The stack outputs contract.
 *
 * Who reads these: the dr stack reads the primary's through its StackReference (principle 2); the
 * failover controller reads only the dr stack's (it never touches primary, so the dr stack
 * re-exports under `primary` what the controller needs of the primary Region); the offline plan's
 * posture report and the policy runner read both. Renaming a field breaks those readers: change
 * them together.
 */
import type { KeyPurpose, PeerKeyPurpose } from "../components/foundation/keys";
import type { Mode, Role, Strategy } from "./config";
import type { StorePresence } from "./strategy";

export interface NetworkOutputs {
  readonly vpcId: string;
  readonly cidrBlock: string;
  readonly privateSubnetIds: string[];
  readonly publicSubnetIds: string[];
}

export interface DatabaseOutputs {
  readonly instanceIdentifier: string;
  /** The instance's ARN; while it is `absent`, the ARN its restore will have. */
  readonly instanceArn: string;
  /** Set while the instance is declared. */
  readonly endpoint?: string;
  /** How it exists (stacks/strategy.ts): `absent` in a backup-restore standby. */
  readonly presence: StorePresence;
  /** dr in standby: true (a read replica of the primary instance); false once promoted. */
  readonly isReplica: boolean;
  /** `payments-dr:generation.database`: which instance this is (stacks/generation.ts). */
  readonly generation: number;
}

export interface CacheOutputs {
  readonly replicationGroupId: string;
  readonly globalReplicationGroupId: string;
  /** The member this stack declared as primary of the Global Datastore (true on primary). */
  readonly isPrimaryMember: boolean;
  /** How it exists (stacks/strategy.ts); `globalReplicationGroupId` is "" unless a member. */
  readonly presence: StorePresence;
  /** `payments-dr:generation.cache` (dr members only; 0 on primary). */
  readonly generation: number;
}

/** The scheduled export of the cache's snapshots to a bucket replicated to the peer Region. */
export interface CacheSnapshotExportOutputs {
  readonly functionName: string;
  /** Fires when a run fails: a failed step, or no export newer than two intervals. */
  readonly errorAlarmName: string;
  /** Where the exporter's alarms go; subscribe the on-call here. */
  readonly alarmTopicArn: string;
  /** Minutes between snapshots, from `targets.rpoSeconds` (at least 90: ElastiCache's backup limit). */
  readonly intervalMinutes: number;
  /** The export bucket (also `objects.buckets.cacheSnapshots`) and its replica in the peer Region. */
  readonly bucketName: string;
  readonly replicaBucketName: string;
}

export interface SearchOutputs {
  readonly domainName: string;
  readonly domainArn: string;
  /** Set while the domain is declared. */
  readonly endpoint?: string;
  readonly presence: StorePresence;
  /** dr only: the cross-cluster connection alias and the follow rule's name on the follower. */
  readonly connectionAlias?: string;
  readonly followRuleName?: string;
}

export interface WarehouseOutputs {
  readonly clusterIdentifier: string;
  readonly clusterArn: string;
  readonly databaseName: string;
}

export interface ObjectStoreOutputs {
  /** Bucket names in the stack's Region, by role (`app`, `landing`, `searchSnapshots`, `cacheSnapshots`). */
  readonly buckets: Record<string, string>;
  /** Replica bucket names in the peer Region, by the same role keys. */
  readonly replicaBuckets: Record<string, string>;
}

export interface FailoverStateOutputs {
  readonly tableName: string;
  readonly tableArn: string;
}

export interface EksOutputs {
  readonly clusterName: string;
  readonly nodeGroupName: string;
  readonly desiredNodeCount: number;
}

export interface IngressOutputs {
  readonly loadBalancerArn: string;
  readonly loadBalancerDnsName: string;
  /** `https://<record>` the health check and users reach. */
  readonly endpointUrl: string;
}

export interface DnsOutputs {
  readonly recordFqdn: string;
  readonly healthCheckId: string;
  /** primary only: the health check the failover controller inverts to take primary out of DNS. */
  readonly controlHealthCheckId?: string;
}

export interface IngestOutputs {
  /** This stack's ingest topic, in its own Region: producers publish here while this Region is active. */
  readonly topicArn: string;
  readonly queueUrl: string;
  readonly consumerFunctionName: string;
  /** The queue's ARN (dr's is also subscribed to the primary topic). */
  readonly queueArn: string;
  /** Where messages land after `ingest.maxReceiveCount` failed receives; redrive from here after a fix. */
  readonly deadLetterQueueUrl: string;
  /** The encrypted topic the lag and DLQ alarms notify; subscribe the on-call here. */
  readonly alarmTopicArn: string;
}

export interface FailoverTriggerOutputs {
  readonly alarmName: string;
  readonly topicArn: string;
  readonly functionName: string;
  /** Where the trigger tells operators what happened (and, in manual mode, the command to run). */
  readonly operatorTopicArn: string;
  /** The scheduled Lambda that probes the primary endpoint from the dr Region. */
  readonly probeFunctionName: string;
  /** Set when `failover.mode` is `automatic`: the runner that executes the controller. */
  readonly runnerProjectName?: string;
}

/** The stack's AWS Backup vaults: its own and the copy vault in the peer Region. */
export interface BackupOutputs {
  readonly vaultArn: string;
  /** The dr stack's restore tests read the primary's copies here (stacks/restore.ts). */
  readonly copyVaultArn: string;
}

/** dr only: the restore testing plan of the primary's copies and the restore functions. */
export interface RestoreTestingOutputs {
  readonly planName: string;
  readonly planArn: string;
  readonly validatorFunctionName: string;
  readonly restoreCompletedFunctionName: string;
}

/** primary only: the rule forwarding its AWS Health events to the dr Region's default bus. */
export interface HealthForwarderOutputs {
  readonly ruleName: string;
  readonly targetBusArn: string;
}

/** dr only: the signals that notify operators beside the probe (docs/detection.md). */
export interface DetectionOutputs {
  readonly healthRuleName: string;
  /** PaymentsAccepted anomaly alarm: notifies only. */
  readonly anomalyAlarmName: string;
  /** Probe AND anomaly: notifies only; the trigger never reads it. */
  readonly compositeAlarmName: string;
  /** What AWS Health delivers to the dr Region about the primary with no forwarding. */
  readonly healthDeliveredDirectly: string;
  /** What only the forwarding rule brings, and so is lost with the primary Region. */
  readonly healthForwardedOnly: string;
}

/** What the dr stack re-exports of the primary stack for the failover controller. */
export interface PrimaryViewOutputs {
  readonly region: string;
  readonly controlHealthCheckId: string;
  readonly endpointUrl: string;
  readonly cacheReplicationGroupId: string;
  readonly databaseInstanceIdentifier: string;
  /** The primary's AWS Backup copy vault in this (dr) Region. */
  readonly copyVaultArn: string;
  /** The replica bucket, in this Region, of the primary's exported cache snapshots. */
  readonly cacheSnapshotReplicaBucketName: string;
}

export interface StackOutputsContract {
  readonly role: Role;
  readonly mode: Mode;
  /** dr: what the Region runs before a failover; the stack guards changing it (modeTransition.ts). */
  readonly strategy: Strategy;
  readonly region: string;
  readonly peerRegion: string;
  readonly keys: Record<KeyPurpose, string>;
  readonly peerKeys: Record<PeerKeyPurpose, string>;
  readonly network: NetworkOutputs;
  readonly database: DatabaseOutputs;
  readonly cache: CacheOutputs;
  /** Without a cache (backup-restore standby), only the bucket names. */
  readonly cacheSnapshotExport: CacheSnapshotExportOutputs;
  readonly search: SearchOutputs;
  readonly warehouse: WarehouseOutputs;
  readonly objects: ObjectStoreOutputs;
  readonly failoverState: FailoverStateOutputs;
  readonly eks: EksOutputs;
  readonly ingress: IngressOutputs;
  readonly dns: DnsOutputs;
  /** Absent with no warehouse (backup-restore standby). */
  readonly ingest?: IngestOutputs;
  readonly backup: BackupOutputs;
  /** dr only. */
  readonly restoreTesting?: RestoreTestingOutputs;
  /** dr only. */
  readonly failoverTrigger?: FailoverTriggerOutputs;
  /** dr only. */
  readonly primary?: PrimaryViewOutputs;
  /** primary only. */
  readonly healthForwarder?: HealthForwarderOutputs;
  /** dr only. */
  readonly detection?: DetectionOutputs;
}

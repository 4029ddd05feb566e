/** The shape of a cross-Region link (links.ts finds them; dlmLinks.ts adds DLM's). */
import { RenderedResource } from "./rendered";

export type LinkKind =
  | "s3-replication"
  | "rds-read-replica"
  | "rds-backup-replication"
  | "elasticache-global-datastore"
  | "opensearch-cross-cluster"
  | "redshift-snapshot-copy"
  | "dynamodb-global-table"
  | "backup-copy"
  | "sns-subscription"
  | "dns-failover"
  | "kms-replica-key"
  | "ecr-replication"
  | "dlm-snapshot-copy";

export interface CrossRegionLink {
  readonly kind: LinkKind;
  /** The stack that declares the mechanism. */
  readonly declaredBy: string;
  /** The protected resource (the data store, topic, key or record target). */
  readonly source: RenderedResource;
  readonly sourceRegion: string;
  readonly targetRegion: string;
  /** The copy, replica or destination, when it is a resource of the rendered stacks. */
  readonly target?: RenderedResource;
  /** Mechanism-specific facts the posture model reads (e.g. S3 RTC minutes, backup schedule). */
  readonly detail: Readonly<Record<string, unknown>>;
}

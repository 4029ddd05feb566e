/**
 * Names the in-cluster workload, the volume protection and the business metric share. The cluster
 * layer (components/compute/), the backup layer (components/data/), the reference service (app/)
 * and the pack (policies/) each read them here, so a name changed in one place cannot quietly
 * disconnect the others: a DLM policy that targets a tag no StorageClass writes protects nothing.
 */

/** Namespace of the payments service. */
export const PAYMENTS_NAMESPACE = "payments";
/** Service account the payments Deployment runs as; its Pod Identity association names it. */
export const PAYMENTS_SERVICE_ACCOUNT = "payments-api";
/** Name of the Deployment, Service, PodDisruptionBudget and HorizontalPodAutoscaler. */
export const PAYMENTS_APP_NAME = "payments-api";
/** Container port the service listens on; the target group and probes use it. */
export const PAYMENTS_CONTAINER_PORT = 8080;

/** Where the AWS Load Balancer Controller runs, and its service account. */
export const LB_CONTROLLER_NAMESPACE = "kube-system";
export const LB_CONTROLLER_SERVICE_ACCOUNT = "aws-load-balancer-controller";

/**
 * The tag the cluster's default StorageClass writes on every EBS volume it provisions; the Data
 * Lifecycle Manager policy targets exactly this tag, and the pack reads it to attribute coverage.
 */
export const PROTECTED_VOLUME_TAG = {
  key: "payments-dr:volume-protection",
  value: "dlm-cross-region",
} as const;

/**
 * The business metric the payments service emits (one datapoint per accepted payment, Unit Count,
 * dimension `Region`), on which the dr Region's anomaly-detection alarm watches the primary.
 */
export const PAYMENTS_ACCEPTED_METRIC = {
  namespace: "PaymentsDr/Service",
  name: "PaymentsAccepted",
  dimension: "Region",
} as const;

/**
 * The ECR pull-through cache rule's repository prefix for the upstream `public.ecr.aws`, in each
 * Region: `<account>.dkr.ecr.<region>.amazonaws.com/ecr-public/docker/library/node:<tag>` pulls the
 * official Node image through that Region's own registry.
 */
export const PULL_THROUGH_CACHE_PREFIX = "ecr-public";

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
 * The ECR pull-through cache rule's prefix for `public.ecr.aws` in each Region: an image
 * `public.ecr.aws/<path>` is pulled as `<account>.dkr.ecr.<region>.amazonaws.com/ecr-public/<path>`,
 * so a Region pulls public base images from its own registry, never from the other Region.
 */
export const PULL_THROUGH_CACHE_PREFIX = "ecr-public";

/**
 * The official Node image (Node 24 LTS, the runtime this repository pins) the reference payments
 * service runs on when no application image is configured, as a path under `public.ecr.aws`
 * (the Docker official images' ECR Public mirror), pulled through the Region's own cache.
 */
export const REFERENCE_SERVICE_BASE_IMAGE = "docker/library/node:24.21.0-slim";

/**
 * Pure pieces of the payments workload: replicas by mode, image references, probes and the pod's
 * security settings. Kept apart from the component so each is tested on its own.
 */

export interface ReplicaCounts {
  readonly standbyReplicas: number;
  readonly activeReplicas: number;
  readonly maxReplicas: number;
}

export interface Replicas {
  /** The Deployment's `spec.replicas` and the autoscaler's `minReplicas`: one number, never two. */
  readonly replicas: number;
  readonly maxReplicas: number;
}

/**
 * Replicas for a role and mode: a dr standby runs `standbyReplicas`; an active Region (primary, or
 * dr after a failover) runs `activeReplicas`. The autoscaler's minimum is the same number, so it
 * never scales the Deployment below what the mode asks for, and the failover raising both is the
 * whole scale-up; above it, the autoscaler adds pods up to `maxReplicas` under load.
 */
export function replicasFor(
  role: "primary" | "dr",
  mode: "active" | "standby",
  counts: ReplicaCounts,
): Replicas {
  if (counts.standbyReplicas > counts.activeReplicas || counts.activeReplicas > counts.maxReplicas) {
    throw new Error(
      `Invalid workload replicas standby=${counts.standbyReplicas} active=${counts.activeReplicas} ` +
        `max=${counts.maxReplicas}: expected standby ≤ active ≤ max. Fix payments-dr:workload in the stack's config.`,
    );
  }
  const replicas = role === "dr" && mode === "standby" ? counts.standbyReplicas : counts.activeReplicas;
  return { replicas, maxReplicas: counts.maxReplicas };
}

/**
 * Where a Region pulls an image of `public.ecr.aws` from: its own registry's pull-through cache.
 * `path` is the image's path under public.ecr.aws (`docker/library/node:24.21.0-slim`).
 */
export function pullThroughImage(accountId: string, region: string, prefix: string, path: string): string {
  return `${accountId}.dkr.ecr.${region}.amazonaws.com/${prefix}/${path}`;
}

/** `<registry>/<repository>@sha256:<64 hex>`: a digest pins the exact build in both Regions. */
export const DIGEST_IMAGE = /^([a-z0-9.-]+(?::\d+)?)\/([a-z0-9]+(?:[._/-][a-z0-9]+)*)@sha256:[0-9a-f]{64}$/;

/** The Region of an ECR registry host (`<account>.dkr.ecr.<region>.amazonaws.com`), else undefined. */
export function ecrRegionOf(image: string): string | undefined {
  return /^\d{12}\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com\//.exec(image)?.[1];
}

/**
 * Readiness and liveness on the path the target group and Route 53 check, in the scheme the
 * target group speaks to the pods. Readiness gates traffic within 10-20 s; liveness restarts a
 * pod only after a minute of failures, so a short outage of a dependency the health path checks
 * takes pods out of rotation without restarting them all.
 */
export function probes(path: string, port: number, scheme: "HTTP" | "HTTPS") {
  const httpGet = { path, port, scheme };
  return {
    readinessProbe: {
      httpGet,
      periodSeconds: 5,
      timeoutSeconds: 3,
      failureThreshold: 2,
      successThreshold: 1,
    },
    livenessProbe: {
      httpGet,
      initialDelaySeconds: 10,
      periodSeconds: 10,
      timeoutSeconds: 3,
      failureThreshold: 6,
    },
  };
}

/** The pod's user: `node` (uid 1000) of the official Node image; never root. */
export const POD_USER_ID = 1000;

export function podSecurityContext() {
  return {
    runAsNonRoot: true,
    runAsUser: POD_USER_ID,
    runAsGroup: POD_USER_ID,
    fsGroup: POD_USER_ID,
    seccompProfile: { type: "RuntimeDefault" },
  };
}

/** Non-root, read-only root file system (the service writes only to /tmp), no capabilities. */
export function containerSecurityContext() {
  return {
    runAsNonRoot: true,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ["ALL"] },
  };
}

/**
 * Spread across Availability Zones, then nodes. `ScheduleAnyway`: during a failover the new nodes
 * join one by one; a pod that waits for a zone to have a node would hold back readiness, which is
 * on the RTO's clock. The scheduler still prefers the least-used zone.
 */
export function topologySpread(labels: Record<string, string>) {
  return ["topology.kubernetes.io/zone", "kubernetes.io/hostname"].map((topologyKey) => ({
    maxSkew: 1,
    topologyKey,
    whenUnsatisfiable: "ScheduleAnyway",
    labelSelector: { matchLabels: labels },
  }));
}

/**
 * The payments service in one cluster: namespace, service account, Deployment, Service,
 * PodDisruptionBudget, HorizontalPodAutoscaler, and the TargetGroupBinding that puts its pods in
 * the load balancer's target group.
 */
import type * as k8s from "@pulumi/kubernetes";
import {
  ConfigMap,
  CustomResource,
  Deployment,
  HorizontalPodAutoscaler,
  Namespace,
  PodDisruptionBudget,
  Service,
  ServiceAccount,
} from "./k8sResources";
import * as pulumi from "@pulumi/pulumi";
import {
  containerSecurityContext,
  podSecurityContext,
  probes,
  Replicas,
  topologySpread,
} from "./workloadSpec";

/** The reference service, run from a ConfigMap on a base image when no application image is set. */
export interface ReferenceBundle {
  readonly fileName: string;
  readonly contents: string;
  readonly sha256: string;
}

export type Application =
  | { readonly kind: "image"; readonly image: pulumi.Input<string> }
  | {
      readonly kind: "reference";
      readonly baseImage: pulumi.Input<string>;
      readonly bundle: ReferenceBundle;
    };

export interface PaymentsWorkloadArgs {
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly appName: string;
  readonly port: number;
  /** The path the target group and Route 53 check; the probes check it too. */
  readonly healthCheckPath: string;
  /** What the target group speaks to the pods (its protocol). @default "HTTPS" */
  readonly scheme?: "HTTP" | "HTTPS";
  readonly replicas: Replicas;
  readonly application: Application;
  /** Environment the service reads (its Region's endpoints). @default {} */
  readonly environment?: Record<string, pulumi.Input<string>>;
  /** The target group the pods are registered in (targetType ip). */
  readonly targetGroupArn: pulumi.Input<string>;
  /** The controller's release: its CRDs and webhook must exist before the binding. */
  readonly controller: pulumi.Resource;
  /** The workload identity association, when there is one: pods started before it get no role. */
  readonly identity?: pulumi.Resource;
  readonly provider: k8s.Provider;
}

const BUNDLE_DIR = "/app";

export class PaymentsWorkload extends pulumi.ComponentResource {
  public readonly deployment: k8s.apps.v1.Deployment;
  public readonly autoscaler: k8s.autoscaling.v2.HorizontalPodAutoscaler;
  public readonly binding: k8s.apiextensions.CustomResource;
  public readonly replicas: number;

  constructor(name: string, args: PaymentsWorkloadArgs, opts?: pulumi.ComponentResourceOptions) {
    super("payments-dr:components:PaymentsWorkload", name, {}, opts);
    const k8sOpts = { parent: this, provider: args.provider };
    const labels = { "app.kubernetes.io/name": args.appName, "app.kubernetes.io/part-of": "payments-dr" };
    const selector = { "app.kubernetes.io/name": args.appName };
    const scheme = args.scheme ?? "HTTPS";

    const namespace = new Namespace(
      `${name}-namespace`,
      {
        metadata: {
          name: args.namespace,
          // The pod below meets the restricted Pod Security Standard; anything that does not is refused.
          labels: { "pod-security.kubernetes.io/enforce": "restricted" },
        },
      },
      k8sOpts,
    );
    const serviceAccount = new ServiceAccount(
      `${name}-service-account`,
      {
        metadata: { name: args.serviceAccount, namespace: args.namespace, labels },
        // The service never calls the Kubernetes API; Pod Identity mounts its own token.
        automountServiceAccountToken: false,
      },
      { ...k8sOpts, dependsOn: [namespace] },
    );

    const reference = args.application.kind === "reference" ? args.application : undefined;
    // Auto-named: a new bundle is a new ConfigMap, so the Deployment rolls to it (pods never
    // see a ConfigMap change under them) and the old one goes after the rollout.
    const bundle = reference
      ? new ConfigMap(
          `${name}-bundle`,
          {
            metadata: { namespace: args.namespace, labels },
            data: { [reference.bundle.fileName]: reference.bundle.contents },
          },
          { ...k8sOpts, dependsOn: [namespace] },
        )
      : undefined;

    const env = Object.entries({ ...(args.environment ?? {}), PORT: String(args.port) })
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([envName, value]) => ({ name: envName, value }));
    const volumes: k8s.types.input.core.v1.Volume[] = [{ name: "tmp", emptyDir: { sizeLimit: "64Mi" } }];
    const mounts: k8s.types.input.core.v1.VolumeMount[] = [{ name: "tmp", mountPath: "/tmp" }];
    if (bundle) {
      volumes.push({ name: "bundle", configMap: { name: bundle.metadata.name } });
      mounts.push({ name: "bundle", mountPath: BUNDLE_DIR, readOnly: true });
    }

    this.replicas = args.replicas.replicas;
    this.deployment = new Deployment(
      `${name}-deployment`,
      {
        metadata: {
          name: args.appName,
          namespace: args.namespace,
          labels,
          // The autoscaler also writes spec.replicas; the declared value (its minimum) wins when
          // the mode changes it, so the failover's scale-up is never refused as a field conflict.
          annotations: { "pulumi.com/patchForce": "true" },
        },
        spec: {
          replicas: args.replicas.replicas,
          selector: { matchLabels: selector },
          // A rollout never lowers serving capacity: one extra pod at a time, none taken first.
          strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
          template: {
            metadata: {
              labels,
              annotations: reference ? { "payments-dr/bundle-sha256": reference.bundle.sha256 } : {},
            },
            spec: {
              serviceAccountName: args.serviceAccount,
              automountServiceAccountToken: false,
              securityContext: podSecurityContext(),
              topologySpreadConstraints: topologySpread(selector),
              // The target group deregisters within 30 s; the pod keeps serving until then.
              terminationGracePeriodSeconds: 45,
              containers: [
                {
                  name: args.appName,
                  image: reference
                    ? reference.baseImage
                    : (args.application as { image: pulumi.Input<string> }).image,
                  ...(reference ? { command: ["node", `${BUNDLE_DIR}/${reference.bundle.fileName}`] } : {}),
                  ports: [{ name: "app", containerPort: args.port, protocol: "TCP" }],
                  env,
                  ...probes(args.healthCheckPath, args.port, scheme),
                  resources: {
                    requests: { cpu: "250m", memory: "256Mi" },
                    limits: { memory: "512Mi" },
                  },
                  securityContext: containerSecurityContext(),
                  volumeMounts: mounts,
                },
              ],
              volumes,
            },
          },
        },
      },
      { ...k8sOpts, dependsOn: [serviceAccount, ...(args.identity ? [args.identity] : [])] },
    );

    const service = new Service(
      `${name}-service`,
      {
        metadata: { name: args.appName, namespace: args.namespace, labels },
        spec: {
          type: "ClusterIP",
          selector,
          ports: [{ name: "app", port: args.port, targetPort: args.port, protocol: "TCP" }],
        },
      },
      { ...k8sOpts, dependsOn: [namespace] },
    );

    // One pod at a time may be evicted (node drains, upgrades): with one standby pod this still
    // lets a node drain, and an active Region keeps all but one serving.
    new PodDisruptionBudget(
      `${name}-pdb`,
      {
        metadata: { name: args.appName, namespace: args.namespace, labels },
        spec: { maxUnavailable: 1, selector: { matchLabels: selector } },
      },
      { ...k8sOpts, dependsOn: [namespace] },
    );

    this.autoscaler = new HorizontalPodAutoscaler(
      `${name}-hpa`,
      {
        metadata: { name: args.appName, namespace: args.namespace, labels },
        spec: {
          scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: args.appName },
          minReplicas: args.replicas.replicas,
          maxReplicas: args.replicas.maxReplicas,
          metrics: [
            {
              type: "Resource",
              resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } },
            },
          ],
          // Scale in slowly: a payments burst is followed by retries.
          behavior: { scaleDown: { stabilizationWindowSeconds: 300 } },
        },
      },
      { ...k8sOpts, dependsOn: [this.deployment] },
    );

    this.binding = new CustomResource(
      `${name}-target-group-binding`,
      {
        apiVersion: "elbv2.k8s.aws/v1beta1",
        kind: "TargetGroupBinding",
        metadata: { name: args.appName, namespace: args.namespace, labels },
        spec: {
          serviceRef: { name: args.appName, port: args.port },
          targetGroupARN: args.targetGroupArn,
          targetType: "ip",
        },
      },
      { ...k8sOpts, dependsOn: [service, args.controller] },
    );
    this.registerOutputs({ replicas: this.replicas });
  }
}

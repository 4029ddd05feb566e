/**
 * The Kubernetes resource classes this program declares, each imported from its own module of
 * `@pulumi/kubernetes`. The package's index loads every API group and the Helm v3 Chart with its
 * YAML machinery up front: about 0.07 s of every plan, test run and `pulumi up` for classes this
 * program never uses. Types still come from the package (`import type * as k8s`), which loads
 * nothing.
 */
export { CustomResource } from "@pulumi/kubernetes/apiextensions/customResource";
export { Deployment } from "@pulumi/kubernetes/apps/v1/deployment";
export { HorizontalPodAutoscaler } from "@pulumi/kubernetes/autoscaling/v2/horizontalPodAutoscaler";
export { ConfigMap } from "@pulumi/kubernetes/core/v1/configMap";
export { Namespace } from "@pulumi/kubernetes/core/v1/namespace";
export { Service } from "@pulumi/kubernetes/core/v1/service";
export { ServiceAccount } from "@pulumi/kubernetes/core/v1/serviceAccount";
export { Release } from "@pulumi/kubernetes/helm/v3/release";
export { PodDisruptionBudget } from "@pulumi/kubernetes/policy/v1/podDisruptionBudget";
export { Provider } from "@pulumi/kubernetes/provider";
export { StorageClass } from "@pulumi/kubernetes/storage/v1/storageClass";

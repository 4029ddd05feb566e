/**
 * Synthesised outputs for the in-cluster layer: EKS add-ons and Pod Identity associations (their
 * ARNs and ids as EKS returns them), every Kubernetes object (the API server's metadata: the
 * provider's autoname when none is given, uid, resourceVersion, creation time; id
 * `<namespace>/<name>`), and a Helm release's status as the provider reports a deployed one.
 */
import { arn, autoname, SynthInput, SynthResult, Synthesizer, uuidFrom } from "../synth";

/** A fixed creation time: renderings of the same program must agree. */
const CREATED = "2026-01-01T00:00:00Z";

export const kubernetesSynthesizers: Record<string, Synthesizer> = {
  "aws:eks/addon:Addon": (input) => {
    const cluster = String(input.inputs.clusterName);
    const addon = String(input.inputs.addonName);
    return {
      id: `${cluster}:${addon}`,
      outputs: {
        arn: arn(
          "eks",
          input.region,
          input.accountId,
          `addon/${cluster}/${addon}/${uuidFrom(`${input.urn}|addon`)}`,
        ),
        createdAt: CREATED,
        modifiedAt: CREATED,
      },
    };
  },

  "aws:eks/podIdentityAssociation:PodIdentityAssociation": (input) => {
    const cluster = String(input.inputs.clusterName);
    const id = `a-${input.hex(17, "association")}`;
    return {
      id: `${cluster},${id}`,
      outputs: {
        associationId: id,
        associationArn: arn("eks", input.region, input.accountId, `podidentityassociation/${cluster}/${id}`),
      },
    };
  },

  "kubernetes:helm.sh/v3:Release": (input) => {
    const name = String(input.inputs.name ?? autoname(input.name, input.urn));
    const namespace = String(input.inputs.namespace ?? "default");
    const version = String(input.inputs.version ?? "");
    return {
      id: `${namespace}/${name}`,
      outputs: {
        name,
        status: {
          name,
          namespace,
          chart: String(input.inputs.chart),
          version,
          // eks-charts' aws-load-balancer-controller chart carries its controller's version.
          appVersion: version ? `v${version}` : "",
          revision: 1,
          status: "deployed",
        },
      },
    };
  },
};

/** Any Kubernetes object: the metadata the API server adds, and the provider's id. */
export function kubernetesObject(input: SynthInput): SynthResult {
  const metadata = (input.inputs.metadata ?? {}) as Record<string, unknown>;
  // The provider autonames `<logical name>-<8 characters>` when metadata.name is not given.
  const name =
    typeof metadata.name === "string" ? metadata.name : `${input.name}-${input.hex(8, "k8s-name")}`;
  const namespaced = input.type !== "kubernetes:core/v1:Namespace" && !/StorageClass$/.test(input.type);
  const namespace =
    typeof metadata.namespace === "string" ? metadata.namespace : namespaced ? "default" : undefined;
  return {
    id: namespace ? `${namespace}/${name}` : name,
    outputs: {
      metadata: {
        ...metadata,
        name,
        ...(namespace ? { namespace } : {}),
        uid: uuidFrom(`${input.urn}|uid`),
        resourceVersion: String(parseInt(input.hex(6, "rv"), 16)),
        generation: 1,
        creationTimestamp: CREATED,
      },
    },
  };
}

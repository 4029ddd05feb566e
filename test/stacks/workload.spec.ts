import * as assert from "assert";
import { podReadiness, rtoCriticalPath } from "../../model/rto";
import { RenderedResource, RenderedStack } from "../../tools/render/render";
import { find, findAll, renderTestStack } from "../helpers/stacks";

const DIGEST = "a".repeat(64);
const imageIn = (region: string) =>
  `payments-dr:workload.image=111122223333.dkr.ecr.${region}.amazonaws.com/payments-api@sha256:${DIGEST}`;
const DR_IMAGE = imageIn("us-west-2");
const PRIMARY_IMAGE = imageIn("us-east-1");
const ACTIVE = "payments-dr:mode=active";

const deployment = (s: RenderedStack) => find(s, "kubernetes:apps/v1:Deployment", "payments-deployment");
const hpa = (s: RenderedStack) =>
  find(s, "kubernetes:autoscaling/v2:HorizontalPodAutoscaler", "payments-hpa");
const spec = (r: RenderedResource) => r.inputs.spec as Record<string, unknown>;

describe("stacks/workload: the in-cluster layer", function () {
  this.timeout(300_000);

  describe("replicas follow the mode, and the autoscaler's minimum with them", () => {
    for (const [title, stack, overrides, replicas] of [
      ["dr standby runs 1", "dr", [DR_IMAGE], 1],
      ["dr active runs the active count (3)", "dr", [DR_IMAGE, ACTIVE], 3],
      ["primary runs the active count (3)", "primary", [PRIMARY_IMAGE], 3],
    ] as const) {
      it(title, async () => {
        const rendered = await renderTestStack(stack, overrides);
        assert.strictEqual(spec(deployment(rendered)).replicas, replicas);
        assert.deepStrictEqual(
          { min: spec(hpa(rendered)).minReplicas, max: spec(hpa(rendered)).maxReplicas },
          { min: replicas, max: 6 },
        );
      });
    }

    it("follows payments-dr:workload counts", async () => {
      const rendered = await renderTestStack("dr", [
        DR_IMAGE,
        ACTIVE,
        "payments-dr:workload.activeReplicas=4",
        "payments-dr:workload.maxReplicas=9",
      ]);
      assert.strictEqual(spec(deployment(rendered)).replicas, 4);
      assert.strictEqual(spec(hpa(rendered)).maxReplicas, 9);
    });

    it("changes only the replica counts of the workload when dr becomes active", async () => {
      const standby = await renderTestStack("dr", [DR_IMAGE]);
      const active = await renderTestStack("dr", [DR_IMAGE, ACTIVE]);
      const k8s = (s: RenderedStack) => s.resources.filter((r) => r.type.startsWith("kubernetes:"));
      const activeByUrn = new Map(k8s(active).map((r) => [r.urn, r]));
      const changed = k8s(standby)
        .filter((r) => JSON.stringify(r.inputs) !== JSON.stringify(activeByUrn.get(r.urn)?.inputs))
        .map((r) => r.name);
      assert.deepStrictEqual(changed.sort(), ["payments-deployment", "payments-hpa"]);
    });
  });

  it("binds the pods (targetType ip) to that stack's own target group", async () => {
    for (const [stack, image] of [
      ["primary", PRIMARY_IMAGE],
      ["dr", DR_IMAGE],
    ] as const) {
      const rendered = await renderTestStack(stack, [image]);
      const targetGroup = find(rendered, "aws:lb/targetGroup:TargetGroup", "ingress-app");
      const binding = find(
        rendered,
        "kubernetes:elbv2.k8s.aws/v1beta1:TargetGroupBinding",
        "payments-target-group-binding",
      );
      assert.match(
        String(targetGroup.outputs.arn),
        new RegExp(`^arn:aws:elasticloadbalancing:${rendered.config["aws:region"]}:`),
      );
      assert.deepStrictEqual(binding.inputs.spec, {
        serviceRef: { name: "payments-api", port: 8080 },
        targetGroupARN: targetGroup.outputs.arn,
        targetType: "ip",
      });
      assert.ok(
        binding.dependencies.includes(
          find(rendered, "kubernetes:helm.sh/v3:Release", "lb-controller-release").urn,
        ),
      );
    }
  });

  it("puts every Kubernetes resource on its own cluster's provider, in the stack's Region", async () => {
    for (const [stack, image, region] of [
      ["primary", PRIMARY_IMAGE, "us-east-1"],
      ["dr", DR_IMAGE, "us-west-2"],
    ] as const) {
      const rendered = await renderTestStack(stack, [image]);
      const [provider] = findAll(rendered, "pulumi:providers:kubernetes");
      const cluster = find(rendered, "aws:eks/cluster:Cluster", "eks-cluster");
      const kubeconfig = JSON.parse(String(provider.inputs.kubeconfig));
      assert.strictEqual(kubeconfig.clusters[0].cluster.server, cluster.outputs.endpoint);
      assert.deepStrictEqual(kubeconfig.users[0].user.exec.args.slice(2, 6), [
        "--cluster-name",
        cluster.outputs.name,
        "--region",
        region,
      ]);
      const k8s = rendered.resources.filter((r) => r.type.startsWith("kubernetes:"));
      // Namespace, ServiceAccount, Deployment, Service, PDB, HPA, binding, StorageClass, controller release.
      assert.strictEqual(k8s.length, 9);
      assert.deepStrictEqual(
        [...new Set(k8s.map((r) => `${r.provider} ${r.region}`))],
        [`${provider.urn} ${region}`],
      );
    }
  });

  it("installs the pinned add-ons, the EBS CSI driver with its Pod Identity role", async () => {
    const rendered = await renderTestStack("dr", [DR_IMAGE]);
    const addons = findAll(rendered, "aws:eks/addon:Addon");
    assert.deepStrictEqual(
      Object.fromEntries(addons.map((a) => [a.inputs.addonName, a.inputs.addonVersion])),
      {
        "eks-pod-identity-agent": "v1.3.10-eksbuild.3",
        "vpc-cni": "v1.21.1-eksbuild.3",
        "kube-proxy": "v1.35.0-eksbuild.2",
        coredns: "v1.13.2-eksbuild.1",
        "aws-ebs-csi-driver": "v1.57.1-eksbuild.1",
      },
    );
    for (const addon of addons) {
      assert.deepStrictEqual(
        [addon.inputs.resolveConflictsOnCreate, addon.inputs.resolveConflictsOnUpdate, addon.region],
        ["OVERWRITE", "OVERWRITE", "us-west-2"],
      );
    }
    const ebs = addons.find((a) => a.inputs.addonName === "aws-ebs-csi-driver") as RenderedResource;
    const role = find(rendered, "aws:iam/role:Role", "cluster-addons-ebs-csi-role");
    assert.deepStrictEqual(ebs.inputs.podIdentityAssociations, [
      { roleArn: role.outputs.arn, serviceAccount: "ebs-csi-controller-sa" },
    ]);
    const keyPolicy = JSON.parse(
      String(find(rendered, "aws:iam/rolePolicy:RolePolicy", "cluster-addons-ebs-csi-key").inputs.policy),
    );
    const dataKey = rendered.outputs.keys as Record<string, string>;
    assert.deepStrictEqual(keyPolicy.Statement[0].Resource, [dataKey.data]);
  });

  it("makes the encrypted gp3 class the default, with the stack's own data key and the DLM tag", async () => {
    const rendered = await renderTestStack("dr", [DR_IMAGE]);
    const sc = find(rendered, "kubernetes:storage.k8s.io/v1:StorageClass", "storage-class-gp3");
    const dataKey = (rendered.outputs.keys as Record<string, string>).data;
    assert.match(dataKey, /^arn:aws:kms:us-west-2:/);
    assert.deepStrictEqual(
      {
        default: (sc.inputs.metadata as { annotations: Record<string, string> }).annotations[
          "storageclass.kubernetes.io/is-default-class"
        ],
        provisioner: sc.inputs.provisioner,
        parameters: sc.inputs.parameters,
        volumeBindingMode: sc.inputs.volumeBindingMode,
        reclaimPolicy: sc.inputs.reclaimPolicy,
      },
      {
        default: "true",
        provisioner: "ebs.csi.aws.com",
        parameters: {
          type: "gp3",
          encrypted: "true",
          kmsKeyId: dataKey,
          tagSpecification_1: "payments-dr:volume-protection=dlm-cross-region",
        },
        volumeBindingMode: "WaitForFirstConsumer",
        reclaimPolicy: "Retain",
      },
    );
  });

  it("gives the controller a Pod Identity role scoped to the target group, for its service account", async () => {
    const rendered = await renderTestStack("dr", [DR_IMAGE]);
    const targetGroup = find(rendered, "aws:lb/targetGroup:TargetGroup", "ingress-app");
    const policy = JSON.parse(
      String(find(rendered, "aws:iam/rolePolicy:RolePolicy", "lb-controller-policy").inputs.policy),
    );
    assert.strictEqual(policy.Statement[1].Resource, targetGroup.outputs.arn);
    const association = find(
      rendered,
      "aws:eks/podIdentityAssociation:PodIdentityAssociation",
      "lb-controller-identity",
    );
    assert.deepStrictEqual(
      [association.inputs.namespace, association.inputs.serviceAccount, association.inputs.roleArn],
      [
        "kube-system",
        "aws-load-balancer-controller",
        find(rendered, "aws:iam/role:Role", "lb-controller-role").outputs.arn,
      ],
    );
    const release = find(rendered, "kubernetes:helm.sh/v3:Release", "lb-controller-release");
    assert.deepStrictEqual(
      [
        release.inputs.chart,
        release.inputs.version,
        (release.inputs.values as Record<string, unknown>).region,
      ],
      ["aws-load-balancer-controller", "3.4.2", "us-west-2"],
    );
    assert.strictEqual(
      (release.inputs.values as Record<string, { repository: string }>).image.repository,
      "111122223333.dkr.ecr.us-west-2.amazonaws.com/ecr-public/eks/aws-load-balancer-controller",
    );
  });

  it("probes the health path Route 53 and the target group check, non-root on a read-only root", async () => {
    const rendered = await renderTestStack("dr", [DR_IMAGE]);
    const pod = (spec(deployment(rendered)).template as { spec: Record<string, unknown> }).spec;
    const [container] = pod.containers as Record<string, unknown>[];
    assert.deepStrictEqual((container.readinessProbe as Record<string, unknown>).httpGet, {
      path: "/healthz",
      port: 8080,
      scheme: "HTTPS",
    });
    assert.deepStrictEqual((container.livenessProbe as Record<string, unknown>).httpGet, {
      path: "/healthz",
      port: 8080,
      scheme: "HTTPS",
    });
    assert.strictEqual(
      container.image,
      `111122223333.dkr.ecr.us-west-2.amazonaws.com/payments-api@sha256:${DIGEST}`,
    );
    assert.deepStrictEqual(container.securityContext, {
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
    });
    assert.strictEqual(pod.serviceAccountName, "payments-api");
    assert.deepStrictEqual(
      (pod.topologySpreadConstraints as { topologyKey: string }[]).map((c) => c.topologyKey),
      ["topology.kubernetes.io/zone", "kubernetes.io/hostname"],
    );
  });

  it("puts pod start and readiness after the node scale-up on the modelled RTO path", async () => {
    const rendered = await renderTestStack("dr", [DR_IMAGE]);
    assert.deepStrictEqual(podReadiness(rendered), {
      seconds: 25,
      basis: "readiness 5 s probe + 20 s target-group checks",
    });
    const up = rtoCriticalPath(rendered)[3];
    assert.strictEqual(up.seconds, 360);
    assert.match(
      up.basis,
      /up 360 s \(overhead \+ max\(promotion 300 s, scale-up 295 s: nodes 240 s \+ pod start 30 s \+ readiness 5 s probe \+ 20 s target-group checks\)\)/,
    );
  });
});

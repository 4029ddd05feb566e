import * as assert from "assert";
import { ADDON_VERSIONS, ebsCsiKeyPolicy } from "../../../components/compute/addons";
import { kubeconfigFor } from "../../../components/compute/kubernetesProvider";
import { lbControllerPolicy } from "../../../components/compute/lbController";
import { storageClassParameters } from "../../../components/compute/storageClass";
import { ecrRegionOf, pullThroughImage, replicasFor } from "../../../components/compute/workloadSpec";
import { PROTECTED_VOLUME_TAG } from "../../../model/workload";
import { kubeconfigRegion, providerRegion } from "../../../tools/render/synth";

const TG = "arn:aws:elasticloadbalancing:us-west-2:111122223333:targetgroup/ingress-app-1/0123456789abcdef";

describe("workload parts", () => {
  describe("replicas by mode", () => {
    const counts = { standbyReplicas: 1, activeReplicas: 3, maxReplicas: 6 };
    it("runs the standby count on dr standby, the active count on dr active and on primary", () => {
      assert.deepStrictEqual(replicasFor("dr", "standby", counts), { replicas: 1, maxReplicas: 6 });
      assert.deepStrictEqual(replicasFor("dr", "active", counts), { replicas: 3, maxReplicas: 6 });
      assert.deepStrictEqual(replicasFor("primary", "active", counts), { replicas: 3, maxReplicas: 6 });
    });

    it("refuses counts out of order, naming the config to fix", () => {
      assert.throws(
        () => replicasFor("dr", "active", { standbyReplicas: 1, activeReplicas: 8, maxReplicas: 6 }),
        /standby=1 active=8 max=6: expected standby ≤ active ≤ max\. Fix payments-dr:workload/,
      );
    });
  });

  describe("images", () => {
    it("pulls a public image through the Region's own cache", () => {
      const image = pullThroughImage(
        "111122223333",
        "us-west-2",
        "ecr-public",
        "docker/library/node:24.21.0-alpine",
      );
      assert.strictEqual(
        image,
        "111122223333.dkr.ecr.us-west-2.amazonaws.com/ecr-public/docker/library/node:24.21.0-alpine",
      );
      assert.strictEqual(ecrRegionOf(image), "us-west-2");
      assert.strictEqual(ecrRegionOf("public.ecr.aws/docker/library/node:24"), undefined);
    });
  });

  describe("kubeconfig", () => {
    const kubeconfig = kubeconfigFor({
      clusterName: "payments-dr-dr",
      endpoint: "https://ABC.gr7.us-west-2.eks.amazonaws.com",
      certificateAuthorityData: "Q0E=",
      region: "us-west-2",
      roleArn: "arn:aws:iam::111122223333:role/eks-admin-role-1",
    });

    it("authenticates with aws eks get-token for its own cluster, Region and admin role", () => {
      const parsed = JSON.parse(kubeconfig);
      assert.deepStrictEqual(parsed.clusters, [
        {
          name: "payments-dr-dr",
          cluster: {
            server: "https://ABC.gr7.us-west-2.eks.amazonaws.com",
            "certificate-authority-data": "Q0E=",
          },
        },
      ]);
      assert.deepStrictEqual(parsed.users[0].user.exec, {
        apiVersion: "client.authentication.k8s.io/v1beta1",
        command: "aws",
        args: [
          "eks",
          "get-token",
          "--cluster-name",
          "payments-dr-dr",
          "--region",
          "us-west-2",
          "--role-arn",
          "arn:aws:iam::111122223333:role/eks-admin-role-1",
          "--output",
          "json",
        ],
        interactiveMode: "Never",
      });
    });

    it("places a Kubernetes provider in its cluster's Region, the stack's when the kubeconfig is unknown", () => {
      assert.strictEqual(kubeconfigRegion(kubeconfig), "us-west-2");
      assert.strictEqual(
        providerRegion("pulumi:providers:kubernetes", { kubeconfig }, "us-east-1"),
        "us-west-2",
      );
      assert.strictEqual(
        providerRegion("pulumi:providers:kubernetes", { kubeconfig: "unknown" }, "us-east-1"),
        "us-east-1",
      );
      assert.strictEqual(
        providerRegion("pulumi:providers:aws", { region: "eu-west-1" }, "us-east-1"),
        "eu-west-1",
      );
    });
  });

  describe("add-ons", () => {
    it("pins every add-on for Kubernetes 1.35", () => {
      assert.deepStrictEqual(ADDON_VERSIONS, {
        "vpc-cni": "v1.21.1-eksbuild.3",
        "kube-proxy": "v1.35.0-eksbuild.2",
        coredns: "v1.13.2-eksbuild.1",
        "eks-pod-identity-agent": "v1.3.10-eksbuild.3",
        "aws-ebs-csi-driver": "v1.57.1-eksbuild.1",
      });
    });

    it("lets the EBS CSI driver use the volume key as AWS documents for CMKs, and nothing else", () => {
      const key = "arn:aws:kms:us-west-2:111122223333:key/mrk-1";
      assert.deepStrictEqual(JSON.parse(ebsCsiKeyPolicy(key)).Statement, [
        {
          Sid: "GrantsForEbs",
          Effect: "Allow",
          Action: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
          Resource: [key],
          Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
        },
        {
          Sid: "DataKeys",
          Effect: "Allow",
          Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
          Resource: [key],
        },
      ]);
    });
  });

  describe("storage class", () => {
    it("encrypts gp3 with the given key and writes the volume-protection tag DLM targets", () => {
      assert.deepStrictEqual(
        storageClassParameters("arn:aws:kms:us-east-1:111122223333:key/k", PROTECTED_VOLUME_TAG),
        {
          type: "gp3",
          encrypted: "true",
          kmsKeyId: "arn:aws:kms:us-east-1:111122223333:key/k",
          tagSpecification_1: "payments-dr:volume-protection=dlm-cross-region",
        },
      );
    });
  });

  describe("load balancer controller role", () => {
    it("registers targets in one target group only, and describes only in its own Region", () => {
      assert.deepStrictEqual(JSON.parse(lbControllerPolicy(TG, "us-west-2")), {
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "DescribeInOwnRegion",
            Effect: "Allow",
            Action: [
              "elasticloadbalancing:DescribeTargetGroups",
              "elasticloadbalancing:DescribeTargetGroupAttributes",
              "elasticloadbalancing:DescribeTargetHealth",
              "elasticloadbalancing:DescribeLoadBalancers",
              "elasticloadbalancing:DescribeListeners",
              "elasticloadbalancing:DescribeTags",
              "ec2:DescribeVpcs",
              "ec2:DescribeSubnets",
              "ec2:DescribeSecurityGroups",
              "ec2:DescribeInstances",
              "ec2:DescribeNetworkInterfaces",
              "ec2:DescribeAvailabilityZones",
            ],
            Resource: "*",
            Condition: { StringEquals: { "aws:RequestedRegion": "us-west-2" } },
          },
          {
            Sid: "RegisterPodsInTheTargetGroup",
            Effect: "Allow",
            Action: ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"],
            Resource: TG,
          },
        ],
      });
    });
  });
});

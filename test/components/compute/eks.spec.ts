import * as assert from "assert";
import { REPLACE_ON_CHANGE } from "../../../automation/stack/replaceRules";
import { amiTypeFor, CONTROL_PLANE_LOG_TYPES, nodeGroupSize } from "../../../components/compute/eks";
import { RenderedResource, RenderedStack } from "../../../tools/render/render";
import { find, findAll, renderTestStack } from "../../helpers/stacks";

const ACTIVE = ["payments-dr:mode=active"];

/**
 * Every input that may differ between the dr stack rendered in standby and in active mode, by
 * resource (`<type>::<name>`) — the whole failover diff. Any other difference fails the test below.
 * Helpers whose resources change with mode list them here (the database helper's replica promotion).
 */
export const EXPECTED_MODE_DIFFERENCES: Readonly<Record<string, readonly string[]>> = {
  "aws:eks/nodeGroup:NodeGroup::eks-nodes": ["scalingConfig.desiredSize"],
  // Promotion: dropping the replication source promotes the replica in place.
  "aws:rds/instance:Instance::database-instance": ["replicateSourceDb"],
  // The payments service scales with the nodes (standby → active replicas), in place.
  "kubernetes:apps/v1:Deployment::payments-deployment": ["spec.replicas"],
  "kubernetes:autoscaling/v2:HorizontalPodAutoscaler::payments-hpa": ["spec.minReplicas"],
};

/**
 * Resources that exist only once dr is active (created by the failover, never replacing anything):
 * a promoted database gets its own automated-backup replication to the peer Region.
 */
export const EXPECTED_CREATED_ON_ACTIVATION: readonly string[] = [
  "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication::database-backups-replication",
];

/** Paths (dotted, array indexes as numbers) where two input trees differ. */
export function differingPaths(a: unknown, b: unknown, prefix = ""): string[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  const isObject = (v: unknown) => typeof v === "object" && v !== null;
  if (!isObject(a) || !isObject(b) || Array.isArray(a) !== Array.isArray(b)) return [prefix];
  const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)]);
  return [...keys].flatMap((key) =>
    differingPaths(
      (a as Record<string, unknown>)[key],
      (b as Record<string, unknown>)[key],
      prefix ? `${prefix}.${key}` : key,
    ),
  );
}

function modeDiff(standby: RenderedStack, active: RenderedStack): string[] {
  const activeByUrn = new Map(active.resources.map((r) => [r.urn, r]));
  return standby.resources.flatMap((r) => {
    const other = activeByUrn.get(r.urn) as RenderedResource;
    return differingPaths(r.inputs, other.inputs).map((path) => `${r.type}::${r.name} ${path}`);
  });
}

describe("eks", function () {
  // Renders whole stacks (primary, dr standby, dr active) under the mock runtime.
  this.timeout(300_000);
  describe("node group size", () => {
    it("runs the active size (3) on primary", async () => {
      const nodes = find(await renderTestStack("primary"), "aws:eks/nodeGroup:NodeGroup", "eks-nodes");
      assert.deepStrictEqual(nodes.inputs.scalingConfig, { desiredSize: 3, minSize: 1, maxSize: 6 });
    });

    it("runs one warm node on dr in standby", async () => {
      const nodes = find(await renderTestStack("dr"), "aws:eks/nodeGroup:NodeGroup", "eks-nodes");
      assert.deepStrictEqual(nodes.inputs.scalingConfig, { desiredSize: 1, minSize: 1, maxSize: 6 });
    });

    it("scales dr to the active size when mode is active", async () => {
      const nodes = find(await renderTestStack("dr", ACTIVE), "aws:eks/nodeGroup:NodeGroup", "eks-nodes");
      assert.deepStrictEqual(nodes.inputs.scalingConfig, { desiredSize: 3, minSize: 1, maxSize: 6 });
    });

    it("keeps min at the standby size in every mode, so min ≤ desired ≤ max", () => {
      const counts = { standbyNodeCount: 2, activeNodeCount: 4, maxNodeCount: 8 };
      assert.deepStrictEqual(nodeGroupSize("dr", "standby", counts), {
        minSize: 2,
        desiredSize: 2,
        maxSize: 8,
      });
      assert.deepStrictEqual(nodeGroupSize("dr", "active", counts), {
        minSize: 2,
        desiredSize: 4,
        maxSize: 8,
      });
      assert.deepStrictEqual(nodeGroupSize("primary", "active", counts), {
        minSize: 2,
        desiredSize: 4,
        maxSize: 8,
      });
    });

    it("refuses a max below the active size", () => {
      assert.throws(
        () => nodeGroupSize("dr", "active", { standbyNodeCount: 1, activeNodeCount: 3, maxNodeCount: 2 }),
        /standby=1 active=3 max=2: expected standby ≤ active ≤ max/,
      );
    });
  });

  describe("dr standby → active", () => {
    it("keeps every standby URN and creates only the expected resources (nothing deleted or renamed)", async () => {
      const standby = await renderTestStack("dr");
      const active = await renderTestStack("dr", ACTIVE);
      const activeUrns = new Set(active.resources.map((r) => r.urn));
      const standbyUrns = new Set(standby.resources.map((r) => r.urn));
      assert.deepStrictEqual(
        standby.resources.filter((r) => !activeUrns.has(r.urn)).map((r) => r.urn),
        [],
      );
      assert.deepStrictEqual(
        active.resources
          .filter((r) => !standbyUrns.has(r.urn))
          .map((r) => `${r.type}::${r.name}`)
          .sort(),
        [...EXPECTED_CREATED_ON_ACTIVATION].sort(),
      );
    });

    it("changes exactly the expected inputs across all resources (the whole failover diff)", async () => {
      const actual = modeDiff(await renderTestStack("dr"), await renderTestStack("dr", ACTIVE)).sort();
      const expected = Object.entries(EXPECTED_MODE_DIFFERENCES)
        .flatMap(([resource, paths]) => paths.map((path) => `${resource} ${path}`))
        .sort();
      assert.deepStrictEqual(actual, expected);
    });

    it("changes no replace-only input of the node group or the cluster", async () => {
      const standby = await renderTestStack("dr");
      const active = await renderTestStack("dr", ACTIVE);
      const ng = (s: RenderedStack) => find(s, "aws:eks/nodeGroup:NodeGroup", "eks-nodes").inputs;
      const changed = differingPaths(ng(standby), ng(active));
      // The same replace-only table the failover dry run judges every resource by.
      const replaceOnly = REPLACE_ON_CHANGE["aws:eks/nodeGroup:NodeGroup"];
      assert.ok(replaceOnly.includes("launchTemplate.id") && replaceOnly.includes("subnetIds"));
      for (const input of replaceOnly) {
        assert.ok(!changed.some((path) => path.startsWith(input)), `${input} changed: ${changed.join(", ")}`);
      }
      const cluster = (s: RenderedStack) => find(s, "aws:eks/cluster:Cluster", "eks-cluster").inputs;
      assert.deepStrictEqual(differingPaths(cluster(standby), cluster(active)), []);
    });
  });

  describe("cluster", () => {
    it("encrypts secrets with the Region's cluster key", async () => {
      for (const stack of ["primary", "dr"]) {
        const rendered = await renderTestStack(stack);
        const cluster = find(rendered, "aws:eks/cluster:Cluster", "eks-cluster");
        const keys = rendered.outputs.keys as Record<string, string>;
        assert.deepStrictEqual(cluster.inputs.encryptionConfig, {
          provider: { keyArn: keys.cluster },
          resources: ["secrets"],
        });
        assert.match(keys.cluster, new RegExp(`^arn:aws:kms:${rendered.config["aws:region"]}:`));
      }
    });

    it("logs every control-plane log type to an encrypted group named for the cluster", async () => {
      const rendered = await renderTestStack("dr");
      const cluster = find(rendered, "aws:eks/cluster:Cluster", "eks-cluster");
      assert.deepStrictEqual(cluster.inputs.enabledClusterLogTypes, [
        "api",
        "audit",
        "authenticator",
        "controllerManager",
        "scheduler",
      ]);
      assert.deepStrictEqual(CONTROL_PLANE_LOG_TYPES, cluster.inputs.enabledClusterLogTypes);
      const logs = find(rendered, "aws:cloudwatch/logGroup:LogGroup", "eks-control-plane-logs");
      assert.strictEqual(logs.inputs.name, "/aws/eks/payments-dr-dr/cluster");
      assert.strictEqual(logs.inputs.kmsKeyId, (rendered.outputs.keys as Record<string, string>).messaging);
      assert.strictEqual(logs.inputs.retentionInDays, 365);
    });

    it("uses API authentication with no implicit creator admin, private endpoint only", async () => {
      const rendered = await renderTestStack("primary");
      const cluster = find(rendered, "aws:eks/cluster:Cluster", "eks-cluster");
      assert.deepStrictEqual(cluster.inputs.accessConfig, {
        authenticationMode: "API",
        bootstrapClusterCreatorAdminPermissions: false,
      });
      const network = rendered.outputs.network as Record<string, unknown>;
      assert.deepStrictEqual(cluster.inputs.vpcConfig, {
        subnetIds: network.privateSubnetIds,
        endpointPrivateAccess: true,
        endpointPublicAccess: false,
      });
      assert.strictEqual(cluster.inputs.version, "1.35");
      assert.strictEqual(cluster.inputs.name, "payments-dr-primary");
    });

    it("creates cluster and nodes at 1.35 and never plans an EKS-applied upgrade back (ignoreChanges version)", async () => {
      for (const stack of ["primary", "dr"]) {
        const rendered = await renderTestStack(stack);
        const cluster = find(rendered, "aws:eks/cluster:Cluster", "eks-cluster");
        const nodes = find(rendered, "aws:eks/nodeGroup:NodeGroup", "eks-nodes");
        assert.deepStrictEqual(
          [cluster.inputs.version, cluster.ignoreChanges, cluster.inputs.upgradePolicy],
          ["1.35", ["version"], { supportType: "STANDARD" }],
          stack,
        );
        assert.deepStrictEqual(
          [nodes.inputs.version, nodes.ignoreChanges, nodes.inputs.amiType],
          ["1.35", ["version"], "AL2023_x86_64_STANDARD"],
          stack,
        );
      }
    });

    it("takes the version from payments-dr:eks.kubernetesVersion", async () => {
      const rendered = await renderTestStack("dr", ["payments-dr:eks.kubernetesVersion=1.34"]);
      assert.strictEqual(find(rendered, "aws:eks/cluster:Cluster", "eks-cluster").inputs.version, "1.34");
      assert.strictEqual(find(rendered, "aws:eks/nodeGroup:NodeGroup", "eks-nodes").inputs.version, "1.34");
    });

    it("grants cluster admin only through an access entry for the admin role", async () => {
      const rendered = await renderTestStack("primary");
      const role = find(rendered, "aws:iam/role:Role", "eks-admin-role");
      const entry = find(rendered, "aws:eks/accessEntry:AccessEntry", "eks-admin-access");
      const association = find(
        rendered,
        "aws:eks/accessPolicyAssociation:AccessPolicyAssociation",
        "eks-admin-policy",
      );
      assert.strictEqual(entry.inputs.principalArn, role.outputs.arn);
      assert.strictEqual(entry.inputs.type, "STANDARD");
      assert.deepStrictEqual(
        {
          principalArn: association.inputs.principalArn,
          policyArn: association.inputs.policyArn,
          accessScope: association.inputs.accessScope,
        },
        {
          principalArn: role.outputs.arn,
          policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
          accessScope: { type: "cluster" },
        },
      );
      assert.deepStrictEqual(JSON.parse(String(role.inputs.assumeRolePolicy)).Statement, [
        { Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "sts:AssumeRole" },
      ]);
    });

    it("gives the cluster and node roles only their AWS managed policies", async () => {
      const rendered = await renderTestStack("primary");
      const attached = (roleName: string) => {
        const role = find(rendered, "aws:iam/role:Role", roleName);
        return findAll(rendered, "aws:iam/rolePolicyAttachment:RolePolicyAttachment")
          .filter((a) => a.inputs.role === role.outputs.name)
          .map((a) => a.inputs.policyArn)
          .sort();
      };
      assert.deepStrictEqual(attached("eks-cluster-role"), [
        "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy",
      ]);
      assert.deepStrictEqual(attached("eks-node-role"), [
        "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
        "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
        "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
      ]);
      const trust = (name: string) =>
        JSON.parse(String(find(rendered, "aws:iam/role:Role", name).inputs.assumeRolePolicy)).Statement[0]
          .Principal;
      assert.deepStrictEqual(trust("eks-cluster-role"), { Service: "eks.amazonaws.com" });
      assert.deepStrictEqual(trust("eks-node-role"), { Service: "ec2.amazonaws.com" });
    });
  });

  describe("nodes", () => {
    it("boot from a launch template with an encrypted gp3 root volume and IMDSv2 only", async () => {
      const rendered = await renderTestStack("dr");
      const template = find(rendered, "aws:ec2/launchTemplate:LaunchTemplate", "eks-node-template");
      const keys = rendered.outputs.keys as Record<string, string>;
      assert.deepStrictEqual(template.inputs.blockDeviceMappings, [
        {
          deviceName: "/dev/xvda",
          ebs: {
            volumeSize: 50,
            volumeType: "gp3",
            encrypted: "true",
            kmsKeyId: keys.cluster,
            deleteOnTermination: "true",
          },
        },
      ]);
      assert.deepStrictEqual(template.inputs.metadataOptions, {
        httpEndpoint: "enabled",
        httpTokens: "required",
        httpPutResponseHopLimit: 1,
      });
      const nodes = find(rendered, "aws:eks/nodeGroup:NodeGroup", "eks-nodes");
      assert.deepStrictEqual(nodes.inputs.launchTemplate, { id: template.id, version: "1" });
    });

    it("run in the private subnets with the x86 AMI for m6i", async () => {
      const rendered = await renderTestStack("primary");
      const nodes = find(rendered, "aws:eks/nodeGroup:NodeGroup", "eks-nodes");
      assert.deepStrictEqual(
        nodes.inputs.subnetIds,
        (rendered.outputs.network as Record<string, unknown>).privateSubnetIds,
      );
      assert.deepStrictEqual(nodes.inputs.instanceTypes, ["m6i.large"]);
      assert.strictEqual(nodes.inputs.amiType, "AL2023_x86_64_STANDARD");
      assert.strictEqual(nodes.inputs.capacityType, "ON_DEMAND");
    });

    it("picks the ARM AMI for Graviton families only", () => {
      for (const type of ["m7g.large", "c7gn.xlarge", "r8g.2xlarge", "t4g.medium", "x2gd.large"]) {
        assert.strictEqual(amiTypeFor(type), "AL2023_ARM_64_STANDARD", type);
      }
      for (const type of ["m6i.large", "g5.xlarge", "c6a.large", "r7iz.large"]) {
        assert.strictEqual(amiTypeFor(type), "AL2023_x86_64_STANDARD", type);
      }
    });
  });

  it("publishes the eks outputs of the contract", async () => {
    const dr = await renderTestStack("dr");
    const eks = dr.outputs.eks as Record<string, unknown>;
    assert.strictEqual(eks.clusterName, "payments-dr-dr");
    assert.strictEqual(eks.desiredNodeCount, 1);
    assert.match(String(eks.nodeGroupName), /^app-\d{26}$/);
  });
});

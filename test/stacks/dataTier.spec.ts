import * as assert from "assert";
import { isDeepStrictEqual } from "util";
import { CACHE_SNAPSHOTS_SSE_S3_REASON } from "../../components/data/cache/cacheSnapshotExport";
import { CACHE_SNAPSHOT_STORE_NAME, OBJECT_STORE_NAMES, OBJECT_STORE_ROLES } from "../../stacks/dataTier";
import { RenderedResource, RenderedStack } from "../../tools/render/render";
import { find, renderTestStack } from "../helpers/stacks";

const STORAGE_COMPONENTS = ["ObjectStore", "Warehouse", "Backup", "FailoverState"].map(
  (c) => `payments-dr:components:${c}`,
);

const STACKS = [
  { stack: "primary", region: "us-east-1", peer: "us-west-2" },
  { stack: "dr", region: "us-west-2", peer: "us-east-1" },
] as const;

/** The storage components of a stack and every resource beneath them. */
/** The data tier's resources: its top-level storage components and their children (not, say, an ObjectStore inside Ingress). */
function storageResources(rendered: RenderedStack): RenderedResource[] {
  const root = rendered.resources.find((r) => r.type === "pulumi:pulumi:Stack")?.urn;
  const mine = new Set(
    rendered.resources
      .filter((r) => STORAGE_COMPONENTS.includes(r.type) && r.parent === root)
      .map((r) => r.urn),
  );
  let grew = true;
  while (grew) {
    grew = false;
    for (const r of rendered.resources) {
      if (r.parent && mine.has(r.parent) && !mine.has(r.urn)) {
        mine.add(r.urn);
        grew = true;
      }
    }
  }
  return rendered.resources.filter((r) => mine.has(r.urn));
}

/** Every KMS key ARN in a value, with the path it was found at. */
function keyArns(value: unknown, path = ""): { path: string; arn: string }[] {
  if (typeof value === "string") {
    const found: { path: string; arn: string }[] = [];
    for (const m of value.matchAll(/arn:aws:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+/g)) {
      found.push({ path, arn: m[0] });
    }
    return found;
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => keyArns(v, `${path}[${i}]`));
  if (value && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => keyArns(v, path ? `${path}.${k}` : k));
  }
  return [];
}

const regionOf = (arn: unknown) => String(arn).split(":")[3];

describe("data tier composition", () => {
  before(async function () {
    this.timeout(300_000);
    await Promise.all([
      renderTestStack("primary"),
      renderTestStack("dr"),
      renderTestStack("dr", ["payments-dr:mode=active"]),
    ]);
  });

  for (const { stack, region, peer } of STACKS) {
    describe(`${stack} stack`, () => {
      it("publishes each object store's bucket and replica bucket by role", async () => {
        const rendered = await renderTestStack(stack);
        const name = (resource: string) => find(rendered, "aws:s3/bucket:Bucket", resource).outputs.bucket;
        const byRole = (suffix: string) => ({
          ...Object.fromEntries(
            OBJECT_STORE_ROLES.map((role) => [role, name(`${OBJECT_STORE_NAMES[role]}${suffix}`)]),
          ),
          cacheSnapshots: name(`${CACHE_SNAPSHOT_STORE_NAME}${suffix}`),
        });
        assert.deepStrictEqual(rendered.outputs.objects, {
          buckets: byRole("-bucket"),
          replicaBuckets: byRole("-replica-bucket"),
        });
        assert.deepStrictEqual(Object.keys(byRole("-bucket")), [
          "app",
          "landing",
          "searchSnapshots",
          "cacheSnapshots",
        ]);
      });

      it("uses, in every storage resource, only keys of that resource's own Region, except for peer-Region destinations", async () => {
        const rendered = await renderTestStack(stack);
        const wrong: string[] = [];
        let checked = 0;
        for (const r of storageResources(rendered)) {
          if (r.region === null) continue; // IAM policies name keys in both Regions by design.
          for (const { path, arn } of keyArns(r.inputs)) {
            checked++;
            // A replication destination and a table replica are encrypted in the peer Region.
            const expected = /destination|^replicas\[/.test(path) ? peer : r.region;
            if (regionOf(arn) !== expected) wrong.push(`${r.name}.${path} = ${arn} (expected ${expected})`);
          }
        }
        assert.deepStrictEqual(wrong, []);
        // SSE x6, replication x3, vaults x2, cluster x2, log groups x3, grant x1; primary: table x2 more.
        assert.ok(checked >= 17, `only ${checked} key references found: the scan is not looking`);
      });

      it("sends every cross-Region copy to the peer Region", async () => {
        const rendered = await renderTestStack(stack);
        const mine = storageResources(rendered);
        const inPeer = mine.filter((r) => r.region === peer).map((r) => r.name);
        const expectedInPeer = [
          ...[
            ...OBJECT_STORE_ROLES.map((role) => OBJECT_STORE_NAMES[role]),
            CACHE_SNAPSHOT_STORE_NAME,
          ].flatMap((store) =>
            ["bucket", "public-access", "ownership", "versioning", "encryption", "policy", "lifecycle"].map(
              (part) => `${store}-replica-${part}`,
            ),
          ),
          "warehouse-copy-grant",
          "backup-copy-vault",
          "backup-copy-vault-lock",
        ];
        assert.deepStrictEqual([...inPeer].sort(), [...expectedInPeer].sort());
        for (const r of mine.filter((r) => r.region === peer))
          assert.strictEqual(r.inputs.region, peer, r.name);
        // Everything else that has a Region is in the stack's own Region.
        const elsewhere = mine.filter((r) => r.region !== null && r.region !== peer && r.region !== region);
        assert.deepStrictEqual(elsewhere, []);
      });

      it("protects every stateful storage resource from deletion", async () => {
        const rendered = await renderTestStack(stack);
        const protectedNames = storageResources(rendered)
          .filter((r) => r.protect)
          .map((r) => r.name)
          .sort();
        const expected = [
          ...[
            ...OBJECT_STORE_ROLES.map((role) => OBJECT_STORE_NAMES[role]),
            CACHE_SNAPSHOT_STORE_NAME,
          ].flatMap((store) => [`${store}-bucket`, `${store}-replica-bucket`]),
          "warehouse-cluster",
          "backup-vault",
          "backup-copy-vault",
          ...(stack === "primary" ? ["failover-state-table"] : []),
        ].sort();
        assert.deepStrictEqual(protectedNames, expected);
      });

      it("tags every taggable storage resource with the stack's tags", async () => {
        const rendered = await renderTestStack(stack);
        const tags = {
          app: "payments",
          "payments-dr:stack": stack,
          "payments-dr:role": stack,
          "cost-center": "payments-platform",
        };
        const taggable = new Set([
          "aws:s3/bucket:Bucket",
          "aws:iam/role:Role",
          "aws:backup/vault:Vault",
          "aws:backup/plan:Plan",
          "aws:dynamodb/table:Table",
          "aws:redshift/cluster:Cluster",
          "aws:redshift/subnetGroup:SubnetGroup",
          "aws:redshift/parameterGroup:ParameterGroup",
          "aws:redshift/snapshotCopyGrant:SnapshotCopyGrant",
          "aws:ec2/securityGroup:SecurityGroup",
          "aws:cloudwatch/logGroup:LogGroup",
        ]);
        const untagged = storageResources(rendered)
          .filter((r) => taggable.has(r.type))
          .filter((r) => {
            // The one SSE-S3 bucket also states why (the policy pack reports it).
            const expected =
              r.name === `${CACHE_SNAPSHOT_STORE_NAME}-bucket`
                ? { ...tags, "payments-dr:sse-s3-reason": CACHE_SNAPSHOTS_SSE_S3_REASON }
                : tags;
            return !isDeepStrictEqual(r.inputs.tags, expected);
          })
          .map((r) => r.name);
        assert.deepStrictEqual(untagged, []);
      });
    });
  }

  it("leaves every dr storage resource unchanged when dr becomes active (same URNs, same inputs)", async () => {
    const standby = storageResources(await renderTestStack("dr"));
    const active = storageResources(await renderTestStack("dr", ["payments-dr:mode=active"]));
    const activeByUrn = new Map(active.map((r) => [r.urn, r]));
    for (const r of standby) {
      const after = activeByUrn.get(r.urn);
      assert.ok(after, `${r.urn} disappears in active mode`);
      assert.deepStrictEqual(after.inputs, r.inputs, `${r.urn} changes its inputs in active mode`);
      assert.deepStrictEqual(after.dependencies, r.dependencies, r.urn);
      assert.strictEqual(after.protect, r.protect, r.urn);
    }
    // The storage tier adds nothing either (the databases' changes are asserted in test/components/compute/eks.spec.ts,
    // which diffs every resource of the stack between the two modes).
    assert.ok(standby.length > 30, `storage resources found: ${standby.length}`);
    const added = active.filter((r) => !standby.some((s) => s.urn === r.urn)).map((r) => r.name);
    assert.deepStrictEqual(added, []);
  });
});

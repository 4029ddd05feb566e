/**
 * The search admin function (functions/searchAdmin) as `aws.lambda.Invocation` with
 * `lifecycleScope: "CRUD"` calls it: the request payloads it sends to OpenSearch, idempotent
 * retries, updates from `tf.prev_input` and the delete path, against an in-memory OpenSearch on
 * 127.0.0.1 that keeps role mappings, repositories, Snapshot Management policies and follow rules.
 */
import * as assert from "assert";
import * as http from "http";
import { AddressInfo } from "net";
import { handle } from "../../functions/searchAdmin/handler";
import { SearchAdminEvent } from "../../functions/searchAdmin/requests";

const credentials = {
  accessKeyId: "AKIDEXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
};
const fast = { credentials, baseDelayMs: 1 };
const ACCOUNT = "111122223333";
const MASTER = `arn:aws:iam::${ACCOUNT}:role/payments-dr-search-admin-us-west-2`;
const SNAPSHOT_ROLE = `arn:aws:iam::${ACCOUNT}:role/search-snapshot-role-1a2b3c`;

interface Fake {
  readonly requests: { method: string; url: string; body: string }[];
  readonly mappings: Map<string, { backend_roles: string[]; hosts: string[]; users: string[] }>;
  readonly repositories: Map<string, unknown>;
  readonly policies: Map<string, unknown>;
  readonly rules: Map<string, unknown>;
  env: Record<string, string>;
  close(): Promise<void>;
}

/** An in-memory domain answering the calls the function makes, with OpenSearch's status codes. */
async function fakeOpenSearch(): Promise<Fake> {
  const fake = {
    requests: [] as Fake["requests"],
    mappings: new Map([["all_access", { backend_roles: [MASTER], hosts: [], users: [] }]]),
    repositories: new Map<string, unknown>(),
    policies: new Map<string, unknown>(),
    rules: new Map<string, unknown>(),
  };
  const error = (status: number, type: string, reason: string) => ({
    status,
    body: { error: { type, reason }, status },
  });
  const route = (method: string, url: string, body: unknown): { status: number; body: unknown } => {
    const path = url.split("?")[0];
    let m = /^\/_plugins\/_security\/api\/rolesmapping\/([^/]+)$/.exec(path);
    if (m) {
      const role = decodeURIComponent(m[1]);
      if (method === "GET") {
        const mapping = fake.mappings.get(role);
        return mapping
          ? { status: 200, body: { [role]: { ...mapping, reserved: false, hidden: false } } }
          : error(404, "", `${role} not found`);
      }
      fake.mappings.set(role, body as never);
      return { status: 200, body: { status: "OK" } };
    }
    m = /^\/_snapshot\/([^/]+)$/.exec(path);
    if (m) {
      const name = decodeURIComponent(m[1]);
      if (method === "PUT")
        return fake.repositories.set(name, body) && { status: 200, body: { acknowledged: true } };
      return fake.repositories.delete(name)
        ? { status: 200, body: { acknowledged: true } }
        : error(404, "repository_missing_exception", `[${name}] missing`);
    }
    m = /^\/_plugins\/_sm\/policies\/([^/]+)$/.exec(path);
    if (m) {
      const name = decodeURIComponent(m[1]);
      if (method === "POST") {
        if (fake.policies.has(name))
          return error(409, "version_conflict_engine_exception", "document already exists");
        fake.policies.set(name, body);
        return { status: 201, body: { _id: name } };
      }
      if (method === "GET")
        return {
          status: 200,
          body: { _id: name, _seq_no: 4, _primary_term: 1, sm_policy: fake.policies.get(name) },
        };
      if (method === "PUT") return fake.policies.set(name, body) && { status: 200, body: { _id: name } };
      return fake.policies.delete(name)
        ? { status: 200, body: {} }
        : error(404, "resource_not_found_exception", "SM policy not found");
    }
    if (path === "/_plugins/_replication/_autofollow") {
      const { leader_alias: alias, name } = body as { leader_alias: string; name: string };
      const key = `${alias}/${name}`;
      if (method === "POST") {
        if (fake.rules.has(key))
          return error(
            400,
            "resource_already_exists_exception",
            `Autofollow rule with name ${name} already exists`,
          );
        fake.rules.set(key, body);
        return { status: 200, body: { acknowledged: true } };
      }
      return fake.rules.delete(key)
        ? { status: 200, body: { acknowledged: true } }
        : error(404, "resource_not_found_exception", "rule does not exist");
    }
    return error(400, "illegal_argument_exception", `unexpected ${method} ${path}`);
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString();
      fake.requests.push({ method: req.method ?? "", url: req.url ?? "", body: text });
      const reply = route(req.method ?? "", req.url ?? "", text ? JSON.parse(text) : undefined);
      res.writeHead(reply.status, { "content-type": "application/json" });
      res.end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(fake, {
    env: {
      DOMAIN_NAME: "payments-dr-dr",
      DOMAIN_ENDPOINT: `http://127.0.0.1:${port}`,
      DOMAIN_REGION: "us-west-2",
      SNAPSHOT_ROLE_ARN: SNAPSHOT_ROLE,
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

/** The payload the provider sends: the input plus `tf: { action, prev_input }`. */
const invocation = (
  input: Record<string, unknown>,
  action: "create" | "update" | "delete",
  prev: Record<string, unknown> | null = null,
) => ({ ...input, tf: { action, prev_input: prev } }) as unknown as SearchAdminEvent;

const mappings = {
  operation: "roleMappings",
  domainName: "payments-dr-dr",
  mappings: {
    all_access: [`arn:aws:iam::${ACCOUNT}:role/search-master-role-9f8e7d`],
    manage_snapshots: [MASTER],
    cross_cluster_replication_follower_full_access: [MASTER],
    cross_cluster_replication_leader_full_access: [
      `arn:aws:iam::${ACCOUNT}:role/payments-dr-search-admin-us-east-1`,
    ],
  },
};
const repository = {
  operation: "snapshotRepository",
  domainName: "payments-dr-dr",
  name: "payments-snapshots",
  bucket: "payments-dr-dr-search-snapshots",
  bucketRegion: "us-west-2",
  policyName: "payments-scheduled",
  cron: "0 * * * *",
  maxAgeDays: 35,
};
const rule = {
  operation: "followRule",
  domainName: "payments-dr-dr",
  leaderAlias: "payments-primary",
  ruleName: "payments-all",
  pattern: "*",
  leaderClusterRole: "cross_cluster_replication_leader_full_access",
  followerClusterRole: "cross_cluster_replication_follower_full_access",
};

describe("search admin function", () => {
  let fake: Fake;
  beforeEach(async () => (fake = await fakeOpenSearch()));
  afterEach(() => fake.close());

  describe("role mappings", () => {
    it("adds this stack's backend roles next to the ones already mapped (the master AWS maps), idempotently", async () => {
      const first = await handle(invocation(mappings, "create"), fake.env, fast);
      assert.deepStrictEqual(first, {
        operation: "roleMappings",
        action: "create",
        domainName: "payments-dr-dr",
        steps: [
          "rolesmapping all_access: 2 backend role(s)",
          "rolesmapping cross_cluster_replication_follower_full_access: 1 backend role(s)",
          "rolesmapping cross_cluster_replication_leader_full_access: 1 backend role(s)",
          "rolesmapping manage_snapshots: 1 backend role(s)",
        ],
      });
      assert.deepStrictEqual(fake.mappings.get("all_access"), {
        backend_roles: [MASTER, `arn:aws:iam::${ACCOUNT}:role/search-master-role-9f8e7d`],
        hosts: [],
        users: [],
      });
      assert.deepStrictEqual(
        fake.requests.filter((r) => r.method === "PUT").map((r) => [r.url, JSON.parse(r.body)]),
        [
          [
            "/_plugins/_security/api/rolesmapping/all_access",
            {
              backend_roles: [MASTER, `arn:aws:iam::${ACCOUNT}:role/search-master-role-9f8e7d`],
              hosts: [],
              users: [],
            },
          ],
          [
            "/_plugins/_security/api/rolesmapping/cross_cluster_replication_follower_full_access",
            { backend_roles: [MASTER], hosts: [], users: [] },
          ],
          [
            "/_plugins/_security/api/rolesmapping/cross_cluster_replication_leader_full_access",
            {
              backend_roles: [`arn:aws:iam::${ACCOUNT}:role/payments-dr-search-admin-us-east-1`],
              hosts: [],
              users: [],
            },
          ],
          [
            "/_plugins/_security/api/rolesmapping/manage_snapshots",
            { backend_roles: [MASTER], hosts: [], users: [] },
          ],
        ],
      );
      // A retried create reads and writes nothing new.
      const again = await handle(invocation(mappings, "create"), fake.env, fast);
      assert.deepStrictEqual(again.steps, [
        "rolesmapping all_access: unchanged",
        "rolesmapping cross_cluster_replication_follower_full_access: unchanged",
        "rolesmapping cross_cluster_replication_leader_full_access: unchanged",
        "rolesmapping manage_snapshots: unchanged",
      ]);
      assert.strictEqual(fake.requests.filter((r) => r.method === "PUT").length, 4);
    });

    it("on update removes only what the previous input mapped and is no longer wanted", async () => {
      await handle(invocation(mappings, "create"), fake.env, fast);
      const next = { ...mappings, mappings: { ...mappings.mappings, manage_snapshots: [] as string[] } };
      const { manage_snapshots: _, ...withoutSnapshots } = next.mappings;
      await handle(invocation({ ...next, mappings: withoutSnapshots }, "update", mappings), fake.env, fast);
      assert.deepStrictEqual(fake.mappings.get("manage_snapshots")?.backend_roles, []);
      assert.deepStrictEqual(fake.mappings.get("all_access")?.backend_roles, [
        MASTER,
        `arn:aws:iam::${ACCOUNT}:role/search-master-role-9f8e7d`,
      ]);
    });

    it("on delete removes this stack's backend roles and keeps the master's", async () => {
      await handle(invocation(mappings, "create"), fake.env, fast);
      const result = await handle(invocation(mappings, "delete", mappings), fake.env, fast);
      assert.strictEqual(result.action, "delete");
      assert.deepStrictEqual(
        Object.fromEntries([...fake.mappings].map(([role, m]) => [role, m.backend_roles])),
        {
          all_access: [MASTER],
          cross_cluster_replication_follower_full_access: [],
          cross_cluster_replication_leader_full_access: [],
          manage_snapshots: [],
        },
      );
    });
  });

  describe("snapshot repository", () => {
    it("registers the repository with the snapshot role from its environment, then the hourly schedule", async () => {
      const result = await handle(invocation(repository, "create"), fake.env, fast);
      assert.deepStrictEqual(result.steps, [
        "repository payments-snapshots: registered",
        "policy payments-scheduled: created",
      ]);
      assert.deepStrictEqual(fake.repositories.get("payments-snapshots"), {
        type: "s3",
        settings: { bucket: "payments-dr-dr-search-snapshots", region: "us-west-2", role_arn: SNAPSHOT_ROLE },
      });
      const policy = fake.policies.get("payments-scheduled") as Record<string, Record<string, unknown>>;
      assert.deepStrictEqual(policy.creation.schedule, {
        cron: { expression: "0 * * * *", timezone: "UTC" },
      });
      assert.deepStrictEqual(policy.deletion.condition, { max_age: "35d", min_count: 1 });
      assert.strictEqual(policy.snapshot_config.repository, "payments-snapshots");
    });

    it("converges on a retried create by updating the existing schedule", async () => {
      await handle(invocation(repository, "create"), fake.env, fast);
      const again = await handle(invocation(repository, "create"), fake.env, fast);
      assert.deepStrictEqual(again.steps, [
        "repository payments-snapshots: registered",
        "policy payments-scheduled: updated",
      ]);
      assert.deepStrictEqual(
        fake.requests.slice(-3).map((r) => [r.method, r.url]),
        [
          ["POST", "/_plugins/_sm/policies/payments-scheduled"],
          ["GET", "/_plugins/_sm/policies/payments-scheduled"],
          ["PUT", "/_plugins/_sm/policies/payments-scheduled?if_seq_no=4&if_primary_term=1"],
        ],
      );
    });

    it("on update to a new retention rewrites the schedule; to a new policy name removes the old policy", async () => {
      await handle(invocation(repository, "create"), fake.env, fast);
      const renamed = { ...repository, policyName: "payments-hourly", maxAgeDays: 14 };
      const result = await handle(invocation(renamed, "update", repository), fake.env, fast);
      assert.deepStrictEqual(result.steps, [
        "policy payments-scheduled: deleted",
        "repository payments-snapshots: registered",
        "policy payments-hourly: created",
      ]);
      assert.deepStrictEqual([...fake.policies.keys()], ["payments-hourly"]);
    });

    it("on delete removes the schedule, then unregisters the repository, and tolerates both being gone", async () => {
      await handle(invocation(repository, "create"), fake.env, fast);
      const first = await handle(invocation(repository, "delete", repository), fake.env, fast);
      assert.deepStrictEqual(first.steps, [
        "policy payments-scheduled: deleted",
        "repository payments-snapshots: deleted",
      ]);
      assert.deepStrictEqual([fake.repositories.size, fake.policies.size], [0, 0]);
      const again = await handle(invocation(repository, "delete", repository), fake.env, fast);
      assert.deepStrictEqual(again.steps, [
        "policy payments-scheduled: absent",
        "repository payments-snapshots: absent",
      ]);
    });
  });

  describe("follow rule", () => {
    it("creates the rule with the replication roles, treats an existing one as created, and deletes it", async () => {
      assert.deepStrictEqual((await handle(invocation(rule, "create"), fake.env, fast)).steps, [
        "rule payments-primary/payments-all: created",
      ]);
      assert.deepStrictEqual(JSON.parse(fake.requests[0].body), {
        leader_alias: "payments-primary",
        name: "payments-all",
        pattern: "*",
        use_roles: {
          leader_cluster_role: "cross_cluster_replication_leader_full_access",
          follower_cluster_role: "cross_cluster_replication_follower_full_access",
        },
      });
      assert.deepStrictEqual((await handle(invocation(rule, "create"), fake.env, fast)).steps, [
        "rule payments-primary/payments-all: exists",
      ]);
      assert.deepStrictEqual((await handle(invocation(rule, "delete", rule), fake.env, fast)).steps, [
        "rule payments-primary/payments-all: deleted",
      ]);
      assert.deepStrictEqual((await handle(invocation(rule, "delete", rule), fake.env, fast)).steps, [
        "rule payments-primary/payments-all: absent",
      ]);
    });

    it("on update of the pattern replaces the rule under the previous name first", async () => {
      await handle(invocation(rule, "create"), fake.env, fast);
      const result = await handle(
        invocation({ ...rule, pattern: "payments-*" }, "update", rule),
        fake.env,
        fast,
      );
      assert.deepStrictEqual(result.steps, [
        "rule payments-primary/payments-all: deleted",
        "rule payments-primary/payments-all: created",
      ]);
      assert.strictEqual(
        (fake.rules.get("payments-primary/payments-all") as { pattern: string }).pattern,
        "payments-*",
      );
    });
  });

  describe("refusals", () => {
    it("refuses a request for another domain, an unknown operation, a malformed field and a missing environment", async () => {
      await assert.rejects(
        handle(invocation({ ...rule, domainName: "payments-dr-primary" }, "create"), fake.env, fast),
        /Search admin for domain payments-dr-dr refused a followRule request for domain payments-dr-primary/,
      );
      await assert.rejects(
        handle(invocation({ ...rule, operation: "reindex" }, "create"), fake.env, fast),
        /operation = "reindex": expected one of roleMappings, snapshotRepository, followRule/,
      );
      await assert.rejects(
        handle(invocation({ ...repository, maxAgeDays: "35" }, "create"), fake.env, fast),
        /Invalid snapshotRepository request: maxAgeDays = "35": expected a non-empty number/,
      );
      await assert.rejects(
        handle(
          invocation({ ...mappings, mappings: { all_access: ["search-master-role"] } }, "create"),
          fake.env,
          fast,
        ),
        /mappings\.all_access = \["search-master-role"\]: expected a list of IAM role ARNs/,
      );
      await assert.rejects(
        handle(invocation(repository, "create"), { ...fake.env, SNAPSHOT_ROLE_ARN: "" }, fast),
        /environment variable SNAPSHOT_ROLE_ARN is not set/,
      );
      await assert.rejects(
        handle(invocation(rule, "create"), { ...fake.env, DOMAIN_ENDPOINT: "" }, fast),
        /environment variable DOMAIN_ENDPOINT is not set/,
      );
      await assert.rejects(
        handle(
          { ...rule, tf: { action: "read", prev_input: null } } as unknown as SearchAdminEvent,
          fake.env,
          fast,
        ),
        /tf\.action = "read": expected create, update or delete/,
      );
      assert.deepStrictEqual(fake.requests, []);
    });
  });
});

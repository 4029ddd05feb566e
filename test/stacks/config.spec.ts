import * as assert from "assert";
import { ConfigError, parseStackConfig, RawConfig } from "../../stacks/config";
import { readStackConfig } from "../../tools/render/stackFiles";

const primary: RawConfig = readStackConfig("primary");
const dr: RawConfig = readStackConfig("dr");

function withOverrides(base: RawConfig, changes: Record<string, unknown>): RawConfig {
  const result: Record<string, unknown> = JSON.parse(JSON.stringify(base));
  for (const [key, value] of Object.entries(changes)) {
    const [root, ...path] = key.split(".");
    if (path.length === 0) {
      if (value === undefined) delete result[root];
      else result[root] = value;
      continue;
    }
    const section = { ...((result[root] as Record<string, unknown>) ?? {}) };
    section[path[0]] = value;
    result[root] = section;
  }
  return result;
}

function errorFor(raw: RawConfig, stack: string): ConfigError {
  try {
    parseStackConfig(raw, stack);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  assert.fail("expected a ConfigError");
}

describe("stack config validation", () => {
  it("accepts both stack files and fills documented defaults", () => {
    const p = parseStackConfig(primary, "primary");
    const d = parseStackConfig(dr, "dr");
    assert.deepStrictEqual(
      {
        role: p.role,
        mode: p.mode,
        region: p.region,
        peerRegion: p.peerRegion,
        primaryStack: p.primaryStack,
      },
      {
        role: "primary",
        mode: "active",
        region: "us-east-1",
        peerRegion: "us-west-2",
        primaryStack: undefined,
      },
    );
    assert.deepStrictEqual(
      {
        role: d.role,
        mode: d.mode,
        region: d.region,
        peerRegion: d.peerRegion,
        primaryStack: d.primaryStack,
      },
      {
        role: "dr",
        mode: "standby",
        region: "us-west-2",
        peerRegion: "us-east-1",
        primaryStack: "organization/payments-dr/primary",
      },
    );
    assert.deepStrictEqual(d.eks, {
      kubernetesVersion: "1.35",
      nodeInstanceType: "m6i.large",
      standbyNodeCount: 1,
      activeNodeCount: 3,
      maxNodeCount: 6,
      nodeVolumeSizeGb: 50,
    });
    assert.deepStrictEqual(d.targets, { rpoSeconds: 900, rtoSeconds: 1800 });
    assert.strictEqual(d.protectStatefulResources, true);
    assert.strictEqual(d.cache.nodeType, "cache.r7g.large");
  });

  it("accepts numbers and booleans given as strings, as `pulumi config set` stores them", () => {
    const config = parseStackConfig(
      withOverrides(dr, {
        "payments-dr:eks.activeNodeCount": "4",
        "payments-dr:protectStatefulResources": "false",
      }),
      "dr",
    );
    assert.strictEqual(config.eks.activeNodeCount, 4);
    assert.strictEqual(config.protectStatefulResources, false);
  });

  it("parses structured values the CLI passes as JSON text", () => {
    const config = parseStackConfig(
      withOverrides(dr, { "payments-dr:targets": JSON.stringify({ rpoSeconds: 300, rtoSeconds: 600 }) }),
      "dr",
    );
    assert.deepStrictEqual(config.targets, { rpoSeconds: 300, rtoSeconds: 600 });
  });

  it("refuses an unknown mode, naming the allowed values", () => {
    const error = errorFor(withOverrides(dr, { "payments-dr:mode": "passive" }), "dr");
    assert.strictEqual(error.key, "payments-dr:mode");
    assert.strictEqual(
      error.message,
      'Invalid config payments-dr:mode = "passive": expected one of active, standby. ' +
        "Fix: pulumi config set payments-dr:mode active",
    );
  });

  it("refuses a primary stack in standby mode", () => {
    const error = errorFor(withOverrides(primary, { "payments-dr:mode": "standby" }), "primary");
    assert.strictEqual(
      error.message,
      'Invalid config payments-dr:mode = "standby": expected active for the primary stack ' +
        "(only the dr stack has a standby mode). Fix: pulumi config set payments-dr:mode active --stack primary",
    );
  });

  it("reads the dr stack's strategy, warm-standby unless set", () => {
    assert.strictEqual(parseStackConfig(dr, "dr").strategy, "warm-standby");
    const pilot = parseStackConfig(withOverrides(dr, { "payments-dr:strategy": "pilot-light" }), "dr");
    assert.strictEqual(pilot.strategy, "pilot-light");
  });

  it("refuses an unknown strategy, naming the allowed values", () => {
    const error = errorFor(withOverrides(dr, { "payments-dr:strategy": "multi-site" }), "dr");
    assert.strictEqual(error.key, "payments-dr:strategy");
    assert.strictEqual(
      error.message,
      'Invalid config payments-dr:strategy = "multi-site": expected one of backup-restore, pilot-light, warm-standby. ' +
        "Fix: pulumi config set payments-dr:strategy backup-restore",
    );
  });

  it("refuses a strategy other than warm-standby on the primary stack", () => {
    const error = errorFor(withOverrides(primary, { "payments-dr:strategy": "pilot-light" }), "primary");
    assert.strictEqual(error.key, "payments-dr:strategy");
    assert.strictEqual(
      error.message,
      'Invalid config payments-dr:strategy = "pilot-light": expected warm-standby (the default) on the primary stack: ' +
        "the strategy is chosen on the dr stack. Fix: pulumi config rm payments-dr:strategy --stack primary, and set it on the dr stack.",
    );
  });

  it("refuses a dr Region equal to the primary Region", () => {
    const error = errorFor(withOverrides(dr, { "aws:region": "us-east-1" }), "dr");
    assert.strictEqual(error.key, "aws:region");
    assert.strictEqual(
      error.message,
      'Invalid config aws:region = "us-east-1": expected a Region different from the primary Region ' +
        "(payments-dr:peerRegion = us-east-1): the dr stack exists to survive the loss of the primary Region. " +
        "Fix: pulumi config set aws:region us-west-2 --stack dr (any Region other than the primary's).",
    );
  });

  it("refuses a malformed Region", () => {
    const error = errorFor(withOverrides(dr, { "payments-dr:peerRegion": "virginia" }), "dr");
    assert.strictEqual(
      error.message,
      'Invalid config payments-dr:peerRegion = "virginia": expected an AWS Region such as us-east-1 or eu-west-2. ' +
        "Fix: pulumi config set payments-dr:peerRegion us-east-1",
    );
  });

  for (const [value, shown] of [
    [0, "0"],
    [-2, "-2"],
    [1.5, "1.5"],
    ["three", '"three"'],
  ] as const) {
    it(`refuses a node count of ${shown}`, () => {
      const error = errorFor(withOverrides(dr, { "payments-dr:eks.activeNodeCount": value }), "dr");
      assert.strictEqual(
        error.message,
        `Invalid config payments-dr:eks.activeNodeCount = ${shown}: expected a positive integer. ` +
          "Fix: pulumi config set --path payments-dr:eks.activeNodeCount 3",
      );
    });
  }

  it("refuses a standby node count above the active count", () => {
    const error = errorFor(withOverrides(dr, { "payments-dr:eks.standbyNodeCount": 4 }), "dr");
    assert.strictEqual(
      error.message,
      "Invalid config payments-dr:eks.standbyNodeCount = 4: expected at most payments-dr:eks.activeNodeCount (3): " +
        "a warm standby runs fewer nodes than the active Region. " +
        "Fix: pulumi config set --path payments-dr:eks.standbyNodeCount 1, or raise payments-dr:eks.activeNodeCount.",
    );
  });

  it("refuses a node-group maximum below the active count", () => {
    const error = errorFor(withOverrides(dr, { "payments-dr:eks.maxNodeCount": 2 }), "dr");
    assert.strictEqual(
      error.message,
      "Invalid config payments-dr:eks.maxNodeCount = 2: expected at least payments-dr:eks.activeNodeCount (3), " +
        "so a failover only raises the desired size. Fix: pulumi config set --path payments-dr:eks.maxNodeCount 6",
    );
  });

  describe("payments-dr:workload", () => {
    const digest = "0123456789abcdef".repeat(4);
    const image = `111122223333.dkr.ecr.us-west-2.amazonaws.com/payments-api@sha256:${digest}`;

    it("defaults to 1 standby, 3 active, 6 at most, and the reference service (no image)", () => {
      assert.deepStrictEqual(parseStackConfig(dr, "dr").workload, {
        standbyReplicas: 1,
        activeReplicas: 3,
        maxReplicas: 6,
        image: undefined,
      });
    });

    it("accepts a digest-pinned image, and counts given as strings", () => {
      const config = parseStackConfig(
        withOverrides(dr, {
          "payments-dr:workload.image": image,
          "payments-dr:workload.activeReplicas": "4",
        }),
        "dr",
      );
      assert.strictEqual(config.workload.image, image);
      assert.strictEqual(config.workload.activeReplicas, 4);
    });

    it("treats an empty image as not set", () => {
      const config = parseStackConfig(withOverrides(dr, { "payments-dr:workload.image": "" }), "dr");
      assert.strictEqual(config.workload.image, undefined);
    });

    it("refuses an image pinned by tag, naming the form and the fix", () => {
      const error = errorFor(
        withOverrides(dr, {
          "payments-dr:workload.image": "111122223333.dkr.ecr.us-west-2.amazonaws.com/payments-api:1.2",
        }),
        "dr",
      );
      assert.strictEqual(error.key, "payments-dr:workload.image");
      assert.strictEqual(
        error.message,
        'Invalid config payments-dr:workload.image = "111122223333.dkr.ecr.us-west-2.amazonaws.com/payments-api:1.2": ' +
          "expected a digest-pinned image reference <registry>/<repository>@sha256:<64 hex digits>. " +
          "Fix: pulumi config set --path payments-dr:workload.image " +
          `111122223333.dkr.ecr.us-west-2.amazonaws.com/payments-api@sha256:${"0".repeat(64)}`,
      );
    });

    it("refuses a short digest", () => {
      const error = errorFor(
        withOverrides(dr, { "payments-dr:workload.image": "registry.example.com/payments@sha256:abc" }),
        "dr",
      );
      assert.strictEqual(error.key, "payments-dr:workload.image");
    });

    it("refuses more standby pods than active ones", () => {
      const error = errorFor(withOverrides(dr, { "payments-dr:workload.standbyReplicas": 4 }), "dr");
      assert.strictEqual(
        error.message,
        "Invalid config payments-dr:workload.standbyReplicas = 4: expected at most payments-dr:workload.activeReplicas (3): " +
          "a warm standby runs fewer pods than the active Region. " +
          "Fix: pulumi config set --path payments-dr:workload.standbyReplicas 1, or raise payments-dr:workload.activeReplicas.",
      );
    });

    it("refuses an autoscaler ceiling below the active count", () => {
      const error = errorFor(withOverrides(dr, { "payments-dr:workload.maxReplicas": 2 }), "dr");
      assert.strictEqual(
        error.message,
        "Invalid config payments-dr:workload.maxReplicas = 2: expected at least payments-dr:workload.activeReplicas (3): " +
          "the autoscaler's minimum in an active Region. Fix: pulumi config set --path payments-dr:workload.maxReplicas 6",
      );
    });

    it("refuses zero replicas and unknown fields", () => {
      assert.strictEqual(
        errorFor(withOverrides(dr, { "payments-dr:workload.standbyReplicas": 0 }), "dr").message,
        "Invalid config payments-dr:workload.standbyReplicas = 0: expected a positive integer. " +
          "Fix: pulumi config set --path payments-dr:workload.standbyReplicas 1",
      );
      assert.strictEqual(
        errorFor(withOverrides(dr, { "payments-dr:workload.replicas": 2 }), "dr").key,
        "payments-dr:workload.replicas",
      );
    });
  });

  it("refuses a dr stack without the primary stack reference", () => {
    const error = errorFor(withOverrides(dr, { "payments-dr:primaryStack": undefined }), "dr");
    assert.strictEqual(error.key, "payments-dr:primaryStack");
    assert.strictEqual(
      error.message,
      "Missing config payments-dr:primaryStack: expected the fully-qualified name of the primary stack, " +
        "<org>/payments-dr/<stack>. The dr stack reads the primary's outputs through a StackReference. " +
        "Fix: pulumi config set payments-dr:primaryStack my-org/payments-dr/primary",
    );
  });

  it("refuses a primary stack that references another stack", () => {
    const error = errorFor(
      withOverrides(primary, { "payments-dr:primaryStack": "org/payments-dr/dr" }),
      "primary",
    );
    assert.strictEqual(
      error.message,
      'Invalid config payments-dr:primaryStack = "org/payments-dr/dr": expected no value on the primary stack: ' +
        "primary never reads another stack. Fix: pulumi config rm payments-dr:primaryStack --stack primary",
    );
  });

  for (const cidr of [
    "10.10.0.0/33",
    "10.10.0.1/16",
    "300.1.0.0/16",
    "10.10.0.0",
    "8.8.0.0/16",
    "10.0.0.0/8",
  ]) {
    it(`refuses the VPC block ${cidr}`, () => {
      const error = errorFor(withOverrides(dr, { "payments-dr:network.vpcCidr": cidr }), "dr");
      assert.strictEqual(
        error.message,
        `Invalid config payments-dr:network.vpcCidr = "${cidr}": expected an RFC 1918 IPv4 block in CIDR notation ` +
          "with its network address and a /16 to /20 prefix (room for a private and a public subnet in three " +
          "Availability Zones), e.g. 10.10.0.0/16. Fix: pulumi config set --path payments-dr:network.vpcCidr 10.10.0.0/16",
      );
    });
  }

  it("refuses a VPC block that overlaps the peer's", () => {
    const error = errorFor(withOverrides(dr, { "payments-dr:network.vpcCidr": "10.10.16.0/20" }), "dr");
    assert.strictEqual(
      error.message,
      'Invalid config payments-dr:network.vpcCidr = "10.10.16.0/20": expected a block that does not overlap the ' +
        "peer VPC (10.10.0.0/16), so the Regions can be peered or routed. " +
        "Fix: pulumi config set --path payments-dr:network.vpcCidr 10.10.0.0/16",
    );
  });

  for (const key of ["rpoSeconds", "rtoSeconds"]) {
    for (const value of [0, -60]) {
      it(`refuses targets.${key} = ${value}`, () => {
        const error = errorFor(withOverrides(dr, { [`payments-dr:targets.${key}`]: value }), "dr");
        assert.strictEqual(error.key, `payments-dr:targets.${key}`);
        assert.match(
          error.message,
          new RegExp(
            `^Invalid config payments-dr:targets\\.${key} = ${value}: expected a positive integer\\.`,
          ),
        );
      });
    }
  }

  it("refuses a burstable cache node type, which Global Datastore does not support", () => {
    const error = errorFor(withOverrides(dr, { "payments-dr:cache.nodeType": "cache.t4g.medium" }), "dr");
    assert.strictEqual(
      error.message,
      'Invalid config payments-dr:cache.nodeType = "cache.t4g.medium": expected a non-burstable node type ' +
        "(cache.m*, cache.r*): ElastiCache Global Datastore does not support cache.t* types. " +
        "Fix: pulumi config set --path payments-dr:cache.nodeType cache.r7g.large",
    );
  });

  it("refuses a misspelt project key instead of ignoring it", () => {
    const error = errorFor(withOverrides(dr, { "payments-dr:primaryStak": "org/payments-dr/primary" }), "dr");
    assert.strictEqual(error.key, "payments-dr:primaryStak");
    assert.match(
      error.message,
      /^Invalid config payments-dr:primaryStak = "org\/payments-dr\/primary": expected one of the keys payments-dr:role, /,
    );
    assert.match(
      error.message,
      /Remove payments-dr:primaryStak \(pulumi config rm payments-dr:primaryStak\) or correct its spelling\.$/,
    );
  });

  it("refuses a misspelt field inside a section", () => {
    const error = errorFor(withOverrides(dr, { "payments-dr:eks.activeNodes": 3 }), "dr");
    assert.strictEqual(error.key, "payments-dr:eks.activeNodes");
  });

  it("refuses a backup retention outside the Vault Lock bounds", () => {
    const error = errorFor(withOverrides(dr, { "payments-dr:backup.retentionDays": 3 }), "dr");
    assert.strictEqual(
      error.message,
      "Invalid config payments-dr:backup.retentionDays = 3: expected a value between " +
        "payments-dr:backup.vaultLockMinRetentionDays (7) and payments-dr:backup.vaultLockMaxRetentionDays (365): " +
        "Vault Lock rejects recovery points outside its bounds. Fix: pulumi config set --path payments-dr:backup.retentionDays 7",
    );
  });

  it("refuses a backup retention beyond the 35 days continuous backups keep", () => {
    const error = errorFor(withOverrides(dr, { "payments-dr:backup.retentionDays": 90 }), "dr");
    assert.strictEqual(
      error.message,
      "Invalid config payments-dr:backup.retentionDays = 90: expected an integer from 1 to 35. " +
        "Fix: pulumi config set --path payments-dr:backup.retentionDays 1",
    );
  });

  it("refuses an EBS snapshot interval DLM does not schedule, naming the intervals it does", () => {
    const error = errorFor(
      withOverrides(dr, { "payments-dr:backup.volumeSnapshotIntervalHours": "5" }),
      "dr",
    );
    assert.strictEqual(
      error.message,
      'Invalid config payments-dr:backup.volumeSnapshotIntervalHours = "5": expected one of 1, 2, 3, 4, 6, 8, 12, 24. ' +
        "Fix: pulumi config set --path payments-dr:backup.volumeSnapshotIntervalHours 1",
    );
  });

  it("accepts every DLM interval as the text `pulumi config set` stores", () => {
    for (const hours of [1, 2, 3, 4, 6, 8, 12, 24]) {
      const config = parseStackConfig(
        withOverrides(dr, { "payments-dr:backup.volumeSnapshotIntervalHours": String(hours) }),
        "dr",
      );
      assert.strictEqual(config.backup.volumeSnapshotIntervalHours, hours);
    }
  });

  it("refuses an EBS snapshot retention count beyond the 1000 DLM keeps", () => {
    const error = errorFor(
      withOverrides(dr, { "payments-dr:backup.volumeSnapshotRetentionCount": 1001 }),
      "dr",
    );
    assert.strictEqual(
      error.message,
      "Invalid config payments-dr:backup.volumeSnapshotRetentionCount = 1001: expected an integer from 1 to 1000. " +
        "Fix: pulumi config set --path payments-dr:backup.volumeSnapshotRetentionCount 1",
    );
  });

  it("accepts a hosted zone id and refuses one that is not a Route 53 id", () => {
    const config = parseStackConfig(
      withOverrides(dr, { "payments-dr:dns.hostedZoneId": "Z0123456789ABCDEFGHIJ" }),
      "dr",
    );
    assert.strictEqual(config.dns.hostedZoneId, "Z0123456789ABCDEFGHIJ");
    assert.strictEqual(parseStackConfig(dr, "dr").dns.hostedZoneId, undefined);
    const error = errorFor(
      withOverrides(dr, { "payments-dr:dns.hostedZoneId": "payments.example.com" }),
      "dr",
    );
    assert.strictEqual(
      error.message,
      'Invalid config payments-dr:dns.hostedZoneId = "payments.example.com": expected a Route 53 hosted zone id ' +
        "such as Z0123456789ABCDEFGHIJ. Fix: pulumi config set --path payments-dr:dns.hostedZoneId Z0123456789ABCDEFGHIJ",
    );
  });

  it("refuses an unknown failover mode", () => {
    const error = errorFor(withOverrides(dr, { "payments-dr:failover.mode": "auto" }), "dr");
    assert.strictEqual(
      error.message,
      'Invalid config payments-dr:failover.mode = "auto": expected one of manual, automatic. ' +
        "Fix: pulumi config set --path payments-dr:failover.mode manual",
    );
  });

  it("arms automatic failover after 30 healthy minutes unless failover.armAfterHealthyMinutes says otherwise", () => {
    assert.strictEqual(parseStackConfig(dr, "dr").failover.armAfterHealthyMinutes, 30);
    const set = parseStackConfig(
      withOverrides(dr, { "payments-dr:failover.armAfterHealthyMinutes": "90" }),
      "dr",
    );
    assert.strictEqual(set.failover.armAfterHealthyMinutes, 90);
  });

  for (const bad of [0, 1441, "soon"]) {
    it(`refuses failover.armAfterHealthyMinutes = ${JSON.stringify(bad)}`, () => {
      const error = errorFor(withOverrides(dr, { "payments-dr:failover.armAfterHealthyMinutes": bad }), "dr");
      assert.strictEqual(error.key, "payments-dr:failover.armAfterHealthyMinutes");
      assert.strictEqual(
        error.message,
        `Invalid config payments-dr:failover.armAfterHealthyMinutes = ${JSON.stringify(bad)}: expected an integer from 1 to 1440. ` +
          "Fix: pulumi config set --path payments-dr:failover.armAfterHealthyMinutes 1",
      );
    });
  }
});

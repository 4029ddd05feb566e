import * as assert from "assert";
import { z } from "zod";
import {
  awsRegion,
  parseStackConfig,
  positiveInteger,
  PROJECT_KEYS,
  RawConfig,
  vpcCidr,
} from "../../stacks/config";
import { translate } from "../../stacks/config/errors";
import { firstIssue } from "../../stacks/config/precedence";
import { CHECK_ORDER, configInput, stackConfigSchema } from "../../stacks/config/schema";
import { readStackConfig } from "../../tools/render/stackFiles";

const primary: RawConfig = readStackConfig("primary");
const dr: RawConfig = readStackConfig("dr");

/** `base` with `pulumi config set`-style changes: `ns:key` or `ns:key.field`; undefined removes. */
function set(base: RawConfig, changes: Record<string, unknown>): RawConfig {
  const result: Record<string, unknown> = JSON.parse(JSON.stringify(base));
  for (const [key, value] of Object.entries(changes)) {
    const [root, field] = key.split(/\.(.*)/s);
    const target: Record<string, unknown> =
      field === undefined ? result : (result[root] = { ...(result[root] as object) });
    if (value === undefined) delete target[field ?? root];
    else target[field ?? root] = value;
  }
  return result;
}

interface Outcome {
  /** Every issue zod reported, as `code path`. */
  readonly issues: string[];
  /** The one the operator is told about. */
  readonly code: string;
  readonly key: string;
  readonly message: string;
}

/** Parses with the schema itself and translates the issue the operator is shown. */
function outcome(raw: RawConfig, stackName: string): Outcome {
  const input = configInput(raw, stackName);
  const result = stackConfigSchema.safeParse(input, { reportInput: true });
  assert.ok(!result.success, "expected the schema to refuse the config");
  const context = { schema: stackConfigSchema, input, order: CHECK_ORDER, stackName };
  const issue = firstIssue(result.error.issues, context) as z.core.$ZodIssue;
  const error = translate(issue, context);
  // parseStackConfig is this same pipeline: it must throw exactly this error.
  assert.throws(() => parseStackConfig(raw, stackName), { key: error.key, message: error.message });
  return {
    issues: result.error.issues.map((i) => `${i.code} ${i.path.join(".")}`),
    code: issue.code,
    key: error.key,
    message: error.message,
  };
}

describe("config schema: zod issues translated into the operator's message", () => {
  it("an enum: names the allowed values and suggests the first", () => {
    const o = outcome(set(dr, { "payments-dr:failover.mode": "auto" }), "dr");
    assert.deepStrictEqual([o.code, o.key], ["invalid_value", "payments-dr:failover.mode"]);
    assert.strictEqual(
      o.message,
      'Invalid config payments-dr:failover.mode = "auto": expected one of manual, automatic. ' +
        "Fix: pulumi config set --path payments-dr:failover.mode manual",
    );
  });

  it("a number above its range, as text from `pulumi config set`: shows the text, suggests the minimum", () => {
    const o = outcome(set(dr, { "payments-dr:dns.healthCheckFailureThreshold": "11" }), "dr");
    assert.deepStrictEqual([o.code, o.key], ["too_big", "payments-dr:dns.healthCheckFailureThreshold"]);
    assert.strictEqual(
      o.message,
      'Invalid config payments-dr:dns.healthCheckFailureThreshold = "11": expected an integer from 1 to 10. ' +
        "Fix: pulumi config set --path payments-dr:dns.healthCheckFailureThreshold 1",
    );
  });

  it("a PostgreSQL minor version: refused at config time with the major version as the fix", () => {
    const o = outcome(set(primary, { "payments-dr:database.engineVersion": "16.4" }), "primary");
    assert.deepStrictEqual([o.code, o.key], ["invalid_format", "payments-dr:database.engineVersion"]);
    assert.strictEqual(
      o.message,
      'Invalid config payments-dr:database.engineVersion = "16.4": expected a PostgreSQL major version 10 ' +
        'or later such as "16" (no minor version: RDS applies minor versions itself). ' +
        "Fix: pulumi config set --path payments-dr:database.engineVersion 16",
    );
  });

  it("a number below its range", () => {
    const o = outcome(set(primary, { "payments-dr:ingest.maxConcurrency": 1 }), "primary");
    assert.strictEqual(o.code, "too_small");
    assert.strictEqual(
      o.message,
      "Invalid config payments-dr:ingest.maxConcurrency = 1: expected an integer from 2 to 1000. " +
        "Fix: pulumi config set --path payments-dr:ingest.maxConcurrency 2",
    );
  });

  it("a wrong type: the field's own words, and its default as the fix", () => {
    const o = outcome(set(dr, { "payments-dr:eks.nodeVolumeSizeGb": "fifty" }), "dr");
    assert.strictEqual(o.code, "invalid_type");
    assert.strictEqual(
      o.message,
      'Invalid config payments-dr:eks.nodeVolumeSizeGb = "fifty": expected a positive integer. ' +
        "Fix: pulumi config set --path payments-dr:eks.nodeVolumeSizeGb 50",
    );
    const flag = outcome(set(dr, { "payments-dr:protectStatefulResources": "yes" }), "dr");
    assert.strictEqual(
      flag.message,
      'Invalid config payments-dr:protectStatefulResources = "yes": expected true or false. ' +
        "Fix: pulumi config set payments-dr:protectStatefulResources true",
    );
  });

  it("a section that is not an object, as JSON text: shows the text and says to write a YAML map", () => {
    const o = outcome(set(dr, { "payments-dr:eks": "[3, 6]" }), "dr");
    assert.deepStrictEqual([o.code, o.key], ["invalid_type", "payments-dr:eks"]);
    assert.strictEqual(
      o.message,
      'Invalid config payments-dr:eks = "[3, 6]": expected an object. ' +
        "Give payments-dr:eks as a YAML map in Pulumi.<stack>.yaml.",
    );
  });

  it("an unknown top-level key: lists every project key and the `config rm` fix", () => {
    const o = outcome(set(dr, { "payments-dr:primaryStak": "org/payments-dr/primary" }), "dr");
    assert.deepStrictEqual([o.code, o.key], ["unrecognized_keys", "payments-dr:primaryStak"]);
    assert.strictEqual(
      o.message,
      'Invalid config payments-dr:primaryStak = "org/payments-dr/primary": expected one of the keys ' +
        PROJECT_KEYS.map((k) => `payments-dr:${k}`).join(", ") +
        ". Remove payments-dr:primaryStak (pulumi config rm payments-dr:primaryStak) or correct its spelling.",
    );
  });

  it("an unknown field inside a section: lists the section's fields, defaulted ones first", () => {
    const o = outcome(set(dr, { "payments-dr:dns.zoneNmae": "payments.example.com" }), "dr");
    assert.deepStrictEqual([o.code, o.key], ["unrecognized_keys", "payments-dr:dns.zoneNmae"]);
    assert.strictEqual(
      o.message,
      'Invalid config payments-dr:dns.zoneNmae = "payments.example.com": expected one of the keys ' +
        "recordName, healthCheckFailureThreshold, healthCheckPath, zoneName, hostedZoneId. " +
        "Remove payments-dr:dns.zoneNmae or correct its spelling.",
    );
  });

  it("a missing required field: `Missing config`, with its own example", () => {
    const o = outcome(set(dr, { "payments-dr:network.peerVpcCidr": undefined }), "dr");
    assert.deepStrictEqual([o.code, o.key], ["invalid_type", "payments-dr:network.peerVpcCidr"]);
    assert.strictEqual(
      o.message,
      "Missing config payments-dr:network.peerVpcCidr: expected the peer stack's VPC block, e.g. 10.20.0.0/16. " +
        "Fix: pulumi config set --path payments-dr:network.peerVpcCidr 10.20.0.0/16",
    );
    // The role's example follows the stack; an empty Region reads as not set.
    assert.strictEqual(
      outcome(set(dr, { "payments-dr:role": undefined }), "dr").message,
      "Missing config payments-dr:role: expected one of primary, dr. Fix: pulumi config set payments-dr:role dr",
    );
    assert.strictEqual(
      outcome(set(primary, { "aws:region": "" }), "primary").message,
      "Missing config aws:region: expected an AWS Region such as us-east-1. Fix: pulumi config set aws:region us-east-1",
    );
  });

  it("a cross-field rule: the Regions must differ, with the fix for the stack at hand", () => {
    const o = outcome(set(primary, { "payments-dr:peerRegion": "us-east-1" }), "primary");
    assert.deepStrictEqual([o.code, o.key], ["custom", "aws:region"]);
    assert.strictEqual(
      o.message,
      'Invalid config aws:region = "us-east-1": expected a Region different from the dr Region ' +
        "(payments-dr:peerRegion = us-east-1): the primary stack exists to survive the loss of the dr Region. " +
        "Fix: set payments-dr:peerRegion to the dr Region, e.g. us-west-2.",
    );
  });

  it("a section rule shows the parsed number, not the text it came from", () => {
    const o = outcome(set(dr, { "payments-dr:backup": JSON.stringify({ retentionDays: "3" }) }), "dr");
    assert.deepStrictEqual([o.code, o.key], ["custom", "payments-dr:backup.retentionDays"]);
    assert.match(
      o.message,
      /^Invalid config payments-dr:backup\.retentionDays = 3: expected a value between /,
    );
  });
});

describe("config schema: which mistake is reported first", () => {
  it("a primary naming a malformed primaryStack is told primary takes none, not that the name is malformed", () => {
    const o = outcome(set(primary, { "payments-dr:primaryStack": "not a stack" }), "primary");
    assert.deepStrictEqual(o.issues, [
      "invalid_format payments-dr.primaryStack",
      "custom payments-dr.primaryStack",
    ]);
    assert.strictEqual(
      o.message,
      'Invalid config payments-dr:primaryStack = "not a stack": expected no value on the primary stack: ' +
        "primary never reads another stack. Fix: pulumi config rm payments-dr:primaryStack --stack primary",
    );
  });

  it("a rule over top-level keys comes before a later section's field, though zod finds it last", () => {
    const o = outcome(set(dr, { "aws:region": "us-east-1", "payments-dr:targets.rpoSeconds": 0 }), "dr");
    assert.deepStrictEqual(o.issues, ["too_small payments-dr.targets.rpoSeconds", "custom aws.region"]);
    assert.strictEqual(o.key, "aws:region");
  });

  it("an unknown key comes first, in a section before its bad fields, at the top before everything", () => {
    const inSection = outcome(
      set(dr, { "payments-dr:eks.maxNodeCount": 0, "payments-dr:eks.maxNodes": 6 }),
      "dr",
    );
    assert.deepStrictEqual(inSection.issues, [
      "too_small payments-dr.eks.maxNodeCount",
      "unrecognized_keys payments-dr.eks",
    ]);
    assert.strictEqual(inSection.key, "payments-dr:eks.maxNodes");
    const top = outcome(set(dr, { "payments-dr:role": "standby", "payments-dr:tag": "x" }), "dr");
    assert.strictEqual(top.key, "payments-dr:tag");
  });

  it("a section's missing required fields come before its bad values", () => {
    const raw = set(dr, { "payments-dr:network": { vpcCidr: "10.10.0.1/16" } });
    assert.strictEqual(outcome(raw, "dr").key, "payments-dr:network.peerVpcCidr");
  });

  it("a section rule waits for the section's fields: a bad count is reported, not the comparison", () => {
    const o = outcome(
      set(dr, { "payments-dr:eks.activeNodeCount": 0, "payments-dr:eks.standbyNodeCount": 4 }),
      "dr",
    );
    assert.deepStrictEqual(o.issues, ["too_small payments-dr.eks.activeNodeCount"]);
  });
});

describe("config schema: coercions and defaults", () => {
  const minimal: RawConfig = {
    "aws:region": "us-east-1",
    "payments-dr:role": "primary",
    "payments-dr:peerRegion": "us-west-2",
    "payments-dr:network": '{"vpcCidr":"10.10.0.0/16","peerVpcCidr":"10.20.0.0/16"}',
    "payments-dr:dns": { zoneName: "payments.example.com", hostedZoneId: "" },
    "payments-dr:mode": null,
    "payments-dr:tags": "",
    "aws:profile": "ops",
  };

  it("fills every documented default from a minimal stack, reading JSON text, null and empty values", () => {
    assert.deepStrictEqual(parseStackConfig(minimal, "primary"), {
      project: "payments-dr",
      stackName: "primary",
      role: "primary",
      mode: "active",
      strategy: "warm-standby",
      region: "us-east-1",
      peerRegion: "us-west-2",
      primaryStack: undefined,
      confirmReturnToStandby: false,
      confirmStrategyChange: false,
      restore: {},
      protectStatefulResources: true,
      targets: { rpoSeconds: 900, rtoSeconds: 1800 },
      network: { vpcCidr: "10.10.0.0/16", peerVpcCidr: "10.20.0.0/16" },
      eks: {
        kubernetesVersion: "1.35",
        nodeInstanceType: "m6i.large",
        standbyNodeCount: 1,
        activeNodeCount: 3,
        maxNodeCount: 6,
        nodeVolumeSizeGb: 50,
      },
      workload: { standbyReplicas: 1, activeReplicas: 3, maxReplicas: 6, image: undefined },
      dns: {
        zoneName: "payments.example.com",
        hostedZoneId: undefined,
        recordName: "api",
        healthCheckFailureThreshold: 3,
        healthCheckPath: "/healthz",
      },
      ingress: { tlsPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06" },
      database: {
        instanceClass: "db.r6g.large",
        engineVersion: "16",
        allocatedStorageGb: 100,
        backupRetentionDays: 14,
      },
      cache: { nodeType: "cache.r7g.large", engineVersion: "7.1", replicasPerNodeGroup: 1 },
      search: {
        engineVersion: "OpenSearch_2.17",
        instanceType: "r6g.large.search",
        instanceCount: 3,
        volumeSizeGb: 100,
      },
      warehouse: {
        nodeType: "ra3.xlplus",
        nodeCount: 2,
        databaseName: "payments",
        snapshotCopyRetentionDays: 7,
      },
      backup: {
        retentionDays: 35,
        vaultLockMinRetentionDays: 7,
        vaultLockMaxRetentionDays: 365,
        vaultLockChangeableForDays: 3,
        volumeSnapshotIntervalHours: 1,
        volumeSnapshotRetentionCount: 168,
        restoreTestScheduleExpression: "cron(0 6 ? * SAT *)",
        restoreTestStartWindowHours: 24,
        restoreTestValidationWindowHours: 4,
        restoreTestSelectionWindowDays: 7,
      },
      ingest: { batchSize: 10, maxConcurrency: 5, maxReceiveCount: 5, replicationWaitSeconds: 900 },
      failover: {
        mode: "manual",
        maxReplicaLagSeconds: 60,
        stepTimeoutSeconds: 900,
        operatorEmail: "",
        armAfterHealthyMinutes: 30,
      },
      generation: { database: 0, cache: 0, retiredDatabases: [], retiredCaches: [] },
      tags: {},
    });
  });

  it("defaults a dr stack's mode to standby and reads booleans and integers given as text", () => {
    const config = parseStackConfig(
      set(dr, {
        "payments-dr:mode": undefined,
        "payments-dr:confirmReturnToStandby": "true",
        "payments-dr:ingest.batchSize": " 4 ",
      }),
      "dr",
    );
    assert.deepStrictEqual(
      [config.mode, config.confirmReturnToStandby, config.ingest.batchSize],
      ["standby", true, 4],
    );
  });

  it("refuses an integer beyond JavaScript's exact range rather than round it", () => {
    const o = outcome(set(dr, { "payments-dr:warehouse.nodeCount": "100000000000000000000" }), "dr");
    assert.strictEqual(o.code, "too_big");
    assert.match(o.message, /= "100000000000000000000": expected a positive integer\./);
  });

  it("declares exactly the keys PROJECT_KEYS lists, aws:region checked just before peerRegion", () => {
    assert.deepStrictEqual(
      [...CHECK_ORDER].sort(),
      ["aws:region", ...PROJECT_KEYS.map((k) => `payments-dr:${k}`)].sort(),
    );
    assert.deepStrictEqual(CHECK_ORDER.slice(0, 5), [
      "payments-dr:role",
      "payments-dr:mode",
      "payments-dr:strategy",
      "aws:region",
      "payments-dr:peerRegion",
    ]);
  });

  it("keeps the single-value validators' messages", () => {
    assert.throws(() => positiveInteger("payments-dr:x", "0", "5"), {
      message:
        'Invalid config payments-dr:x = "0": expected a positive integer. Fix: pulumi config set payments-dr:x 5',
    });
    assert.strictEqual(positiveInteger("payments-dr:x", "7"), 7);
    assert.throws(() => awsRegion("payments-dr:peerRegion", ""), {
      message:
        "Missing config payments-dr:peerRegion: expected an AWS Region such as us-east-1. " +
        "Fix: pulumi config set payments-dr:peerRegion us-east-1",
    });
    assert.throws(() => vpcCidr("payments-dr:network.vpcCidr", undefined), {
      message: /^Invalid config payments-dr:network\.vpcCidr = undefined: expected an RFC 1918 IPv4 block/,
    });
    assert.strictEqual(vpcCidr("k", "192.168.0.0/20"), "192.168.0.0/20");
  });
});

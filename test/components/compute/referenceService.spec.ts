import * as assert from "assert";
import * as https from "https";
import { spawn } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import {
  CONFIGMAP_MAX_BYTES,
  REFERENCE_SERVICE_FILE,
  referenceServiceBundle,
  referenceServiceEnvironment,
} from "../../../components/compute/referenceService";
import { parseAppConfig } from "../../../app/config";

const resolved = <T>(output: pulumi.Input<T>): Promise<T> =>
  new Promise((resolve) => pulumi.output(output).apply((v) => resolve(v as T)));

const ARGS = {
  region: "us-west-2",
  databaseHost: "payments-db.cxyz.us-west-2.rds.amazonaws.com",
  databaseName: "payments",
  cacheHost: "master.payments-cache.abc123.usw2.cache.amazonaws.com",
  cacheReplicationGroupId: "payments-cache",
  cacheUser: "payments-app",
  topicArn: "arn:aws:sns:us-west-2:123456789012:ingest-topic-1a2b3c4",
  landingBucket: "payments-dr-landing-usw2",
};

describe("reference service: the bundle", () => {
  it("is one file small enough for a ConfigMap (under 1 MiB), named as the container runs it, with its content hash", () => {
    const bundle = referenceServiceBundle();
    const bytes = Buffer.byteLength(bundle.contents);
    assert.strictEqual(bundle.fileName, REFERENCE_SERVICE_FILE);
    assert.strictEqual(bundle.fileName, "payments-service.js");
    assert.ok(
      bytes < CONFIGMAP_MAX_BYTES,
      `bundle is ${bytes} bytes, a ConfigMap holds < ${CONFIGMAP_MAX_BYTES}`,
    );
    assert.ok(bytes > 100_000, `bundle is only ${bytes} bytes: pg and the signer are missing`);
    assert.strictEqual(bundle.sha256, createHash("sha256").update(bundle.contents).digest("hex"));
    assert.strictEqual(referenceServiceBundle(), bundle, "built once per process");
  });

  it("runs on plain node with no node_modules: serves the health path and reports every unreachable dependency with 503", async function () {
    this.timeout(20_000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "reference-service-"));
    const file = path.join(dir, REFERENCE_SERVICE_FILE);
    fs.writeFileSync(file, referenceServiceBundle().contents);
    const port = 20_000 + (process.pid % 10_000);
    const child = spawn(process.execPath, [file], {
      cwd: dir,
      env: {
        PATH: process.env.PATH,
        AWS_REGION: "us-west-2",
        AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
        AWS_SECRET_ACCESS_KEY: "secret",
        PORT: String(port),
        DATABASE_HOST: "127.0.0.1",
        DATABASE_PORT: "1",
        DATABASE_NAME: "payments",
        CACHE_HOST: "127.0.0.1",
        CACHE_PORT: "1",
        CACHE_REPLICATION_GROUP_ID: "payments-cache",
        CACHE_USER: "payments-app",
        INGEST_TOPIC_ARN: ARGS.topicArn,
        LANDING_BUCKET: ARGS.landingBucket,
        METRIC_NAMESPACE: "PaymentsDr/Service",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on("data", (chunk: Buffer) => {
          if (chunk.toString().includes('"message":"listening"')) resolve();
        });
        child.on("exit", (code) => reject(new Error(`the bundle exited with ${code}`)));
      });
      // HTTPS with the pod's self-signed certificate, unverified as the load balancer does.
      const response = await new Promise<{ status: number; text: string }>((resolve, reject) => {
        https
          .get({ host: "127.0.0.1", port, path: "/healthz", rejectUnauthorized: false }, (res) => {
            let text = "";
            res.on("data", (chunk) => (text += chunk));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
          })
          .on("error", reject);
      });
      const body = JSON.parse(response.text) as {
        status: string;
        region: string;
        checks: Record<string, { status: string }>;
      };
      assert.strictEqual(response.status, 503);
      assert.strictEqual(body.status, "fail");
      assert.strictEqual(body.region, "us-west-2");
      assert.deepStrictEqual(
        Object.entries(body.checks).map(([name, check]) => `${name}:${check.status}`),
        ["database:fail", "cache:fail", "topic:fail"],
      );
    } finally {
      child.kill();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("reference service: its environment", () => {
  it("sets every variable the service reads, from its own Region's resources, with the documented defaults", async () => {
    const env = referenceServiceEnvironment(ARGS);
    const values = Object.fromEntries(
      await Promise.all(Object.entries(env).map(async ([k, v]) => [k, await resolved(v)])),
    );
    assert.deepStrictEqual(values, {
      AWS_REGION: "us-west-2",
      PORT: "8080",
      HEALTH_CHECK_PATH: "/healthz",
      DATABASE_HOST: ARGS.databaseHost,
      DATABASE_PORT: "5432",
      DATABASE_NAME: "payments",
      DATABASE_USER: "payments_app",
      CACHE_HOST: ARGS.cacheHost,
      CACHE_PORT: "6379",
      CACHE_REPLICATION_GROUP_ID: "payments-cache",
      CACHE_USER: "payments-app",
      INGEST_TOPIC_ARN: ARGS.topicArn,
      LANDING_BUCKET: ARGS.landingBucket,
      METRIC_NAMESPACE: "PaymentsDr/Service",
      METRIC_REGIONS: "us-west-2",
    });
    // What the component sets is what the service accepts.
    assert.strictEqual(parseAppConfig(values).region, "us-west-2");
  });

  it("puts PaymentsAccepted to the peer Region too when asked, own Region first", async () => {
    const env = referenceServiceEnvironment({
      ...ARGS,
      region: "us-east-1",
      topicArn: "arn:aws:sns:us-east-1:123456789012:t",
      metricRegions: ["us-east-1", "us-west-2"],
    });
    assert.strictEqual(await resolved(env.METRIC_REGIONS), "us-east-1,us-west-2");
    assert.throws(() => referenceServiceEnvironment({ ...ARGS, metricRegions: ["us-east-1", "us-west-2"] }), {
      message:
        'Invalid metricRegions ["us-east-1","us-west-2"]: expected distinct Regions beginning with the service\'s own Region us-west-2',
    });
  });
});

import * as assert from "assert";
import { parseAppConfig } from "../../app/config";

const ENV = {
  AWS_REGION: "us-east-1",
  DATABASE_HOST: "payments-db.cxyz.us-east-1.rds.amazonaws.com",
  DATABASE_NAME: "payments",
  CACHE_HOST: "master.payments-cache.abc.use1.cache.amazonaws.com",
  CACHE_REPLICATION_GROUP_ID: "payments-cache",
  CACHE_USER: "payments-app",
  INGEST_TOPIC_ARN: "arn:aws:sns:us-east-1:123456789012:ingest-topic",
  LANDING_BUCKET: "payments-landing-use1",
  METRIC_NAMESPACE: "PaymentsDr/Service",
};
const FIX = "Fix: redeploy the stack (the workload sets it); do not edit the Deployment by hand.";

describe("app: configuration", () => {
  it("reads every variable, with the documented defaults for port, health path, database user and metric Regions", () => {
    assert.deepStrictEqual(parseAppConfig(ENV), {
      region: "us-east-1",
      port: 8080,
      healthCheckPath: "/healthz",
      database: { host: ENV.DATABASE_HOST, port: 5432, name: "payments", user: "payments_app" },
      cache: { host: ENV.CACHE_HOST, port: 6379, replicationGroupId: "payments-cache", user: "payments-app" },
      topicArn: ENV.INGEST_TOPIC_ARN,
      landingBucket: "payments-landing-use1",
      metricNamespace: "PaymentsDr/Service",
      metricRegions: ["us-east-1"],
    });
  });

  it("reads the metric Regions as a list that includes its own Region", () => {
    assert.deepStrictEqual(parseAppConfig({ ...ENV, METRIC_REGIONS: "us-east-1, us-west-2" }).metricRegions, [
      "us-east-1",
      "us-west-2",
    ]);
  });

  it("names the variable, the bad value, the expectation and the fix", () => {
    const cases: [Record<string, string | undefined>, string][] = [
      [{ AWS_REGION: undefined }, "AWS_REGION = (unset): expected an AWS Region such as us-east-1"],
      [
        { INGEST_TOPIC_ARN: "arn:aws:sns:us-west-2:123456789012:ingest-topic" },
        'INGEST_TOPIC_ARN = "arn:aws:sns:us-west-2:123456789012:ingest-topic": expected an SNS topic ARN in us-east-1 (the service publishes only to its own Region\'s topic)',
      ],
      [{ PORT: "70000" }, 'PORT = "70000": expected a TCP port from 1 to 65535'],
      [
        { METRIC_REGIONS: "us-west-2" },
        'METRIC_REGIONS = "us-west-2": expected a list that includes the service\'s own Region us-east-1',
      ],
      [
        { METRIC_REGIONS: "us-east-1,us-east-1" },
        'METRIC_REGIONS = "us-east-1,us-east-1": expected a comma-separated list of distinct AWS Regions (e.g. us-east-1,us-west-2)',
      ],
      [
        { HEALTH_CHECK_PATH: "healthz" },
        'HEALTH_CHECK_PATH = "healthz": expected an absolute URL path such as /healthz',
      ],
    ];
    for (const [change, message] of cases) {
      assert.throws(() => parseAppConfig({ ...ENV, ...change }), {
        name: "AppConfigError",
        message: `Invalid environment variable ${message}. ${FIX}`,
      });
    }
  });
});

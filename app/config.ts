/**
 * The reference service's configuration, read from environment variables the workload sets
 * (components/compute/referenceService.ts builds them from the stack's outputs). Validated once at
 * start: a deployment mistake stops the container with one precise message (variable, bad value,
 * expected value, fix) instead of answering health checks it cannot honour.
 */

export interface AppConfig {
  /** The Region the service runs in; every dependency it calls is in this Region. */
  readonly region: string;
  readonly port: number;
  /** The path the load balancer, Route 53 and the kubelet probe. */
  readonly healthCheckPath: string;
  readonly database: {
    readonly host: string;
    readonly port: number;
    readonly name: string;
    /** A PostgreSQL role granted `rds_iam`: it signs in with an RDS IAM authentication token. */
    readonly user: string;
  };
  readonly cache: {
    /** The replication group's primary endpoint (TLS, port 6379). */
    readonly host: string;
    readonly port: number;
    /** The replication group id: the host the ElastiCache IAM token is signed for. */
    readonly replicationGroupId: string;
    /** The IAM-authenticated RBAC user (user id = user name). */
    readonly user: string;
  };
  readonly topicArn: string;
  readonly landingBucket: string;
  readonly metricNamespace: string;
  /**
   * Regions PaymentsAccepted is put to (CloudWatch alarms only read metrics of their own Region):
   * the service's own Region, plus the peer Region whose anomaly alarm watches this one.
   */
  readonly metricRegions: readonly string[];
}

/** The environment variable names, shared with the component that sets them. */
export const ENV = {
  region: "AWS_REGION",
  port: "PORT",
  healthCheckPath: "HEALTH_CHECK_PATH",
  databaseHost: "DATABASE_HOST",
  databasePort: "DATABASE_PORT",
  databaseName: "DATABASE_NAME",
  databaseUser: "DATABASE_USER",
  cacheHost: "CACHE_HOST",
  cachePort: "CACHE_PORT",
  cacheReplicationGroupId: "CACHE_REPLICATION_GROUP_ID",
  cacheUser: "CACHE_USER",
  topicArn: "INGEST_TOPIC_ARN",
  landingBucket: "LANDING_BUCKET",
  metricNamespace: "METRIC_NAMESPACE",
  metricRegions: "METRIC_REGIONS",
} as const;

/** The PostgreSQL role the service signs in as; an administrator creates it once (docs). */
export const DEFAULT_DATABASE_USER = "payments_app";
export const DEFAULT_HEALTH_CHECK_PATH = "/healthz";

export class AppConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AppConfigError";
  }
}

const FIX = "Fix: redeploy the stack (the workload sets it); do not edit the Deployment by hand.";
type Env = Readonly<Record<string, string | undefined>>;

function fail(name: string, value: unknown, expected: string): never {
  const shown = value === undefined ? "(unset)" : JSON.stringify(value);
  throw new AppConfigError(`Invalid environment variable ${name} = ${shown}: expected ${expected}. ${FIX}`);
}

function text(env: Env, name: string, pattern: RegExp, expected: string, fallback?: string): string {
  const value = env[name] ?? fallback;
  if (value === undefined || !pattern.test(value)) fail(name, env[name], expected);
  return value;
}

function port(env: Env, name: string, fallback: number): number {
  const value = env[name];
  if (value === undefined) return fallback;
  if (!/^\d{1,5}$/.test(value) || Number(value) < 1 || Number(value) > 65535) {
    fail(name, value, "a TCP port from 1 to 65535");
  }
  return Number(value);
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const HOST = /^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/;

function regions(env: Env, own: string): string[] {
  const raw = env[ENV.metricRegions];
  if (raw === undefined) return [own];
  const list = raw.split(",").map((r) => r.trim());
  if (list.some((r) => !REGION.test(r)) || new Set(list).size !== list.length) {
    fail(ENV.metricRegions, raw, "a comma-separated list of distinct AWS Regions (e.g. us-east-1,us-west-2)");
  }
  if (!list.includes(own))
    fail(ENV.metricRegions, raw, `a list that includes the service's own Region ${own}`);
  return list;
}

/** Parses and validates the service's environment. @throws AppConfigError */
export function parseAppConfig(env: Env): AppConfig {
  const region = text(env, ENV.region, REGION, "an AWS Region such as us-east-1");
  return {
    region,
    port: port(env, ENV.port, 8080),
    healthCheckPath: text(
      env,
      ENV.healthCheckPath,
      /^\/[A-Za-z0-9/_.-]*$/,
      "an absolute URL path such as /healthz",
      DEFAULT_HEALTH_CHECK_PATH,
    ),
    database: {
      host: text(env, ENV.databaseHost, HOST, "the database endpoint's host name"),
      port: port(env, ENV.databasePort, 5432),
      name: text(env, ENV.databaseName, /^[A-Za-z_][A-Za-z0-9_]{0,62}$/, "a PostgreSQL database name"),
      user: text(
        env,
        ENV.databaseUser,
        /^[a-z_][a-z0-9_]{0,62}$/,
        "a PostgreSQL role name (lower-case letters, digits, _)",
        DEFAULT_DATABASE_USER,
      ),
    },
    cache: {
      host: text(env, ENV.cacheHost, HOST, "the replication group's primary endpoint host name"),
      port: port(env, ENV.cachePort, 6379),
      replicationGroupId: text(
        env,
        ENV.cacheReplicationGroupId,
        /^[a-z][a-z0-9-]{0,39}$/,
        "an ElastiCache replication group id (lower-case letters, digits, hyphens; up to 40 characters)",
      ),
      user: text(env, ENV.cacheUser, /^[A-Za-z][A-Za-z0-9-]{0,39}$/, "an ElastiCache RBAC user id"),
    },
    topicArn: text(
      env,
      ENV.topicArn,
      new RegExp(`^arn:aws[a-z-]*:sns:${region}:\\d{12}:[A-Za-z0-9_-]{1,256}$`),
      `an SNS topic ARN in ${region} (the service publishes only to its own Region's topic)`,
    ),
    landingBucket: text(env, ENV.landingBucket, /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "an S3 bucket name"),
    metricNamespace: text(env, ENV.metricNamespace, /^[A-Za-z0-9./#:_-]{1,255}$/, "a CloudWatch namespace"),
    metricRegions: regions(env, region),
  };
}

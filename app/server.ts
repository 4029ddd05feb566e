/**
 * Entry point: validates the environment, wires the adapters and serves node:http on PORT. The
 * bundle of this file (components/compute/referenceService.ts) runs on plain `node` with no
 * node_modules.
 */
import { randomUUID } from "crypto";
import * as http from "http";
import * as https from "https";
import { PAYMENTS_ACCEPTED_METRIC, PAYMENTS_APP_NAME } from "../model/workload";
import { defaultCredentials, type CredentialProvider } from "./aws/credentials";
import { getTopicAttributes, publish, putMetricData, putObject } from "./aws/services";
import { elastiCacheAuthToken, rdsAuthToken, signedSender, type AwsSend } from "./aws/signer";
import { cacheCheck, tlsConnect } from "./cache";
import { AppConfig, parseAppConfig } from "./config";
import { iamPool, paymentStore } from "./database";
import { AppDeps, handle, Logger } from "./handlers";
import { selfSignedCertificate } from "./selfSignedCertificate";

/** Request bodies larger than this are refused (a payment is a few hundred bytes). */
export const MAX_BODY_BYTES = 16 * 1024;

const log: Logger = {
  info: (message, fields) => console.info(JSON.stringify({ level: "INFO", message, ...fields })),
  warn: (message, fields) => console.warn(JSON.stringify({ level: "WARN", message, ...fields })),
  error: (message, fields) => console.error(JSON.stringify({ level: "ERROR", message, ...fields })),
};

/** One PaymentsAccepted datapoint per Region; resolves with the Regions whose put failed. */
export function metricsTo(config: AppConfig, send: AwsSend) {
  return {
    paymentAccepted: async (at: Date) => {
      const results = await Promise.allSettled(
        config.metricRegions.map((region) =>
          putMetricData(send, {
            region,
            namespace: config.metricNamespace,
            metricName: PAYMENTS_ACCEPTED_METRIC.name,
            // The dimension names the Region that accepted the payment, wherever it is put.
            dimension: { name: PAYMENTS_ACCEPTED_METRIC.dimension, value: config.region },
            value: 1,
            timestamp: at,
          }),
        ),
      );
      return config.metricRegions.filter((_, i) => results[i].status === "rejected");
    },
  };
}

export function productionDeps(config: AppConfig, credentials: CredentialProvider): AppDeps {
  const send = signedSender(credentials, fetch);
  const { region } = config;
  const pool = iamPool({
    host: config.database.host,
    port: config.database.port,
    database: config.database.name,
    user: config.database.user,
    token: () =>
      rdsAuthToken(
        { region, hostname: config.database.host, port: config.database.port, user: config.database.user },
        credentials,
      ),
  });
  pool.on("error", (error) => log.warn("idle database connection failed", { error: error.message }));
  return {
    config,
    store: paymentStore(pool, region),
    cache: cacheCheck({
      user: config.cache.user,
      token: () =>
        elastiCacheAuthToken(
          { region, replicationGroupId: config.cache.replicationGroupId, user: config.cache.user },
          credentials,
        ),
      connect: tlsConnect(config.cache.host, config.cache.port),
    }),
    topic: {
      check: () => getTopicAttributes(send, { region, topicArn: config.topicArn }),
      publish: (message) => publish(send, { region, topicArn: config.topicArn, message }),
    },
    landing: {
      put: (key, body) =>
        putObject(send, {
          region,
          bucket: config.landingBucket,
          key,
          body,
          contentType: "application/x-ndjson",
        }),
    },
    metrics: metricsTo(config, send),
    newId: randomUUID,
    now: () => new Date(),
    log,
  };
}

/** The node:http listener over `handle`. */
export function listener(deps: AppDeps): http.RequestListener {
  return (req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      if (res.headersSent) return;
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(JSON.stringify(body));
    };
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reply(413, { error: `request body over ${MAX_BODY_BYTES} bytes` });
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on("end", () => {
      if (size > MAX_BODY_BYTES) return;
      handle(deps, {
        method: req.method ?? "GET",
        path: req.url ?? "/",
        body: Buffer.concat(chunks).toString("utf8"),
      })
        .then((response) => reply(response.status, response.body, response.headers))
        .catch((error: unknown) => {
          log.error("unhandled", { error: error instanceof Error ? error.message : String(error) });
          reply(500, { error: "internal error" });
        });
    });
  };
}

/** Starts the service when run as the bundle's entry point. */
export function main(env: NodeJS.ProcessEnv = process.env): https.Server {
  const config = parseAppConfig(env);
  // The target group and the probes speak HTTPS to the pod (selfSignedCertificate.ts says why self-signed).
  const server = https.createServer(
    selfSignedCertificate(PAYMENTS_APP_NAME),
    listener(productionDeps(config, defaultCredentials(env, fetch))),
  );
  server.listen(config.port, () => log.info("listening", { port: config.port, region: config.region }));
  // Kubernetes sends SIGTERM and removes the pod from the Service; finish requests in flight.
  process.once("SIGTERM", () => server.close());
  return server;
}

if (require.main === module) main();

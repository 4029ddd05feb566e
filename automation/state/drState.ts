/**
 * What `verify` asks AWS about the dr Region, instead of trusting the stack's outputs: the outputs
 * say what the last update set, not that the database left replication or the nodes scaled.
 *
 * EKS is called through a small SigV4-signed REST GET (the EKS SDK client is not a dependency);
 * it is injected through the client factory like the other clients, so tests hand in a fake.
 */
import { DescribeDBInstancesCommand, RDSClient } from "@aws-sdk/client-rds";
import { awsCall, RetryPolicy } from "../aws/awsCall";

export interface NodegroupState {
  readonly status: string;
  readonly desiredSize: number;
  readonly minSize: number;
  readonly maxSize: number;
  /** `code: message` of each health issue EKS reports. */
  readonly healthIssues: readonly string[];
}

/** `eks:DescribeNodegroup` in the dr Region. */
export type DescribeNodegroup = (clusterName: string, nodegroupName: string) => Promise<NodegroupState>;

export interface DrStateInput {
  readonly rds: RDSClient;
  readonly describeNodegroup: DescribeNodegroup;
  readonly dbInstanceIdentifier: string;
  readonly clusterName: string;
  readonly nodegroupName: string;
  readonly activeNodeCount: number;
  readonly retry?: RetryPolicy;
}

/** Problems with the real dr resources; empty when RDS is a standalone available primary and EKS is scaled. */
export async function drStateProblems(input: DrStateInput): Promise<string[]> {
  const problems: string[] = [];
  const db = (
    await awsCall(
      "rds:DescribeDBInstances",
      () =>
        input.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: input.dbInstanceIdentifier })),
      input.retry,
    )
  ).DBInstances?.[0];
  if (!db) problems.push(`RDS instance ${input.dbInstanceIdentifier} not found`);
  else {
    if (db.ReadReplicaSourceDBInstanceIdentifier)
      problems.push(
        `RDS ${input.dbInstanceIdentifier} is still a read replica of ${db.ReadReplicaSourceDBInstanceIdentifier}`,
      );
    if (db.DBInstanceStatus !== "available")
      problems.push(
        `RDS ${input.dbInstanceIdentifier} status is ${db.DBInstanceStatus ?? "unknown"}, not available`,
      );
  }
  const group = await awsCall(
    "eks:DescribeNodegroup",
    () => input.describeNodegroup(input.clusterName, input.nodegroupName),
    input.retry,
  );
  const where = `EKS node group ${input.nodegroupName} (cluster ${input.clusterName})`;
  if (group.desiredSize !== input.activeNodeCount)
    problems.push(`${where} desired size is ${group.desiredSize}, expected ${input.activeNodeCount}`);
  if (group.minSize > input.activeNodeCount || group.maxSize < input.activeNodeCount)
    problems.push(`${where} size range ${group.minSize}-${group.maxSize} excludes ${input.activeNodeCount}`);
  if (group.status !== "ACTIVE") problems.push(`${where} status is ${group.status}, not ACTIVE`);
  if (group.healthIssues.length) problems.push(`${where} health issues: ${group.healthIssues.join("; ")}`);
  return problems;
}

/** An HTTP error shaped like an SDK error, so awsCall retries 5xx/throttling and names access denied. */
function httpError(status: number, errorType: string, message: string): Error {
  return Object.assign(new Error(message || `HTTP ${status}`), {
    name: errorType || `HTTP${status}`,
    $metadata: { httpStatusCode: status },
  });
}

/** `GET /clusters/{name}/node-groups/{nodegroup}` on the EKS endpoint of `region`, SigV4 (`eks`). */
export function createDescribeNodegroup(region: string, timeoutMs = 10_000): DescribeNodegroup {
  return async (clusterName, nodegroupName) => {
    const { SignatureV4 } = await import("@smithy/signature-v4");
    const { HttpRequest } = await import("@smithy/protocol-http");
    const { Sha256 } = await import("@aws-crypto/sha256-js");
    const { defaultProvider } = await import("@aws-sdk/credential-provider-node");
    const hostname = `eks.${region}.amazonaws.com`;
    const path = `/clusters/${encodeURIComponent(clusterName)}/node-groups/${encodeURIComponent(nodegroupName)}`;
    const signer = new SignatureV4({
      service: "eks",
      region,
      credentials: defaultProvider(),
      sha256: Sha256,
    });
    const signed = await signer.sign(
      new HttpRequest({ method: "GET", protocol: "https:", hostname, path, headers: { host: hostname } }),
    );
    const response = await fetch(`https://${hostname}${path}`, {
      headers: signed.headers,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    const body = (text ? JSON.parse(text) : {}) as {
      message?: string;
      nodegroup?: {
        status?: string;
        scalingConfig?: { desiredSize?: number; minSize?: number; maxSize?: number };
        health?: { issues?: { code?: string; message?: string }[] };
      };
    };
    if (!response.ok) {
      const type = (response.headers.get("x-amzn-errortype") ?? "").split(":")[0];
      throw httpError(response.status, type, body.message ?? text);
    }
    const group = body.nodegroup ?? {};
    return {
      status: group.status ?? "UNKNOWN",
      desiredSize: group.scalingConfig?.desiredSize ?? 0,
      minSize: group.scalingConfig?.minSize ?? 0,
      maxSize: group.scalingConfig?.maxSize ?? 0,
      healthIssues: (group.health?.issues ?? []).map((i) => `${i.code ?? "?"}: ${i.message ?? ""}`),
    };
  };
}

/** Shared by the doctor's specs: a pinned stack config, mocked AWS clients, one-check runs. */
import { mockClient } from "aws-sdk-client-mock";
import { EC2Client } from "@aws-sdk/client-ec2";
import { EKSClient } from "@aws-sdk/client-eks";
import { ElastiCacheClient } from "@aws-sdk/client-elasticache";
import { IAMClient } from "@aws-sdk/client-iam";
import { OpenSearchClient } from "@aws-sdk/client-opensearch";
import { RDSClient } from "@aws-sdk/client-rds";
import { RedshiftClient } from "@aws-sdk/client-redshift";
import { Route53Client } from "@aws-sdk/client-route-53";
import { ServiceQuotasClient } from "@aws-sdk/client-service-quotas";
import { STSClient } from "@aws-sdk/client-sts";
import { parseStackConfig, StackConfig } from "../../../stacks/config";
import { readStackConfig } from "../../../tools/render/stackFiles";
import { createClients } from "../../../tools/doctor/clients";
import { formatResult, runChecks } from "../../../tools/doctor/run";
import { Check, DoctorContext } from "../../../tools/doctor/types";

/** The dr stack's config with every value a check reads pinned, so the lines below are exact. */
export function drConfig(): StackConfig {
  const base = parseStackConfig(readStackConfig("dr"), "dr");
  return {
    ...base,
    region: "us-west-2",
    primaryStack: "organization/payments-dr/primary",
    eks: { ...base.eks, kubernetesVersion: "1.35", nodeInstanceType: "m6i.large", activeNodeCount: 3 },
    dns: { ...base.dns, zoneName: "payments.example.com", hostedZoneId: undefined },
    database: { ...base.database, engineVersion: "16", instanceClass: "db.r6g.large" },
    cache: { ...base.cache, engineVersion: "7.1" },
    search: { ...base.search, engineVersion: "OpenSearch_2.17", instanceType: "r6g.large.search" },
    warehouse: { ...base.warehouse, nodeType: "ra3.xlplus" },
  };
}

export const mocks = {
  sts: mockClient(STSClient),
  iam: mockClient(IAMClient),
  rds: mockClient(RDSClient),
  elasticache: mockClient(ElastiCacheClient),
  opensearch: mockClient(OpenSearchClient),
  redshift: mockClient(RedshiftClient),
  eks: mockClient(EKSClient),
  ec2: mockClient(EC2Client),
  route53: mockClient(Route53Client),
  serviceQuotas: mockClient(ServiceQuotasClient),
};

export function resetMocks(): void {
  Object.values(mocks).forEach((m) => m.reset());
}

/** Every AWS call any mock received. */
export function allCalls(): number {
  return Object.values(mocks).reduce((n, m) => n + m.calls().length, 0);
}

export const TODAY = new Date("2026-12-05T07:00:00Z");

export function context(config: StackConfig = drConfig()): DoctorContext {
  return {
    config,
    clients: createClients(config.region),
    today: TODAY,
    identity: { accountId: "111122223333", arn: "arn:aws:sts::111122223333:assumed-role/deployer/ci" },
  };
}

/** Runs one check and returns the exact line the doctor prints for it. */
export async function lineOf(check: Check, ctx: DoctorContext = context()): Promise<string> {
  return formatResult((await runChecks([check], ctx))[0]);
}

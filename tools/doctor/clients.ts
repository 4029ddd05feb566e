/**
 * The AWS clients the doctor reads with: one set per run, in the stack's Region (Route 53 and IAM
 * are global; Route 53's control plane answers in us-east-1). Tests mock them with
 * aws-sdk-client-mock; nothing here writes.
 */
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

export interface DoctorClients {
  readonly sts: STSClient;
  readonly iam: IAMClient;
  readonly rds: RDSClient;
  readonly elasticache: ElastiCacheClient;
  readonly opensearch: OpenSearchClient;
  readonly redshift: RedshiftClient;
  readonly eks: EKSClient;
  readonly ec2: EC2Client;
  readonly route53: Route53Client;
  readonly serviceQuotas: ServiceQuotasClient;
}

export function createClients(region: string): DoctorClients {
  return {
    sts: new STSClient({ region }),
    iam: new IAMClient({ region: "us-east-1" }),
    rds: new RDSClient({ region }),
    elasticache: new ElastiCacheClient({ region }),
    opensearch: new OpenSearchClient({ region }),
    redshift: new RedshiftClient({ region }),
    eks: new EKSClient({ region }),
    ec2: new EC2Client({ region }),
    route53: new Route53Client({ region: "us-east-1" }),
    serviceQuotas: new ServiceQuotasClient({ region }),
  };
}

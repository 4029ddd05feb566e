/**
 * Search admin: manages an OpenSearch domain's REST resources (security-plugin role mappings, the
 * snapshot repository and its schedule, the cross-cluster replication follow rule) from inside the
 * domain's VPC. The program invokes it on create, update and delete through `aws.lambda.Invocation`
 * (`lifecycleScope: "CRUD"`), one invocation per resource; a thrown error fails that `pulumi up`.
 *
 * The function is bound to one domain by its environment; each request names the domain too, and a
 * mismatch is refused rather than applied to the wrong domain. It signs as its execution role, the
 * domain's fine-grained access control master.
 */
import type { CallOptions } from "../../components/data/search/opensearchClient";
import { Context, followRule, roleMappings, snapshotRepository, Steps } from "./operations";
import { lifecycleOf, parseRequest, SearchAdminEvent } from "./requests";

/** Always set; `SNAPSHOT_ROLE_ARN` only where the domain has a snapshot repository. */
export const ENV_KEYS = ["DOMAIN_NAME", "DOMAIN_ENDPOINT", "DOMAIN_REGION"] as const;

export interface SearchAdminResult {
  readonly operation: string;
  readonly action: string;
  readonly domainName: string;
  readonly steps: Steps;
}

export async function handle(
  event: SearchAdminEvent,
  env: Readonly<Record<string, string | undefined>>,
  options?: CallOptions,
): Promise<SearchAdminResult> {
  for (const key of ENV_KEYS) {
    if (!env[key]) throw new Error(`Search admin misconfigured: environment variable ${key} is not set`);
  }
  const lifecycle = lifecycleOf(event as unknown as Record<string, unknown>);
  const request = parseRequest(event);
  if (request.domainName !== env.DOMAIN_NAME) {
    throw new Error(
      `Search admin for domain ${env.DOMAIN_NAME} refused a ${request.operation} request for domain ${request.domainName}`,
    );
  }
  if (request.operation === "snapshotRepository" && !env.SNAPSHOT_ROLE_ARN) {
    throw new Error("Search admin misconfigured: environment variable SNAPSHOT_ROLE_ARN is not set");
  }
  const context: Context = {
    target: { endpoint: env.DOMAIN_ENDPOINT as string, region: env.DOMAIN_REGION as string },
    snapshotRoleArn: env.SNAPSHOT_ROLE_ARN ?? "",
    options,
  };
  const steps =
    request.operation === "roleMappings"
      ? await roleMappings(context, request, lifecycle)
      : request.operation === "snapshotRepository"
        ? await snapshotRepository(context, request, lifecycle)
        : await followRule(context, request, lifecycle);
  const result = {
    operation: request.operation,
    action: lifecycle.action,
    domainName: request.domainName,
    steps,
  };
  console.log(JSON.stringify(result));
  return result;
}

export const handler = (event: SearchAdminEvent): Promise<SearchAdminResult> => handle(event, process.env);

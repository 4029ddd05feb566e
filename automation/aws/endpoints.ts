/**
 * Where the OpenSearch domain calls go. They are REST calls on the domain itself, not an SDK
 * client, so they resolve their endpoint by the SDK's own rule for the OpenSearch service
 * (`AWS_ENDPOINT_URL_OPENSEARCH`, then `AWS_ENDPOINT_URL`), falling back to the domain endpoint
 * the dr stack outputs. An override may carry a path prefix (a gateway serving many domains).
 */

export interface ResolvedEndpoint {
  /** Host name (HTTPS) or URL with scheme and port, as `requestOpenSearch` takes it. */
  readonly endpoint: string;
  /** Prepended to every request path; empty without an override. */
  readonly pathPrefix: string;
}

export function openSearchEndpoint(domainEndpoint: string, env: NodeJS.ProcessEnv): ResolvedEndpoint {
  const override = env.AWS_ENDPOINT_URL_OPENSEARCH || env.AWS_ENDPOINT_URL;
  if (!override || env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS === "true") {
    return { endpoint: domainEndpoint, pathPrefix: "" };
  }
  const url = new URL(override);
  return { endpoint: `${url.protocol}//${url.host}`, pathPrefix: url.pathname.replace(/\/$/, "") };
}

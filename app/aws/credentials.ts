/**
 * AWS credentials without the SDK's provider chain (which would triple the bundle): EKS Pod
 * Identity's container credentials endpoint, or static environment credentials for a local run.
 * The Pod Identity agent sets AWS_CONTAINER_CREDENTIALS_FULL_URI and
 * AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE in every pod whose service account has an association.
 */
import { readFile } from "fs/promises";

export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  /** When the credentials expire; undefined for static credentials. */
  readonly expiration?: Date;
}

export type CredentialProvider = () => Promise<Credentials>;
export type Fetch = typeof fetch;
type Env = Readonly<Record<string, string | undefined>>;

/** Credentials are refreshed this long before they expire (the SDK's default window). */
export const REFRESH_BEFORE_EXPIRY_MS = 5 * 60 * 1000;

export interface ContainerCredentialOptions {
  readonly env: Env;
  readonly fetch: Fetch;
  readonly readToken?: (file: string) => Promise<string>;
  readonly now?: () => number;
}

/** The Pod Identity (container credentials) provider, cached until 5 minutes before expiry. */
export function containerCredentials(options: ContainerCredentialOptions): CredentialProvider {
  const uri = options.env.AWS_CONTAINER_CREDENTIALS_FULL_URI;
  const tokenFile = options.env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE;
  if (uri === undefined || tokenFile === undefined) {
    throw new Error(
      "No Pod Identity credentials: AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE " +
        "are unset. Fix: check the pod's service account has a Pod Identity association and the eks-pod-identity-agent add-on runs.",
    );
  }
  const readToken = options.readToken ?? ((file: string) => readFile(file, "utf8"));
  const now = options.now ?? Date.now;
  let cached: Credentials | undefined;
  return async () => {
    if (cached?.expiration && cached.expiration.getTime() - REFRESH_BEFORE_EXPIRY_MS > now()) return cached;
    // The token file is rotated by the kubelet: read it on every refresh.
    const token = (await readToken(tokenFile)).trim();
    const response = await options.fetch(uri, { headers: { Authorization: token } });
    const body = await response.text();
    if (!response.ok) {
      throw new Error(
        `Pod Identity credentials endpoint ${uri} answered HTTP ${response.status}: ${body.slice(0, 200)}`,
      );
    }
    const parsed = JSON.parse(body) as Record<string, unknown>;
    const { AccessKeyId, SecretAccessKey, Token, Expiration } = parsed;
    if (
      typeof AccessKeyId !== "string" ||
      typeof SecretAccessKey !== "string" ||
      typeof Expiration !== "string"
    ) {
      throw new Error(
        `Pod Identity credentials endpoint ${uri} answered without AccessKeyId, SecretAccessKey and Expiration`,
      );
    }
    cached = {
      accessKeyId: AccessKeyId,
      secretAccessKey: SecretAccessKey,
      sessionToken: typeof Token === "string" ? Token : undefined,
      expiration: new Date(Expiration),
    };
    return cached;
  };
}

/** Static credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN (local runs). */
export function environmentCredentials(env: Env): CredentialProvider | undefined {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (accessKeyId === undefined || secretAccessKey === undefined) return undefined;
  const credentials: Credentials = { accessKeyId, secretAccessKey, sessionToken: env.AWS_SESSION_TOKEN };
  return () => Promise.resolve(credentials);
}

/** Pod Identity in a pod; environment credentials elsewhere. */
export function defaultCredentials(env: Env, fetchImpl: Fetch): CredentialProvider {
  if (env.AWS_CONTAINER_CREDENTIALS_FULL_URI !== undefined)
    return containerCredentials({ env, fetch: fetchImpl });
  return environmentCredentials(env) ?? containerCredentials({ env, fetch: fetchImpl });
}

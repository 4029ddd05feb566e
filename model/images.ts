/**
 * Container image references and ECR registries: which Region an image is pulled from, and the
 * same image re-pointed at another Region's registry. Shared by the workload (components/compute/)
 * and the pack's image rule (policies/workload/), so what the program declares and what the pack
 * accepts cannot drift apart.
 */
import { PULL_THROUGH_CACHE_PREFIX, REFERENCE_SERVICE_BASE_IMAGE } from "./workload";

/** The upstream the pull-through cache rule mirrors (ECR Public; no credentials needed). */
export const PULL_THROUGH_UPSTREAM = "public.ecr.aws";

/** A private ECR registry host: `<account>.dkr.ecr[-fips].<region>.amazonaws.com[.cn]`. */
const ECR_HOST = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z]{2}(?:-[a-z]+)+-\d)\.amazonaws\.com(?:\.cn)?$/;

export interface ImageReference {
  /** Registry host; `docker.io` when the reference names none (Docker Hub). */
  readonly registry: string;
  /** Repository path inside the registry (`library/node` for a bare Docker Hub `node`). */
  readonly repository: string;
  readonly tag?: string;
  /** `sha256:<64 hex>` when the reference is pinned by digest. */
  readonly digest?: string;
}

/** The private ECR registry a host names, or undefined for any other registry. */
export function ecrRegistry(host: string): { account: string; region: string } | undefined {
  const match = ECR_HOST.exec(host);
  return match ? { account: match[1], region: match[2] } : undefined;
}

export function ecrRegistryHost(account: string, region: string): string {
  return `${account}.dkr.ecr.${region}.amazonaws.com`;
}

/**
 * Parses `[registry/]repository[:tag][@sha256:digest]` as container runtimes do: the first path
 * component is a registry only when it contains `.` or `:` or is `localhost`.
 *
 * @returns undefined when the text is not an image reference
 */
export function parseImageReference(text: string): ImageReference | undefined {
  const match = /^([^@\s]+?)(?::([\w][\w.-]{0,127}))?(?:@(sha256:[0-9a-f]{64}))?$/.exec(text);
  if (!match) return undefined;
  const [, name, tag, digest] = match;
  const parts = name.split("/");
  const hasRegistry = parts.length > 1 && (/[.:]/.test(parts[0]) || parts[0] === "localhost");
  const registry = hasRegistry ? parts[0] : "docker.io";
  const path = hasRegistry ? parts.slice(1) : parts;
  if (path.length === 0 || path.some((p) => !/^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/.test(p)))
    return undefined;
  const repository = registry === "docker.io" && path.length === 1 ? `library/${path[0]}` : path.join("/");
  return { registry, repository, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}

export function formatImageReference(image: ImageReference): string {
  return `${image.registry}/${image.repository}${image.tag ? `:${image.tag}` : ""}${image.digest ? `@${image.digest}` : ""}`;
}

/**
 * The configured image re-pointed at `region`'s own registry, keeping repository and digest: a
 * private ECR image by its replicated repository, an ECR Public image through the pull-through
 * cache (`ecr-public/...`). Both stacks therefore run the same digest, and each pulls only from
 * its own Region. Anything else has no copy in ECR and is refused with the reason.
 */
export function imageInRegion(
  configured: string,
  account: string,
  region: string,
): { image: string; registryRegion: string; digest: string } {
  const parsed = parseImageReference(configured);
  if (parsed === undefined)
    throw new Error(`${JSON.stringify(configured)} is not a container image reference`);
  if (parsed.digest === undefined) {
    throw new Error(
      `${JSON.stringify(configured)} is not pinned by digest: expected <registry>/<repository>@sha256:<64 hex> ` +
        "(a tag can point at different images in the two Regions)",
    );
  }
  let repository: string;
  if (ecrRegistry(parsed.registry)?.account === account) repository = parsed.repository;
  else if (parsed.registry === PULL_THROUGH_UPSTREAM)
    repository = `${PULL_THROUGH_CACHE_PREFIX}/${parsed.repository}`;
  else {
    throw new Error(
      `${JSON.stringify(configured)} is in registry ${parsed.registry}, which has no copy in ${region}: expected this ` +
        `account's ECR (${ecrRegistryHost(account, "<region>")}, replicated to the peer Region) or ${PULL_THROUGH_UPSTREAM} (pulled through the cache)`,
    );
  }
  return {
    image: formatImageReference({
      registry: ecrRegistryHost(account, region),
      repository,
      digest: parsed.digest,
    }),
    registryRegion: region,
    digest: parsed.digest,
  };
}

/**
 * The official Node image the reference service runs on while no application image is configured,
 * on ECR Public (a mirror of Docker Hub's official images). The Node line matches the Lambda
 * runtime's (nodejs24.x); pulled by tag through each Region's cache, so a tag moved upstream is
 * not refreshed in an immutable cached repository: bump the tag to move.
 */
export const REFERENCE_BASE_IMAGE = `${PULL_THROUGH_UPSTREAM}/${REFERENCE_SERVICE_BASE_IMAGE}`;

/** Which image a stack's workload runs, pulled from its own Region's registry. */
export interface StackImage {
  readonly image: string;
  readonly registryRegion: string;
  /** The digest both stacks run; undefined for the tag-pinned reference base image. */
  readonly digest?: string;
  readonly source: "configured" | "reference-service";
}

/**
 * The configured application image re-pointed at `region` ({@link imageInRegion}), or, when none
 * is configured, the reference service's Node base image through `region`'s pull-through cache.
 */
export function stackImage(configured: string | undefined, account: string, region: string): StackImage {
  if (configured !== undefined)
    return { ...imageInRegion(configured, account, region), source: "configured" };
  const base = parseImageReference(REFERENCE_BASE_IMAGE)!;
  return {
    image: formatImageReference({
      ...base,
      registry: ecrRegistryHost(account, region),
      repository: `${PULL_THROUGH_CACHE_PREFIX}/${base.repository}`,
    }),
    registryRegion: region,
    source: "reference-service",
  };
}

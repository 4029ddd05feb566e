import * as assert from "assert";
import { ecrRegistry, imageInRegion, parseImageReference, stackImage } from "../../model/images";

const DIGEST = `sha256:${"ab".repeat(32)}`;
const ACCOUNT = "111122223333";

describe("image references", () => {
  it("parses registry, repository, tag and digest as container runtimes do", () => {
    assert.deepStrictEqual(parseImageReference("node:24"), {
      registry: "docker.io",
      repository: "library/node",
      tag: "24",
    });
    assert.deepStrictEqual(parseImageReference("bitnami/redis"), {
      registry: "docker.io",
      repository: "bitnami/redis",
    });
    assert.deepStrictEqual(parseImageReference(`public.ecr.aws/docker/library/node:24-slim@${DIGEST}`), {
      registry: "public.ecr.aws",
      repository: "docker/library/node",
      tag: "24-slim",
      digest: DIGEST,
    });
    assert.deepStrictEqual(parseImageReference(`localhost:5000/app@${DIGEST}`), {
      registry: "localhost:5000",
      repository: "app",
      digest: DIGEST,
    });
    assert.strictEqual(parseImageReference("Not An Image"), undefined);
  });

  it("reads the account and Region of a private ECR registry host, and nothing else", () => {
    assert.deepStrictEqual(ecrRegistry(`${ACCOUNT}.dkr.ecr.us-west-2.amazonaws.com`), {
      account: ACCOUNT,
      region: "us-west-2",
    });
    assert.deepStrictEqual(ecrRegistry(`${ACCOUNT}.dkr.ecr-fips.us-east-1.amazonaws.com`), {
      account: ACCOUNT,
      region: "us-east-1",
    });
    assert.strictEqual(ecrRegistry("public.ecr.aws"), undefined);
    assert.strictEqual(ecrRegistry("docker.io"), undefined);
  });

  it("re-points the primary's ECR image at the dr Region's registry, same repository and digest", () => {
    const configured = `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/payments-dr/payments-api:1.4.2@${DIGEST}`;
    assert.deepStrictEqual(imageInRegion(configured, ACCOUNT, "us-west-2"), {
      image: `${ACCOUNT}.dkr.ecr.us-west-2.amazonaws.com/payments-dr/payments-api@${DIGEST}`,
      registryRegion: "us-west-2",
      digest: DIGEST,
    });
    assert.deepStrictEqual(imageInRegion(configured, ACCOUNT, "us-east-1"), {
      image: `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/payments-dr/payments-api@${DIGEST}`,
      registryRegion: "us-east-1",
      digest: DIGEST,
    });
  });

  it("pulls an ECR Public image through the Region's cache under ecr-public/", () => {
    assert.deepStrictEqual(
      imageInRegion(`public.ecr.aws/docker/library/node@${DIGEST}`, ACCOUNT, "us-west-2"),
      {
        image: `${ACCOUNT}.dkr.ecr.us-west-2.amazonaws.com/ecr-public/docker/library/node@${DIGEST}`,
        registryRegion: "us-west-2",
        digest: DIGEST,
      },
    );
  });

  it("refuses a tag-only image and an image with no copy in the Region, saying why", () => {
    assert.throws(
      () =>
        imageInRegion(
          `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/payments-dr/payments-api:1.4.2`,
          ACCOUNT,
          "us-west-2",
        ),
      {
        message: `"${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/payments-dr/payments-api:1.4.2" is not pinned by digest: expected <registry>/<repository>@sha256:<64 hex> (a tag can point at different images in the two Regions)`,
      },
    );
    assert.throws(() => imageInRegion(`node@${DIGEST}`, ACCOUNT, "us-west-2"), {
      message: `"node@${DIGEST}" is in registry docker.io, which has no copy in us-west-2: expected this account's ECR (${ACCOUNT}.dkr.ecr.<region>.amazonaws.com, replicated to the peer Region) or public.ecr.aws (pulled through the cache)`,
    });
    assert.throws(
      () => imageInRegion(`999999999999.dkr.ecr.us-east-1.amazonaws.com/x@${DIGEST}`, ACCOUNT, "us-west-2"),
      /is in registry 999999999999\.dkr\.ecr\.us-east-1\.amazonaws\.com, which has no copy in us-west-2/,
    );
  });

  it("runs the reference service's Node base image through the Region's cache when no image is configured", () => {
    assert.deepStrictEqual(stackImage(undefined, ACCOUNT, "us-west-2"), {
      image: `${ACCOUNT}.dkr.ecr.us-west-2.amazonaws.com/ecr-public/docker/library/node:24.21.0-slim`,
      registryRegion: "us-west-2",
      source: "reference-service",
    });
  });
});

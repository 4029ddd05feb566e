import * as assert from "assert";
import { openSearchEndpoint } from "../../automation/aws/endpoints";

describe("OpenSearch domain calls follow the SDK's endpoint settings", () => {
  const domain = "vpc-payments-search-dr-4kq2b7x.us-west-2.es.amazonaws.com";

  it("uses the domain endpoint as output when no override is set", () => {
    assert.deepStrictEqual(openSearchEndpoint(domain, {}), { endpoint: domain, pathPrefix: "" });
    assert.deepStrictEqual(openSearchEndpoint("http://127.0.0.1:9200", {}), {
      endpoint: "http://127.0.0.1:9200",
      pathPrefix: "",
    });
  });

  it("prefers AWS_ENDPOINT_URL_OPENSEARCH, then AWS_ENDPOINT_URL, keeping scheme, port and path", () => {
    assert.deepStrictEqual(
      openSearchEndpoint(domain, {
        AWS_ENDPOINT_URL: "http://127.0.0.1:4566",
        AWS_ENDPOINT_URL_OPENSEARCH: "http://localhost:4571/opensearch/us-west-2/payments/",
      }),
      { endpoint: "http://localhost:4571", pathPrefix: "/opensearch/us-west-2/payments" },
    );
    assert.deepStrictEqual(openSearchEndpoint(domain, { AWS_ENDPOINT_URL: "http://127.0.0.1:4566" }), {
      endpoint: "http://127.0.0.1:4566",
      pathPrefix: "",
    });
  });

  it("ignores the overrides when AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true, as the SDK does", () => {
    assert.deepStrictEqual(
      openSearchEndpoint(domain, {
        AWS_ENDPOINT_URL: "http://127.0.0.1:4566",
        AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: "true",
      }),
      { endpoint: domain, pathPrefix: "" },
    );
  });
});

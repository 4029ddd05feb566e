import * as assert from "assert";
import * as crypto from "crypto";
import * as https from "https";
import { AddressInfo } from "net";
import { selfSignedCertificate } from "../../app/selfSignedCertificate";

const NOW = new Date("2026-12-05T10:00:00.000Z");

describe("reference service: the self-signed certificate of the load balancer → pod hop", () => {
  const pair = selfSignedCertificate("payments-api", NOW, 365);
  const certificate = new crypto.X509Certificate(pair.cert);

  it("is a certificate X.509 parsers accept, for the service's name, valid from a minute before start for a year", () => {
    assert.strictEqual(certificate.subject, "CN=payments-api");
    assert.strictEqual(certificate.issuer, "CN=payments-api");
    assert.strictEqual(new Date(certificate.validFrom).toISOString(), "2026-12-05T09:59:00.000Z");
    assert.strictEqual(new Date(certificate.validTo).toISOString(), "2027-12-05T10:00:00.000Z");
    assert.strictEqual(certificate.publicKey.asymmetricKeyDetails?.namedCurve, "prime256v1");
  });

  it("is signed by its own key, which is the private key returned with it", () => {
    assert.strictEqual(certificate.verify(certificate.publicKey), true);
    assert.strictEqual(certificate.checkPrivateKey(crypto.createPrivateKey(pair.key)), true);
  });

  it("encodes every serial as a DER INTEGER parsers accept (no leading zero octet), start after start", () => {
    // A random first octet under 0x01 would be an illegal leading zero 1 time in 128.
    for (let i = 0; i < 300; i++) {
      const serial = new crypto.X509Certificate(selfSignedCertificate("payments-api", NOW).cert).serialNumber;
      assert.match(serial, /^[4-7][0-9A-F]{31}$/);
    }
  });

  it("makes a new key and serial on every start", () => {
    const other = new crypto.X509Certificate(selfSignedCertificate("payments-api", NOW).cert);
    assert.notStrictEqual(other.serialNumber, certificate.serialNumber);
    assert.strictEqual(certificate.verify(other.publicKey), false);
  });

  it("serves HTTPS to a client that does not verify the certificate, as an ALB target health check does", async () => {
    const server = https.createServer(pair, (_req, res) => res.end("ok"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const body = await new Promise<string>((resolve, reject) => {
        https
          .get({ host: "127.0.0.1", port, path: "/healthz", rejectUnauthorized: false }, (res) => {
            let text = "";
            res.on("data", (chunk) => (text += chunk));
            res.on("end", () => resolve(text));
          })
          .on("error", reject);
      });
      assert.strictEqual(body, "ok");
    } finally {
      server.close();
    }
  });
});

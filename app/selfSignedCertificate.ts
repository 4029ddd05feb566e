/**
 * A self-signed TLS certificate made at start-up, for the hop from the load balancer to the pod.
 *
 * The target group speaks HTTPS to the pods (components/traffic/ingress.ts) and the kubelet's
 * probes use HTTPS too. Neither validates the pod's certificate (an ALB accepts any target
 * certificate; Kubernetes HTTPS probes skip verification), so what matters is that the hop is
 * encrypted. A key made in the pod's memory never leaves it: no private key in Pulumi state, no
 * Secret to rotate. Node has no X.509 builder, so the few DER structures are encoded here.
 */
import * as crypto from "node:crypto";

export interface SelfSignedCertificate {
  /** PEM private key (PKCS#8). */
  readonly key: string;
  /** PEM certificate. */
  readonly cert: string;
}

/** ecdsa-with-SHA256 (RFC 5758), commonName (X.520). */
const ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";
const COMMON_NAME = "2.5.4.3";

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let rest = n; rest > 0; rest >>= 8) bytes.unshift(rest & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), length(body.length), body]);
}

const sequence = (...items: Buffer[]) => tlv(0x30, ...items);

function objectIdentifier(oid: string): Buffer {
  const [first, second, ...rest] = oid.split(".").map(Number);
  const arcs = [40 * first + second, ...rest].flatMap((arc) => {
    const bytes = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) bytes.unshift(0x80 | (v & 0x7f));
    return bytes;
  });
  return tlv(0x06, Buffer.from(arcs));
}

/** A positive INTEGER: a leading zero byte when the high bit is set. */
function positiveInteger(bytes: Buffer): Buffer {
  return tlv(0x02, bytes[0] & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);
}

/** UTCTime `YYMMDDHHMMSSZ`: valid for 1950–2049, which RFC 5280 requires it for. */
function utcTime(date: Date): Buffer {
  const text = date.toISOString().replace(/[-:T]/g, "").slice(2, 14) + "Z";
  return tlv(0x17, Buffer.from(text, "ascii"));
}

function name(commonName: string): Buffer {
  const attribute = sequence(objectIdentifier(COMMON_NAME), tlv(0x0c, Buffer.from(commonName, "utf8")));
  return sequence(tlv(0x31, attribute));
}

function pem(label: string, der: Buffer): string {
  const lines = der.toString("base64").match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

/**
 * A P-256 key and a certificate for `commonName`, valid from a minute ago (clock skew) for
 * `validDays`; a pod lives far less than that, and each start makes a new pair.
 */
export function selfSignedCertificate(
  commonName: string,
  now: Date = new Date(),
  validDays = 365,
): SelfSignedCertificate {
  const { privateKey, publicKey } = crypto.generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const algorithm = sequence(objectIdentifier(ECDSA_WITH_SHA256));
  const serial = crypto.randomBytes(16);
  // RFC 5280: a positive serial of at most 20 octets. DER forbids a leading zero octet before one
  // under 0x80, so the first octet is kept in 0x40-0x7f: positive, never zero, always 16 octets.
  serial[0] = (serial[0] & 0x3f) | 0x40;
  const tbs = sequence(
    tlv(0xa0, positiveInteger(Buffer.from([2]))), // version 3
    positiveInteger(serial),
    algorithm,
    name(commonName),
    sequence(
      utcTime(new Date(now.getTime() - 60_000)),
      utcTime(new Date(now.getTime() + validDays * 86_400_000)),
    ),
    name(commonName),
    publicKey.export({ type: "spki", format: "der" }),
  );
  const signature = crypto.sign("sha256", tbs, { key: privateKey, dsaEncoding: "der" });
  const certificate = sequence(tbs, algorithm, tlv(0x03, Buffer.from([0]), signature));
  return {
    key: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    cert: pem("CERTIFICATE", certificate),
  };
}

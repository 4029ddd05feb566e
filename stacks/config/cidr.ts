/** IPv4 CIDR arithmetic for the VPC blocks: parsing, RFC 1918 membership, overlap. */

/** Parses an IPv4 CIDR into its network address and prefix length. */
export function parseCidr(value: string): { address: number; prefixLength: number } | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(value);
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const prefixLength = Number(match[5]);
  if (octets.some((o) => o > 255) || prefixLength > 32) return undefined;
  const address = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
  const mask = prefixLength === 0 ? 0 : (0xffffffff << (32 - prefixLength)) >>> 0;
  if ((address & mask) >>> 0 !== address) return undefined;
  return { address, prefixLength };
}

/** Whether `address` lies in 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16. */
export function inPrivateRange(address: number): boolean {
  const ranges: [number, number][] = [
    [0x0a000000, 8],
    [0xac100000, 12],
    [0xc0a80000, 16],
  ];
  return ranges.some(([base, len]) => (address & ((0xffffffff << (32 - len)) >>> 0)) >>> 0 === base);
}

export function cidrsOverlap(a: string, b: string): boolean {
  const x = parseCidr(a);
  const y = parseCidr(b);
  if (!x || !y) return false;
  const len = Math.min(x.prefixLength, y.prefixLength);
  const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
  return (x.address & mask) >>> 0 === (y.address & mask) >>> 0;
}

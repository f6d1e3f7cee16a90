// Which IP addresses the fetcher may connect to. Pure: parses the textual address itself (strict forms only;
// anything it cannot parse is 'invalid' and refused), so the same answer holds for a URL's IP literal and for
// an address DNS returned.
//
// Policy (`isAllowedAddress`):
//   - 'public' is always allowed.
//   - allowPrivateNetworks=true additionally allows 'loopback', 'private' (RFC 1918), 'ula' (fc00::/7) and
//     'cgnat' (100.64/10): self-hosted feeds and the project's own tests on 127.0.0.1.
//   - Never allowed, whatever the flag: 'link-local' (169.254/16 and fe80::/10 — where cloud metadata lives,
//     and never a feed host), 'metadata' (known instance-metadata endpoints, some of which sit inside ULA,
//     CGNAT or public space), 'unspecified' (0.0.0.0/8 and ::, which Linux routes to the local host),
//     'multicast', 'broadcast', 'documentation', 'reserved' and 'invalid'.
// IPv6 forms that embed an IPv4 address (IPv4-mapped ::ffff:0:0/96, NAT64 64:ff9b::/96, 6to4 2002::/16) are
// classified by the embedded IPv4 address, so ::ffff:7f00:1 is loopback and 64:ff9b::a00:1 is private.

export type AddressClass =
  | 'public'
  | 'loopback'
  | 'private'
  | 'ula'
  | 'cgnat'
  | 'link-local'
  | 'metadata'
  | 'unspecified'
  | 'multicast'
  | 'broadcast'
  | 'documentation'
  | 'reserved'
  | 'invalid';

export interface AddressPolicyOptions {
  allowPrivateNetworks: boolean;
}

const PRIVATE_CLASSES: ReadonlySet<AddressClass> = new Set(['loopback', 'private', 'ula', 'cgnat']);

/** Whether the fetcher may open a connection to `ip` (an IPv4 or IPv6 address in textual form). */
export function isAllowedAddress(ip: string, options: AddressPolicyOptions): boolean {
  const kind = classifyAddress(ip);
  return kind === 'public' || (options.allowPrivateNetworks && PRIVATE_CLASSES.has(kind));
}

/** Classifies an IPv4 or IPv6 address. An IPv6 zone (`fe80::1%eth0`) is ignored; brackets are not accepted. */
export function classifyAddress(ip: string): AddressClass {
  const v4 = parseIPv4(ip);
  if (v4 !== undefined) return classifyIPv4(v4);
  const v6 = parseIPv6(ip);
  if (v6 !== undefined) return classifyIPv6(v6);
  return 'invalid';
}

// Instance-metadata endpoints (AWS/GCP/Azure/OCI/DigitalOcean, ECS and EKS agents, Alibaba, Azure WireServer).
const METADATA_V4 = new Set([
  '169.254.169.254',
  '169.254.170.2',
  '169.254.170.23',
  '100.100.100.200',
  '168.63.129.16',
]);
const METADATA_V6 = ['fd00:ec2::254', 'fd00:ec2::23', 'fd20:ce::254'].map((ip) => parseIPv6(ip)!);

type V4Range = readonly [base: string, bits: number, kind: AddressClass];

// First match wins, so narrower ranges come before the ranges that contain them.
const V4_RANGES: readonly V4Range[] = [
  ['255.255.255.255', 32, 'broadcast'],
  ['0.0.0.0', 8, 'unspecified'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'cgnat'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'], // IETF protocol assignments
  ['192.0.2.0', 24, 'documentation'],
  ['192.88.99.0', 24, 'reserved'], // deprecated 6to4 relay anycast
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'reserved'], // benchmarking
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
];

const V4_TABLE = V4_RANGES.map(([base, bits, kind]) => {
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return { network: (v4ToInt(parseIPv4(base)!) & mask) >>> 0, mask, kind };
});

function classifyIPv4(bytes: Uint8Array): AddressClass {
  if (METADATA_V4.has(bytes.join('.'))) return 'metadata';
  const value = v4ToInt(bytes);
  for (const range of V4_TABLE) {
    if ((value & range.mask) >>> 0 === range.network) return range.kind;
  }
  return 'public';
}

type V6Range = readonly [prefix: Uint8Array, bits: number, kind: AddressClass | 'embedded-v4'];

const v6 = (text: string): Uint8Array => parseIPv6(text)!;

// Checked in order after the exact addresses :: and ::1.
const V6_RANGES: readonly V6Range[] = [
  [v6('::ffff:0:0'), 96, 'embedded-v4'], // IPv4-mapped
  [v6('64:ff9b::'), 96, 'embedded-v4'], // NAT64 well-known prefix
  [v6('::'), 96, 'reserved'], // deprecated IPv4-compatible (::a.b.c.d)
  [v6('::ffff:0:0:0'), 96, 'reserved'], // IPv4-translated (SIIT)
  [v6('64:ff9b:1::'), 48, 'reserved'], // local-use NAT64: where the IPv4 sits depends on the operator's prefix
  [v6('100::'), 64, 'reserved'], // discard-only
  [v6('2001:db8::'), 32, 'documentation'],
  [v6('3fff::'), 20, 'documentation'],
  [v6('2001::'), 23, 'reserved'], // IETF protocol assignments, incl. Teredo 2001::/32 (obfuscated IPv4)
  [v6('2002::'), 16, 'embedded-v4'], // 6to4
  [v6('fc00::'), 7, 'ula'],
  [v6('fe80::'), 10, 'link-local'],
  [v6('fec0::'), 10, 'reserved'], // deprecated site-local
  [v6('ff00::'), 8, 'multicast'],
  [v6('2000::'), 3, 'public'], // global unicast
];

function classifyIPv6(bytes: Uint8Array): AddressClass {
  if (bytes.every((b) => b === 0)) return 'unspecified';
  if (bytes.slice(0, 15).every((b) => b === 0) && bytes[15] === 1) return 'loopback';
  if (METADATA_V6.some((m) => equalBytes(m, bytes))) return 'metadata';
  for (const [prefix, bits, kind] of V6_RANGES) {
    if (!hasPrefix(bytes, prefix, bits)) continue;
    if (kind !== 'embedded-v4') return kind;
    // 6to4 carries the IPv4 address in bits 16..47; the /96 forms carry it in the last 32 bits.
    const offset = bits === 16 ? 2 : 12;
    return classifyIPv4(bytes.slice(offset, offset + 4));
  }
  return 'reserved'; // outside 2000::/3 and not assigned above
}

/** Strict dotted quad: four decimal octets, no leading zeros (010 is octal to some parsers). */
function parseIPv4(text: string): Uint8Array | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const bytes = new Uint8Array(4);
  for (const [i, part] of parts.entries()) {
    if (!/^(0|[1-9]\d{0,2})$/.test(part)) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    bytes[i] = n;
  }
  return bytes;
}

function parseIPv6(input: string): Uint8Array | undefined {
  const zone = input.indexOf('%');
  const text = (zone === -1 ? input : input.slice(0, zone)).toLowerCase();
  if (!text.includes(':')) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = parseGroups(halves[0] ?? '', halves.length === 1);
  const tail = halves.length === 2 ? parseGroups(halves[1] ?? '', true) : [];
  if (head === undefined || tail === undefined) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  const bytes = new Uint8Array(16);
  for (const [i, group] of groups.entries()) {
    bytes[i * 2] = group >> 8;
    bytes[i * 2 + 1] = group & 0xff;
  }
  return bytes;
}

/** Colon-separated hex groups; the last one may be a dotted quad when it ends the address. */
function parseGroups(text: string, mayEndWithV4: boolean): number[] | undefined {
  if (text === '') return [];
  const parts = text.split(':');
  const groups: number[] = [];
  for (const [i, part] of parts.entries()) {
    if (i === parts.length - 1 && mayEndWithV4 && part.includes('.')) {
      const v4 = parseIPv4(part);
      if (v4 === undefined) return undefined;
      groups.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
    } else if (/^[0-9a-f]{1,4}$/.test(part)) {
      groups.push(Number.parseInt(part, 16));
    } else {
      return undefined;
    }
  }
  return groups;
}

function v4ToInt(bytes: Uint8Array): number {
  return ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
}

function hasPrefix(bytes: Uint8Array, prefix: Uint8Array, bits: number): boolean {
  for (let bit = 0; bit < bits; bit += 8) {
    const i = bit / 8;
    const take = Math.min(8, bits - bit);
    const mask = (0xff << (8 - take)) & 0xff;
    if ((bytes[i]! & mask) !== (prefix[i]! & mask)) return false;
  }
  return true;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

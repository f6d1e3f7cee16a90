// Dependency floors: every installed production copy (package-lock.json, dev-only entries left out, as
// `npm audit --omit=dev` would) of a package with a known advisory is at or above the first fixed version.
// `npm audit` itself cannot run here (the registry answers 405), so the floors are explicit: raise one when
// an advisory names a newer fix, add a package when one is published against it.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/** package → [minimum version, why]. */
const FLOORS: Record<string, [string, string]> = {
  mongoose: ['8.9.5', 'CVE-2024-53900 / CVE-2025-23061: $where search injection through populate match'],
  xml2js: ['0.5.0', 'CVE-2023-0842: prototype pollution through __proto__ element names'],
  msgpackr: ['1.10.1', 'CVE-2023-52079: infinite recursion on crafted input (BullMQ job data)'],
  fastify: ['5.3.2', 'CVE-2025-32442: content-type validation bypass'],
  'find-my-way': ['8.2.2', 'CVE-2024-45813: ReDoS in route parameters'],
  undici: [
    '7.5.0',
    'CVE-2025-47279 / CVE-2025-22150: memory leak on bad certificates, weak multipart boundary',
  ],
  nodemailer: [
    '7.0.11',
    'GHSA-mm7p-fcc7-pg87 / GHSA-rcmh-qjqh-p98v: mail to an unintended domain, address-parser DoS',
  ],
};

interface LockEntry {
  version?: string;
  dev?: boolean;
}

const lock = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../package-lock.json'), 'utf8')) as {
  packages: Record<string, LockEntry>;
};

/** -1, 0, 1 comparing the numeric x.y.z of two versions (pre-release tags rank below their release). */
function compare(a: string, b: string): number {
  const parse = (v: string) => {
    const [core, pre] = v.split('-', 2);
    return { nums: core!.split('.').map((n) => Number.parseInt(n, 10) || 0), pre };
  };
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < 3; i++) {
    const d = (x.nums[i] ?? 0) - (y.nums[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  if (x.pre && !y.pre) return -1;
  if (!x.pre && y.pre) return 1;
  return 0;
}

function installed(name: string): { path: string; version: string }[] {
  return Object.entries(lock.packages)
    .filter(([path, entry]) => path.endsWith(`node_modules/${name}`) && !entry.dev && entry.version)
    .map(([path, entry]) => ({ path, version: entry.version! }));
}

describe('dependency floors (production dependencies in package-lock.json)', () => {
  it('compares versions numerically', () => {
    expect(compare('8.10.0', '8.9.5')).toBe(1);
    expect(compare('0.4.23', '0.5.0')).toBe(-1);
    expect(compare('1.10.1', '1.10.1')).toBe(0);
    expect(compare('2.0.0-rc.1', '2.0.0')).toBe(-1);
  });

  it('the lockfile carries the packages with floors (so a floor is never skipped silently)', () => {
    for (const name of ['mongoose', 'xml2js', 'msgpackr', 'fastify', 'undici'])
      expect(installed(name).length, name).toBeGreaterThan(0);
  });

  it.each(Object.entries(FLOORS))('%s is at least the fixed version', (name, [floor, why]) => {
    for (const { path, version } of installed(name)) {
      expect(compare(version, floor), `${path}@${version} is below ${floor}: ${why}`).toBeGreaterThanOrEqual(
        0,
      );
    }
  });
});

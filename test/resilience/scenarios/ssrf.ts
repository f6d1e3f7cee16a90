// SSRF: the fetcher's guarded HTTP client against every blocked address class — as a literal, as a name
// that resolves to it, as a redirect target, and through DNS rebinding (a name that first resolves to an
// allowed address and then to a blocked one). Loopback listeners on 127.0.0.1, 127.0.0.2 and ::1 count
// the connections they accept, and every outgoing connection attempt of this process is recorded: a case
// survives if it is refused as `blocked` and no listener accepted anything beyond the redirecting server.
import type { LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { FeedHttpError } from '@paperwire/core';
import { createHttpClient, type HttpClientOptions, isAllowedAddress } from '@paperwire/http';
import { recordConnectionAttempts, startServer, type TestServer } from '../../../shared/http/test/servers.ts';
import type { Row, Scenario } from '../support.ts';

function fakeLookup(answer: (hostname: string) => string[]): LookupFunction {
  return (hostname, options, callback) => {
    const entries: LookupAddress[] = answer(hostname).map((address) => ({
      address,
      family: address.includes(':') ? 6 : 4,
    }));
    if (options.all) callback(null, entries);
    else callback(null, entries[0]!.address, entries[0]!.family);
  };
}

interface Case {
  group: string;
  name: string;
  url: () => string;
  options: Partial<HttpClientOptions>;
}

export const ssrf: Scenario = {
  name: 'ssrf',
  ci: true,
  async run({ cleanup }) {
    const t0 = Date.now();
    const recorder = recordConnectionAttempts();
    cleanup.add('connection recorder', async () => recorder.stop());
    const listeners: TestServer[] = [];
    const listen = async (host: string) => {
      const s = await startServer((_req, res) => res.end('secret'), host);
      listeners.push(s);
      cleanup.add(`listener ${host}`, () => s.close());
      return s;
    };
    const v4 = await listen('127.0.0.1');
    const v4b = await listen('127.0.0.2');
    const v6 = await listen('::1');
    // Plays a public host that redirects: the only address the "public" test policy admits.
    let location = '';
    const start = await startServer((_req, res) => {
      res.writeHead(302, { location });
      res.end();
    });
    cleanup.add('redirecting server', () => start.close());
    const publicPolicy = (ip: string) =>
      ip === '127.0.0.1' || isAllowedAddress(ip, { allowPrivateNetworks: false });

    const strict: Partial<HttpClientOptions> = { allowPrivateNetworks: false };
    const p = v4.port;
    const literal: [string, string][] = [
      ['loopback', `http://127.0.0.1:${p}/`],
      ['loopback (127.1)', `http://127.1:${p}/`],
      ['loopback (decimal)', `http://2130706433:${p}/`],
      ['loopback (hex)', `http://0x7f000001:${p}/`],
      ['localhost', `http://localhost:${p}/`],
      ['IPv6 loopback', `http://[::1]:${v6.port}/`],
      ['IPv4-mapped loopback', `http://[::ffff:127.0.0.1]:${p}/`],
      ['unspecified', `http://0.0.0.0:${p}/`],
      ['IPv6 unspecified', `http://[::]:${v6.port}/`],
      ['RFC 1918 10/8', 'http://10.0.0.1/'],
      ['RFC 1918 172.16/12', 'http://172.16.0.1/'],
      ['RFC 1918 192.168/16', 'http://192.168.1.1/'],
      ['CGNAT', 'http://100.64.0.1/'],
      ['link-local', 'http://169.254.1.1/'],
      ['cloud metadata', 'http://169.254.169.254/latest/meta-data/'],
      ['IPv6 metadata', 'http://[fd00:ec2::254]/'],
      ['multicast', 'http://224.0.0.1/'],
      ['IPv6 ULA', 'http://[fd00::1]/'],
      ['IPv6 link-local', 'http://[fe80::1]/'],
      ['IPv4-mapped private', 'http://[::ffff:10.0.0.1]/'],
      ['broadcast', 'http://255.255.255.255/'],
    ];
    const resolvedTo = [
      '127.0.0.1',
      '127.0.0.2',
      '::1',
      '10.1.2.3',
      '172.20.0.1',
      '192.168.0.10',
      '100.100.1.1',
      '169.254.169.254',
      '0.0.0.0',
      'fd12::1',
      'fe80::2',
      '::ffff:127.0.0.1',
      '224.1.1.1',
    ];
    const cases: Case[] = [
      ...literal.map(([name, url]) => ({ group: 'literal', name, url: () => url, options: strict })),
      ...resolvedTo.map((address) => ({
        group: 'name resolving to',
        name: address,
        url: () => `http://feeds.example.test:${p}/`,
        options: { ...strict, lookup: fakeLookup(() => [address]) },
      })),
      ...[
        ['another loopback', `http://127.0.0.2:${v4b.port}/`],
        ['IPv6 loopback', `http://[::1]:${v6.port}/`],
        // 127.0.0.1 itself plays the public host here, so the loopback forms point at 127.0.0.2.
        ['decimal loopback', `http://2130706434:${v4b.port}/`],
        ['unspecified', `http://0.0.0.0:${v4b.port}/`],
        ['metadata', 'http://169.254.169.254/latest/meta-data/iam/'],
        ['private literal', 'http://10.0.0.1/'],
        ['name resolving to private', 'http://intranet.example.test/'],
        ['file URL', 'file:///etc/passwd'],
        ['gopher', `gopher://127.0.0.2:${v4b.port}/`],
      ].map(([name, target]) => ({
        group: 'redirect to',
        name: name!,
        url: () => {
          location = target!;
          return `${start.origin}/feed`;
        },
        options: {
          ...strict,
          addressPolicy: publicPolicy,
          lookup: fakeLookup((h) => [h === 'intranet.example.test' ? '10.1.2.3' : '127.0.0.1']),
        },
      })),
      ...['127.0.0.2', '10.0.0.7', '169.254.169.254', '::1'].map((rebound) => {
        let calls = 0;
        return {
          group: 'DNS rebinding to',
          name: rebound,
          // First answer: the allowed "public" address (the redirecting server); every later one: blocked.
          url: () => {
            location = `http://rebind.example.test:${rebound === '::1' ? v6.port : v4b.port}/again`;
            return `http://rebind.example.test:${start.port}/feed`;
          },
          options: {
            ...strict,
            addressPolicy: publicPolicy,
            lookup: fakeLookup(() => (calls++ === 0 ? ['127.0.0.1'] : [rebound])),
          },
        };
      }),
      ...[
        ['metadata', 'http://169.254.169.254/latest/meta-data/'],
        ['IPv6 metadata', 'http://[fd00:ec2::254]/'],
        ['link-local', 'http://169.254.1.1/'],
        ['unspecified', `http://0.0.0.0:${p}/`],
      ].map(([name, url]) => ({
        group: 'with PAPERWIRE_ALLOW_PRIVATE_NETWORKS=true',
        name: name!,
        url: () => url!,
        options: { allowPrivateNetworks: true },
      })),
    ];

    const groups = new Map<string, { tried: number; survived: number; failures: string[] }>();
    const before = () => listeners.map((l) => l.connections()).reduce((a, b) => a + b, 0);
    for (const c of cases) {
      const g = groups.get(c.group) ?? { tried: 0, survived: 0, failures: [] };
      groups.set(c.group, g);
      g.tried++;
      const client = createHttpClient({
        userAgent: 'Paperwire-resilience/0.1 (+loopback)',
        connectTimeoutMs: 2_000,
        headersTimeoutMs: 2_000,
        bodyTimeoutMs: 2_000,
        totalTimeoutMs: 5_000,
        allowPrivateNetworks: false,
        ...c.options,
      });
      const accepted = before();
      const attempts = recorder.attempts.length;
      const startRequests = start.requests.length;
      const outcome = await client.get(c.url()).then(
        () => 'fetched',
        (e: unknown) => (e instanceof FeedHttpError ? e.errorClass : `threw ${(e as Error).message}`),
      );
      await client.close();
      const newAttempts = recorder.attempts.slice(attempts);
      // Only the redirecting server (127.0.0.1:start) may have been contacted, and at most once per case.
      const toStart = start.requests.length - startRequests;
      const stray =
        newAttempts.filter((a) => a !== '127.0.0.1').length + Math.max(0, newAttempts.length - toStart);
      const acceptedNow = before() - accepted;
      if (outcome === 'blocked' && acceptedNow === 0 && stray === 0) g.survived++;
      else
        g.failures.push(`${c.name}: ${outcome}, accepted ${acceptedNow}, attempts ${newAttempts.join(' ')}`);
    }
    const rows: Row[] = [...groups].map(([group, g]) => ({
      class: `SSRF: ${group}`,
      tried: g.tried,
      survived: g.survived,
      expected: null,
      stored: null,
      duplicated: 0,
      lost: 0,
      notes:
        `refused as blocked before connect; connections accepted by the 127.0.0.1/127.0.0.2/::1 listeners: ${listeners.map((l) => l.connections()).join('/')}` +
        (g.failures.length ? `; FAILED: ${g.failures.join(' | ')}` : ''),
      seconds: (Date.now() - t0) / 1000,
    }));
    return rows;
  },
};

// The production topology in docker-compose.yml, checked structurally (no Docker engine needed).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = fileURLToPath(new URL('../../', import.meta.url));
const DEFAULT = ['scheduler', 'fetcher', 'resolver', 'scorer', 'relay', 'webhooks', 'api'] as const;
/** Started only with `--profile <profile>`. */
const PROFILED = { digest: 'digests' } as const;
const PIPELINE = [...DEFAULT, ...(Object.keys(PROFILED) as (keyof typeof PROFILED)[])] as const;
const SCALED = ['fetcher', 'resolver'] as const;
/** What the digest sender refuses to start without (services/digest/src/config.ts). */
const DIGEST_SETTINGS = ['SMTP_URL', 'DIGEST_FROM', 'PUBLIC_BASE_URL', 'DIGEST_SECRET'] as const;

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  /** A key without a value (null) is passed through from the shell or .env, or left unset. */
  environment?: Record<string, string | null>;
  profiles?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  deploy?: { replicas?: number };
}

// `merge: true` resolves the `<<: *anchor` keys, as Docker Compose does.
const compose = parse(readFileSync(`${root}docker-compose.yml`, 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
};
const service = (name: string): Service => {
  const s = compose.services[name];
  if (!s) throw new Error(`docker-compose.yml has no service ${name}`);
  return s;
};
const commandLine = (name: string) => (service(name).command ?? []).join(' ');

describe('docker-compose.yml', () => {
  it('has exactly the backing stores, the seven pipeline services and the profiled digest sender', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['mongo', 'redis', ...PIPELINE].sort());
  });

  it('starts the digest sender only with its profile; every other service by default', () => {
    for (const [name, s] of Object.entries(compose.services))
      expect(s.profiles, name).toEqual(
        name in PROFILED ? [PROFILED[name as keyof typeof PROFILED]] : undefined,
      );
  });

  it('passes the digest settings through to the digest sender, and the shared ones to the API', () => {
    const digest = service('digest').environment ?? {};
    for (const key of DIGEST_SETTINGS) {
      expect(Object.hasOwn(digest, key), key).toBe(true);
      // From the host's environment: never a value (a secret, a password) written into this file.
      expect(digest[key], key).toBeNull();
    }
    const api = service('api').environment ?? {};
    for (const key of ['PUBLIC_BASE_URL', 'DIGEST_SECRET']) {
      expect(Object.hasOwn(api, key), key).toBe(true);
      expect(api[key], key).toBeNull();
    }
    expect(api.PORT).toBe('8080');
  });

  it('runs MongoDB 7 as a replica set that initiates itself', () => {
    const mongo = service('mongo');
    expect(mongo.image).toMatch(/^mongo:7(\.|$)/);
    expect(mongo.command).toContain('--replSet');
    expect(mongo.healthcheck?.test.join(' ')).toContain('rs.initiate');
  });

  it('runs Redis 7 append-only and never evicting (BullMQ needs both)', () => {
    const redis = service('redis');
    expect(redis.image).toMatch(/^redis:7(\.|$)/);
    expect(commandLine('redis')).toMatch(/--appendonly yes\b/);
    expect(commandLine('redis')).toMatch(/--maxmemory-policy noeviction\b/);
    expect(redis.healthcheck?.test.join(' ')).toContain('ping');
  });

  it.each(PIPELINE)('%s builds from the one Dockerfile and runs its own main', (name) => {
    const s = service(name);
    expect(s.build).toEqual({ context: '.', dockerfile: 'infra/docker/Dockerfile' });
    // The compiled output (`npm run build`), no TypeScript loader.
    expect(s.command).toEqual(['node', `services/${name}/dist/main.js`]);
    expect(s.environment).toMatchObject({
      MONGODB_URI: expect.stringMatching(/^mongodb:\/\/mongo:27017\/\w+\?replicaSet=rs0$/),
      REDIS_URL: 'redis://redis:6379',
    });
    expect(s.depends_on).toEqual({
      mongo: { condition: 'service_healthy' },
      redis: { condition: 'service_healthy' },
    });
    expect(s.healthcheck?.test.length).toBeGreaterThan(1);
  });

  it('checks the API through GET /health on 8080', () => {
    expect(service('api').healthcheck?.test.join(' ')).toContain('http://127.0.0.1:8080/health');
  });

  it.each(SCALED)('scales %s out', (name) => {
    expect(service(name).deploy?.replicas).toBeGreaterThan(1);
  });

  it('uses an existing Dockerfile and healthcheck script', () => {
    expect(existsSync(`${root}infra/docker/Dockerfile`)).toBe(true);
    expect(existsSync(`${root}infra/docker/healthcheck.mjs`)).toBe(true);
  });

  it.each(PIPELINE)('services/%s/src/main.ts exists (compiled to dist/main.js)', (name) => {
    expect(existsSync(`${root}services/${name}/src/main.ts`)).toBe(true);
  });

  it.each(PIPELINE.filter((n) => n !== 'api'))('checks %s through its heartbeat file', (name) => {
    const s = service(name);
    expect(s.healthcheck?.test).toEqual(['CMD', 'node', 'infra/docker/healthcheck.mjs', 'worker']);
    expect(s.environment?.PAPERWIRE_HEARTBEAT_FILE).toMatch(/^\/tmp\//);
  });
});

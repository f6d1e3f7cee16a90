// The generation and the compilers on a bare Fastify app (no database): named schemas become component
// references, an optional body is not required, a route without a schema stays out, input is validated,
// and with validateResponses an answer that does not match its schema is a 500.
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { component, empty, json } from './schemas.ts';
import { InvalidInput, installOpenApi, openApiRoute } from './swagger.ts';

const thing = component('SwaggerTestThing', z.strictObject({ name: z.string() }));
const body = component('SwaggerTestBody', z.strictObject({ n: z.number().int() }).optional(), 'input');

let app: FastifyInstance;
afterEach(() => app?.close());

function build(validateResponses: boolean, answer: unknown): FastifyInstance {
  app = Fastify();
  installOpenApi(app, { validateResponses });
  app.register(async (api) => {
    openApiRoute(api);
    api.post(
      '/things/:id',
      {
        schema: {
          summary: 'a test route',
          tags: ['operations'],
          params: z.strictObject({ id: z.string().regex(/^t\d+$/) }),
          querystring: z.strictObject({ limit: z.coerce.number().int().max(5).default(2) }),
          body,
          response: { 200: json('the thing', thing), 204: empty('nothing') },
        },
      },
      async () => answer,
    );
    api.get('/undocumented', async () => 'x');
  });
  return app;
}

describe('the generated document', () => {
  it('references named schemas, marks an optional body, and leaves schema-less routes out', async () => {
    const doc = (await build(false, {}).inject({ method: 'GET', url: '/openapi.json' })).json();
    const op = doc.paths['/things/{id}'].post;
    expect(op.requestBody.required).toBe(false);
    expect(op.requestBody.content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/SwaggerTestBody',
    });
    expect(op.responses['200'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/SwaggerTestThing',
    });
    expect(op.responses['204']).toEqual({ description: 'nothing' });
    expect(op.parameters).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ in: 'path', name: 'id', required: true }),
        expect.objectContaining({ in: 'query', name: 'limit', required: false }),
      ]),
    );
    expect(doc.components.schemas.SwaggerTestThing).toMatchObject({
      type: 'object',
      required: ['name'],
      additionalProperties: false,
    });
    expect(doc.paths['/undocumented']).toBeUndefined();
    expect(doc.openapi).toBe('3.1.0');
  });
});

describe('the compilers', () => {
  it('validate input by the route schema (coerced, defaulted, strict)', async () => {
    const app = build(false, { name: 'a' });
    expect((await app.inject({ method: 'POST', url: '/things/t1?limit=3' })).statusCode).toBe(200);
    for (const url of ['/things/x1', '/things/t1?limit=9', '/things/t1?other=1']) {
      const res = await app.inject({ method: 'POST', url });
      expect(res.statusCode, url).toBe(400);
    }
    const bad = await app.inject({ method: 'POST', url: '/things/t1', payload: { n: 1.5 } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/^n: /);
  });

  it('InvalidInput words zod issues as path: problem', () => {
    const parsed = z.strictObject({ a: z.number() }).safeParse({ a: 'x' });
    expect(parsed.success).toBe(false);
    if (!parsed.success) expect(new InvalidInput(parsed.error).message).toMatch(/^a: /);
  });

  it.each([
    [false, 200],
    [true, 500],
  ] as const)('an answer off its schema, with validateResponses=%s: %i', async (validate, status) => {
    const res = await build(validate, { name: 'a', extra: true }).inject({
      method: 'POST',
      url: '/things/t1',
    });
    expect(res.statusCode).toBe(status);
  });

  it('an answer on its schema passes validation unchanged', async () => {
    const res = await build(true, { name: 'a' }).inject({ method: 'POST', url: '/things/t1' });
    expect([res.statusCode, res.json()]).toEqual([200, { name: 'a' }]);
  });
});

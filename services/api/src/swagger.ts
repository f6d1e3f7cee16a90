// GET /openapi.json, generated: @fastify/swagger collects the routes, and the transform below turns each
// route's zod schemas (params, querystring, body, responses: see schemas.ts) into JSON Schema, with the
// schemas named in `apiRegistry` as components/schemas. The routes' schemas are also what validates their
// input (`validatorCompiler`), and, with `validateResponses`, their answers (the OpenAPI test turns it on).
import fastifySwagger from '@fastify/swagger';
import { paperwireEventSchema, WEBHOOK_HEADERS } from '@paperwire/core';
import { PAPERWIRE_VERSION } from '@paperwire/platform';
import type { FastifyInstance, FastifySchemaCompiler, FastifySerializerCompiler } from 'fastify';
import { z } from 'zod';
import { describeIssues } from './http-errors.ts';
import { BULL_BOARD_PATH } from './routes/bull-board.ts';
import { apiRegistry, component, type Io, namedSchemas, type RouteResponse } from './schemas.ts';

type Json = Record<string, unknown>;

/** The events webhook deliveries carry: core's union, named in the document. */
component('PaperwireEvent', paperwireEventSchema);

const DEFS = '#/$defs/';

/** Named schemas nested in another are `$defs` first (then component references); descriptions come along. */
const jsonOptions = (io: Io) =>
  ({ metadata: apiRegistry, io, target: 'draft-2020-12', unrepresentable: 'any', reused: 'inline' }) as const;

/** JSON Schema (2020-12) of a zod schema; schemas named in the registry become component references. */
function toJson(schema: z.ZodType, io: Io): Json {
  const { $schema: _s, $defs: _d, ...rest } = z.toJSONSchema(schema, jsonOptions(io)) as Json;
  return refsToComponents(rest);
}

const refsToComponents = <T>(value: T): T =>
  JSON.parse(JSON.stringify(value), (key, v) =>
    key === '$ref' && typeof v === 'string' && v.startsWith(DEFS)
      ? `#/components/schemas/${v.slice(DEFS.length)}`
      : v,
  );

/** Every named schema, as a request reads it or as an answer has it. */
function components(): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const [id, { schema, io }] of namedSchemas) {
    const converted = z.toJSONSchema(schema, jsonOptions(io)) as { $defs?: Record<string, Json> };
    const body = converted.$defs?.[id];
    if (body) out[id] = refsToComponents(body);
  }
  return out;
}

const OPTIONAL_BODY = 'x-paperwire-optional-body';

function responses(declared: Record<string, RouteResponse>): Json {
  return Object.fromEntries(
    Object.entries(declared).map(([status, r]) => [
      status,
      'content' in r
        ? {
            description: r.description,
            content: Object.fromEntries(
              Object.entries(r.content).map(([type, { schema }]) => [
                type,
                { schema: toJson(schema, 'output') },
              ]),
            ),
          }
        : // `type: null` tells @fastify/swagger there is no body.
          { description: r.description, type: 'null' },
    ]),
  );
}

/** A route's zod schemas as @fastify/swagger reads them; routes without a schema are not documented. */
function transform({ schema, url }: { schema: Json | undefined; url: string }) {
  if (!schema || schema.hide) return { schema: { hide: true }, url };
  const { params, querystring, body, response, ...rest } = schema as Json & {
    params?: z.ZodType;
    querystring?: z.ZodType;
    body?: z.ZodType;
    response?: Record<string, RouteResponse>;
  };
  const out: Json = { ...rest };
  if (params) out.params = toJson(params, 'input');
  if (querystring) out.querystring = toJson(querystring, 'input');
  if (body) {
    out.body = toJson(body, 'input');
    // @fastify/swagger marks every body required; the ones that may be left out say so (transformObject).
    if (body.safeParse(undefined).success) out[OPTIONAL_BODY] = true;
  }
  if (response) out.response = responses(response);
  // Bull Board's page answers at /admin/queues and /admin/queues/; @fastify/swagger sees the second.
  return { schema: out, url: url === `${BULL_BOARD_PATH}/` ? BULL_BOARD_PATH : url };
}

function transformObject({ openapiObject }: { openapiObject: Json }): Json {
  const paths = openapiObject.paths as Record<string, Record<string, Json>>;
  for (const operations of Object.values(paths)) {
    for (const operation of Object.values(operations)) {
      if (!(OPTIONAL_BODY in operation)) continue;
      delete operation[OPTIONAL_BODY];
      (operation.requestBody as Json).required = false;
    }
  }
  const { components: given, ...document } = openapiObject as Json & { components: Json };
  return {
    ...document,
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    components: { ...given, schemas: components() },
    webhooks: {
      event: {
        post: {
          summary:
            'What a webhook subscription receives: one event per POST, signed (Paperwire-Signature: ' +
            't=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" with the subscription secret>)',
          parameters: Object.values(WEBHOOK_HEADERS).map((name) => ({
            name,
            in: 'header',
            required: true,
            schema: { type: 'string' },
          })),
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/PaperwireEvent' } } },
          },
          responses: { '2XX': { description: 'delivered (anything else is retried, then dead-lettered)' } },
        },
      },
    },
  };
}

/** Input that its route's schema refuses: a 400 `invalid-request` with zod's issues as one line. */
export class InvalidInput extends Error {
  readonly statusCode = 400;
  constructor(readonly issues: z.ZodError) {
    super(describeIssues(issues));
  }
}

/** Validates params, querystring and body with the route's zod schemas (a missing body reads as absent). */
const validatorCompiler: FastifySchemaCompiler<z.ZodType> =
  ({ schema, httpPart }) =>
  (data) => {
    const result = schema.safeParse(httpPart === 'body' && data === null ? undefined : data);
    return result.success ? { value: result.data } : { error: new InvalidInput(result.error) };
  };

/** A response that does not match its documented schema (validateResponses only): a 500, logged. */
export class ResponseMismatch extends Error {
  constructor(method: string, url: string, status: string, issues: z.ZodError) {
    super(
      `api: ${method} ${url} → ${status}: the answer does not match its schema: ${describeIssues(issues)}`,
    );
  }
}

/** JSON.stringify; with `validate`, the body is first checked against the route's zod schema. */
function serializerCompiler(validate: boolean): FastifySerializerCompiler<unknown> {
  return ({ schema, method, url, httpStatus }) => {
    if (!validate || !(schema instanceof z.ZodType)) return (data) => JSON.stringify(data);
    return (data) => {
      const result = schema.safeParse(data);
      if (!result.success) throw new ResponseMismatch(method, url, httpStatus ?? '?', result.error);
      return JSON.stringify(data);
    };
  };
}

const registered = new WeakMap<FastifyInstance, { method: string; url: string }[]>();

/** Routes the app registered (HEAD twins and Bull Board's internals left out), for the OpenAPI test. */
export function registeredRoutes(app: FastifyInstance): { method: string; url: string }[] {
  return [...(registered.get(app) ?? [])];
}

/**
 * Before any route: the compilers, the route list, and @fastify/swagger (a plugin: the routes must be added
 * after it has loaded, in a `register` of their own).
 */
export function installOpenApi(app: FastifyInstance, { validateResponses = false } = {}): void {
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler(validateResponses));
  const routes: { method: string; url: string }[] = [];
  registered.set(app, routes);
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith(`${BULL_BOARD_PATH}/`)) return;
    for (const method of [route.method].flat())
      if (method !== 'HEAD') routes.push({ method, url: route.url });
  });
  app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Paperwire API',
        version: PAPERWIRE_VERSION,
        description:
          'Trending research papers and the feed registry. Errors are `{"error": {"code", "message"}}`. ' +
          'Reads are open unless the server sets API_READ_REQUIRES_KEY=true; writes need a key with the ' +
          'admin scope. Every key, and every client IP without one, is rate-limited per minute ' +
          '(X-RateLimit-* headers; 429 with Retry-After). Generated from the routes’ zod schemas.',
      },
      tags: TAGS.map((name) => ({ name, description: TAG_DESCRIPTIONS[name] })),
      components: {
        securitySchemes: {
          apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' },
          bearer: { type: 'http', scheme: 'bearer', description: 'the same key as Authorization: Bearer' },
          basic: {
            type: 'http',
            scheme: 'basic',
            description: `${BULL_BOARD_PATH} only: any user, the key as password`,
          },
        },
      },
    },
    convertConstToEnum: false,
    // @fastify/swagger's types expect its own JSON-Schema route schema; ours holds zod (converted here).
    transform: transform as never,
    transformObject: transformObject as never,
  });
}

export const TAGS = ['trending', 'papers', 'boards', 'feeds', 'webhooks', 'digests', 'operations'] as const;
export type Tag = (typeof TAGS)[number];
const TAG_DESCRIPTIONS: Record<Tag, string> = {
  trending: 'Current rankings, their changes, and their Atom / JSON Feed syndication',
  papers: 'Papers by any id, lists, signal history',
  boards: 'Dated boards (daily, weekly, monthly) and their feeds',
  feeds: 'The feed registry and its health',
  webhooks: 'Webhook subscriptions and their dead letters',
  digests: 'E-mail digest subscriptions and the unsubscribe link',
  operations: 'Probes, metrics, this document, the dashboard and Bull Board',
};

/** GET /openapi.json: the document, generated once on first request. */
export function openApiRoute(app: FastifyInstance): void {
  app.get(
    '/openapi.json',
    {
      schema: {
        summary: 'This document (always open)',
        tags: ['operations'],
        security: [{}],
        response: {
          200: {
            description: 'OpenAPI 3.1',
            content: {
              'application/json': {
                schema: z.looseObject({ openapi: z.string(), paths: z.record(z.string(), z.unknown()) }),
              },
            },
          },
        },
      },
    },
    async () => app.swagger(),
  );
}

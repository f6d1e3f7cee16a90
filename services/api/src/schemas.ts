// The API's contract, as zod: the pieces several routes share (the error body, the answers every read or
// admin route may give, the security requirements) and the registry that names the schemas the OpenAPI
// document lists under components/schemas. Each route declares its own params, querystring, body and
// responses with these; swagger.ts turns them into GET /openapi.json. Contracts a shared package owns
// (ranked rows, paper ids, reader filters, events, the job catalogue) are imported, never rewritten here.
import { z } from 'zod';

/** What the document knows of a schema: its component name, a description, other JSON Schema keywords. */
export interface ApiMeta {
  id?: string;
  description?: string;
  [keyword: string]: unknown;
}

/**
 * The schemas named in the document (`#/components/schemas/<id>`), and descriptions of fields. Not zod's
 * global registry: the events' JSON Schema (core) must not pick up the API's names.
 */
export const apiRegistry = z.registry<ApiMeta>();

/** Whether a component is generated as a request body reads it (defaults optional) or as answered. */
export type Io = 'input' | 'output';
/** The named schemas by component name, each with how it is generated. */
export const namedSchemas = new Map<string, { schema: z.ZodType; io: Io }>();

/** Names `schema` as the component `id`; request bodies are `input`, answers `output`. */
export function component<S extends z.ZodType>(
  id: string,
  schema: S,
  io: Io = 'output',
  meta: Omit<ApiMeta, 'id'> = {},
): S {
  apiRegistry.add(schema, { ...meta, id });
  namedSchemas.set(id, { schema, io });
  return schema;
}

/** A field's description in the document (`schema` must be an instance of its own, not a shared one). */
export function described<S extends z.ZodType>(schema: S, description: string): S {
  apiRegistry.add(schema, { description });
  return schema;
}

/**
 * An instant as ISO-8601 text (`format: date-time` in the document). Repositories store and return strings;
 * a view given a Date turns it into one with toISOString() first.
 */
export const isoInstant = () => z.iso.datetime({ offset: true });

export const errorSchema = component(
  'Error',
  z.strictObject({ error: z.strictObject({ code: z.string(), message: z.string() }) }),
);

// --- Responses: `{ description, content }` as OpenAPI writes them, with zod schemas inside -------------

export interface ContentResponse {
  description: string;
  content: Record<string, { schema: z.ZodType }>;
}
/** A response without a body (204, 301, 304). */
export interface EmptyResponse {
  description: string;
}
export type RouteResponse = ContentResponse | EmptyResponse;

export const json = (description: string, schema: z.ZodType): ContentResponse => ({
  description,
  content: { 'application/json': { schema } },
});
export const error = (description: string) => json(description, errorSchema);
export const empty = (description: string): EmptyResponse => ({ description });
/** A body of another media type than JSON (feeds, pages, metrics): text, described by its media type. */
export const text = (description: string, contentType: string): ContentResponse => ({
  description,
  // The media type alone: `application/atom+xml`, not its `; charset=utf-8`.
  content: { [contentType.split(';')[0]?.trim() ?? contentType]: { schema: z.string() } },
});

export const notModified = { 304: empty('If-None-Match matched') } as const;

/** Alternatives, any one of which lets a request through (`{}`: none needed). */
type Security = { [scheme: string]: string[] }[];

/** Read routes: open unless API_READ_REQUIRES_KEY=true (then any valid key). */
export const readSecurity: Security = [{}, { apiKey: [] }, { bearer: [] }];
export const readErrors = {
  401: error('API_READ_REQUIRES_KEY is on and no valid key was sent, or the key sent is not valid'),
  429: error('rate limit reached; see Retry-After'),
} as const;
/** Write routes (and the admin reads): a key with the `admin` scope. */
export const adminSecurity: Security = [{ apiKey: [] }, { bearer: [] }];
export const adminErrors = {
  400: error('invalid body or parameters (unknown or operator-shaped keys included)'),
  401: error('no API key, or a key that is not valid or was revoked'),
  403: error('the key lacks the admin scope'),
  429: error('rate limit reached; see Retry-After'),
} as const;
/** Always open (probes, this document, the dashboard's shell, the unsubscribe link). */
export const openSecurity: Security = [{}];

/** A primary category, or `all` (the overall board). */
export const categoryParam = () => z.string().regex(/^[A-Za-z0-9.-]{1,40}$/);
/** A page size from the query string. */
export const limitParam = (max: number, fallback: number) =>
  z.coerce.number().int().min(1).max(max).default(fallback);

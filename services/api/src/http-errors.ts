// One error body everywhere: `{ "error": { "code": "…", "message": "…" } }`.
import type { FastifyReply } from 'fastify';
import type { z } from 'zod';

export interface ErrorBody {
  error: { code: string; message: string };
}

export function sendError(reply: FastifyReply, status: number, code: string, message: string) {
  return reply.code(status).send({ error: { code, message } } satisfies ErrorBody);
}

/** A zod error as one line: `path: problem; …`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((i) => (i.path.length > 0 ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
}

/** Parses request input with a strict schema; unknown or operator-shaped keys are a 400, never a query. */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  reply: FastifyReply,
): { ok: true; value: z.infer<S> } | { ok: false } {
  const result = schema.safeParse(input ?? {});
  if (result.success) return { ok: true, value: result.data };
  void sendError(reply, 400, 'invalid-request', describeIssues(result.error));
  return { ok: false };
}

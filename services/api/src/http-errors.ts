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

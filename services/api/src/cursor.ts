// Opaque cursors: base64url JSON, validated on the way back in.
import { z } from 'zod';

export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodeCursor<S extends z.ZodType>(schema: S, cursor: string): z.infer<S> | undefined {
  try {
    const parsed = schema.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export const trendingCursor = z.object({ s: z.string().max(200), o: z.number().int().min(0) }).strict();
export const papersCursor = z.object({ f: z.string().max(40), i: z.string().max(600) }).strict();

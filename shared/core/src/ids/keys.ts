// Identity keys: `<kind>:<canonical id>`, strongest kind first (arxiv, doi, openreview, hf, s2, openalex).
// They are used as MongoDB `_id` strings of alias documents, so they are plain, deterministic strings;
// ids are expected to be canonical already (canonicalArxivId, canonicalDoi, …).

import type { PaperIds } from '../types.ts';

/** Identity kinds, strongest first. */
export const ID_KINDS = [
  'arxiv',
  'doi',
  'openreview',
  'hf',
  's2',
  'openalex',
] as const satisfies readonly (keyof PaperIds)[];
export type IdKind = (typeof ID_KINDS)[number];

/** `arxiv:2401.01234`, `doi:10.1000/xyz`, … for each present id, strongest first, no duplicates. */
export function identityKeys(ids: PaperIds): string[] {
  const keys: string[] = [];
  for (const kind of ID_KINDS) {
    const value = Object.hasOwn(ids, kind) ? ids[kind] : undefined;
    if (typeof value !== 'string') continue;
    const trimmed = value.trim();
    if (trimmed.length > 0) keys.push(`${kind}:${trimmed}`);
  }
  return [...new Set(keys)];
}

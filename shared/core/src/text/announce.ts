// The rss.arxiv.org description prefix: `arXiv:2609.26811v1 Announce Type: new \nAbstract: …` (note the
// space before the newline). Types seen: new, cross, replace, replace-cross. stripArxivPrefix removes it;
// parseArxivAnnounce reads it.

import { canonicalArxivId } from '../ids/arxiv.ts';
import { ANNOUNCE_TYPES, type AnnounceType } from '../types.ts';

const PREFIX_RE = /^\s*arXiv:\s*(\S+)\s+Announce\s+Type:\s*([A-Za-z-]+)[ \t]*(?:\r?\n)?\s*(?:Abstract:\s*)?/i;

export interface ArxivAnnounce {
  /** Canonical, versionless arXiv id. */
  id: string;
  version?: number;
  /** Undefined when the feed used a type this code does not know. */
  announceType?: AnnounceType;
}

/** Removes the rss.arxiv.org `arXiv:<id>vN Announce Type: <type> \nAbstract: ` prefix, if present. */
export function stripArxivPrefix(s: string): string {
  return s.replace(PREFIX_RE, '');
}

/** Reads id, version and announce type from the rss.arxiv.org description prefix. */
export function parseArxivAnnounce(s: string): ArxivAnnounce | undefined {
  const m = PREFIX_RE.exec(s);
  if (!m) return undefined;
  const parsed = canonicalArxivId(m[1]!);
  if (!parsed) return undefined;
  const type = m[2]!.toLowerCase();
  const announceType = (ANNOUNCE_TYPES as readonly string[]).includes(type)
    ? (type as AnnounceType)
    : undefined;
  return {
    id: parsed.id,
    ...(parsed.version === undefined ? {} : { version: parsed.version }),
    ...(announceType === undefined ? {} : { announceType }),
  };
}

// Entries that carry no identifier at all (a lab blog post, a conference page) still need one identity.
// Until near-duplicate matching claims them, they are keyed by title and first author (or by link when
// there are no authors), which keeps re-ingests idempotent without gluing same-titled papers by others.
import { createHash } from 'node:crypto';
import { titleForMatch } from '../text/index.ts';
import type { Observation } from '../types.ts';

/** Titles shorter than this (after normalisation) are too generic to key a paper on. */
export const SHORT_TITLE_CHARS = 13;

export function fallbackIdentityKey(
  obs: Pick<Observation, 'title' | 'authors' | 'links' | 'provenance'>,
): string {
  const title = titleForMatch(obs.title);
  const where = obs.links.abs ?? obs.provenance.feedId + obs.provenance.entryKey;
  // A short generic title ("Introduction") by one author is not an identity: add where it was found.
  const basis =
    obs.authors.length > 0 && title.length >= SHORT_TITLE_CHARS
      ? `${title}|${obs.authors[0]!.key}`
      : `${title}|${obs.authors[0]?.key ?? ''}|${where}`;
  return `fp:${createHash('sha256').update(basis).digest('hex').slice(0, 24)}`;
}

/** The keys a resolver looks up: the observation's identity keys, or its fallback key. */
export function resolutionKeys(obs: Observation): string[] {
  return obs.identityKeys.length > 0 ? obs.identityKeys : [fallbackIdentityKey(obs)];
}

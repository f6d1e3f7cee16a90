// extractIds: every paper identifier in a piece of text or a URL (HTML-escaped input is fine: character
// references are decoded first, so `https:&#x2F;&#x2F;arxiv.org&#x2F;abs&#x2F;…` works). For each kind the
// first occurrence in the text wins; arxivVersion is the highest version seen for that winning arXiv id.
// arXiv's DOI `10.48550/arXiv.<id>` yields the arXiv id and is not kept as `doi`. Query strings and
// fragments (`?rss=1`, `utm_*`, `ref=`) never become part of an id. Only the first MAX_EXTRACT_CHARS
// characters are searched.

import { decodeHtmlEntities } from '../text/entities.ts';
import type { PaperIds } from '../types.ts';
import { findArxivIds } from './arxiv.ts';
import { arxivIdFromDoi, findDois } from './doi.ts';
import { findOpenAlexIds, findOpenReviewIds, findS2Ids } from './other.ts';

/** Longest prefix of an input that extractIds searches. */
export const MAX_EXTRACT_CHARS = 100_000;

export type ExtractedIds = PaperIds & { arxivVersion?: number };

/** Finds arXiv, DOI, Hugging Face, OpenReview, Semantic Scholar and OpenAlex ids in text or a URL. */
export function extractIds(input: string): ExtractedIds {
  if (typeof input !== 'string' || input.length === 0) return {};
  const text = decodeHtmlEntities(input.slice(0, MAX_EXTRACT_CHARS));
  const out: ExtractedIds = {};

  const arxiv = findArxivIds(text);
  const dois = findDois(text);
  const arxivCandidates = [
    ...arxiv.map((m) => ({ id: m.id, version: m.version, index: m.index })),
    ...dois.flatMap((d) => {
      const id = arxivIdFromDoi(d.doi);
      return id ? [{ id, version: undefined, index: d.index }] : [];
    }),
  ].sort((a, b) => a.index - b.index);

  const first = arxivCandidates[0];
  if (first) {
    out.arxiv = first.id;
    let version: number | undefined;
    for (const c of arxivCandidates) {
      if (c.id === first.id && c.version !== undefined && (version === undefined || c.version > version)) {
        version = c.version;
      }
    }
    if (version !== undefined) out.arxivVersion = version;
  }
  const doi = dois.find((d) => arxivIdFromDoi(d.doi) === undefined);
  if (doi) out.doi = doi.doi;
  const hf = arxiv.find((m) => m.hf);
  if (hf) out.hf = hf.id;
  const openreview = findOpenReviewIds(text)[0];
  if (openreview) out.openreview = openreview.id;
  const s2 = findS2Ids(text)[0];
  if (s2) out.s2 = s2.id;
  const openalex = findOpenAlexIds(text)[0];
  if (openalex) out.openalex = openalex.id;
  return out;
}

// The URL of one backfill page, from what the backfill pages through and where it stands. Pure.
import type { BackfillSource } from '@paperwire/core';
import { arxivApiUrl } from './arxiv-api.ts';
import { oaiListRecordsUrl } from './arxiv-oai.ts';
import { ARXIV_API_ENDPOINT } from './endpoints.ts';

export interface BackfillCursor {
  /** arXiv API: the `start` offset of the page. */
  next: number;
  /** OAI-PMH: the resumptionToken of the page (none for the first request). */
  token?: string;
}

export function backfillPageUrl(source: BackfillSource, cursor: BackfillCursor): string {
  if (source.kind === 'arxiv-oai') {
    return oaiListRecordsUrl(
      source.base,
      cursor.token !== undefined
        ? { resumptionToken: cursor.token }
        : {
            metadataPrefix: source.metadataPrefix,
            ...(source.set ? { set: source.set } : {}),
            ...(source.from ? { from: source.from } : {}),
            ...(source.until ? { until: source.until } : {}),
          },
    );
  }
  const query = arxivApiUrl({
    searchQuery: source.searchQuery,
    start: cursor.next,
    maxResults: source.pageSize,
    sortBy: 'submittedDate',
    sortOrder: 'ascending',
  });
  return source.base + query.slice(ARXIV_API_ENDPOINT.length);
}

// huggingface.co/api/daily_papers: a JSON array of { paper: {...}, ...outer }. Both the 2024 schema
// (no submittedOnDailyAt/organization/githubRepo) and the current one. Fields are read one by one from
// the parsed JSON; nothing from the payload is merged into our objects.
import type { ParseResult, SkippedEntry, SourceEntry } from '@paperwire/core';
import { type AdapterContext, buildEntry } from './adapter.ts';
import { isoDate, isRecord, num, own, parseError, parseJson, type Rec, str, uniq } from './util.ts';

const KIND = 'hf-daily';

export async function parseHfDaily(body: string, ctx: AdapterContext): Promise<ParseResult> {
  const data = parseJson(KIND, body);
  if (!Array.isArray(data)) {
    // The service's `{"error": "…"}` answer is named as such; its text is not repeated.
    if (isRecord(data) && typeof own(data, 'error') === 'string')
      throw parseError(KIND, 'api-error', 'the response is an {"error": …} object, not a list of papers');
    throw parseError(KIND, 'not-a-feed', 'expected a JSON array of daily papers');
  }
  const entries: SourceEntry[] = [];
  const skipped: SkippedEntry[] = [];
  data.forEach((item: unknown, index) => {
    const outer: Rec = isRecord(item) ? item : {};
    const paperValue = own(outer, 'paper');
    const paper: Rec = isRecord(paperValue) ? paperValue : {};
    const id = str(paper, 'id');
    if (id === undefined) {
      skipped.push({ reason: `item ${index}: no paper.id` });
      return;
    }
    const title = str(paper, 'title') ?? str(outer, 'title');
    if (title === undefined) {
      skipped.push({ entryKey: id, reason: 'no title' });
      return;
    }
    const codeUrl = str(paper, 'githubRepo');
    const projectUrl = str(paper, 'projectPage');
    entries.push(
      buildEntry(ctx, 'huggingface', id, {
        title,
        summary: str(paper, 'summary') ?? str(outer, 'summary'),
        authors: authorsOf(own(paper, 'authors')),
        url: `https://huggingface.co/papers/${encodeURIComponent(id)}`,
        links: uniq([codeUrl, projectUrl]),
        // paper.id is a bare arXiv id (no version) on the HF side.
        ids: { hf: id, arxiv: id },
        organization:
          organizationOf(own(paper, 'organization')) ?? organizationOf(own(outer, 'organization')),
        codeUrl,
        projectUrl,
        publishedAt: isoDate(str(paper, 'publishedAt')) ?? isoDate(str(outer, 'publishedAt')),
        signals: {
          // Upvotes live on `paper`, comments on the outer object.
          upvotes: num(paper, 'upvotes'),
          comments: num(outer, 'numComments'),
          stars: num(paper, 'githubStars'),
        },
      }),
    );
  });
  return { entries, skipped };
}

function authorsOf(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  const names: string[] = [];
  for (const author of value) {
    if (!isRecord(author) || own(author, 'hidden') === true) continue;
    const name = str(author, 'name');
    if (name !== undefined) names.push(name);
  }
  return names;
}

function organizationOf(value: unknown): string | undefined {
  return isRecord(value) ? (str(value, 'fullname') ?? str(value, 'name')) : undefined;
}

/** `date` is `YYYY-MM-DD` (the HF daily page date). */
export function hfDailyUrl(date: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(date))) {
    throw new RangeError(`hfDailyUrl: expected a YYYY-MM-DD date, got ${JSON.stringify(date)}`);
  }
  return `https://huggingface.co/api/daily_papers?date=${date}`;
}

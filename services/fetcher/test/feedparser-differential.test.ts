// Differential test: every generic-feed fixture in the repo (RSS, RDF, Atom; not the arXiv/HF/HN/Reddit
// kinds) read through our fetch path (decodeBody → parsePayload → normaliseEntry) and through Debian's
// python3-feedparser, a reader no one here wrote. Per file: whether the feed is read at all and the entry
// count; per entry (in document order): title text, link, date instant, author names. Any disagreement
// must be listed, with a reason, in test/fixtures/feeds/generic/feedparser-allowlist.json; a listed
// disagreement that no longer occurs fails too, so the list stays true.
// Compared in our normaliser's canonical form, applied to feedparser's values too: titles through cleanText
// (feedparser's HTML/XHTML titles first have their tags stripped and entities decoded), author names through
// splitAuthors (a comma-joined `dc:creator` is one name to feedparser and a list to us, by design); links as
// absolute URLs; dates to the second. The document URL is http://127.0.0.1/feeds/<path> on both sides.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanText, normaliseEntry, splitAuthors } from '@paperwire/core';
import { parsePayload } from '@paperwire/sources';
import { describe, expect, it } from 'vitest';
import {
  type FeedparserReading,
  feedparser,
  readFilesWithFeedparser,
  skipWithout,
} from '../../../test/support/system-tools.ts';
import { decodeBody } from '../src/http/decode-body.ts';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const ALLOWLIST = path.join(repo, 'test/fixtures/feeds/generic/feedparser-allowlist.json');

/** Where generic-feed fixtures live, and which files there are generic feeds. */
const FIXTURE_DIRS: ReadonlyArray<{ dir: string; match: RegExp; optional?: boolean }> = [
  // Not oai/: OAI-PMH responses, and templates whose ids the tests fill in from their clock.
  { dir: 'test/fixtures/feeds', match: /^(?!oai\/).*\.xml$/ },
  { dir: 'test/fixtures/dedup', match: /\.(?:rss|atom|rdf)\.xml$/ },
  { dir: 'services/fetcher/test/fixtures/feed-folder', match: /\.(?:rss|atom|rdf)\.xml$/ },
  // Third-party captures (never copied into the repo): every one of them is RSS, RDF or Atom, read here as a
  // generic feed. Present beside the repo on developer machines and in CI.
  { dir: '../shared/fixtures/real', match: /\.xml$/, optional: true },
];

function fixtures(): string[] {
  const out: string[] = [];
  for (const { dir, match, optional } of FIXTURE_DIRS) {
    if (optional && !existsSync(path.join(repo, dir))) {
      if (process.env.CI === 'true') throw new Error(`${dir} is missing under CI`);
      console.warn(`[skip] ${dir} is absent: the third-party captures are not compared`);
      continue;
    }
    const entries = readdirSync(path.join(repo, dir), { recursive: true, encoding: 'utf8' });
    for (const rel of entries) {
      // Dot-files are drafts the feed-folder source ignores (one is not XML on purpose).
      if (match.test(rel) && !rel.split(path.sep).some((part) => part.startsWith('.')))
        out.push(path.posix.join(dir, rel.split(path.sep).join('/')));
    }
  }
  return out.sort();
}

type Field = 'feed' | 'count' | 'title' | 'link' | 'date' | 'authors';

interface Disagreement {
  file: string;
  field: Field;
  entry?: number;
  ours: unknown;
  feedparser: unknown;
}

interface Allowed {
  file: string;
  field: Field;
  entry?: number;
  reason: string;
}

interface OurEntry {
  title: string | null;
  link: string | null;
  date: number | null;
  authors: string[];
}

const urlOf = (file: string) => `http://127.0.0.1/feeds/${file}`;
const canonicalText = (s: string | null) => (s === null ? null : cleanText(s) || null);
const seconds = (iso: string | undefined) =>
  iso === undefined ? null : Math.floor(new Date(iso).getTime() / 1000);

/** Our reading of one file, through the same calls as the fetch job. */
async function ours(file: string): Promise<OurEntry[] | { error: string }> {
  const bytes = readFileSync(path.join(repo, file));
  const { text } = decodeBody(bytes, 'application/xml');
  try {
    const parsed = await parsePayload('rss', text, {
      feedId: 'differential',
      fetchedAt: '2026-12-04T00:00:00.000Z',
      url: urlOf(file),
    });
    const out: OurEntry[] = [];
    for (const entry of parsed.entries) {
      const n = normaliseEntry(entry);
      if (!n.ok) continue;
      const o = n.observation;
      out.push({
        title: o.title,
        link: entry.url ?? null,
        date: seconds(o.publishedAt ?? o.updatedAt),
        authors: o.authors.map((a) => a.name),
      });
    }
    return out;
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}

function compare(
  file: string,
  mine: OurEntry[] | { error: string },
  theirs: FeedparserReading,
): Disagreement[] {
  const theyRead = theirs.version !== '' || theirs.entries.length > 0;
  if (!Array.isArray(mine)) {
    return theyRead ? [{ file, field: 'feed', ours: mine.error, feedparser: theirs.version }] : [];
  }
  if (mine.length !== theirs.entries.length) {
    return [{ file, field: 'count', ours: mine.length, feedparser: theirs.entries.length }];
  }
  const out: Disagreement[] = [];
  mine.forEach((m, entry) => {
    const t = theirs.entries[entry]!;
    const pairs: Array<[Field, unknown, unknown]> = [
      ['title', canonicalText(m.title), canonicalText(t.title)],
      ['link', m.link, t.link],
      ['date', m.date, t.date],
      ['authors', m.authors, splitAuthors(t.authors)],
    ];
    for (const [field, a, b] of pairs) {
      if (JSON.stringify(a) !== JSON.stringify(b)) out.push({ file, field, entry, ours: a, feedparser: b });
    }
  });
  return out;
}

const allowed = (list: Allowed[], d: Pick<Disagreement, 'file' | 'field' | 'entry'>) =>
  list.some(
    (a) => a.file === d.file && a.field === d.field && (a.entry === undefined || a.entry === d.entry),
  );

const tool = feedparser();
const skip = skipWithout(tool);

describe.skipIf(skip)('generic feeds: our reading agrees with python3-feedparser', () => {
  const files = fixtures();
  const readings = skip
    ? []
    : readFilesWithFeedparser(
        tool,
        files.map((f) => ({ path: path.join(repo, f), url: urlOf(f) })),
      );
  const allowlist = JSON.parse(readFileSync(ALLOWLIST, 'utf8')) as Allowed[];
  const found: Disagreement[] = [];

  it('finds the generic-feed fixtures', () => {
    expect(files.length).toBeGreaterThanOrEqual(20);
    expect(files).toContain('test/fixtures/feeds/generic/title-markup.atom.xml');
    for (const a of allowlist) expect(a.reason.trim().length, `reason for ${a.file}`).toBeGreaterThan(10);
  });

  it.each(files.map((f, i) => [f, i] as const))('%s', async (file, i) => {
    const disagreements = compare(file, await ours(file), readings[i]!);
    found.push(...disagreements);
    expect(disagreements.filter((d) => !allowed(allowlist, d))).toEqual([]);
  });

  it('every allow-list entry still names a real disagreement', () => {
    const stale = allowlist.filter((a) => files.includes(a.file) && !found.some((d) => allowed([a], d)));
    expect(stale).toEqual([]);
  });
});

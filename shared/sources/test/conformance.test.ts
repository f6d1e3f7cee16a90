// Conformance against real captured payloads (../shared/fixtures/real, described in its SOURCES.md).
// The captures are read in place, never copied into the repo.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type FeedKind, FeedParseError, type ParseResult, type SourceEntry } from '@paperwire/core';
import { describe, expect, it } from 'vitest';
import { type AdapterContext, parseArxivApiPage, parsePayload } from '../src/index.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const realDir = path.resolve(repoRoot, '../shared/fixtures/real');
const haveReal = existsSync(realDir);
const ctx: AdapterContext = { feedId: 'feed-1', fetchedAt: '2026-10-01T00:00:00.000Z' };

function read(rel: string): string {
  return readFileSync(path.join(realDir, rel), 'utf8');
}

/** arxiv.py's recordings wrap the Atom response: `{ url, status_code, body }`. */
function recordedBody(rel: string): string {
  const recording: unknown = JSON.parse(read(rel));
  if (typeof recording !== 'object' || recording === null || !('body' in recording)) throw new Error(rel);
  const body = (recording as { body: unknown }).body;
  if (typeof body !== 'string') throw new Error(`${rel}: body is not a string`);
  return body;
}

function parse(kind: FeedKind, body: string): Promise<ParseResult> {
  return parsePayload(kind, body, ctx);
}

function byKey(result: ParseResult, key: string): SourceEntry {
  const entry = result.entries.find((e) => e.provenance.entryKey === key);
  if (entry === undefined) throw new Error(`no entry ${key}`);
  return entry;
}

function count<T>(items: readonly T[], pred: (item: T) => boolean): number {
  return items.filter(pred).length;
}

/** Every file the conformance tests cover, relative to the real-fixtures folder. */
const COVERED = new Set<string>();
function covers(rel: string): string {
  COVERED.add(rel);
  return rel;
}

const describeReal = haveReal ? describe : describe.skip;
if (!haveReal) {
  describe.skip('../shared/fixtures/real not found: conformance tests skipped', () => {
    it('needs the real captures next to the repo', () => undefined);
  });
}

describeReal('arxiv-rss: current rss.arxiv.org RSS 2.0', () => {
  const multi = covers('arxiv-rss/arxiv-rss-cs.LG+cs.AI+cs.CL+stat.ML-2026-09-24.xml');
  const ai = covers('arxiv-rss/arxiv-rss-cs.AI-2026-04-27-3items.xml');

  it('multi-category feed: 4 items, announce types, ids from guid, one comma-joined creator', async () => {
    const r = await parse('arxiv-rss', read(multi));
    expect(r.entries).toHaveLength(4);
    expect(r.skipped).toEqual([]);
    expect(r.feedTitle).toBe('cs.LG, cs.AI, cs.CL, stat.ML updates on arXiv.org');
    expect(r.entries.map((e) => e.announceType)).toEqual(['new', 'new', 'cross', 'replace']);
    const first = byKey(r, 'oai:arXiv.org:2609.26811v1');
    expect(first.provenance).toEqual({
      feedId: 'feed-1',
      source: 'arxiv',
      entryKey: 'oai:arXiv.org:2609.26811v1',
      fetchedAt: ctx.fetchedAt,
    });
    expect(first.ids.arxiv).toBe('oai:arXiv.org:2609.26811v1');
    // <link> has no version; the guid and the description prefix do.
    expect(first.url).toBe('https://arxiv.org/abs/2609.26811');
    expect(first.title).toBe('The Drift Contract: Spectral Updates for Depth-Robust Local Learning');
    expect(
      first.summary?.startsWith('arXiv:2609.26811v1 Announce Type: new \nAbstract: Local learning'),
    ).toBe(true);
    expect(first.publishedAt).toBe('2026-09-24T04:00:00.000Z');
    expect(first.authors).toEqual(['Fabien Polly']);
    for (const e of r.entries) expect(e.authors).toHaveLength(1);
  });

  it('cross-list carries arxiv:DOI and its own (non-feed) primary category first', async () => {
    const r = await parse('arxiv-rss', read(multi));
    const cross = byKey(r, 'oai:arXiv.org:2205.06398v2');
    expect(cross.announceType).toBe('cross');
    expect(cross.ids.doi).toBe('10.1093/bioinformatics/btac431');
    expect(cross.primaryCategory).toBe('stat.ME');
    expect(cross.categories).toEqual(['stat.ME', 'stat.AP', 'stat.ML']);
    expect(cross.authors).toEqual(['Pritam Dey, Zhengwu Zhang, David B. Dunson']);
    const replaced = byKey(r, 'oai:arXiv.org:2009.13987v3');
    expect(replaced.announceType).toBe('replace');
    expect(replaced.ids.doi).toBeUndefined();
    expect(count(r.entries, (e) => e.ids.doi !== undefined)).toBe(1);
  });

  it('announce type also comes from the description prefix when the element is absent', async () => {
    const withoutElement = read(multi).replace(/<arxiv:announce_type>[^<]*<\/arxiv:announce_type>/g, '');
    const r = await parse('arxiv-rss', withoutElement);
    expect(r.entries.map((e) => e.announceType)).toEqual(['new', 'new', 'cross', 'replace']);
  });

  it('cs.AI file without an XML declaration: 3 new items, an 18-name creator, LaTeX kept raw', async () => {
    const body = read(ai);
    expect(body.startsWith('<?xml')).toBe(false);
    const r = await parse('arxiv-rss', body);
    expect(r.entries).toHaveLength(3);
    expect(r.skipped).toEqual([]);
    expect(r.entries.every((e) => e.announceType === 'new')).toBe(true);
    expect(
      r.entries.every((e) => e.ids.arxiv?.startsWith('oai:arXiv.org:') && e.ids.arxiv.endsWith('v1')),
    ).toBe(true);
    expect(r.entries.map((e) => (e.authors[0] ?? '').split(', ').length)).toContain(18);
    expect(r.entries.some((e) => e.summary?.includes('\\textbf{adaptability}'))).toBe(true);
    expect(r.entries.every((e) => e.publishedAt === '2026-04-27T04:00:00.000Z')).toBe(true);
  });
});

describeReal('arxiv-rss: retired RSS 1.0/RDF feed', () => {
  const rdf = covers('arxiv-rss-rdf/arxiv-rdf-cs-2018-08-30.xml');

  it('185 items, 74 replacements, id/version/category only from the title suffix', async () => {
    const r = await parse('arxiv-rss', read(rdf));
    expect(r.entries).toHaveLength(185);
    expect(r.skipped).toEqual([]);
    const replacements = count(
      r.entries,
      (e) => e.announceType === 'replace' || e.announceType === 'replace-cross',
    );
    expect(replacements).toBe(74);
    // 19 have a non-cs primary category: cross-lists into the cs feed (8 new, 11 replaced).
    expect(count(r.entries, (e) => !(e.primaryCategory ?? '').startsWith('cs.'))).toBe(19);
    expect(count(r.entries, (e) => e.announceType === 'cross')).toBe(8);
    expect(count(r.entries, (e) => e.announceType === 'replace-cross')).toBe(11);
    expect(count(r.entries, (e) => e.announceType === 'new')).toBe(103);
    for (const e of r.entries) {
      expect(e.title).not.toMatch(/\(arXiv:|UPDATED\)$/);
      expect(e.ids.arxiv).toMatch(/^arXiv:\d{4}\.\d{4,5}v\d+$/);
      expect(e.publishedAt).toBe('2018-08-31T01:30:00.000Z'); // channel dc:date 2018-08-30T20:30:00-05:00
      expect(e.url).not.toMatch(/v\d+$/);
    }
  });

  it('first item: suffix stripped, escaped-HTML creator list kept raw (trimmed), HTML description', async () => {
    const r = await parse('arxiv-rss', read(rdf));
    const q = byKey(r, 'http://arxiv.org/abs/1808.09955');
    expect(q.title).toBe(
      'QuasarNET: Human-level spectral classification and redshifting with Deep Neural Networks.',
    );
    expect(q.ids.arxiv).toBe('arXiv:1808.09955v1');
    expect(q.primaryCategory).toBe('astro-ph.IM');
    expect(q.announceType).toBe('cross');
    expect(q.authors).toHaveLength(1);
    expect(q.authors[0]).toMatch(
      /^<a href="http:\/\/arxiv\.org\/find\/astro-ph\/1\/au:\+Busca_N\/0\/1\/0\/all\/0\/1">/,
    );
    expect(q.summary?.startsWith('<p>We introduce QuasarNET')).toBe(true);
    expect(q.summary).toContain('$99.51\\pm0.03$\\%');
    const updated = byKey(r, 'http://arxiv.org/abs/1301.1107');
    expect(updated.announceType).toBe('replace');
    expect(updated.ids.arxiv).toBe('arXiv:1301.1107v6');
    expect(updated.primaryCategory).toBe('cs.NA');
    const last = byKey(r, 'http://arxiv.org/abs/1808.09902');
    expect(last.announceType).toBe('replace-cross');
    expect(last.primaryCategory).toBe('stat.ML');
  });
});

describeReal('arxiv-api: export.arxiv.org Atom', () => {
  const current = covers('arxiv-api/arxiv-api-cat-cs.LG-OR-cs.AI-2026-04-30.xml');
  const transformer = covers('arxiv-api/arxiv-api-transformer-cs.LG-2026-06-14.xml');
  const legacy = covers('arxiv-api/arxiv-api-legacy-au-del_maestro-2016.xml');
  const recorded = covers('arxiv-api/arxiv-api-recorded-search-testing-100-entries-2026-04-12.json');
  const error400 = covers('arxiv-api/arxiv-api-recorded-error-400-bad-id-2026-04-12.json');

  it('current format: 20 entries, comments/dois/journal refs, pdf links matched by type not order', async () => {
    const body = read(current);
    const r = await parse('arxiv-api', body);
    expect(r.entries).toHaveLength(20);
    expect(r.skipped).toEqual([]);
    expect(r.feedTitle?.startsWith('arXiv Query: ')).toBe(true);
    expect(count(r.entries, (e) => e.comment !== undefined)).toBe(12);
    expect(count(r.entries, (e) => e.ids.doi !== undefined)).toBe(2);
    expect(count(r.entries, (e) => e.journalRef !== undefined)).toBe(1);
    expect(Math.max(...r.entries.map((e) => e.authors.length))).toBe(13);
    expect(
      count(
        r.entries.flatMap((e) => e.authors),
        (a) => /[^\x20-\x7e]/.test(a),
      ),
    ).toBe(7);
    expect(count(r.entries, (e) => e.summary?.includes('\n  ') === true)).toBe(2);
    for (const e of r.entries) {
      expect(e.ids.arxiv).toMatch(/^http:\/\/arxiv\.org\/abs\/\d{4}\.\d{5}v1$/);
      expect(e.url).toMatch(/^https:\/\/arxiv\.org\/abs\/\d{4}\.\d{5}v1$/);
      expect(e.links.some((l) => /^https:\/\/arxiv\.org\/pdf\/\d{4}\.\d{5}v1$/.test(l))).toBe(true);
      expect(e.primaryCategory).toBeDefined();
      expect(e.summary?.startsWith(' ')).toBe(false);
    }
    const tide = byKey(r, 'http://arxiv.org/abs/2604.26951v1');
    expect(tide.primaryCategory).toBe('cs.CL');
    expect(tide.categories).toEqual(['cs.CL', 'cs.AI', 'cs.LG']);
    expect(tide.authors).toEqual(['Gongbo Zhang', 'Wen Wang', 'Ye Tian', 'Li Yuan']);
    expect(tide.publishedAt).toBe('2026-04-29T17:59:01.000Z');
    expect(r.entries.some((e) => e.primaryCategory === 'math.OC')).toBe(true);
    expect(r.entries.some((e) => /\$[^$]*\\(ln|sqrt)/.test(`${e.title} ${e.summary}`))).toBe(true);
    await expect(parseArxivApiPage(body)).resolves.toEqual({
      totalResults: 364218,
      startIndex: 0,
      itemsPerPage: 20,
    });
  });

  it('transformer query: 5 entries, 2 comments', async () => {
    const body = read(transformer);
    const r = await parse('arxiv-api', body);
    expect(r.entries).toHaveLength(5);
    expect(count(r.entries, (e) => e.comment !== undefined)).toBe(2);
    expect((await parseArxivApiPage(body)).totalResults).toBe(28946);
  });

  it('legacy format: per-element xmlns, old-style ids, doi links, wrapped titles kept raw', async () => {
    const body = read(legacy);
    const r = await parse('arxiv-api', body);
    expect(r.entries).toHaveLength(10);
    expect(r.skipped).toEqual([]);
    expect(r.feedTitle?.startsWith('ArXiv Query: ')).toBe(true);
    // SOURCES.md says 3, but the capture holds 4 cond-mat/… ids (0412498, 0603029, 0607501, 0702661).
    expect(count(r.entries, (e) => /\/abs\/[a-z-]+\/\d{7}v\d+$/.test(e.ids.arxiv ?? ''))).toBe(4);
    expect(r.entries.map((e) => e.ids.arxiv)).toContain('http://arxiv.org/abs/cond-mat/0412498v1');
    expect(count(r.entries, (e) => e.updatedAt !== e.publishedAt)).toBe(4);
    expect(count(r.entries, (e) => /v2$/.test(e.ids.arxiv ?? ''))).toBe(4);
    for (const e of r.entries) {
      expect(e.ids.doi).toBeDefined();
      expect(e.journalRef).toBeDefined();
      expect(e.comment).toBeDefined();
      expect(e.links.some((l) => l.startsWith('http://dx.doi.org/10.'))).toBe(true);
      expect(e.links.some((l) => l.startsWith('http://arxiv.org/pdf/'))).toBe(true);
      expect(e.summary?.startsWith(' ')).toBe(false); // whitespace-trimmed, hard wraps kept
    }
    const first = byKey(r, 'http://arxiv.org/abs/1201.4869v1');
    expect(first.ids.doi).toBe('10.1142/S021797921244002X');
    expect(first.primaryCategory).toBe('cond-mat.mes-hall');
    expect(first.journalRef).toBe('Int. J. Mod. Phys. B, 26, 1244002 (2012)');
    expect(r.entries.some((e) => e.title.includes('\n  '))).toBe(true);
    expect(r.entries.some((e) => `${e.title}${e.summary}`.includes("R\\'{e}nyi"))).toBe(true);
    await expect(parseArxivApiPage(body)).resolves.toEqual({
      totalResults: 31,
      startIndex: 0,
      itemsPerPage: 10,
    });
  });

  it('recorded 100-entry search (JSON wrapper): versions, old-style ids, counts, mojibake kept as is', async () => {
    const body = recordedBody(recorded);
    const r = await parse('arxiv-api', body);
    expect(r.entries).toHaveLength(100);
    expect(r.skipped).toEqual([]);
    const versions = r.entries.map((e) => Number(/v(\d+)$/.exec(e.ids.arxiv ?? '')?.[1]));
    expect(Math.min(...versions)).toBe(1);
    expect(Math.max(...versions)).toBe(9);
    expect(count(r.entries, (e) => e.updatedAt !== e.publishedAt)).toBe(36);
    const oldStyle = r.entries.map((e) => e.ids.arxiv ?? '').filter((id) => /\/abs\/[a-z-]+\//.test(id));
    expect(oldStyle.map((id) => id.replace('http://arxiv.org/abs/', '')).sort()).toEqual([
      'cs/0503050v1',
      'gr-qc/0103067v1',
      'hep-ph/0301050v2',
    ]);
    expect(count(r.entries, (e) => e.ids.doi !== undefined)).toBe(32);
    expect(count(r.entries, (e) => e.journalRef !== undefined)).toBe(18);
    expect(count(r.entries, (e) => e.comment !== undefined)).toBe(97);
    // The one author with an affiliation still yields a plain name.
    expect(r.entries.flatMap((e) => e.authors)).toContain('Marie-Claude Gaudel');
    // The adapter does not repair encoding: the recorder's Latin-1 mojibake passes through.
    expect(r.entries.flatMap((e) => e.authors)).toContain('Aurora RamÃ\u00adrez');
    expect(
      count(
        r.entries.flatMap((e) => e.authors),
        (a) => /Ã/.test(a),
      ),
    ).toBe(17);
  });

  it('the HTTP 400 error feed throws FeedParseError as api-error, never a paper, and does not quote it', async () => {
    const body = recordedBody(error400);
    const err = await parse('arxiv-api', body).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FeedParseError);
    expect((err as FeedParseError).failure).toBe('api-error');
    expect((err as Error).message).toMatch(/^sources: arxiv-api: api-error: /);
    expect(body).toContain('incorrect id format for abc');
    expect((err as Error).message).not.toContain('incorrect id format');
  });
});

describeReal('hf-daily: huggingface.co/api/daily_papers', () => {
  const current = covers('hf-daily-papers/hf-daily-papers-2026-06-12.json');
  const pretty = covers('hf-daily-papers/hf-daily-papers-2026-07-31-pretty.json');
  const old = covers('hf-daily-papers/hf-daily-papers-2024-10-25-first3.json');

  it('current schema: 30 items, upvotes from paper, comments from the outer object', async () => {
    const r = await parse('hf-daily', read(current));
    expect(r.entries).toHaveLength(30);
    expect(r.skipped).toEqual([]);
    const first = byKey(r, '2606.00467');
    expect(first.ids).toEqual({ hf: '2606.00467', arxiv: '2606.00467' });
    expect(first.signals).toEqual({ upvotes: 0, comments: 2 });
    expect(first.organization).toBe('California institute of technology');
    expect(first.publishedAt).toBe('2026-05-30T00:00:00.000Z'); // paper.publishedAt, not the outer T20:00
    expect(first.url).toBe('https://huggingface.co/papers/2606.00467');
    const upvotes = r.entries.map((e) => e.signals.upvotes ?? -1);
    expect(Math.max(...upvotes)).toBe(118);
    expect(byKey(r, '2606.13681').signals.upvotes).toBe(118);
    expect([...upvotes].sort((a, b) => b - a)).not.toEqual(upvotes); // payload order is kept, not sorted
    expect(r.entries.every((e) => e.signals.comments !== undefined)).toBe(true);
    expect(count(r.entries, (e) => e.codeUrl !== undefined)).toBe(16);
    expect(count(r.entries, (e) => e.signals.stars !== undefined)).toBe(16);
    expect(count(r.entries, (e) => e.projectUrl !== undefined)).toBe(13);
    expect(count(r.entries, (e) => e.organization !== undefined)).toBe(16);
    expect(count(r.entries, (e) => e.summary?.includes('\n') === true)).toBe(2);
    expect(r.entries.every((e) => e.publishedAt?.endsWith('T00:00:00.000Z'))).toBe(true);
  });

  it('skips the one hidden author', async () => {
    const r = await parse('hf-daily', read(current));
    const paper = byKey(r, '2606.12575');
    expect(paper.authors).toHaveLength(9); // 10 in the payload, one `hidden: true`
    expect(paper.authors).not.toContain('Dengyang Jiang');
    expect(paper.signals).toMatchObject({ upvotes: 7, comments: 3 });
  });

  it('pretty-printed capture: non-ASCII titles, 0 upvotes kept, 2 code repos, 1 project page', async () => {
    const r = await parse('hf-daily', read(pretty));
    expect(r.entries).toHaveLength(5);
    expect(r.entries.map((e) => e.title.slice(0, 6))).toEqual(expect.arrayContaining(['Σ-Mem:', 'β-OPSD']));
    expect(byKey(r, '2607.16922').signals.upvotes).toBe(0);
    expect(count(r.entries, (e) => e.codeUrl !== undefined)).toBe(2);
    expect(count(r.entries, (e) => e.projectUrl !== undefined)).toBe(1);
    expect(byKey(r, '2607.27958').codeUrl).toBe('https://github.com/declare-lab/sigma-mem');
    expect(byKey(r, '2607.27958').organization).toBe('Nanyang Technological University');
  });

  it('2024 schema: wrapped paper.title kept raw (trim only), no organization, signals still read', async () => {
    const r = await parse('hf-daily', read(old));
    expect(r.entries).toHaveLength(3);
    const first = byKey(r, '2410.17243');
    expect(first.title).toBe(
      'Breaking the Memory Barrier: Near Infinite Batch Size Scaling for\n  Contrastive Loss',
    );
    expect(first.summary).toContain('where\nlarger batch sizes');
    expect(first.authors).toHaveLength(9);
    expect(first.signals).toEqual({ upvotes: 64, comments: 3 });
    expect(first.publishedAt).toBe('2024-10-22T17:59:30.000Z');
    expect(r.entries.every((e) => e.organization === undefined && e.codeUrl === undefined)).toBe(true);
  });
});

describeReal('hn: hn.algolia.com search', () => {
  const file = covers('hn-algolia/hn-algolia-search_by_date-query-AI-tags-story-2026-08-09.json');

  it('5 hits: the Ask HN text post is skipped, Show HN with a url kept, points/comments read', async () => {
    const r = await parse('hn', read(file));
    expect(r.entries).toHaveLength(4);
    expect(r.skipped).toEqual([{ entryKey: '49232797', reason: 'no url (Ask/Show HN text post)' }]);
    const show = byKey(r, '49232466');
    expect(show.title).toBe('Show HN: TokenSpend, the AI ROI Solution');
    expect(show.url).toBe('https://tokenspend.dev/');
    expect(show.signals).toEqual({ points: 3, comments: 0 });
    const withComment = byKey(r, '49232778');
    expect(withComment.signals).toEqual({ points: 1, comments: 1 });
    expect(withComment.links).toContain(withComment.url);
    expect(withComment.publishedAt).toBe('2026-08-09T16:18:39.000Z');
    expect(byKey(r, '49232495').signals.points).toBe(5);
    for (const e of r.entries) {
      expect(e.provenance.source).toBe('hackernews');
      expect(e.authors).toEqual([]);
    }
  });
});

describeReal('reddit: .json listings and .rss Atom', () => {
  const atomTop = covers('reddit/reddit-atom-r-programming-top-day-2026-09-20.xml');
  const atomHomelab = covers('reddit/reddit-atom-r-homelab-new-2023-07.xml');
  const search = covers('reddit/reddit-json-search-posts-listing-2020-07.json');
  const posts = covers('reddit/reddit-json-subreddit-posts-listing-2020.json');

  it('Atom top.rss: 3 link posts, external url from [link], permalink kept, no signals', async () => {
    const r = await parse('reddit', read(atomTop));
    expect(r.entries).toHaveLength(3);
    expect(r.skipped).toEqual([]);
    const git = byKey(r, 't3_1wkrfqw');
    expect(git.title).toBe('You can run git on object storage if you re-make packfiles');
    expect(git.url).toBe('https://www.tigrisdata.com/blog/objgit-packfiles/');
    expect(git.links).toContain(
      'https://www.reddit.com/r/programming/comments/1wkrfqw/you_can_run_git_on_object_storage_if_you_remake/',
    );
    expect(git.publishedAt).toBe('2026-09-19T17:00:55.000Z');
    expect(git.categories).toEqual(['programming']);
    expect(r.entries.every((e) => Object.keys(e.signals).length === 0)).toBe(true);
  });

  it('Atom homelab (pretty-printed, ud.reddit.com): 25 entries, self posts link to their permalink', async () => {
    const r = await parse('reddit', read(atomHomelab));
    expect(r.entries).toHaveLength(25);
    expect(r.skipped).toEqual([]);
    const first = byKey(r, 't3_157kyrd');
    expect(first.url).toBe(
      'https://ud.reddit.com/r/homelab/comments/157kyrd/any_reason_to_keep_1g_connections_to_my_servers/',
    );
    expect(first.summary).toContain('<!-- SC_OFF -->');
    expect(r.entries.every((e) => e.provenance.entryKey.startsWith('t3_'))).toBe(true);
  });

  it('JSON search listing: 2 posts with score/comments, escaped URLs unescaped, int created_utc', async () => {
    const r = await parse('reddit', read(search));
    expect(r.entries).toHaveLength(2);
    expect(r.skipped).toEqual([]);
    const video = byKey(r, 't3_hybow9');
    expect(video.signals).toEqual({ score: 103829, comments: 3748 });
    expect(video.url).toBe('https://v.redd.it/ra4qnt8bt8d51');
    expect(video.publishedAt).toBe('2020-07-26T18:14:24.000Z');
    const news = byKey(r, 't3_hmwhd7');
    expect(news.signals).toEqual({ score: 149238, comments: 7415 });
    expect(news.url).toBe(
      'https://www.theguardian.com/world/2020/jul/07/jair-bolsonaro-coronavirus-positive-test-brazil-president',
    );
    expect(news.links).toContain(
      'https://www.reddit.com/r/worldnews/comments/hmwhd7/brazilian_president_jair_bolsonaro_tests_positive/',
    );
    for (const e of r.entries) for (const l of e.links) expect(l).not.toContain('&amp;');
  });

  it('JSON subreddit listing: 2 posts, self post keeps selftext', async () => {
    const r = await parse('reddit', read(posts));
    expect(r.entries).toHaveLength(2);
    const self = byKey(r, 't3_agi5zf');
    expect(self.summary).toBe('test');
    expect(self.signals).toEqual({ score: 253, comments: 1634 });
    expect(self.url).toBe('https://www.reddit.com/r/test/comments/agi5zf/test/');
    expect(byKey(r, 't3_hyhquk').summary).toBeUndefined();
  });
});

describeReal('rss: generic feeds (bioRxiv, HF mirrors)', () => {
  const biorxiv = covers('other/biorxiv-rss1-genomics-2023-12.xml');
  const feedgen = covers('other/hf-daily-papers-feedgen-rss-2026-04-30.xml');
  const takara = covers('other/takara-tldr-hf-papers-rss-2026-04-30.xml');

  it('bioRxiv RSS 1.0: CDATA title trimmed, DOI from dc:identifier, dc:date, rdf:about key', async () => {
    const r = await parse('rss', read(biorxiv));
    expect(r.entries).toHaveLength(1);
    expect(r.skipped).toEqual([]);
    const [e] = r.entries;
    expect(e?.provenance.source).toBe('web');
    expect(e?.provenance.entryKey).toBe('http://biorxiv.org/cgi/content/short/2023.12.16.571984v1?rss=1');
    expect(e?.title.startsWith('Complete genome of the Medicago anthracnose fungus')).toBe(true);
    expect(e?.title.endsWith('core chromosome.')).toBe(true);
    expect(e?.ids.doi).toBe('doi:10.1101/2023.12.16.571984');
    expect(e?.publishedAt).toBe('2023-12-16T00:00:00.000Z');
    expect(e?.url).toBe('http://biorxiv.org/cgi/content/short/2023.12.16.571984v1?rss=1');
    expect(e?.authors).toHaveLength(1);
    expect(e?.authors[0]?.startsWith('LAPALU, N., SIMON, A.')).toBe(true);
  });

  it('python-feedgen HF mirror: 22 items, authors and upvotes extracted from the escaped description', async () => {
    const r = await parse('rss', read(feedgen));
    expect(r.entries).toHaveLength(22);
    expect(r.feedTitle).toBe('Hugging Face Daily Papers');
    const first = byKey(r, 'https://arxiv.org/abs/2604.21003');
    expect(first.authors).toEqual(['Haebin Seong, Li Yin, Haoran Zhang']);
    expect(first.signals).toEqual({ upvotes: 1 });
    expect(first.ids.arxiv).toBe('https://arxiv.org/abs/2604.21003');
    expect(first.publishedAt?.endsWith('T00:00:00.000Z')).toBe(true);
    expect(r.entries.every((e) => e.signals.upvotes !== undefined && e.authors.length === 1)).toBe(true);
  });

  it('takara.ai mirror: 50 items, arXiv id only in the link, no authors or votes', async () => {
    const r = await parse('rss', read(takara));
    expect(r.entries).toHaveLength(50);
    const first = byKey(r, 'https://tldr.takara.ai/p/2604.26238');
    expect(first.ids.arxiv).toBe('2604.26238');
    expect(first.publishedAt).toBe('2026-04-29T02:39:18.000Z');
    expect(r.entries.every((e) => e.authors.length === 0 && Object.keys(e.signals).length === 0)).toBe(true);
  });
});

describeReal('payloads no adapter handles are rejected as the wrong shape', () => {
  const s2 = covers('other/semantic-scholar-search-transformer-2026-06.json');
  const openalex = covers('other/openalex-works-2-results-2026-06.json');

  it.each([
    ['hf-daily', s2],
    ['hn', s2],
    ['reddit', s2],
    ['hf-daily', openalex],
    ['hn', openalex],
  ] as const)('%s rejects %s', async (kind, rel) => {
    await expect(parse(kind, read(rel))).rejects.toThrow(FeedParseError);
  });

  it.each([
    ['arxiv-api', 'hf-daily-papers/hf-daily-papers-2026-06-12.json'],
    ['arxiv-rss', 'arxiv-api/arxiv-api-legacy-au-del_maestro-2016.xml'],
    ['arxiv-api', 'arxiv-rss/arxiv-rss-cs.AI-2026-04-27-3items.xml'],
    ['hf-daily', 'hn-algolia/hn-algolia-search_by_date-query-AI-tags-story-2026-08-09.json'],
    ['reddit', 'hf-daily-papers/hf-daily-papers-2026-06-12.json'],
  ] as const)('%s rejects %s', async (kind, rel) => {
    const err = await parse(kind, read(rel)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FeedParseError);
    expect((err as Error).message.startsWith(`sources: ${kind}: `)).toBe(true);
  });
});

describeReal('coverage of the real captures', () => {
  it('every file in ../shared/fixtures/real has a conformance test', () => {
    const files = readdirSync(realDir, { recursive: true, withFileTypes: true })
      .filter((d) => d.isFile() && d.name !== 'SOURCES.md')
      .map((d) => path.relative(realDir, path.join(d.parentPath, d.name)))
      .sort();
    expect(files.length).toBeGreaterThan(0);
    expect(files.filter((f) => !COVERED.has(f))).toEqual([]);
  });
});

// file:// feeds: one file, or every regular file directly inside a folder, ingested like HTTP payloads; a
// missing path fails the feed as http-4xx 404. Every file lies under PAPERWIRE_FILE_FEEDS_ROOT (a fresh
// folder holding copies of the fixtures); a feed of any kind reads its file as given (an hf-daily file feed
// gets no `?date=` appended, issue 15).
import { cp, mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FetcherHarness, startHarness } from './support/harness.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

let h: FetcherHarness;
let root: string;
let labBlog: string;
let folder: string;

beforeAll(async () => {
  root = await realpath(await mkdtemp(path.join(tmpdir(), 'pw-file-feeds-root-')));
  labBlog = path.join(root, 'lab-blog.rss.xml');
  folder = path.join(root, 'feed-folder');
  await cp(path.resolve(here, '../../../test/fixtures/feeds/lab-blog.rss.xml'), labBlog);
  await cp(path.resolve(here, 'fixtures/feed-folder'), folder, { recursive: true });
  // The missing-path feed fails on purpose; the worker would log it as an error. hf-daily feeds would
  // re-poll previous days by `?date=` over HTTP; a file feed must not (the file is read as given).
  h = await startHarness('fetcher-file-feeds', {
    logLevel: 'fatal',
    env: { PAPERWIRE_FILE_FEEDS_ROOT: root, HF_REPOLL_DAYS: '2' },
  });
});

afterAll(async () => {
  await h?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

describe('file:// feeds', () => {
  it('a single file: its entries are stored, the malformed one skipped', async () => {
    const feed = await h.addFeed({ url: pathToFileURL(labBlog).href, kind: 'rss' });
    expect(await h.fetchOnce(feed._id)).toEqual({
      outcome: 'stored',
      entries: 4,
      skipped: 1,
      newObservations: 4,
    });
    const stored = await h.feed(feed._id);
    expect(stored.health).toEqual({
      status: 'ok',
      consecutiveFailures: 0,
      lastEntryCount: 4,
      lastSkippedCount: 1,
      lastNewEntriesAt: expect.any(String),
      quiet: false,
    });
    expect(stored.title).toBe('Paperwire test lab — papers we read');
    expect(await h.observationCount(feed._id)).toBe(4);
    const payloads = await h.payloadsOf(feed._id);
    expect(payloads.map((p) => p.url)).toEqual([`file://${labBlog}`]);
    expect(await h.resolveJobsOf(feed._id)).toHaveLength(1);
    expect(await h.fetchOnce(feed._id)).toEqual({ outcome: 'unchanged' });
  });

  it('a folder: every regular file directly inside, in name order; dotfiles and subfolders ignored', async () => {
    const feed = await h.addFeed({ url: pathToFileURL(folder).href, kind: 'rss' });
    expect(await h.fetchOnce(feed._id)).toEqual({
      outcome: 'stored',
      entries: 3,
      skipped: 1,
      newObservations: 3,
    });
    expect(await h.observationCount(feed._id)).toBe(3);
    const payloads = await h.payloadsOf(feed._id);
    expect(payloads.map((p) => p.url).sort()).toEqual([
      `file://${path.join(folder, 'a-notes.rss.xml')}`,
      `file://${path.join(folder, 'b-picks.atom.xml')}`,
    ]);
    expect((await h.feed(feed._id)).health).toMatchObject({
      status: 'ok',
      lastEntryCount: 3,
      lastSkippedCount: 1,
    });
  });

  it('a folder that gains a file stores only the new entries', async () => {
    const dir = path.join(root, 'drop-in');
    await mkdir(dir);
    try {
      const item = (n: number) =>
        `<item><title>Drop-in paper ${n}</title><guid>drop-${n}</guid><link>https://example.org/drop/${n}</link></item>`;
      const file = (n: number) =>
        `<?xml version="1.0"?><rss version="2.0"><channel><title>drop ${n}</title>${item(n)}</channel></rss>`;
      await writeFile(path.join(dir, '1.xml'), file(1));
      const feed = await h.addFeed({ url: pathToFileURL(dir).href, kind: 'rss' });
      expect(await h.fetchOnce(feed._id)).toMatchObject({
        outcome: 'stored',
        entries: 1,
        newObservations: 1,
      });
      await writeFile(path.join(dir, '2.xml'), file(2));
      expect(await h.fetchOnce(feed._id)).toMatchObject({
        outcome: 'stored',
        entries: 2,
        newObservations: 1,
      });
      expect(await h.observationCount(feed._id)).toBe(2);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a missing path fails the feed as http-4xx 404, without retries', async () => {
    const missing = path.join(folder, 'does-not-exist.xml');
    const feed = await h.addFeed({ url: pathToFileURL(missing).href, kind: 'rss' });
    const job = await h.waitForJob(await h.registry.fetchNow(feed._id, 'manual', new Date()));
    expect(await job.getState()).toBe('failed');
    expect(job.attemptsMade).toBe(1);
    const failing = await h.feed(feed._id);
    expect(failing.health).toMatchObject({ status: 'failing', consecutiveFailures: 1 });
    expect(failing.health.lastError).toMatchObject({
      errorClass: 'http-4xx',
      message: `fetcher: ${missing} does not exist`,
    });
    expect(await h.observationCount(feed._id)).toBe(0);
  });

  it('an hf-daily feed of a local JSON file reads the file as given, with no ?date= appended', async () => {
    // Dates from the clock this test runs on: the list is yesterday's, as a mirror would hold it.
    const published = new Date(Date.now() - 86_400_000).toISOString();
    const yymm = published.slice(2, 4) + published.slice(5, 7);
    const list = [1, 2].map((n) => ({
      paper: {
        id: `${yymm}.9${String(n).padStart(4, '0')}`,
        title: `A daily paper kept on disk ${n}`,
        summary: 'Read from a file feed.',
        authors: [{ name: 'Ada Lovelace' }],
        publishedAt: published,
        upvotes: n,
      },
      numComments: 0,
    }));
    const file = path.join(root, 'daily_papers.json');
    await writeFile(file, JSON.stringify(list));
    const feed = await h.addFeed({ url: pathToFileURL(file).href, kind: 'hf-daily' });

    expect(await h.fetchOnce(feed._id)).toEqual({
      outcome: 'stored',
      entries: 2,
      skipped: 0,
      newObservations: 2,
    });
    const stored = await h.feed(feed._id);
    expect(stored.health).toMatchObject({ status: 'ok', lastEntryCount: 2 });
    expect(stored.state.hfDays).toBeUndefined();
    expect((await h.payloadsOf(feed._id)).map((p) => p.url)).toEqual([`file://${file}`]);
  });

  it('a path outside the root is refused when added, and refused again if it reaches the fetcher', async () => {
    const outside = await realpath(await mkdtemp(path.join(tmpdir(), 'pw-file-feeds-outside-')));
    try {
      const secret = path.join(outside, 'secret.xml');
      await writeFile(secret, 'root:x:0:0:TOP-SECRET-c0ffee:/root:/bin/bash\n');
      await expect(h.addFeed({ url: pathToFileURL(secret).href, kind: 'rss' })).rejects.toThrow(
        /outside PAPERWIRE_FILE_FEEDS_ROOT/,
      );
      // Written around the registry (an older version, another tool): the fetcher checks again.
      const feed = await h.addFeed({
        url: pathToFileURL(path.join(root, 'placeholder.xml')).href,
        kind: 'rss',
      });
      await h.mongo
        .collection('feeds')
        .updateOne({ _id: feed._id as never }, { $set: { url: pathToFileURL(secret).href } });
      const job = await h.waitForJob(await h.enqueueFetch(feed._id));
      expect(await job.getState()).toBe('failed');
      const failing = await h.feed(feed._id);
      expect(failing.health.lastError).toMatchObject({ errorClass: 'blocked' });
      expect(failing.health.lastError?.message).toMatch(/outside PAPERWIRE_FILE_FEEDS_ROOT/);
      expect(JSON.stringify(failing)).not.toContain('TOP-SECRET');
      expect(await h.observationCount(feed._id)).toBe(0);
      expect(await h.payloadsOf(feed._id)).toEqual([]);
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });
});

// file:// feeds: one file, or every regular file directly inside a folder, ingested like HTTP payloads; a
// missing path fails the feed as http-4xx 404.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FetcherHarness, startHarness } from './support/harness.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const labBlog = path.resolve(here, '../../../test/fixtures/feeds/lab-blog.rss.xml');
const folder = path.resolve(here, 'fixtures/feed-folder');

let h: FetcherHarness;

beforeAll(async () => {
  // The missing-path feed fails on purpose; the worker would log it as an error.
  h = await startHarness('fetcher-file-feeds', { logLevel: 'fatal' });
});

afterAll(async () => {
  await h?.close();
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
    const dir = await mkdtemp(path.join(tmpdir(), 'pw-file-feed-'));
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
});

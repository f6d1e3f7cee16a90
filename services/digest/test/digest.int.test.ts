// E-mail digests end to end: a real SMTP server (smtp-server on 127.0.0.1 with AUTH), a runtime over the
// run's FerretDB and Redis with seeded papers and rankings, the digest jobs run by the real `digests`
// worker, and every received message parsed with mailparser. Proves: the message (from, to, subject,
// Message-ID, List-Unsubscribe with List-Unsubscribe-Post for RFC 8058 one-click, text and HTML listing
// the papers in order, a working unsubscribe link);
// a later digest holds only papers not sent before; nothing new sends nothing; a retry after the message
// left but before it was marked sent sends the same Message-ID and papers; a digest recorded before a
// crash is sent as recorded even when the rankings changed since; the planner queues each due digest once;
// unsubscribed addresses get nothing; the SMTP password never reaches the logs.
/// <reference path="../../../test/setup/global-setup.ts" />
import type { Socket } from 'node:net';
import { Writable } from 'node:stream';
import {
  digestId,
  matchesFilters,
  type Paper,
  paperRow,
  type RankingSnapshot,
  type ReaderFilters,
  verifyUnsubscribeToken,
  type Window,
} from '@paperwire/core';
import { digestJobId, enqueueDigest } from '@paperwire/jobs';
import { createLogger } from '@paperwire/platform';
import { createRuntime, type Runtime } from '@paperwire/runtime';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testMongoUri, testRedisUrl, uniquePrefix } from '../../../test/support/services.ts';
import {
  buildDigest,
  createMailer,
  DIGEST_PLAN_SCHEDULER_ID,
  type DigestConfig,
  DigestSendError,
  digestEnvSchema,
  type PlanDigestsResult,
  type SendDigestResult,
  startDigest,
} from '../src/index.ts';

const USER = 'paperwire';
const PASS = 'S3cret-p@ss/word';
const SECRET = 'digest-test-secret-0123456789abcdefghij';

// --- a real SMTP server ----------------------------------------------------------------------------------
const received: { raw: Buffer; mail: ParsedMail }[] = [];
const sockets = new Map<number, Socket>();
/** When set, the next message is taken in full and then the connection is cut without an answer. */
let cutNextAfterData = false;
const smtp = new SMTPServer({
  authMethods: ['PLAIN', 'LOGIN'],
  allowInsecureAuth: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onAuth(auth, _session, cb) {
    if (auth.username === USER && auth.password === PASS) cb(null, { user: USER });
    else cb(new Error('Invalid username or password'));
  },
  onData(stream, session, cb) {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      const raw = Buffer.concat(chunks);
      void simpleParser(raw).then((mail) => {
        received.push({ raw, mail });
        if (cutNextAfterData) {
          // The message arrived, but the sender never hears so: as if it crashed before marking it sent.
          cutNextAfterData = false;
          sockets.get(session.remotePort)?.destroy();
          return;
        }
        cb();
      });
    });
  },
});
smtp.server.on('connection', (socket: Socket) => {
  if (socket.remotePort) sockets.set(socket.remotePort, socket);
});

// --- the runtime, with its log captured ------------------------------------------------------------------
const logLines: string[] = [];
const capture = new Writable({
  write(chunk, _enc, done) {
    logLines.push(String(chunk));
    done();
  },
});
const log = createLogger({ service: 'test', level: 'info', destination: capture });
let rt: Runtime;
let config: DigestConfig;
let clock = new Date('2026-11-29T07:00:00.000Z');
const backoff = { backoff: { type: 'fixed', delay: 200 } } as const;

function paper(n: number): Paper {
  const arxiv = `2611.100${String(n).padStart(2, '0')}`;
  return {
    _id: `arxiv:${arxiv}`,
    ids: { arxiv },
    versions: [],
    title: n === 2 ? `Paper 2: <b>bold</b> & "quoted"` : `Paper ${n}`,
    abstract: `Abstract ${n}.`,
    authors: [{ name: `Author ${n}`, key: `author ${n}` }],
    primaryCategory: 'cs.LG',
    categories: ['cs.LG'],
    firstSeenAt: '2026-11-27T08:00:00.000Z',
    links: { abs: `https://arxiv.org/abs/${arxiv}` },
    sightings: [],
    textSource: { rank: 0, version: 1, at: '2026-11-27T08:00:00.000Z' },
  };
}
const id = (n: number) => paper(n)._id;

let published = 0;
async function rank(window: Window, ns: number[], papers: Paper[] = ns.map(paper)): Promise<void> {
  const asOf = new Date(Date.parse('2026-11-29T06:00:00.000Z') + ++published * 60_000).toISOString();
  const snapshot: RankingSnapshot = {
    _id: `${window}.all.${Date.parse(asOf)}`,
    window,
    category: 'all',
    asOf,
    scoreVersion: 's1',
    constants: {},
    // Rows as the scorer writes them: the digest renders from these, it reads no paper.
    entries: papers.map((p, i) => ({
      ...paperRow(p, {}, p.firstSeenAt),
      rank: i + 1,
      score: 20 - i,
      breakdown: {},
    })),
  };
  await rt.db.rankings.publish(snapshot);
}

async function finished(jobId: string, timeoutMs = 30_000): Promise<unknown> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await rt.queues.byName.digests.getJob(jobId);
    const state = await job?.getState();
    // Read again: the job may have completed between getJob and getState, after `job` was read.
    if (state === 'completed') return (await rt.queues.byName.digests.getJob(jobId))!.returnvalue;
    if (state === 'failed') throw new Error(`job ${jobId} failed: ${job!.failedReason}`);
    if (Date.now() > deadline) throw new Error(`job ${jobId} not finished (${state})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Runs one subscriber's digest of `period` through the queue and the worker. */
async function send(subscriberId: string, period: string, jobIdSuffix = ''): Promise<SendDigestResult> {
  const jobId = jobIdSuffix
    ? await rt.queues.enqueue(
        'send-digest',
        { subscriberId, period },
        { ...backoff, jobId: `${digestJobId(subscriberId, period)}.${jobIdSuffix}` },
      )
    : await enqueueDigest(rt.queues, subscriberId, period, backoff);
  return (await finished(jobId)) as SendDigestResult;
}

/** `Paper N` titles in the order a text lists them. */
function listed(text: string): string[] {
  return [...text.matchAll(/^\d+\. (Paper \d+)/gm)].map((m) => m[1]!);
}
function listedHtml(html: string): string[] {
  return [...html.matchAll(/<a href="https:\/\/arxiv\.org\/abs\/[^"]+">(Paper \d+)/g)].map((m) => m[1]!);
}

let ada: string;

beforeAll(async () => {
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const port = (smtp.server.address() as { port: number }).port;
  config = digestEnvSchema.parse({
    MONGODB_URI: testMongoUri('digest'),
    REDIS_URL: testRedisUrl(),
    PAPERWIRE_QUEUE_PREFIX: uniquePrefix('digest'),
    SMTP_URL: `smtp://${USER}:${encodeURIComponent(PASS)}@127.0.0.1:${port}`,
    DIGEST_FROM: 'Paperwire Digests <digests@paperwire.test>',
    PUBLIC_BASE_URL: 'https://paperwire.test/',
    DIGEST_SECRET: SECRET,
    SMTP_TIMEOUT_MS: '10000',
  });
  rt = await createRuntime(config, log);
  // The planner's job scheduler is not started: the test runs the planner itself, with a pinned clock.
  await startDigest(rt, config, { now: () => clock, jobOptions: backoff, workerOnly: true });
  for (let n = 1; n <= 12; n++) await rt.db.papers.put(paper(n));
  await rank('24h', [1, 2, 3]);
  await rank('7d', [2, 4, 1, 5]);
  const { subscription } = await rt.db.digests.subscribe(
    { email: 'Ada@Example.org', windows: ['24h', '7d'], cadence: 'daily' },
    clock,
  );
  ada = subscription.id;
});

afterAll(async () => {
  await rt?.shutdown.run('test done');
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

describe('digests over SMTP', () => {
  it('sends the digest: from, to, subject, Message-ID, both parts listing the papers in order, unsubscribe link', async () => {
    const result = await send(ada, '2026-11-29');
    expect(result).toMatchObject({ status: 'sent', papers: 5, retried: false });
    expect(received).toHaveLength(1);
    const { mail } = received[0]!;
    expect(mail.from?.value).toEqual([{ name: 'Paperwire Digests', address: 'digests@paperwire.test' }]);
    expect((mail.to as { value: { address: string }[] }).value.map((a) => a.address)).toEqual([
      'ada@example.org',
    ]);
    expect(mail.subject).toBe('Paperwire daily digest (2026-11-29): 5 trending papers');
    expect(mail.messageId).toBe(`<digest.${ada}.2026-11-29@paperwire.test>`);
    // 24h board first (1, 2, 3), then what the 7d board adds (4, 5): each paper once.
    const text = mail.text ?? '';
    expect(listed(text)).toEqual(['Paper 1', 'Paper 2', 'Paper 3', 'Paper 4', 'Paper 5']);
    expect(text).toContain('Trending over 24h, all categories');
    expect(text).toContain('Trending over 7d, all categories');
    const html = mail.html || '';
    expect(listedHtml(html)).toEqual(['Paper 1', 'Paper 2', 'Paper 3', 'Paper 4', 'Paper 5']);
    // Paper 2's title holds markup: escaped in the HTML part, plain in the text part.
    expect(html).toContain('Paper 2: &lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot;');
    expect(html).not.toContain('<b>bold</b>');
    expect(text).toContain('Paper 2: <b>bold</b> & "quoted"');
    // The unsubscribe link, in both parts and in List-Unsubscribe, carries a token for this subscription.
    const link = /https:\/\/paperwire\.test\/digests\/unsubscribe\?token=([^\s"<>]+)/.exec(text);
    expect(link).not.toBeNull();
    expect(verifyUnsubscribeToken(SECRET, decodeURIComponent(link![1]!))).toBe(ada);
    expect(html).toContain(`href="${link![0].replaceAll('&', '&amp;')}"`);
    // mailparser gathers List-* headers under `list`.
    expect(mail.headers.get('list')).toMatchObject({ unsubscribe: { url: link![0] } });
    // RFC 2369 + RFC 8058, as received: the link in angle brackets, and the one-click POST signal.
    const header = (key: string) =>
      mail.headerLines
        .filter((h) => h.key === key)
        .map((h) => h.line.replace(/\r?\n[ \t]+/g, ' ').replace(/^[^:]+:\s*/, ''));
    expect(header('list-unsubscribe')).toEqual([`<${link![0]}>`]);
    expect(header('list-unsubscribe-post')).toEqual(['List-Unsubscribe=One-Click']);
    const record = await rt.db.digests.getDigest(digestId(ada, '2026-11-29'));
    expect(record).toMatchObject({ status: 'sent', items: expect.any(Array) });
    expect(record?.items.map((i) => i.paperId)).toEqual([1, 2, 3, 4, 5].map(id));
  });

  it('the same digest again sends nothing (it is marked sent)', async () => {
    expect(await send(ada, '2026-11-29', 'again')).toEqual({
      status: 'already-sent',
      digestId: digestId(ada, '2026-11-29'),
    });
    expect(received).toHaveLength(1);
  });

  it('the next digest holds only papers not sent before', async () => {
    await rank('24h', [6, 1, 2, 7]);
    const result = await send(ada, '2026-11-30');
    expect(result).toMatchObject({ status: 'sent', papers: 2 });
    expect(received).toHaveLength(2);
    const { mail } = received[1]!;
    expect(mail.subject).toBe('Paperwire daily digest (2026-11-30): 2 trending papers');
    expect(listed(mail.text ?? '')).toEqual(['Paper 6', 'Paper 7']);
    expect(listedHtml(mail.html || '')).toEqual(['Paper 6', 'Paper 7']);
  });

  it('nothing new: nothing is sent, and that is recorded', async () => {
    expect(await send(ada, '2026-12-01')).toEqual({ status: 'empty', digestId: digestId(ada, '2026-12-01') });
    expect(received).toHaveLength(2);
    expect((await rt.db.digests.getDigest(digestId(ada, '2026-12-01')))?.status).toBe('empty');
    expect(await send(ada, '2026-12-01', 'again')).toMatchObject({ status: 'already-empty' });
  });

  it('a retry after the message left but before it was marked sent re-sends the same Message-ID and papers', async () => {
    await rank('24h', [8, 6, 1]);
    cutNextAfterData = true;
    const result = await send(ada, '2026-12-02');
    expect(result).toMatchObject({ status: 'sent', papers: 1, retried: true });
    expect(received).toHaveLength(4);
    const [first, second] = [received[2]!.mail, received[3]!.mail];
    expect(first.messageId).toBe(`<digest.${ada}.2026-12-02@paperwire.test>`);
    expect(second.messageId).toBe(first.messageId);
    expect(second.subject).toBe(first.subject);
    expect(second.text).toBe(first.text);
    expect(listed(second.text ?? '')).toEqual(['Paper 8']);
    expect((await rt.db.digests.getDigest(digestId(ada, '2026-12-02')))?.status).toBe('sent');
  });

  it('a digest recorded before a crash is sent as recorded, even after the rankings changed', async () => {
    await rank('24h', [9, 10]);
    const sub = (await rt.db.digests.get(ada))!;
    // What the job does before sending, then "crashes": the record exists, nothing was sent.
    const deps = {
      db: rt.db,
      settings: {
        from: { address: 'digests@paperwire.test' },
        messageIdDomain: 'paperwire.test',
        publicBaseUrl: 'https://paperwire.test',
        secret: SECRET,
        maxPapers: 10,
      },
    };
    const recorded = await rt.db.digests.recordDigest(await buildDigest(deps, sub, '2026-12-03', clock));
    expect(recorded.items.map((i) => i.paperId)).toEqual([id(9), id(10)]);
    await rank('24h', [11, 9, 10]);
    const result = await send(ada, '2026-12-03');
    expect(result).toMatchObject({ status: 'sent', papers: 2, retried: true });
    const { mail } = received.at(-1)!;
    expect(mail.messageId).toBe(`<digest.${ada}.2026-12-03@paperwire.test>`);
    expect(listed(mail.text ?? '')).toEqual(['Paper 9', 'Paper 10']);
    // Paper 11 came after the record: it goes into the next digest, not this one.
    expect(await send(ada, '2026-12-04')).toMatchObject({ status: 'sent', papers: 1 });
    expect(listed(received.at(-1)!.mail.text ?? '')).toEqual(['Paper 11']);
  });

  it('the planner queues each due digest once; unsubscribed addresses get nothing', async () => {
    await rank('24h', [12]);
    const { subscription: bob } = await rt.db.digests.subscribe(
      { email: 'bob@example.org', windows: ['24h'], cadence: 'weekly' },
      clock,
    );
    const { subscription: eve } = await rt.db.digests.subscribe(
      { email: 'eve@example.org', windows: ['24h'], cadence: 'daily' },
      clock,
    );
    await rt.db.digests.unsubscribe(eve.id, clock);
    clock = new Date('2026-12-05T07:00:00.000Z'); // a Saturday: ada's 2026-12-05, bob's 2026-W49
    const plan = async () =>
      (await finished(
        await rt.queues.enqueue('plan-digests', { reason: 'manual' }, { jobId: `plan.${Date.now()}` }),
      )) as PlanDigestsResult;
    expect(await plan()).toEqual({ queued: 2, done: 0, unsubscribed: 1 });
    const before = received.length;
    expect(await finished(digestJobId(ada, '2026-12-05'))).toMatchObject({ status: 'sent', papers: 1 });
    expect(await finished(digestJobId(bob.id, '2026-W49'))).toMatchObject({ status: 'sent', papers: 1 });
    expect(received.length).toBe(before + 2);
    const toBob = received
      .slice(before)
      .find((r) => r.mail.subject?.startsWith('Paperwire weekly digest (2026-W49)'));
    expect(toBob).toBeDefined();
    expect(await plan()).toEqual({ queued: 0, done: 2, unsubscribed: 1 });
    expect(await send(eve.id, '2026-12-05')).toEqual({ status: 'skipped', reason: 'unsubscribed' });
    expect(received.length).toBe(before + 2);
  });

  it('three subscribers with different filters get three different digests from one pipeline', async () => {
    const variant = (n: number, over: Partial<Paper>): Paper => ({ ...paper(n), ...over });
    const papers = [
      variant(20, { categories: ['cs.LG', 'cs.CL'] }), // cs.LG, cross-listed to cs.CL
      variant(21, { organization: 'Google DeepMind' }),
      variant(22, { abstract: 'We improve Retrieval for agents.' }),
      variant(23, { authors: [{ name: 'Grace Hopper', key: 'g hopper' }] }),
      variant(24, { abstract: 'Retrievals are counted; nothing else.' }), // not the whole word
      variant(25, {}),
    ];
    await rank('30d', [], papers);
    const subscribers: [email: string, filters: ReaderFilters, expected: string[]][] = [
      ['cl@example.org', { categories: ['cs.CL'], keywords: ['retrieval'] }, ['Paper 20', 'Paper 22']],
      ['hopper@example.org', { authors: ['G. Hopper'] }, ['Paper 23']],
      ['lab@example.org', { organizations: ['deepmind'], keywords: ['AGENTS'] }, ['Paper 21', 'Paper 22']],
    ];
    const before = received.length;
    const ids: string[] = [];
    for (const [email, filters, expected] of subscribers) {
      const { subscription } = await rt.db.digests.subscribe(
        { email, windows: ['30d'], cadence: 'daily', filters },
        clock,
      );
      expect(subscription.filters).toEqual(filters);
      ids.push(subscription.id);
      expect(await send(subscription.id, '2026-12-06')).toMatchObject({
        status: 'sent',
        papers: expected.length,
      });
      const mail = received.find(
        (r, i) => i >= before && r.mail.to && JSON.stringify(r.mail.to).includes(email),
      );
      expect(mail, email).toBeDefined();
      expect(listed(mail!.mail.text ?? ''), email).toEqual(expected);
      expect(listedHtml(String(mail!.mail.html)), email).toEqual(expected);
      // What was sent is exactly what the pure matcher accepts among the board's papers.
      expect(
        papers.filter((p) => matchesFilters(paperRow(p, {}, p.firstSeenAt), filters)).map((p) => p.title),
      ).toEqual(expected);
    }
    expect(received.length).toBe(before + 3);
    // Never repeated: the next period has nothing new for any of them.
    for (const subscriberId of ids)
      expect(await send(subscriberId, '2026-12-07')).toEqual({
        status: 'empty',
        digestId: digestId(subscriberId, '2026-12-07'),
      });
    expect(received.length).toBe(before + 3);
    // Invalid filters are refused with a message naming what to fix.
    await expect(
      rt.db.digests.subscribe(
        { email: 'bad@example.org', windows: ['30d'], cadence: 'daily', filters: { keywords: [''] } },
        clock,
      ),
    ).rejects.toThrow(/filters must be lists/);
  });

  it('two processes starting the digest service make one planner job scheduler', async () => {
    // Their own database and prefix (no subscribers), shared by both "processes".
    const shared = {
      ...config,
      MONGODB_URI: testMongoUri('digest-planner'),
      PAPERWIRE_QUEUE_PREFIX: uniquePrefix('digest-planner'),
    };
    const quiet = createLogger({ service: 'test', level: 'warn' });
    const a = await createRuntime(shared, quiet);
    const b = await createRuntime(shared, quiet);
    try {
      await startDigest(a, shared);
      await startDigest(b, shared);
      const schedulers = await a.queues.byName.digests.getJobSchedulers();
      expect(schedulers.map((j) => [j.key, j.name, Number(j.every)])).toEqual([
        [DIGEST_PLAN_SCHEDULER_ID, 'plan-digests', 15 * 60_000],
      ]);
    } finally {
      await a.shutdown.run('test done');
      await b.shutdown.run('test done');
    }
  });

  it('a wrong SMTP password fails for good, and no password reaches the logs', async () => {
    const wrong = 'Wr0ng-p@ss-word';
    const port = (smtp.server.address() as { port: number }).port;
    const mailer = createMailer(`smtp://${USER}:${encodeURIComponent(wrong)}@127.0.0.1:${port}`, {
      timeoutMs: 5_000,
    });
    const failure = await mailer
      .send({
        from: { address: 'digests@paperwire.test' },
        to: 'ada@example.org',
        subject: 's',
        text: 't',
        html: '<p>h</p>',
        messageId: '<x@paperwire.test>',
        unsubscribeUrl: 'https://paperwire.test/u',
      })
      .catch((e: unknown) => e);
    mailer.close();
    expect(failure).toBeInstanceOf(DigestSendError);
    expect(failure).toMatchObject({ code: 'digest-smtp-auth', retryable: false });
    // As the worker logs a failure, and a config logged by mistake.
    rt.log.error({ err: failure }, 'job failed');
    rt.log.info({ config, smtpUrl: config.SMTP_URL }, 'config');
    await new Promise((r) => setTimeout(r, 50));
    const logs = logLines.join('');
    expect(logs).toContain('digest: sent');
    expect(logs).toContain('job failed');
    for (const secret of [PASS, encodeURIComponent(PASS), wrong, encodeURIComponent(wrong), SECRET])
      expect(logs.includes(secret), 'a secret in the logs').toBe(false);
    for (const p of [PASS, wrong])
      expect(
        logs.includes(Buffer.from(`\u0000${USER}\u0000${p}`).toString('base64')),
        'AUTH PLAIN in the logs',
      ).toBe(false);
  });
});

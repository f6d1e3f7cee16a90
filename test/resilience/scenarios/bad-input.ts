// Bad input. Two parts:
//  1. A fuzz loop (fixed seed and count) over random mutations of the real captures in
//     ../shared/fixtures/real/: each mutated payload goes through its adapter and the normaliser, in this
//     process. A case survives if it parses (entries or none) or fails with a FeedParseError; anything
//     else thrown, or Object.prototype touched, is a failure.
//  2. Hostile payloads served over HTTP to a real fetcher and resolver process, next to a healthy control
//     feed: the sources issue's hostile fixtures, absurd dates, a 10 MB abstract, 5,000 authors, control
//     characters, `__proto__`/`constructor` element and key names, `$` and `.` in field names (in the body
//     and in response header names) and ids that look like operators. Each must end with the feed stored
//     (ok/empty) or a classified lastError; nothing crashes; the control feed's papers are stored; no
//     stored document anywhere has a key that starts with `$`.

import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type OutgoingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import {
  FEED_ERROR_CLASSES,
  type Feed,
  type FeedKind,
  FeedParseError,
  normaliseEntry,
} from '@paperwire/core';
import { feedRegistry } from '@paperwire/runtime';
import { parsePayload } from '@paperwire/sources';
import type { Db } from 'mongodb';
import { mulberry32 } from '../../support/random.ts';
import { waitDrained } from '../pipeline.ts';
import {
  exited,
  mongoDb,
  pipelineEnv,
  READY,
  REPO_ROOT,
  type Row,
  runnerRuntime,
  type Scenario,
  spawnCli,
  startOwnFerret,
  startOwnRedis,
  uniq,
  waitUntil,
} from '../support.ts';

const REAL = resolve(REPO_ROOT, '../shared/fixtures/real');
const HOSTILE = resolve(REPO_ROOT, 'shared/sources/test/fixtures');

interface Capture {
  name: string;
  kind: FeedKind;
  body: string;
}

/** The real captures with the adapter each belongs to (arxiv.py recordings unwrapped). */
function realCaptures(): Capture[] {
  const kindOf: Record<string, FeedKind> = {
    'arxiv-rss': 'arxiv-rss',
    'arxiv-rss-rdf': 'arxiv-rss',
    'arxiv-api': 'arxiv-api',
    'hf-daily-papers': 'hf-daily',
    'hn-algolia': 'hn',
    reddit: 'reddit',
    other: 'rss',
  };
  const out: Capture[] = [];
  for (const [dir, kind] of Object.entries(kindOf)) {
    let files: string[];
    try {
      files = readdirSync(join(REAL, dir));
    } catch {
      continue;
    }
    for (const file of files) {
      let body = readFileSync(join(REAL, dir, file), 'utf8');
      if (dir === 'other' && file.endsWith('.json')) continue; // no adapter for OpenAlex / Semantic Scholar
      if (dir === 'arxiv-api' && file.endsWith('.json')) body = (JSON.parse(body) as { body: string }).body;
      out.push({ name: `${dir}/${file}`, kind, body });
    }
  }
  return out;
}

const TOKENS = [
  '__proto__',
  '"__proto__":{"polluted":1},',
  '<__proto__><polluted>1</polluted></__proto__>',
  '<constructor><prototype>x</prototype></constructor>',
  '"$where":"sleep(1)",',
  '{"$gt":""}',
  '"a.b":1,',
  '\u0000',
  '\u0007\u001b[2J',
  '\ud800',
  '<!ENTITY x SYSTEM "file:///etc/passwd">',
  '&x;',
  ']]>',
  '<![CDATA[',
  '9999999999999999999999',
  '-1e309',
  'NaN',
  '"',
  '<',
  '>',
  '&',
  '{',
  '}',
  '[',
  ']',
  '\uFEFF',
  '\u202E',
  'Thu, 31 Feb 99999 25:61:61 GMT',
  '0000-00-00T00:00:00Z',
];

/** One seeded mutation: flip, delete, duplicate, insert a hostile token, truncate or swap. */
function mutate(body: string, rand: () => number): string {
  const at = () => Math.floor(rand() * (body.length + 1));
  const ops = 1 + Math.floor(rand() * 3);
  for (let k = 0; k < ops; k++) {
    const i = at();
    const j = Math.min(body.length, i + 1 + Math.floor(rand() * 200));
    switch (Math.floor(rand() * 7)) {
      case 0:
        body = body.slice(0, i) + String.fromCharCode(Math.floor(rand() * 0x3000)) + body.slice(i + 1);
        break;
      case 1:
        body = body.slice(0, i) + body.slice(j);
        break;
      case 2:
        body = body.slice(0, j) + body.slice(i, j) + body.slice(j);
        break;
      case 3:
      case 4:
        body = body.slice(0, i) + TOKENS[Math.floor(rand() * TOKENS.length)]! + body.slice(i);
        break;
      case 5:
        body = body.slice(0, i);
        break;
      default: {
        const m = at();
        const [a, b] = i < m ? [i, m] : [m, i];
        body = body.slice(0, a) + body.slice(b, b + (b - a)) + body.slice(a + (b - a), b) + body.slice(a, b);
      }
    }
  }
  return body;
}

const prototypeClean = () =>
  Object.getOwnPropertyNames(Object.prototype).every((k) => k !== 'polluted') &&
  ({} as Record<string, unknown>).polluted === undefined &&
  ([] as unknown as Record<string, unknown>).polluted === undefined;

async function fuzzRow(seed: number, cases: number): Promise<Row> {
  const t0 = Date.now();
  const captures = realCaptures();
  if (captures.length === 0) {
    return {
      class: 'fuzz: mutated real captures',
      tried: 0,
      survived: 0,
      expected: null,
      stored: null,
      duplicated: 0,
      lost: 0,
      notes: `no captures found in ${REAL}`,
    };
  }
  const rand = mulberry32(seed);
  const ctx = { feedId: 'fuzz', fetchedAt: '2026-12-01T00:00:00.000Z' };
  let parsed = 0;
  let refused = 0;
  let entries = 0;
  const failures: string[] = [];
  for (let n = 0; n < cases; n++) {
    const capture = captures[Math.floor(rand() * captures.length)]!;
    const body = mutate(capture.body, rand);
    try {
      const r = await parsePayload(capture.kind, body, ctx);
      for (const e of r.entries) {
        normaliseEntry(e);
        entries++;
      }
      parsed++;
    } catch (err) {
      if (err instanceof FeedParseError) refused++;
      else
        failures.push(
          `case ${n} (${capture.name}): ${(err as Error)?.constructor?.name} ${(err as Error)?.message?.slice(0, 100)}`,
        );
    }
    if (!prototypeClean()) failures.push(`case ${n} (${capture.name}): Object.prototype polluted`);
  }
  return {
    class: 'fuzz: mutated real captures (adapters + normaliser)',
    tried: cases,
    survived: cases - failures.length,
    expected: null,
    stored: null,
    duplicated: 0,
    lost: 0,
    notes:
      `${captures.length} captures, seed ${seed}: ${parsed} parsed (${entries} entries normalised), ` +
      `${refused} refused as FeedParseError${failures.length ? `; UNCLASSIFIED: ${failures.slice(0, 3).join(' | ')}` : ''}`,
    seconds: (Date.now() - t0) / 1000,
  };
}

// ---------- hostile payloads through the pipeline ----------
interface Hostile {
  group: string;
  name: string;
  kind: FeedKind;
  body: string;
  headers?: OutgoingHttpHeaders;
}

const fixture = (name: string) => readFileSync(join(HOSTILE, name), 'utf8');
const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const rssOf = (items: string, extraNs = '') =>
  `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"${extraNs}><channel><title>Hostile</title><link>http://127.0.0.1/</link><description>h</description>${items}</channel></rss>`;
const rssItem = (guid: string, title: string, link: string, extra = '') =>
  `<item><title>${title}</title><link>${link}</link><guid isPermaLink="false">${guid}</guid>${extra}</item>`;
const atomOf = (entries: string) =>
  `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Hostile</title>${entries}</feed>`;
const arxivApiEntry = (id: string, title: string, authors: string, summary = 'Abstract.') =>
  `<entry><id>http://arxiv.org/abs/${id}</id><title>${title}</title><updated>2026-11-02T09:00:00Z</updated><published>2026-11-02T09:00:00Z</published><summary>${summary}</summary>${authors}<link href="https://arxiv.org/abs/${id}" rel="alternate" type="text/html"/><category term="cs.LG" scheme="http://arxiv.org/schemas/atom"/></entry>`;
const hf = (paper: Record<string, unknown>, outer: Record<string, unknown> = {}) =>
  JSON.stringify([{ paper, publishedAt: '2026-11-20T10:00:00.000Z', numComments: 1, ...outer }]);

function hostilePayloads(): Hostile[] {
  const out: Hostile[] = [];
  const add = (group: string, name: string, kind: FeedKind, body: string, headers?: OutgoingHttpHeaders) =>
    out.push({ group, name, kind, body, ...(headers ? { headers } : {}) });
  // The sources issue's hostile fixtures, each with the adapters it targets.
  for (const kind of ['rss', 'atom', 'arxiv-rss', 'arxiv-api', 'reddit'] as const)
    add('hostile fixtures (sources issue)', `billion-laughs as ${kind}`, kind, fixture('billion-laughs.xml'));
  for (const kind of ['rss', 'arxiv-api'] as const)
    add('hostile fixtures (sources issue)', `xxe as ${kind}`, kind, fixture('xxe.xml'));
  add('hostile fixtures (sources issue)', 'truncated', 'arxiv-api', fixture('truncated.xml'));
  add('hostile fixtures (sources issue)', 'html page', 'rss', fixture('html-page.html'));
  add('hostile fixtures (sources issue)', 'xhtml page', 'atom', fixture('xhtml-page.xml'));
  add('hostile fixtures (sources issue)', 'hf hostile', 'hf-daily', fixture('hf-daily-hostile.json'));
  add('hostile fixtures (sources issue)', 'hn hostile', 'hn', fixture('hn-hostile.json'));
  add('hostile fixtures (sources issue)', 'reddit hostile', 'reddit', fixture('reddit-hostile.json'));
  add(
    'hostile fixtures (sources issue)',
    'empty weekend',
    'arxiv-rss',
    fixture('arxiv-rss-empty-weekend.xml'),
  );

  // Absurd dates.
  const dates = [
    'Thu, 31 Feb 99999 25:61:61 GMT',
    'Mon, 01 Jan 0001 00:00:00 GMT',
    '9999-12-31T23:59:59Z',
    '-271821-04-20T00:00:00Z',
    '1970-01-01T00:00:00Z',
    'yesterday',
  ];
  add(
    'absurd dates',
    'rss pubDates',
    'rss',
    rssOf(
      dates
        .map((d, i) =>
          rssItem(
            `date-${i}`,
            `Absurd date ${i} Zorbulat`,
            `https://arxiv.org/abs/2611.7000${i}`,
            `<pubDate>${d}</pubDate>`,
          ),
        )
        .join(''),
    ),
  );
  add(
    'absurd dates',
    'hn epoch seconds',
    'hn',
    JSON.stringify({
      hits: [1e20, -1e20, 0, 253_402_300_800, '1700000000'].map((t, i) => ({
        objectID: `hn-date-${i}`,
        title: `Absurd epoch ${i} Zorbulat`,
        url: `https://arxiv.org/abs/2611.7100${i}`,
        points: 1,
        num_comments: 0,
        created_at_i: t,
        created_at: 'not a date',
      })),
    }),
  );
  add(
    'absurd dates',
    'atom updated',
    'atom',
    atomOf(
      dates
        .map(
          (d, i) =>
            `<entry><id>urn:date:${i}</id><title>Atom absurd ${i} Zorbulat</title><link href="https://arxiv.org/abs/2611.7200${i}"/><updated>${d}</updated><published>${d}</published></entry>`,
        )
        .join(''),
    ),
  );

  // 10 MB abstract; 5,000 authors.
  const big = 'Lorem ipsum dolor sit amet. '.repeat(Math.ceil((10 * 1024 * 1024) / 28));
  add(
    '10 MB abstract',
    'atom summary',
    'atom',
    atomOf(
      `<entry><id>urn:big:1</id><title>Huge abstract Zorbulat</title><link href="https://arxiv.org/abs/2611.73001"/><summary>${big}</summary></entry>`,
    ),
  );
  add(
    '10 MB abstract',
    'hf summary',
    'hf-daily',
    hf({ id: '2611.73002', title: 'Huge HF abstract Zorbulat', summary: big, authors: [{ name: 'A' }] }),
  );
  const authors = Array.from(
    { length: 5000 },
    (_, i) => `<author><name>Author Number${i} Quux</name></author>`,
  ).join('');
  add(
    '5,000 authors',
    'arxiv-api',
    'arxiv-api',
    `<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">${arxivApiEntry('2611.74001v1', 'Five thousand authors Zorbulat', authors)}</feed>`,
  );
  add(
    '5,000 authors',
    'hf',
    'hf-daily',
    hf({
      id: '2611.74002',
      title: 'Five thousand HF authors Zorbulat',
      authors: Array.from({ length: 5000 }, (_, i) => ({ name: `Author ${i}` })),
    }),
  );

  // Control characters: raw in XML (not well-formed), escaped in JSON (valid strings).
  const ctl = Array.from({ length: 31 }, (_, i) => String.fromCharCode(i + 1)).join('');
  add(
    'control characters',
    'raw in rss',
    'rss',
    rssOf(rssItem('ctl-1', `Control ${ctl} chars`, 'https://arxiv.org/abs/2611.75001')),
  );
  add(
    'control characters',
    'escaped in hf json',
    'hf-daily',
    hf({
      id: '2611.75002',
      title: `Control\u0000\u0007\u001b[31m chars\u202e Zorbulat`,
      summary: `NUL\u0000 BEL\u0007 ESC\u001b`,
      authors: [{ name: `Ctl\u0000Author` }],
    }),
  );
  add(
    'control characters',
    'escaped in hn json',
    'hn',
    JSON.stringify({
      hits: [
        {
          objectID: 'ctl\u0000id',
          title: 'Ctl\u0001\u0002 HN Zorbulat',
          url: 'https://arxiv.org/abs/2611.75003',
          points: 1,
        },
      ],
    }),
  );

  // __proto__ / constructor element and key names.
  add(
    '__proto__/constructor names',
    'rss elements and attributes',
    'rss',
    rssOf(
      `<__proto__><polluted>yes</polluted></__proto__>${rssItem('proto-1', 'Proto element Zorbulat', 'https://arxiv.org/abs/2611.76001', '<__proto__>x</__proto__><constructor><prototype><polluted>1</polluted></prototype></constructor><category __proto__="p" constructor="c">ml</category>')}`,
    ),
  );
  add(
    '__proto__/constructor names',
    'atom',
    'atom',
    atomOf(
      `<entry __proto__="x"><id>urn:proto:2</id><title>Proto atom Zorbulat</title><link href="https://arxiv.org/abs/2611.76002"/><author><name>A</name><__proto__>q</__proto__></author><constructor>c</constructor></entry>`,
    ),
  );
  add(
    '__proto__/constructor names',
    'reddit json keys',
    'reddit',
    `{"kind":"Listing","__proto__":{"polluted":1},"data":{"constructor":{"prototype":{"polluted":1}},"children":[{"kind":"t3","__proto__":{"polluted":1},"data":{"__proto__":{"title":"from proto"},"name":"t3_proto1","id":"proto1","title":"Proto reddit Zorbulat","url":"https://arxiv.org/abs/2611.76003","score":3,"num_comments":1,"created_utc":1764000000,"subreddit":"MachineLearning","permalink":"/r/MachineLearning/comments/proto1/x/"}}]}}`,
  );

  // `$` and `.` in field names: payload keys, and response header names (archived with the payload).
  add(
    '$ and . in field names',
    'hf json keys',
    'hf-daily',
    hf(
      {
        id: '2611.77001',
        title: 'Dollar keys Zorbulat',
        $where: 'sleep(1000)',
        'a.b': 1,
        $set: { polluted: 1 },
        authors: [{ name: 'A', $gt: '' }],
      },
      { $where: '1', 'x.y': 2 },
    ),
  );
  add(
    '$ and . in field names',
    'response header names',
    'rss',
    rssOf(rssItem('hdr-1', 'Header names Zorbulat', 'https://arxiv.org/abs/2611.77002')),
    {
      $where: 'sleep(1)',
      'x.y': 'dotted',
      $set: 'x',
    },
  );

  // Ids that look like operators.
  add(
    'operator-like ids',
    'rss guids',
    'rss',
    rssOf(
      ['{"$gt":""}', '$where', '$ne', '{"$regex":".*"}']
        .map((g, i) => rssItem(xml(g), `Operator guid ${i} Zorbulat`, `https://lab.example.org/op/${i}`))
        .join(''),
    ),
  );
  add(
    'operator-like ids',
    'hn objectIDs',
    'hn',
    JSON.stringify({
      hits: [
        {
          objectID: { $ne: null },
          title: 'Object id Zorbulat',
          url: 'https://arxiv.org/abs/2611.78001',
          points: 1,
        },
        { objectID: '$gt', title: 'Dollar id Zorbulat', url: 'https://arxiv.org/abs/2611.78002', points: 1 },
      ],
    }),
  );
  add(
    'operator-like ids',
    'hf paper ids',
    'hf-daily',
    JSON.stringify([
      { paper: { id: { $ne: '' }, title: 'Object paper id Zorbulat' } },
      { paper: { id: '$ne', title: 'Dollar paper id Zorbulat' } },
    ]),
  );
  add(
    'operator-like ids',
    'arxiv-api ids',
    'arxiv-api',
    `<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom">${arxivApiEntry('$ne', 'Dollar arxiv id Zorbulat', '<author><name>A</name></author>')}${arxivApiEntry('{"$gt":""}', 'Object arxiv id Zorbulat', '<author><name>A</name></author>')}</feed>`,
  );
  add(
    'operator-like ids',
    'reddit names',
    'reddit',
    JSON.stringify({
      kind: 'Listing',
      data: {
        children: [
          {
            kind: 't3',
            data: {
              name: '$where',
              id: '$gt',
              title: 'Dollar reddit Zorbulat',
              url: 'https://arxiv.org/abs/2611.78003',
              created_utc: 1764000000,
              subreddit: 'ML',
              permalink: '/r/ML/comments/x/y/',
            },
          },
        ],
      },
    }),
  );
  return out;
}

const CONTROL_IDS = ['2611.79001', '2611.79002', '2611.79003'];
const controlFeed = () =>
  rssOf(
    CONTROL_IDS.map((id, i) =>
      rssItem(`control-${i}`, `Control paper ${i} Vantrelo`, `https://arxiv.org/abs/${id}v1`),
    ).join(''),
  );

/** Keys starting with `$` anywhere in any stored document. */
async function dollarKeys(db: Db): Promise<string[]> {
  const found: string[] = [];
  const walk = (v: unknown, path: string) => {
    if (Array.isArray(v)) {
      for (const [i, x] of v.entries()) walk(x, `${path}.${i}`);
    } else if (v && typeof v === 'object' && !(v instanceof Date) && v.constructor?.name === 'Object') {
      for (const [k, x] of Object.entries(v)) {
        if (k.startsWith('$') || k === '__proto__' || k === 'polluted') found.push(`${path}.${k}`);
        walk(x, `${path}.${k}`);
      }
    }
  };
  for (const { name } of await db.listCollections().toArray()) {
    for await (const doc of db.collection(name).find({})) walk(doc, name);
  }
  return found;
}

export const badInput: Scenario = {
  name: 'bad-input',
  ci: true,
  async run({ options, secrets, sink, cleanup, dir, say }) {
    const rows: Row[] = [await fuzzRow(options.seed, options.fuzzCases)];
    say(rows[0]!.notes);

    const t0 = Date.now();
    const redis = await startOwnRedis(dir, secrets.redisPassword, cleanup);
    const ferret = await startOwnFerret(dir, cleanup);
    const prefix = uniq('badinput');
    const mongoUri = ferret.uri('pw_badinput');
    const payloads = hostilePayloads();
    const server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0]!;
      if (path === '/control.xml')
        return void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(controlFeed());
      const p = payloads[Number(path.slice(1))];
      if (!p) return void res.writeHead(404).end();
      const type = p.body.trimStart().startsWith('<') ? 'application/xml' : 'application/json';
      res.writeHead(200, { 'content-type': type, ...p.headers }).end(p.body);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    cleanup.add('hostile server', async () => {
      server.closeAllConnections();
      server.close();
    });
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const env = pipelineEnv(mongoUri, redis.url, prefix, dir, secrets, { FETCH_TOTAL_TIMEOUT_MS: '20000' });
    const rt = await runnerRuntime(mongoUri, redis.url, prefix, sink, cleanup);
    const db = await mongoDb(mongoUri, cleanup);
    const procs = [
      await spawnCli('fetcher', ['start', '--only', 'fetcher'], env, sink, cleanup, READY),
      await spawnCli('resolver', ['start', '--only', 'resolver'], env, sink, cleanup, READY),
    ];
    const registry = feedRegistry(rt.db, rt.queues);
    const ids: string[] = [];
    for (const [i, p] of payloads.entries())
      ids.push(
        (await registry.add({ url: `${origin}/${i}`, kind: p.kind, intervalMinutes: 1440 }, new Date()))._id,
      );
    const control = await registry.add(
      { url: `${origin}/control.xml`, kind: 'rss', intervalMinutes: 1440 },
      new Date(),
    );

    let feeds = new Map<string, Feed>();
    await waitUntil(
      'every hostile feed fetched or classified',
      async () => {
        feeds = new Map(
          ((await db.collection('feeds').find({}).toArray()) as unknown as Feed[]).map((f) => [f._id, f]),
        );
        const done = [...ids, control._id].filter((id) => {
          const f = feeds.get(id);
          return f && (f.state.lastSuccessAt || f.health.lastError);
        }).length;
        return done === ids.length + 1 || `${done}/${ids.length + 1}`;
      },
      600_000,
      500,
    );
    await waitDrained(rt, 600_000, ['fetch', 'resolve']);
    feeds = new Map(
      ((await db.collection('feeds').find({}).toArray()) as unknown as Feed[]).map((f) => [f._id, f]),
    );
    const alive = procs.every((p) => !exited(p.child));
    const bad = await dollarKeys(db);
    const observationsOf = async (feedId: string) =>
      db.collection('observations').countDocuments({ 'provenance.feedId': feedId });

    const groups = new Map<string, { tried: number; survived: number; stored: number; outcomes: string[] }>();
    for (const [i, p] of payloads.entries()) {
      const f = feeds.get(ids[i]!);
      const g = groups.get(p.group) ?? { tried: 0, survived: 0, stored: 0, outcomes: [] };
      groups.set(p.group, g);
      g.tried++;
      const cls = f?.health.lastError?.errorClass;
      const stored = f ? await observationsOf(f._id) : 0;
      g.stored += stored;
      const storedOk = f?.state.lastSuccessAt && !f.health.lastError;
      const classified = cls !== undefined && (FEED_ERROR_CLASSES as readonly string[]).includes(cls);
      if (alive && (storedOk || classified)) g.survived++;
      g.outcomes.push(`${p.name}: ${storedOk ? `stored ${stored}` : `${cls ?? 'NO OUTCOME'}`}`);
    }
    for (const [group, g] of groups) {
      rows.push({
        class: `bad input: ${group}`,
        tried: g.tried,
        survived: bad.length === 0 ? g.survived : 0,
        expected: null,
        stored: g.stored,
        duplicated: 0,
        lost: 0,
        notes: g.outcomes.join('; '),
      });
    }
    const controlPapers = await db
      .collection<{ _id: string }>('papers')
      .countDocuments({ _id: { $in: CONTROL_IDS.map((id) => `arxiv:${id}`) } });
    rows.push({
      class: 'bad input: healthy feed beside the hostile ones',
      tried: 1,
      survived: alive && controlPapers === CONTROL_IDS.length && bad.length === 0 ? 1 : 0,
      expected: CONTROL_IDS.length,
      stored: controlPapers,
      duplicated: 0,
      lost: CONTROL_IDS.length - controlPapers,
      notes: `${alive ? 'fetcher and resolver never exited' : 'A PROCESS EXITED'}; keys starting with $ (or __proto__/polluted) in stored documents: ${bad.length ? bad.slice(0, 5).join(', ') : 'none'}`,
      seconds: (Date.now() - t0) / 1000,
    });
    for (const p of procs) await p.stop();
    return rows;
  },
};

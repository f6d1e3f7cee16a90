// file:// feeds as an attacker (through the API) and a careless operator (through the CLI) would try them:
// `file:///etc/passwd`, a folder, a `..` escape, a symlink out of PAPERWIRE_FILE_FEEDS_ROOT (file and
// folder), against a real `paperwire start --only api,fetcher,scheduler` on this scenario's own servers.
// A file outside the root holds a random secret (it joins the secrets the final row looks for in every log
// line); a case survives if it is refused and nothing was registered. Afterwards the secret is searched in
// every collection, GET /feeds, every CLI output: the bytes of local files disclosed must be 0. Also: an
// enabled file feed outside the root is disabled at start, and one pointed outside behind the registry's
// back is refused by the fetcher when it reads. A file inside the root, added with the CLI, is ingested
// (its entries are the row's expected/stored).
import { randomBytes } from 'node:crypto';
import { mkdir, realpath, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { feedRegistry } from '@paperwire/runtime';
import { freePort } from '../../../infra/local/src/redis.ts';
import {
  mongoDb,
  pipelineEnv,
  type Row,
  runCliToEnd,
  runnerRuntime,
  type Scenario,
  spawnCli,
  startOwnFerret,
  startOwnRedis,
  uniq,
  waitUntil,
} from '../support.ts';

const ENTRIES = 3;

export const fileFeeds: Scenario = {
  name: 'file-feeds',
  ci: true,
  async run({ secrets, sink, cleanup, dir, say }) {
    const t0 = Date.now();
    const secret = `FILESECRET-${randomBytes(10).toString('hex')}`;
    secrets.localFileSecret = secret;
    const root = join(await realpath(dir), 'root');
    const outside = join(await realpath(dir), 'outside');
    await mkdir(root);
    await mkdir(outside);
    const item = (n: number, title: string) =>
      `<item><title>${title} ${n}</title><guid>file-${n}</guid><link>https://example.org/file/${n}</link></item>`;
    const rss = (title: string, n: number) =>
      `<?xml version="1.0"?><rss version="2.0"><channel><title>${title}</title>${Array.from({ length: n }, (_, i) => item(i + 1, title)).join('')}</channel></rss>`;
    await writeFile(join(root, 'lab.xml'), rss('Inside the root', ENTRIES));
    // Outside: a feed that would parse (so a read would store it) and a passwd-like file that would not.
    await writeFile(join(outside, 'secret.xml'), rss(secret, 2));
    await writeFile(join(outside, 'passwd'), `root:x:0:0:${secret}:/root:/bin/bash\n`);
    await symlink(join(outside, 'secret.xml'), join(root, 'link-out.xml'));
    await symlink(outside, join(root, 'link-dir'));
    const file = (p: string) => pathToFileURL(p).href;
    const escapes: [string, string][] = [
      ['/etc/passwd', 'file:///etc/passwd'],
      ['/etc/ (a folder)', 'file:///etc/'],
      ['a file outside the root', file(join(outside, 'passwd'))],
      ['`..` out of the root', `${file(root)}/../outside/secret.xml`],
      ['encoded `..` out of the root', `${file(root)}/%2e%2e/outside/secret.xml`],
      ['a symlink out of the root', file(join(root, 'link-out.xml'))],
      ['a symlinked folder out of the root', file(join(root, 'link-dir'))],
      ['a file through a symlinked folder', file(join(root, 'link-dir', 'secret.xml'))],
    ];

    const redis = await startOwnRedis(dir, secrets.redisPassword, cleanup);
    const ferret = await startOwnFerret(dir, cleanup);
    const prefix = uniq('files');
    const mongoUri = ferret.uri('pw_files');
    const rt = await runnerRuntime(mongoUri, redis.url, prefix, sink, cleanup);
    const db = await mongoDb(mongoUri, cleanup);
    const admin = (await rt.db.apiKeys.create('res-files-admin', ['admin'], new Date())).key;
    secrets.fileFeedsAdminKey = admin;

    // Registered while the operator's root was `outside` (or before roots existed): must not be read.
    const before = feedRegistry(rt.db, rt.queues, { fileFeeds: { root: outside } });
    const stale = await before.add(
      { url: file(join(outside, 'secret.xml')), kind: 'rss', intervalMinutes: 60 },
      new Date(),
    );

    const port = await freePort();
    const env = pipelineEnv(mongoUri, redis.url, prefix, dir, secrets, {
      PORT: String(port),
      HOST: '127.0.0.1',
      API_RATE_LIMIT_PER_MINUTE: '100000',
      PAPERWIRE_FILE_FEEDS_ROOT: root,
    });
    const proc = await spawnCli(
      'file-feeds',
      ['start', '--only', 'api,fetcher,scheduler'],
      env,
      sink,
      cleanup,
      /paperwire: started/,
    );
    const base = `http://127.0.0.1:${port}`;
    await waitUntil('api ready', async () => (await fetch(`${base}/health`)).ok || 'not ready', 60_000);
    const feedCount = () => db.collection('feeds').countDocuments();
    const outputs: string[] = [];

    // 1. Through the API: every file: URL is a 400, inside the root or not.
    const apiCases: [string, string][] = [
      ...escapes,
      ['a file inside the root', file(join(root, 'lab.xml'))],
    ];
    const apiFailures: string[] = [];
    let apiSurvived = 0;
    for (const [name, url] of apiCases) {
      const count = await feedCount();
      const res = await fetch(`${base}/feeds`, {
        method: 'POST',
        headers: { 'x-api-key': admin, 'content-type': 'application/json' },
        body: JSON.stringify({ url, kind: 'rss' }),
      });
      const body = await res.text();
      outputs.push(body);
      if (res.status === 400 && (await feedCount()) === count) apiSurvived++;
      else apiFailures.push(`${name}: ${res.status}`);
    }
    const resume = await fetch(`${base}/feeds/${stale._id}`, {
      method: 'PATCH',
      headers: { 'x-api-key': admin, 'content-type': 'application/json' },
      body: JSON.stringify({ enabled: true }),
    });
    outputs.push(await resume.text());
    if (resume.status !== 400) apiFailures.push(`resume of a file feed: ${resume.status}`);
    else apiSurvived++;
    say(`API: ${apiSurvived}/${apiCases.length + 1} refused`);

    // 2. Through the CLI, with the root set: every escape refused; the file inside is added.
    const cliFailures: string[] = [];
    let cliSurvived = 0;
    for (const [name, url] of escapes) {
      const count = await feedCount();
      const res = await runCliToEnd(
        'cli-file-feeds',
        ['feeds', 'add', url, '--kind', 'rss'],
        env,
        sink,
        cleanup,
      );
      outputs.push(res.output);
      if (
        res.code === 1 &&
        /outside PAPERWIRE_FILE_FEEDS_ROOT/.test(res.output) &&
        (await feedCount()) === count
      )
        cliSurvived++;
      else cliFailures.push(`${name}: exit ${res.code}`);
    }
    const noRoot = await runCliToEnd(
      'cli-file-feeds',
      ['feeds', 'add', file(join(root, 'lab.xml')), '--kind', 'rss'],
      { ...env, PAPERWIRE_FILE_FEEDS_ROOT: '' },
      sink,
      cleanup,
    );
    outputs.push(noRoot.output);
    if (noRoot.code === 1 && /set PAPERWIRE_FILE_FEEDS_ROOT/.test(noRoot.output)) cliSurvived++;
    else cliFailures.push(`without a root: exit ${noRoot.code}`);
    const added = await runCliToEnd(
      'cli-file-feeds',
      ['feeds', 'add', file(join(root, 'lab.xml')), '--kind', 'rss'],
      env,
      sink,
      cleanup,
    );
    outputs.push(added.output);
    // The output mixes stdout and stderr: the feed is looked up by its URL instead.
    const labId = (await rt.db.feeds.findByUrl(file(join(root, 'lab.xml'))))?._id;
    say(`CLI: ${cliSurvived}/${escapes.length + 1} refused; inside the root: exit ${added.code}`);

    // 3. At start and at read: the stale feed was disabled by the scheduler; a feed pointed outside behind
    // the registry's back is refused by the fetcher.
    const laterFailures: string[] = [];
    let laterSurvived = 0;
    const staleNow = await rt.db.feeds.get(stale._id);
    if (staleNow && !staleNow.enabled && /disabled at start/.test(staleNow.health.lastError?.message ?? ''))
      laterSurvived++;
    else laterFailures.push(`stale feed: enabled=${staleNow?.enabled}`);
    const inside = feedRegistry(rt.db, rt.queues, { fileFeeds: { root } });
    const swapped = await inside.add(
      { url: file(join(root, 'placeholder.xml')), kind: 'rss', intervalMinutes: 60 },
      new Date(),
    );
    await db
      .collection('feeds')
      .updateOne({ _id: swapped._id as never }, { $set: { url: file(join(outside, 'secret.xml')) } });
    await inside.fetchNow(swapped._id, 'manual', new Date());
    if (labId) await inside.fetchNow(labId, 'manual', new Date());
    await waitUntil(
      'the swapped feed to fail and the lab feed to be stored',
      async () => {
        const s = await rt.db.feeds.get(swapped._id);
        const lab = labId ? await rt.db.feeds.get(labId) : undefined;
        return (s?.health.lastError !== undefined && (!labId || lab?.health.status === 'ok')) || 'not yet';
      },
      90_000,
    );
    const swappedNow = await rt.db.feeds.get(swapped._id);
    if (swappedNow?.health.lastError?.errorClass === 'blocked') laterSurvived++;
    else laterFailures.push(`swapped feed: ${swappedNow?.health.lastError?.errorClass ?? 'read'}`);

    // What was read: the secret anywhere in the database, the API's answers, the CLI's output.
    const feedsBody = await (await fetch(`${base}/feeds`)).text();
    outputs.push(feedsBody);
    let disclosed = 0;
    for (const name of ['feeds', 'payloads', 'observations', 'papers']) {
      const text = JSON.stringify(await db.collection(name).find({}).toArray());
      disclosed += text.split(secret).length - 1;
    }
    for (const text of [...outputs, proc.output()]) disclosed += text.split(secret).length - 1;
    const payloadUrls = (await db.collection('payloads').find({}).toArray()).map((p) => String(p.url));
    const readOutside = payloadUrls.filter((u) => !u.startsWith(file(root))).length;
    const stored = labId
      ? await db.collection('observations').countDocuments({ 'provenance.feedId': labId })
      : 0;
    await proc.stop();

    const seconds = (Date.now() - t0) / 1000;
    const common = `bytes of local files disclosed: ${disclosed}; payloads read from outside the root: ${readOutside}`;
    const ok = disclosed === 0 && readOutside === 0;
    const row = (cls: string, tried: number, survived: number, failures: string[], notes: string): Row => ({
      class: cls,
      tried,
      survived: ok ? survived : 0,
      expected: null,
      stored: null,
      duplicated: 0,
      lost: 0,
      notes: `${notes}; ${common}${failures.length ? `; FAILED: ${failures.join(' | ')}` : ''}`,
      seconds,
    });
    return [
      row(
        'file feeds: escapes via the API',
        apiCases.length + 1,
        apiSurvived,
        apiFailures,
        `POST /feeds with ${apiCases.map(([n]) => n).join(', ')}, and PATCH resuming a file feed: 400, nothing registered`,
      ),
      {
        ...row(
          'file feeds: escapes via the CLI',
          escapes.length + 1,
          cliSurvived,
          cliFailures,
          `feeds add refused (exit 1) for every escape and without a root; a file inside the root added and read (${stored}/${ENTRIES} entries)`,
        ),
        expected: ENTRIES,
        stored,
        lost: Math.max(0, ENTRIES - stored),
      },
      row(
        'file feeds: outside the root at start and at read',
        2,
        laterSurvived,
        laterFailures,
        'an enabled file feed outside the root disabled at start with its reason; one pointed outside behind the registry refused by the fetcher as blocked',
      ),
    ];
  },
};

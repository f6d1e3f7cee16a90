// kill -9 during an ingest, then re-ingest. The seeded corpus is ingested by 2 fetcher, 2 resolver and a
// scorer process (`paperwire start --only …`) on a Redis and a FerretDB of this scenario's own. Five times,
// at seeded random points of the progress, one fetcher (while fetches are active) or resolver is killed
// with SIGKILL and a replacement started; the killed job's lock expires and another worker takes it over.
// End state: exactly the expected papers and sightings, none twice, none lost, nothing in the failed set.
// Then every feed is fetched again (304s) and every archived payload replayed through the ingest path:
// neither may write a document.
import { createHash } from 'node:crypto';
import type { Db } from 'mongodb';
import { mulberry32 } from '../../support/random.ts';
import {
  compare,
  comparisonNotes,
  comparisonOk,
  fetchAll,
  registerFeeds,
  servedCorpus,
} from '../corpus-truth.ts';
import { counts, drainedOrNote, failedCounts, failedReasons, pending, waitDrained } from '../pipeline.ts';
import {
  mongoDb,
  type Proc,
  pipelineEnv,
  READY,
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

const KILLS = 5;

/** A digest of every paper document: re-ingesting must leave it byte-identical. */
async function papersDigest(db: Db): Promise<string> {
  const hash = createHash('sha256');
  for await (const p of db.collection('papers').find({}).sort({ _id: 1 })) hash.update(JSON.stringify(p));
  return hash.digest('hex').slice(0, 16);
}

export const kill9: Scenario = {
  name: 'kill9',
  ci: true,
  async run({ options, secrets, sink, cleanup, dir, say }) {
    const rows: Row[] = [];
    const t0 = Date.now();
    const redis = await startOwnRedis(dir, secrets.redisPassword, cleanup);
    const ferret = await startOwnFerret(dir, cleanup);
    const prefix = uniq('kill9');
    const mongoUri = ferret.uri('pw_kill9');
    const env = pipelineEnv(mongoUri, redis.url, prefix, dir, secrets, {
      // The feed lock of a killed fetch expires after 2 × this + 60 s.
      FETCH_TOTAL_TIMEOUT_MS: '10000',
      FETCH_CONCURRENCY: '2',
    });
    const truth = await servedCorpus(options.seed, options.entries, sink, cleanup);
    const rt = await runnerRuntime(mongoUri, redis.url, prefix, sink, cleanup);
    const db = await mongoDb(mongoUri, cleanup);
    await registerFeeds(rt, truth);
    say(`${truth.corpus.entries} entries, ${truth.corpus.papers} papers, ${truth.feedIds.length} feeds`);

    let serial = 0;
    const start = (role: 'fetcher' | 'resolver' | 'scorer') =>
      spawnCli(`${role}-${++serial}`, ['start', '--only', role], env, sink, cleanup, READY);
    const procs: { role: 'fetcher' | 'resolver'; proc: Proc }[] = [];
    for (const role of ['fetcher', 'fetcher', 'resolver', 'resolver'] as const)
      procs.push({ role, proc: await start(role) });
    const scorer = await start('scorer');

    const random = mulberry32(options.seed ^ 0x9e37);
    // Kill points: fractions of the work done (observations stored, then papers resolved), sorted.
    const points = Array.from({ length: KILLS }, (_, i) =>
      i === 0 ? 0 : 0.05 + (0.85 * (i - 1 + random())) / (KILLS - 1),
    );
    await fetchAll(rt, truth);
    const killed: string[] = [];
    for (const point of points) {
      let victimRole: 'fetcher' | 'resolver' = 'resolver';
      const coin = random();
      await waitUntil(
        `progress ${point.toFixed(2)}`,
        async () => {
          const c = await counts(db);
          const left = await pending(rt, ['fetch', 'resolve']);
          const fetchActive = await rt.queues.byName.fetch.getActiveCount();
          const fetchWaiting = await rt.queues.byName.fetch.getWaitingCount();
          const resolveActive = await rt.queues.byName.resolve.getActiveCount();
          const progress = (c.observations! / truth.paperOf.size + c.papers! / truth.corpus.papers) / 2;
          // The first kill hits a fetcher mid-fetch; later ones a fetcher while fetches are still waiting
          // (a killed fetch stays active until its lock expires, so active alone says nothing), else a
          // resolver.
          if (point === 0) {
            victimRole = 'fetcher';
            return fetchActive > 0 || `fetch active ${fetchActive}`;
          }
          victimRole = fetchWaiting > 0 && coin < 0.5 ? 'fetcher' : 'resolver';
          if (left.fetch === 0 && left.resolve === 0) return true; // nothing left to interrupt
          return (progress >= point && resolveActive + fetchActive > 0) || `progress ${progress.toFixed(3)}`;
        },
        600_000,
        50,
      );
      const candidates = procs.filter((p) => p.role === victimRole);
      const victim = candidates[Math.floor(random() * candidates.length)]!;
      victim.proc.child.kill('SIGKILL');
      await new Promise((r) => victim.proc.child.once('exit', r));
      killed.push(victim.proc.name);
      say(`killed ${victim.proc.name} (-9) at ${point.toFixed(2)}`);
      procs.splice(procs.indexOf(victim), 1);
      procs.push({ role: victim.role, proc: await start(victim.role) });
    }
    // A killed job comes back after its lock (60 s) expires and the stalled check runs.
    const drained = await drainedOrNote(rt, 900_000, ['fetch', 'resolve']);
    const c = await compare(db, truth);
    const failed = await failedCounts(rt, ['fetch', 'resolve']);
    const nFailed = failed.fetch! + failed.resolve!;
    rows.push({
      class: `kill -9 fetcher/resolver ×${KILLS} during ingest`,
      tried: KILLS,
      survived: comparisonOk(c) && nFailed === 0 && drained === '' ? KILLS : 0,
      expected: c.expected,
      stored: c.stored,
      duplicated: c.duplicated,
      lost: c.lost,
      notes: `${drained}killed ${killed.join(', ')}; ${comparisonNotes(c)}; failed jobs ${nFailed}${nFailed ? ` (${await failedReasons(rt, ['fetch', 'resolve'])})` : ''}`,
      seconds: (Date.now() - t0) / 1000,
    });

    // Re-ingest 1: every feed again; the server answers 304.
    const t1 = Date.now();
    const before = await counts(db);
    const digest = await papersDigest(db);
    const requests = truth.server.requests.length;
    await fetchAll(rt, truth);
    await waitDrained(rt, 300_000, ['fetch', 'resolve']);
    const after304 = await counts(db);
    const changed304 = Object.keys(before).filter((k) => before[k] !== after304[k]);
    const digest304 = await papersDigest(db);
    const not304 = truth.server.requests.slice(requests).filter((r) => r.status !== 304).length;
    // Re-ingest 2: every archived payload re-parsed and stored through the fetch job's ingest path.
    const replay = await runCliToEnd(
      'replay',
      ['replay', '--json'],
      { ...env, LOG_LEVEL: 'warn' },
      sink,
      cleanup,
      900_000,
    );
    await waitDrained(rt, 300_000, ['fetch', 'resolve']);
    const afterReplay = await counts(db);
    const changedReplay = Object.keys(before).filter((k) => before[k] !== afterReplay[k]);
    const digestReplay = await papersDigest(db);
    const c2 = await compare(db, truth);
    const newDocs = Object.keys(before).reduce((n, k) => n + Math.max(0, afterReplay[k]! - before[k]!), 0);
    const ok304 = changed304.length === 0 && digest304 === digest && not304 === 0;
    const okReplay = replay.code === 0 && changedReplay.length === 0 && digestReplay === digest;
    rows.push({
      class: 're-ingest everything (304, then replay)',
      tried: 2,
      survived: (ok304 ? 1 : 0) + (okReplay ? 1 : 0),
      expected: c2.expected,
      stored: c2.stored,
      duplicated: c2.duplicated + newDocs,
      lost: c2.lost,
      notes:
        `new documents ${newDocs}; papers digest ${digest === digest304 && digest === digestReplay ? 'unchanged' : 'CHANGED'}` +
        `; non-304 answers ${not304}; replay exit ${replay.code}` +
        (changed304.length + changedReplay.length
          ? `; changed: ${[...changed304, ...changedReplay].join(',')}`
          : ''),
      seconds: (Date.now() - t1) / 1000,
    });
    for (const p of [...procs.map((x) => x.proc), scorer]) await p.stop();
    return rows;
  },
};

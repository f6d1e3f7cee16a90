// The near-duplicate index: which papers' titles fall in each LSH band, and the title variants each paper was
// seen under, in Redis, where a whole batch's bands cost one pipelined round trip instead of a database
// read per band key (16 per title). MongoDB stays the system of record: the index is rebuilt from `papers`
// whenever it is missing, and a generation written to both tells a current index from a flushed, lost or
// foreign one, so the resolver never reads an empty index as "no near-duplicates".
//
// Layout, under `<prefix>:pw:near:` (hashes, so Redis keeps small ones packed):
//   b:lsh:<band>:<3 hex>  field <rest of the band hash>  → paper ids, one per line, oldest first (≤ 50)
//   e:<3 hex>             field <paper id>               → its title variants, `<title hash>\t<JSON>` lines (≤ 8)
//   gen                                                  → the generation the index was built for
// Both lists only grow (a merged-away id keeps its place; the resolver follows its redirect), so they are
// appended to by one script, atomically and idempotently, by resolvers and a rebuild alike: a retried
// batch appends nothing twice, and no writer reads and rewrites another's list.
import { createHash, randomUUID } from 'node:crypto';
import {
  type Author,
  candidateOfNearEntry,
  dedupBandKeys,
  MAX_BAND_PAPERS,
  MAX_NEAR_VARIANTS,
  type NearEntry,
  nearEntryOfPaper,
  type PaperIds,
  PipelineError,
} from '@paperwire/core';
import type { Locks, Logger } from '@paperwire/platform';
import type { Redis } from 'ioredis';

/** What a rebuild reads from the system of record (the `nearDuplicates` repository of @paperwire/db). */
export interface NearIndexSource {
  scanPapers(
    pageSize?: number,
  ): AsyncIterable<{ _id: string; title: string; authors: Author[]; ids: PaperIds }[]>;
  generation(): Promise<string | undefined>;
  setGeneration(generation: string, at: Date): Promise<void>;
}

export interface NearIndexRead {
  /** Band key → the papers in it (ids as written, possibly merged away since). */
  bands: Map<string, string[]>;
  /** Paper id → its title variants (every paper named by `bands`). */
  variants: Map<string, NearEntry[]>;
}

export interface RebuildReport {
  generation: string;
  papers: number;
  seconds: number;
}

/**
 * Appends line ARGV[3k+1] to field ARGV[3k] of KEYS[k] unless a line with identity ARGV[3k+2] is there
 * (a line's identity: the text before its first tab, or all of it), keeping the newest ARGV[1] lines.
 */
const APPEND = `
local cap = tonumber(ARGV[1])
for k = 1, #KEYS do
  local field, line, ident = ARGV[3 * k - 1], ARGV[3 * k], ARGV[3 * k + 1]
  local cur = redis.call('HGET', KEYS[k], field)
  if not cur then
    redis.call('HSET', KEYS[k], field, line)
  else
    local lines, found = {}, false
    for v in string.gmatch(cur, '[^\\n]+') do
      lines[#lines + 1] = v
      local tab = string.find(v, '\\t', 1, true)
      if (tab and string.sub(v, 1, tab - 1) or v) == ident then found = true end
    end
    if not found then
      lines[#lines + 1] = line
      local from = math.max(1, #lines - cap + 1)
      redis.call('HSET', KEYS[k], field, table.concat(lines, '\\n', from))
    end
  end
end
return 1`;

/** Pairs per APPEND call: a few thousand keeps each script short. */
const APPEND_CHUNK = 2_000;
/** Papers per page of a rebuild. */
const REBUILD_PAGE = 1_000;
/**
 * A rebuild of a large database takes minutes and others wait for it: the lock is renewed while it runs, and
 * its short TTL frees it within 30 s when its holder dies mid-way (the next one starts over).
 */
const REBUILD_LOCK = { ttlMs: 30_000, waitMs: 30 * 60_000, extendWaitMs: 1_000, renew: true } as const;

/** The index was lost (Redis flushed or replaced) while a batch was using it: retry, which rebuilds it. */
export class NearIndexLost extends PipelineError {
  constructor() {
    super('near-duplicate index: Redis lost it mid-batch; the retry rebuilds it from MongoDB', {
      code: 'near-index-lost',
      retryable: true,
    });
  }
}

const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');
const bucketOf = (paperId: string) => sha1(paperId).slice(0, 3);
/** A variant's identity in its list: its title's, short (a collision would only drop a variant). */
const titleIdentity = (title: string) => sha1(title).slice(0, 12);

export function nearIndex(
  redis: Redis,
  prefix: string,
  source: NearIndexSource,
  locks: Pick<Locks, 'withLocks'>,
  log?: Logger,
) {
  const root = `${prefix}:pw:near:`;
  const genKey = `${root}gen`;
  /** Band key `lsh:<b>:<hex>` → its hash and field: the first three hex digits pick the hash. */
  const bandSlot = (key: string): [string, string] => {
    const cut = key.lastIndexOf(':') + 4;
    return [`${root}b:${key.slice(0, cut)}`, key.slice(cut)];
  };
  const variantSlot = (paperId: string): [string, string] => [`${root}e:${bucketOf(paperId)}`, paperId];
  /** The generation this process last saw in MongoDB (it changes only when the index is rebuilt). */
  let known: string | undefined;

  /** One line per [hash, field, line, identity], appended where absent, at most `cap` per field. */
  async function append(items: readonly (readonly [string, string, string, string])[], cap: number) {
    for (let i = 0; i < items.length; i += APPEND_CHUNK) {
      const chunk = items.slice(i, i + APPEND_CHUNK);
      const argv = chunk.flatMap(([, field, line, ident]) => [field, line, ident]);
      await redis.eval(APPEND, chunk.length, ...chunk.map(([key]) => key), cap, ...argv);
    }
  }
  const bandLine = (band: string, paperId: string) => {
    const [key, field] = bandSlot(band);
    return [key, field, paperId, paperId] as const;
  };
  const variantLine = (entry: NearEntry) => {
    const [key, field] = variantSlot(entry.paperId);
    const ident = titleIdentity(entry.title);
    return [key, field, `${ident}\t${JSON.stringify(entry)}`, ident] as const;
  };

  async function clear(): Promise<void> {
    await redis.del(genKey);
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${root}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.unlink(...keys);
    } while (cursor !== '0');
  }

  const index = {
    /**
     * Rebuilds the index from every current paper in MongoDB under a new generation. Readers that find no
     * generation in Redis wait for it (they call `ensureCurrent`, which takes the same lock).
     */
    async rebuild(): Promise<RebuildReport> {
      const started = performance.now();
      await clear();
      let papers = 0;
      for await (const page of source.scanPapers(REBUILD_PAGE)) {
        const bands: (readonly [string, string, string, string])[] = [];
        const variants: (readonly [string, string, string, string])[] = [];
        for (const paper of page) {
          const entry = nearEntryOfPaper(paper);
          variants.push(variantLine(entry));
          for (const band of dedupBandKeys(candidateOfNearEntry(entry)))
            bands.push(bandLine(band, paper._id));
        }
        await append(variants, MAX_NEAR_VARIANTS);
        await append(bands, MAX_BAND_PAPERS);
        papers += page.length;
        log?.info({ component: 'near-index', papers }, 'near-duplicate index: rebuilding');
      }
      const generation = randomUUID();
      await source.setGeneration(generation, new Date());
      await redis.set(genKey, generation);
      known = generation;
      const seconds = (performance.now() - started) / 1000;
      log?.info({ component: 'near-index', papers, seconds, generation }, 'near-duplicate index: rebuilt');
      return { generation, papers, seconds };
    },

    /** `rebuild` under the lock resolvers take to rebuild (the `paperwire near-index rebuild` command). */
    async rebuildNow(): Promise<RebuildReport> {
      return locks.withLocks(['near-index:rebuild'], () => index.rebuild(), REBUILD_LOCK);
    },

    /**
     * Makes sure the index in Redis belongs to this database's current generation, rebuilding it (once,
     * whoever gets the lock) when Redis has none or another one. One GET when it does.
     */
    async ensureCurrent(): Promise<void> {
      const inRedis = await redis.get(genKey);
      if (inRedis !== null && inRedis === known) return;
      known = await source.generation();
      if (inRedis !== null && inRedis === known) return;
      await locks.withLocks(
        ['near-index:rebuild'],
        async () => {
          // Someone may have rebuilt it while this one waited for the lock.
          known = await source.generation();
          const now = await redis.get(genKey);
          if (now !== null && now === known) return;
          const fields = { component: 'near-index', inRedis: now ?? null, inMongo: known ?? null };
          if (known === undefined)
            log?.info(fields, 'near-duplicate index: first use of this database, building it');
          else
            log?.warn(
              fields,
              now === null
                ? 'near-duplicate index: not in Redis (flushed, or restarted without persistence); rebuilding from MongoDB'
                : 'near-duplicate index: Redis holds another generation; rebuilding from MongoDB',
            );
          await index.rebuild();
        },
        REBUILD_LOCK,
      );
    },

    /**
     * The papers in `bandKeys` and their variants: two pipelined round trips. Throws NearIndexLost if the
     * generation is gone (Redis flushed since `ensureCurrent`).
     */
    async read(bandKeys: readonly string[]): Promise<NearIndexRead> {
      const keys = [...new Set(bandKeys)];
      const first = redis.pipeline().get(genKey);
      for (const key of keys) first.hget(...bandSlot(key));
      const replies = (await first.exec()) ?? [];
      for (const [err] of replies) if (err) throw err;
      if (replies[0]?.[1] === null || replies[0]?.[1] !== known) throw new NearIndexLost();
      const bands = new Map<string, string[]>();
      keys.forEach((key, i) => {
        const value = replies[i + 1]?.[1];
        if (typeof value === 'string' && value !== '') bands.set(key, value.split('\n'));
      });
      const ids = [...new Set([...bands.values()].flat())];
      const variants = new Map<string, NearEntry[]>();
      if (ids.length === 0) return { bands, variants };
      const second = redis.pipeline();
      for (const id of ids) second.hget(...variantSlot(id));
      const found = (await second.exec()) ?? [];
      ids.forEach((id, i) => {
        const [err, value] = found[i] ?? [];
        if (err) throw err;
        if (typeof value === 'string') variants.set(id, parseVariants(value));
      });
      return { bands, variants };
    },

    /**
     * Adds papers to bands and replaces papers' variants. Called last in a batch's writes, so a crash before
     * it leaves papers the retry resolves again (by their ids) and indexes then.
     */
    async write(
      added: readonly (readonly [band: string, paperId: string])[],
      variants: readonly NearEntry[],
    ): Promise<void> {
      const odd = [...added.map(([, id]) => id), ...variants.map((v) => v.paperId)].find((id) =>
        id.includes('\n'),
      );
      if (odd !== undefined)
        throw new Error('near-duplicate index: a paper id with a line break cannot be indexed');
      await append(variants.map(variantLine), MAX_NEAR_VARIANTS);
      await append(
        added.map(([band, id]) => bandLine(band, id)),
        MAX_BAND_PAPERS,
      );
    },
  };
  return index;
}
export type NearIndex = ReturnType<typeof nearIndex>;

/** A paper's variants as stored: one `<title identity>\t<JSON entry>` line each. */
function parseVariants(value: string): NearEntry[] {
  return value.split('\n').map((line) => JSON.parse(line.slice(line.indexOf('\t') + 1)) as NearEntry);
}

// Identity resolution for a batch of observations (one feed's, at most 500), in one pass:
//   names (every entry's identity keys and title bands) → lock them all at once → read aliases and papers
//   (following redirects; each with its signal history) with multi-key reads, and the title bands from the
//   Redis near-duplicate index (one pipelined read) → resolve every entry in memory, in order, so duplicates
//   within the batch meet each other exactly as they would across batches → append the batch's titles to
//   the near-duplicate index and release the bands' locks → flush with bulk writes: events → papers (with
//   their histories) → redirects → aliases, still holding the papers' and keys' locks.
// Aliases are compressed lazily, as in a union-find: a key may name a merged-away paper until it is met again.
// Bands are shared by many batches (any two feeds' batches share some), so they are held only while the
// batch decides, not while it writes: the next batch reads the bands with this one's titles in them and
// decides while this one writes. A title it matches names a paper this batch still holds, so it waits for
// that paper's lock and reads it once written. A crash after the index append and before the papers are
// written leaves index entries naming papers that do not exist yet: a reader skips a paper it cannot load,
// and the retry resolves the same entries in the same order to the same records (the index only grows, and
// an append is idempotent). The database writes keep their crash-safe order: a retry finds the same owners
// (aliases move last), and the merge is idempotent, so it converges on the same records without
// duplicating any.
import {
  appendSignalPoints,
  applyObservation,
  candidateOfNearEntry,
  chooseNearDuplicateTargets,
  compactPoints,
  DEFAULT_DEDUP_THRESHOLDS,
  type DedupCandidate,
  dedupAuthorKey,
  dedupBandKeys,
  dedupCandidateOf,
  MAX_BAND_PAPERS,
  mergePapers,
  mergeProfiles,
  type NearDuplicateMatch,
  type NearEntry,
  nearDuplicateMatcher,
  type Observation,
  type Paper,
  type PaperwireEvent,
  paperEvents,
  profileOf,
  resolutionKeys,
  type SeriesBySource,
  sameRecord,
  survivorId,
  type TitleFeatures,
  titleFeatures,
  withNearVariant,
} from '@paperwire/core';
import { type Database, isRedirect, type StoredPaper } from '@paperwire/db';
import type { NearIndex } from '@paperwire/jobs';
import type { Locks } from '@paperwire/platform';
import { LRUCache } from 'lru-cache';

export type ResolveOutcome =
  | { kind: 'created' | 'updated' | 'unchanged'; paperId: string }
  | { kind: 'merged'; paperId: string; mergedAway: string[] };

export interface ResolveDeps {
  db: Pick<Database, 'papers'>;
  /** Title bands and variants (Redis); rebuilt from `papers` when missing. */
  nearIndex: Pick<NearIndex, 'ensureCurrent' | 'read' | 'write'>;
  locks: Pick<Locks, 'withLocks'>;
  now: () => Date;
  /** Records the events of the batch's changes (outbox + relay queue); called before any change is written. */
  emit: (events: readonly PaperwireEvent[]) => Promise<void>;
}

const MAX_ATTEMPTS = 30;
/**
 * Busy locks are waited for (each up to the lock's own wait) before giving up: overlapping batches queue,
 * and failing the batch would make BullMQ redo it from the start.
 */
const MAX_LOCK_WAITS = 5;
/** A batch holds its locks while it reads, resolves and writes: seconds at most, minutes to be safe. */
const LOCK_OPTIONS = { ttlMs: 180_000, waitMs: 60_000, extendWaitMs: 500 } as const;

class LockConflict extends Error {}

const isLockTimeout = (err: unknown) => (err as { code?: string } | undefined)?.code === 'lock-timeout';

/** What an observation is looked up and locked by. */
interface ObservationNames {
  obs: Observation;
  keys: string[];
  candidate: DedupCandidate;
  bandKeys: string[];
  /** The exact near-duplicate decision against an indexed variant, made once per variant (preload reuses it). */
  sameAs: (e: NearEntry) => boolean;
}

/**
 * Title features of indexed variants, kept across batches: each entry is checked against every title its
 * bands hold, and the same titles come back batch after batch (a band keeps its newest 50 papers), so
 * computing their features once per process rather than once per batch removes most of the dedup CPU. A
 * title's features never change; the oldest are dropped past the bound (a few KB each).
 */
const FEATURES_KEPT = 20_000;
const features = new LRUCache<string, TitleFeatures>({ max: FEATURES_KEPT });
function featuresOf(title: string): TitleFeatures {
  let f = features.get(title);
  if (f === undefined) {
    f = titleFeatures(title);
    features.set(title, f);
  }
  return f;
}

/** nearDuplicateMatcher's verdict on indexed variants, remembered per variant object. */
function entryMatcher(candidate: DedupCandidate): (e: NearEntry) => boolean {
  const matcher = nearDuplicateMatcher(candidate, DEFAULT_DEDUP_THRESHOLDS, featuresOf);
  const verdicts = new WeakMap<NearEntry, boolean>();
  return (e) => {
    let same = verdicts.get(e);
    if (same === undefined) {
      same = matcher(candidateOfNearEntry(e)).same;
      verdicts.set(e, same);
    }
    return same;
  };
}

/** Resolves `observations` in the order given; one outcome per observation. */
export async function resolveObservations(
  deps: ResolveDeps,
  observations: readonly Observation[],
): Promise<ResolveOutcome[]> {
  if (observations.length === 0) return [];
  // Identity keys, title fingerprints and band keys are computed once for the batch, locked in one go.
  const named: ObservationNames[] = observations.map((obs) => {
    const candidate = dedupCandidateOf(obs);
    return {
      obs,
      keys: resolutionKeys(obs),
      candidate,
      bandKeys: dedupBandKeys(candidate),
      sameAs: entryMatcher(candidate),
    };
  });
  const lockNames = [...new Set(named.flatMap((n) => [...n.keys, ...n.bandKeys]))].sort();
  // Before any lock: a missing or foreign index is rebuilt from MongoDB (once, by whoever gets there first).
  await deps.nearIndex.ensureCurrent();
  let waits = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      return await deps.locks.withLocks(
        lockNames,
        (extend, release) => new BatchResolution(deps, extend, release).run(named),
        LOCK_OPTIONS,
      );
    } catch (err) {
      if (isLockTimeout(err) && ++waits < MAX_LOCK_WAITS) continue;
      if (!(err instanceof LockConflict) || attempt >= MAX_ATTEMPTS) throw err;
      await new Promise((r) => setTimeout(r, Math.random() * 50 * attempt));
    }
  }
}

/** One attempt at a batch, under its locks: the working set in memory, and what changed in it. */
class BatchResolution {
  /** Papers and redirects by id; `null`: read and found absent. */
  private readonly docs = new Map<string, StoredPaper | null>();
  /** Ids with no document in the database when read (written by insert). */
  private readonly docAbsent = new Set<string>();
  private readonly aliases = new Map<string, string>();
  private readonly aliasAbsent = new Set<string>();
  /** Band key → papers in it, and paper → title variants, as read from the index plus this batch's adds. */
  private readonly bands = new Map<string, string[]>();
  private readonly variants = new Map<string, NearEntry[]>();
  /** Signal histories by paper (or redirect) id, as read plus this batch's points; written with the paper. */
  private readonly series = new Map<string, SeriesBySource>();
  private readonly changedDocs = new Set<string>();
  private readonly changedAliases = new Set<string>();
  /** What this batch adds to the index: [band, paper] pairs (keyed to add each once) and new variants. */
  private readonly bandAdds = new Map<string, readonly [string, string]>();
  private readonly variantAdds: NearEntry[] = [];
  private readonly events: PaperwireEvent[] = [];
  private readonly at: string;

  constructor(
    private readonly deps: ResolveDeps,
    private readonly extend: (more: readonly string[]) => Promise<boolean>,
    private readonly release: (names: readonly string[]) => Promise<void>,
  ) {
    this.at = deps.now().toISOString();
  }

  async run(named: readonly ObservationNames[]): Promise<ResolveOutcome[]> {
    await this.preload(named);
    const outcomes: ResolveOutcome[] = [];
    for (const n of named) outcomes.push(await this.resolveOne(n));
    await this.publishTitles(named);
    await this.flush();
    return outcomes;
  }

  /** Reads everything the batch is expected to need with one multi-key read per collection (and per hop). */
  private async preload(named: readonly ObservationNames[]): Promise<void> {
    const keys = [...new Set(named.flatMap((n) => n.keys))];
    const bandKeys = [...new Set(named.flatMap((n) => n.bandKeys))];
    const [aliases, near] = await Promise.all([
      this.deps.db.papers.lookupAliases(keys),
      this.deps.nearIndex.read(bandKeys),
    ]);
    for (const key of keys) {
      const owner = aliases.get(key);
      if (owner === undefined) this.aliasAbsent.add(key);
      else this.aliases.set(key, owner);
    }
    for (const [key, ids] of near.bands) this.bands.set(key, ids);
    for (const [id, list] of near.variants) this.variants.set(id, list);
    // Papers: the keys' owners, each entry's strongest key (it names the paper when nothing owns a key yet,
    // and finds one written by a run that crashed before its aliases), and the indexed variants that pass
    // the exact decision for some entry of the batch.
    const wanted = new Set<string>(aliases.values());
    for (const n of named) {
      wanted.add(n.keys[0]!);
      for (const e of this.bandEntriesOf(n.bandKeys)) {
        if (n.sameAs(e)) wanted.add(e.paperId);
      }
    }
    await this.ensureLoaded([...wanted]);
  }

  /**
   * Makes sure `ids` and the papers their redirects lead to are in memory: locks and reads the missing
   * ones, one multi-key read per hop, with their signal histories (redirects' too: an id merged away may
   * become the survivor again, a stronger key, and its history with it).
   */
  private async ensureLoaded(ids: readonly string[]): Promise<void> {
    let missing = [...new Set(ids)].filter((id) => !this.docs.has(id));
    while (missing.length > 0) {
      if (!(await this.extend(missing))) throw new LockConflict();
      const found = await this.deps.db.papers.getManyWithSeries(missing);
      const byId = new Map(found.map((f) => [f.doc._id, f.doc]));
      for (const { doc, series } of found) if (series) this.series.set(doc._id, series);
      const next: string[] = [];
      for (const id of missing) {
        const doc = byId.get(id);
        if (!doc) {
          this.docs.set(id, null);
          this.docAbsent.add(id);
          continue;
        }
        this.docs.set(id, doc);
        if (isRedirect(doc) && !this.docs.has(doc.mergedInto)) next.push(doc.mergedInto);
      }
      missing = [...new Set(next)];
    }
  }

  /** The current paper behind `id` (following redirects), or undefined when there is none. */
  private async current(id: string): Promise<Paper | undefined> {
    const seen = new Set<string>();
    for (let at = id; !seen.has(at); ) {
      seen.add(at);
      if (!this.docs.has(at)) await this.ensureLoaded([at]);
      const doc = this.docs.get(at);
      if (!doc) return undefined;
      if (!isRedirect(doc)) return doc;
      at = doc.mergedInto;
    }
    return undefined;
  }

  /** The variants of every paper in `bandKeys`' bands. */
  private bandEntriesOf(bandKeys: readonly string[]): NearEntry[] {
    const ids = new Set(bandKeys.flatMap((key) => this.bands.get(key) ?? []));
    return [...ids].flatMap((id) => this.variants.get(id) ?? []);
  }

  private async resolveOne(n: ObservationNames): Promise<ResolveOutcome> {
    const { obs, keys, candidate, bandKeys } = n;
    const found = new Map<string, Paper>();
    for (const id of new Set([...keys.flatMap((k) => this.aliases.get(k) ?? []), keys[0]!])) {
      const paper = await this.current(id);
      if (paper) found.set(paper._id, paper);
    }
    // Near-duplicates: papers whose title fingerprint shares an LSH band with this entry, verified exactly
    // (title similarity, numbers, author overlap, no conflicting ids). Done for every entry, so the match is
    // found whichever of the two arrives first.
    for (const [id, paper] of await this.nearDuplicateTargets(n, found)) found.set(id, paper);

    const owners = [...found.keys()];
    // The entry's own strongest key competes too: an arXiv entry matching an id-less blog paper renames it.
    const targetId = survivorId([...owners, keys[0]!]);
    let merged: Paper | undefined;
    for (const id of [...owners].sort()) {
      const p = found.get(id)!;
      merged = merged ? mergePapers(targetId, merged, p) : { ...p, _id: targetId };
    }
    const before = found.get(targetId);
    const after = applyObservation(merged, targetId, obs);
    const mergedAway = owners.filter((id) => id !== targetId);
    const unchanged = before !== undefined && sameRecord(before, after);

    this.events.push(...paperEvents(before, after, mergedAway, this.at));
    if (!unchanged) {
      this.putDoc(after);
      this.recordSignals(after, obs.provenance.fetchedAt);
    }
    for (const id of mergedAway) this.putDoc({ _id: id, mergedInto: targetId, mergedAt: this.at });
    // The entry's keys and the merged ids move to the survivor. Other keys of a merged-away paper keep
    // naming it: its redirect leads on, and whichever batch next meets such a key repoints it here.
    for (const key of new Set([...keys, ...mergedAway, targetId])) {
      if (this.aliases.get(key) === targetId) continue;
      this.aliases.set(key, targetId);
      this.changedAliases.add(key);
    }
    this.index(
      { paperId: targetId, title: obs.title, authorKeys: candidate.authors.map((a) => a.key), ids: obs.ids },
      bandKeys,
    );

    if (mergedAway.length > 0) return { kind: 'merged', paperId: targetId, mergedAway };
    if (!before) return { kind: 'created', paperId: targetId };
    return { kind: unchanged ? 'unchanged' : 'updated', paperId: targetId };
  }

  /**
   * Adds a variant and its bands to the index (in memory now, so later entries of the batch meet it; in Redis
   * at the flush). Merged-away papers keep their places: their redirects lead here.
   */
  private index(entry: NearEntry, bandKeys: readonly string[]): void {
    const variants = withNearVariant(this.variants.get(entry.paperId) ?? [], entry);
    if (variants) {
      this.variants.set(entry.paperId, variants);
      this.variantAdds.push(entry);
    }
    for (const key of bandKeys) {
      const ids = this.bands.get(key) ?? [];
      if (ids.includes(entry.paperId)) continue;
      this.bands.set(key, [...ids, entry.paperId].slice(-MAX_BAND_PAPERS));
      this.bandAdds.set(`${key}\u0000${entry.paperId}`, [key, entry.paperId]);
    }
  }

  private putDoc(doc: StoredPaper): void {
    if (!this.docs.has(doc._id)) this.docAbsent.add(doc._id);
    this.docs.set(doc._id, doc);
    this.changedDocs.add(doc._id);
  }

  /** Papers the band buckets propose that the exact decision confirms (an ambiguous match proposes none). */
  private async nearDuplicateTargets(
    n: ObservationNames,
    exact: ReadonlyMap<string, Paper>,
  ): Promise<Map<string, Paper>> {
    // Decide on the bucket entries first (pure, cheap); only papers whose entry matches are followed.
    const seenEntry = new Set<string>();
    const entries = this.bandEntriesOf(n.bandKeys).filter((e) => {
      const key = `${e.paperId}\u0000${e.title}`;
      if (seenEntry.has(key) || exact.has(e.paperId)) return false;
      seenEntry.add(key);
      return n.sameAs(e);
    });
    if (entries.length === 0) return new Map();
    const loaded = new Map<string, Paper>();
    for (const id of new Set(entries.map((e) => e.paperId))) {
      const paper = await this.current(id);
      if (paper) loaded.set(id, paper);
    }
    const ownId = exact.size > 0 ? survivorId([...exact.keys()]) : undefined;
    const profile = [...exact.values()].reduce(
      (acc, p) => mergeProfiles(acc, profileOf(candidateOfPaper(p))),
      profileOf(n.candidate),
    );
    const matches: NearDuplicateMatch[] = [];
    for (const e of entries) {
      const paper = loaded.get(e.paperId);
      if (!paper || exact.has(paper._id)) continue;
      matches.push({
        paperId: paper._id,
        paperProfile: profileOf(candidateOfPaper(paper)),
        candidate: candidateOfNearEntry(e),
      });
    }
    const choice = chooseNearDuplicateTargets(
      n.candidate,
      { ...(ownId ? { paperId: ownId } : {}), profile },
      matches,
    );
    const byId = new Map([...loaded.values()].map((p) => [p._id, p]));
    return new Map(choice.targets.map((id) => [id, byId.get(id)!]));
  }

  /**
   * Appends the paper's new totals to its signal history, compacting each series as it ages (the paper is
   * being rewritten: its history goes with it).
   */
  private recordSignals(paper: Paper, at: string): void {
    const now = this.deps.now();
    const sources: SeriesBySource = {};
    for (const [source, entry] of Object.entries(
      appendSignalPoints(this.series.get(paper._id) ?? {}, paper, at),
    )) {
      if (entry)
        sources[source as keyof SeriesBySource] = { ...entry, points: compactPoints(entry.points, now) };
    }
    this.series.set(paper._id, sources);
  }

  /**
   * Appends the batch's titles and bands to the index, then gives up the bands' locks (not the identity
   * keys' or papers': the writes that follow need those).
   */
  private async publishTitles(named: readonly ObservationNames[]): Promise<void> {
    await this.deps.nearIndex.write([...this.bandAdds.values()], this.variantAdds);
    const held = new Set([...this.docs.keys(), ...named.flatMap((n) => n.keys)]);
    await this.release([...new Set(named.flatMap((n) => n.bandKeys))].filter((k) => !held.has(k)));
  }

  /** Writes what changed, in the crash-safe order, each collection in bulk. */
  private async flush(): Promise<void> {
    const { papers } = this.deps.db;
    // Events are recorded before the writes (ids come from the change, and a retry after a crash at any
    // later point computes the same change and ids again; recorded after, a crash between would lose them).
    if (this.events.length > 0) await this.deps.emit(this.events);
    const changed = [...this.changedDocs].map((id) => this.docs.get(id)!);
    await papers.putMany(
      changed.filter((d) => !isRedirect(d)),
      this.docAbsent,
      this.series,
    );
    await papers.putMany(changed.filter(isRedirect), this.docAbsent, this.series);
    await papers.pointAliases(
      new Map([...this.changedAliases].map((key) => [key, this.aliases.get(key)!])),
      this.at,
      this.aliasAbsent,
    );
  }
}

const candidateOfPaper = (p: Paper): DedupCandidate => ({
  title: p.title,
  authors: p.authors.map((a) => ({ key: dedupAuthorKey(a) })),
  ids: p.ids,
});

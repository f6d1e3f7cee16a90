// Identity resolution for one observation, under locks on every name involved:
//   lock identity keys → find owners (alias point reads) → lock owners → load (following redirects)
//   → merge (pure) → record events (outbox) → write survivor → write redirects → point aliases.
// Aliases are compressed lazily, as in a union-find: a key may name a merged-away paper until it is met again.
// The write order makes a crash at any point safe to redo: a retry finds the same owners (aliases move
// last) and the merge is idempotent, so it converges on the same records.
import {
  appendSignalPoints,
  applyObservation,
  chooseNearDuplicateTargets,
  compactPoints,
  type DedupCandidate,
  dedupAuthorKey,
  dedupBandKeys,
  dedupCandidateOf,
  mergePapers,
  mergeProfiles,
  type NearDuplicateMatch,
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
} from '@paperwire/core';
import { type BandDoc, type Database, isRedirect, type StoredPaper } from '@paperwire/db';
import type { Locks } from '@paperwire/platform';

export type ResolveOutcome =
  | { kind: 'created' | 'updated' | 'unchanged'; paperId: string }
  | { kind: 'merged'; paperId: string; mergedAway: string[] };

interface ResolveDeps {
  db: Database;
  locks: Locks;
  now: () => Date;
  /** Records the events of a change (outbox + relay queue); called before the change is written. */
  emit: (events: readonly PaperwireEvent[]) => Promise<void>;
}

const MAX_ATTEMPTS = 50;
/**
 * Waits for busy locks (each up to the lock's own wait) before giving up: a hot title bucket makes entries
 * queue, and failing the observation would fail its whole batch, which BullMQ then redoes from the start.
 */
const MAX_LOCK_WAITS = 5;

class LockConflict extends Error {}

const isLockTimeout = (err: unknown) => (err as { code?: string } | undefined)?.code === 'lock-timeout';

export async function resolveObservation(deps: ResolveDeps, obs: Observation): Promise<ResolveOutcome> {
  // Identity keys and title-fingerprint buckets are known up front: computed once, locked in one go.
  const keys = resolutionKeys(obs);
  const candidate = dedupCandidateOf(obs);
  const bandKeys = dedupBandKeys(candidate);
  const names = { keys, candidate, bandKeys };
  let waits = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      return await deps.locks.withLocks([...keys, ...bandKeys], (extend) =>
        resolveLocked(deps, obs, names, extend),
      );
    } catch (err) {
      if (isLockTimeout(err) && ++waits < MAX_LOCK_WAITS) continue;
      if (!(err instanceof LockConflict) || attempt >= MAX_ATTEMPTS) throw err;
      await new Promise((r) => setTimeout(r, Math.random() * 20 * attempt));
    }
  }
}

/** What an observation is looked up and locked by. */
interface ObservationNames {
  keys: string[];
  candidate: DedupCandidate;
  bandKeys: string[];
}

async function resolveLocked(
  deps: ResolveDeps,
  obs: Observation,
  { keys, candidate, bandKeys }: ObservationNames,
  extend: (more: readonly string[]) => Promise<boolean>,
): Promise<ResolveOutcome> {
  const { papers } = deps.db;
  const aliases = await papers.lookupAliases(keys);
  // The strongest key names the paper when nothing owns any key yet (and finds a paper written by a
  // run that crashed before its aliases were stored).
  const found = new Map<string, Paper>();
  // Ids read and found to hold no document: written by insert (cheap on FerretDB), not upsert.
  const absent = new Set<string>();
  await loadCurrent(papers, [...new Set([...aliases.values(), keys[0]!])], extend, found, absent);

  // Near-duplicates: papers whose title fingerprint shares an LSH band with this entry, verified exactly
  // (title similarity, numbers, author overlap, no conflicting ids). Done for every entry, so the match is
  // found whichever of the two arrives first.
  const bands = await deps.db.nearDuplicates.getBands(bandKeys);
  const near = await nearDuplicateTargets(deps, candidate, bands, found, extend);
  for (const [id, paper] of near) found.set(id, paper);

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

  const at = deps.now().toISOString();
  // Events are recorded before the writes (ids come from the change, and a retry after a crash at any
  // later point computes the same change and ids again; recorded after, a crash between would lose them).
  const events = paperEvents(before, after, mergedAway, at);
  if (events.length > 0) await deps.emit(events);
  if (!before || !sameRecord(before, after)) {
    const isNew = absent.has(targetId);
    await papers.put(after, { absent: isNew });
    // A paper's series is written only after the paper, so a paper that was absent has none.
    await recordSignals(deps.db, after, obs.provenance.fetchedAt, deps.now(), isNew);
  }
  for (const id of mergedAway) {
    await papers.put({ _id: id, mergedInto: targetId, mergedAt: at });
  }
  // The entry's keys and the merged ids move to the survivor. Other keys of a merged-away paper keep naming
  // it: its redirect leads on (loadCurrent follows it), and whichever resolver next meets such a key
  // repoints it here, as `stale` below. Moving them all now would need a query by paperId, which FerretDB
  // answers with a scan of every alias, once per merge.
  const movedKeys = new Set<string>([...keys, ...mergedAway, targetId]);
  const stale = [...movedKeys].filter((k) => aliases.get(k) !== targetId);
  if (stale.length > 0) {
    // Keys moved from merged-away papers are not locked; their owners are, which is what matters.
    await papers.pointAliases(stale, targetId, at, new Set(keys.filter((k) => !aliases.has(k))));
  }
  await deps.db.nearDuplicates.addEntry(
    bands,
    bandKeys,
    { paperId: targetId, title: obs.title, authorKeys: candidate.authors.map((a) => a.key), ids: obs.ids },
    mergedAway,
  );

  if (mergedAway.length > 0) return { kind: 'merged', paperId: targetId, mergedAway };
  if (!before) return { kind: 'created', paperId: targetId };
  return { kind: sameRecord(before, after) ? 'unchanged' : 'updated', paperId: targetId };
}

/**
 * Loads the current papers behind `ids`, following merge redirects, locking every id on the way.
 * Adds them to `found` (keyed by current id) and returns a map from each given id to its current id.
 */
async function loadCurrent(
  papers: Database['papers'],
  ids: readonly string[],
  extend: (more: readonly string[]) => Promise<boolean>,
  found: Map<string, Paper>,
  absent?: Set<string>,
): Promise<Map<string, string>> {
  const currentOf = new Map<string, string>();
  for (const start of ids) {
    let id = start;
    const seen = new Set<string>();
    for (;;) {
      if (seen.has(id)) break;
      seen.add(id);
      if (!(await extend([id]))) throw new LockConflict();
      const doc: StoredPaper | undefined = found.get(id) ?? (await papers.getStored(id));
      if (!doc) {
        absent?.add(id);
        break;
      }
      if (isRedirect(doc)) {
        id = doc.mergedInto;
        continue;
      }
      found.set(id, doc);
      currentOf.set(start, id);
      break;
    }
  }
  return currentOf;
}

const candidateOfPaper = (p: Paper): DedupCandidate => ({
  title: p.title,
  authors: p.authors.map((a) => ({ key: dedupAuthorKey(a) })),
  ids: p.ids,
});

const entryCandidate = (e: BandDoc['entries'][number]): DedupCandidate => ({
  title: e.title,
  authors: e.authorKeys.map((key) => ({ key })),
  ids: e.ids,
});

/** Papers the band buckets propose that the exact decision confirms (an ambiguous match proposes none). */
async function nearDuplicateTargets(
  deps: ResolveDeps,
  candidate: DedupCandidate,
  bands: readonly BandDoc[],
  exact: ReadonlyMap<string, Paper>,
  extend: (more: readonly string[]) => Promise<boolean>,
): Promise<Map<string, Paper>> {
  // Decide on the bucket entries first (pure, cheap); only papers whose entry matches are locked and read.
  const seenEntry = new Set<string>();
  const sameAs = nearDuplicateMatcher(candidate);
  const entries = bands
    .flatMap((b) => b.entries)
    .filter((e) => {
      const key = `${e.paperId}\u0000${e.title}`;
      if (seenEntry.has(key) || exact.has(e.paperId)) return false;
      seenEntry.add(key);
      return sameAs(entryCandidate(e)).same;
    });
  if (entries.length === 0) return new Map();
  const loaded = new Map<string, Paper>();
  const currentOf = await loadCurrent(
    deps.db.papers,
    [...new Set(entries.map((e) => e.paperId))],
    extend,
    loaded,
  );
  const ownId = exact.size > 0 ? survivorId([...exact.keys()]) : undefined;
  const profile = [...exact.values()].reduce(
    (acc, p) => mergeProfiles(acc, profileOf(candidateOfPaper(p))),
    profileOf(candidate),
  );
  const matches: NearDuplicateMatch[] = [];
  for (const e of entries) {
    const paperId = currentOf.get(e.paperId);
    const paper = paperId === undefined ? undefined : loaded.get(paperId);
    if (!paperId || !paper || exact.has(paperId)) continue;
    matches.push({
      paperId,
      paperProfile: profileOf(candidateOfPaper(paper)),
      candidate: entryCandidate(e),
    });
  }
  const choice = chooseNearDuplicateTargets(
    candidate,
    { ...(ownId ? { paperId: ownId } : {}), profile },
    matches,
  );
  return new Map(choice.targets.map((id) => [id, loaded.get(id)!]));
}

/** Appends the paper's new totals to its signal history, compacting each series as it ages. */
async function recordSignals(
  db: Database,
  paper: Paper,
  at: string,
  now: Date,
  isNew: boolean,
): Promise<void> {
  const doc = isNew ? undefined : await db.signalSeries.get(paper._id);
  const sources: SeriesBySource = {};
  for (const [source, entry] of Object.entries(appendSignalPoints(doc?.sources ?? {}, paper, at))) {
    if (entry)
      sources[source as keyof SeriesBySource] = { ...entry, points: compactPoints(entry.points, now) };
  }
  if (!doc || !sameRecord(doc.sources, sources))
    await db.signalSeries.put({ _id: paper._id, sources }, { absent: doc === undefined });
}

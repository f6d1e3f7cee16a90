// Identity resolution for one observation, under locks on every name involved:
//   lock identity keys → find owners (alias point reads) → lock owners → load (following redirects)
//   → merge (pure) → write survivor → write redirects → point aliases.
// The write order makes a crash at any point safe to redo: a retry finds the same owners (aliases move
// last) and the merge is idempotent, so it converges on the same records.
import {
  appendSignalPoints,
  applyObservation,
  mergePapers,
  type Observation,
  type Paper,
  resolutionKeys,
  sameRecord,
  survivorId,
} from '@paperwire/core';
import { type Database, isRedirect, type StoredPaper } from '@paperwire/db';
import type { Locks } from '@paperwire/platform';

export type ResolveOutcome =
  | { kind: 'created' | 'updated' | 'unchanged'; paperId: string }
  | { kind: 'merged'; paperId: string; mergedAway: string[] };

interface ResolveDeps {
  db: Database;
  locks: Locks;
  now: () => Date;
}

const MAX_ATTEMPTS = 20;

class LockConflict extends Error {}

export async function resolveObservation(deps: ResolveDeps, obs: Observation): Promise<ResolveOutcome> {
  const keys = resolutionKeys(obs);
  for (let attempt = 1; ; attempt++) {
    try {
      return await deps.locks.withLocks(keys, (extend) => resolveLocked(deps, obs, extend));
    } catch (err) {
      if (!(err instanceof LockConflict) || attempt >= MAX_ATTEMPTS) throw err;
      await new Promise((r) => setTimeout(r, Math.random() * 20 * attempt));
    }
  }
}

async function resolveLocked(
  deps: ResolveDeps,
  obs: Observation,
  extend: (more: readonly string[]) => Promise<boolean>,
): Promise<ResolveOutcome> {
  const { papers } = deps.db;
  const keys = resolutionKeys(obs);
  const aliases = await papers.lookupAliases(keys);
  // The strongest key names the paper when nothing owns any key yet (and finds a paper written by a
  // run that crashed before its aliases were stored).
  const candidates = new Set<string>([...aliases.values(), keys[0]!]);
  const found = new Map<string, Paper>();
  const seen = new Set<string>();
  let frontier = [...candidates];
  while (frontier.length > 0) {
    if (!(await extend(frontier))) throw new LockConflict();
    const next: string[] = [];
    for (const id of frontier) {
      seen.add(id);
      const doc: StoredPaper | undefined = await papers.getStored(id);
      if (!doc) continue;
      if (isRedirect(doc)) {
        if (!seen.has(doc.mergedInto)) next.push(doc.mergedInto);
      } else found.set(id, doc);
    }
    frontier = next;
  }

  const owners = [...found.keys()];
  const targetId = survivorId(owners.length > 0 ? owners : [keys[0]!]);
  let merged: Paper | undefined;
  for (const id of [...owners].sort()) {
    const p = found.get(id)!;
    merged = merged ? mergePapers(targetId, merged, p) : { ...p, _id: targetId };
  }
  const before = found.get(targetId);
  const after = applyObservation(merged, targetId, obs);
  const mergedAway = owners.filter((id) => id !== targetId);

  const at = deps.now().toISOString();
  if (!before || !sameRecord(before, after)) {
    await papers.put(after);
    await recordSignals(deps.db, after, obs.provenance.fetchedAt);
  }
  for (const id of mergedAway) {
    await papers.put({ _id: id, mergedInto: targetId, mergedAt: at });
  }
  const movedKeys = new Set<string>(keys);
  for (const id of mergedAway) for (const k of await papers.aliasKeysOf(id)) movedKeys.add(k);
  for (const id of [...mergedAway, targetId]) movedKeys.add(id);
  const stale = [...movedKeys].filter((k) => aliases.get(k) !== targetId);
  if (stale.length > 0) {
    // Keys moved from merged-away papers are not locked; their owners are, which is what matters.
    await papers.pointAliases(stale, targetId, at);
  }

  if (mergedAway.length > 0) return { kind: 'merged', paperId: targetId, mergedAway };
  if (!before) return { kind: 'created', paperId: targetId };
  return { kind: sameRecord(before, after) ? 'unchanged' : 'updated', paperId: targetId };
}

async function recordSignals(db: Database, paper: Paper, at: string): Promise<void> {
  const doc = await db.signalSeries.get(paper._id);
  const sources = appendSignalPoints(doc?.sources ?? {}, paper, at);
  if (!doc || !sameRecord(doc.sources, sources)) await db.signalSeries.put({ _id: paper._id, sources });
}

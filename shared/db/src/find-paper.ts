// Finding a paper by any id (arXiv with or without version, DOI, HF, URL, an identity key) and following
// merges to the survivor. Shared by the API's routes and the CLI's `papers get`.
import { lookupKeys, type Paper } from '@paperwire/core';
import type { Database } from './database.ts';
import { isRedirect, type PaperRedirect } from './repositories/papers.ts';

export type PaperLookup =
  | { kind: 'found'; paper: Paper }
  | { kind: 'redirect'; to: string }
  | { kind: 'missing' };

/** Redirect hops followed before answering: merges chain (A into B, later B into C), rarely deeply. */
const MAX_REDIRECT_HOPS = 16;

/**
 * Finds a paper by any id; a merged-away id answers with its survivor's id. An identity key may still name
 * a paper that was merged away (the resolver repoints such keys when it next meets them), and survivors can
 * merge again, so redirects are followed to the current survivor: one 301, never a chain.
 */
export async function findPaper(db: Pick<Database, 'papers'>, query: string): Promise<PaperLookup> {
  const keys = lookupKeys(query);
  const direct = query.includes(':') ? [query] : [];
  for (const key of [...new Set([...direct, ...keys])]) {
    const doc = await db.papers.getStored(key);
    if (doc) return isRedirect(doc) ? redirectTo(db, doc) : { kind: 'found', paper: doc };
  }
  const owners = await db.papers.lookupAliases(keys);
  for (const key of keys) {
    const owner = owners.get(key);
    if (!owner) continue;
    const doc = await db.papers.getStored(owner);
    if (!doc) continue;
    return isRedirect(doc) ? redirectTo(db, doc) : { kind: 'found', paper: doc };
  }
  return { kind: 'missing' };
}

/** The survivor at the end of a redirect chain (or the last id reached, for a broken or looping chain). */
async function redirectTo(db: Pick<Database, 'papers'>, first: PaperRedirect): Promise<PaperLookup> {
  let to = first.mergedInto;
  const seen = new Set([first._id]);
  for (let hop = 1; hop < MAX_REDIRECT_HOPS && !seen.has(to); hop++) {
    seen.add(to);
    const next = await db.papers.getStored(to);
    if (!next || !isRedirect(next)) break;
    to = next.mergedInto;
  }
  return { kind: 'redirect', to };
}

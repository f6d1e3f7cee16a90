// What a person may type to find a paper — `2401.01234`, `2401.01234v2`, `arXiv:2401.01234`, an arXiv,
// HF or DOI URL, `10.1000/xyz`, `doi:10.1000/xyz`, `hf:2401.01234`, a paper's own `_id` — turned into the
// identity keys to look up, strongest first.
import { canonicalArxivId } from '../ids/arxiv.ts';
import { canonicalDoi } from '../ids/doi.ts';
import { extractIds } from '../ids/extract.ts';
import { ID_KINDS, identityKeys } from '../ids/keys.ts';

export function lookupKeys(query: string): string[] {
  const q = query.trim();
  if (q.length === 0 || q.length > 2_000) return [];
  const keys: string[] = [];
  const prefix = /^([a-z]+):(.+)$/i.exec(q);
  if (
    prefix &&
    (ID_KINDS as readonly string[]).includes(prefix[1]!.toLowerCase()) &&
    !/^https?$/i.test(prefix[1]!)
  ) {
    const kind = prefix[1]!.toLowerCase();
    const value = prefix[2]!.trim();
    if (kind === 'arxiv') {
      const id = canonicalArxivId(value);
      if (id) keys.push(`arxiv:${id.id}`);
    } else if (kind === 'doi') {
      const doi = canonicalDoi(value);
      if (doi) keys.push(`doi:${doi}`);
    } else keys.push(`${kind}:${value}`);
  }
  const bare = canonicalArxivId(q);
  if (bare) keys.push(`arxiv:${bare.id}`);
  const doi = /^10\.\d{4,9}\//.test(q) ? canonicalDoi(q) : undefined;
  if (doi) keys.push(...identityKeys({ doi }));
  keys.push(...identityKeys(extractIds(q)));
  return [...new Set(keys)];
}

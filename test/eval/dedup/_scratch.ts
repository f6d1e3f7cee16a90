import { readFileSync } from 'node:fs';
import { normaliseEntry, resolutionKeys } from '@paperwire/core';
import { parsePayload } from '@paperwire/sources';
const R = '/work/shared/fixtures/real/';
const files: [string, any][] = [
 ['arxiv-rss/arxiv-rss-cs.AI-2026-04-27-3items.xml','arxiv-rss'],
 ['arxiv-rss/arxiv-rss-cs.LG+cs.AI+cs.CL+stat.ML-2026-09-24.xml','arxiv-rss'],
 ['arxiv-rss-rdf/arxiv-rdf-cs-2018-08-30.xml','arxiv-rss'],
 ['arxiv-api/arxiv-api-cat-cs.LG-OR-cs.AI-2026-04-30.xml','arxiv-api'],
 ['arxiv-api/arxiv-api-transformer-cs.LG-2026-06-14.xml','arxiv-api'],
 ['arxiv-api/arxiv-api-legacy-au-del_maestro-2016.xml','arxiv-api'],
 ['arxiv-api/arxiv-api-recorded-search-testing-100-entries-2026-04-12.json','arxiv-api'],
 ['hf-daily-papers/hf-daily-papers-2026-06-12.json','hf-daily'],
 ['hf-daily-papers/hf-daily-papers-2026-07-31-pretty.json','hf-daily'],
 ['hf-daily-papers/hf-daily-papers-2024-10-25-first3.json','hf-daily'],
 ['hn-algolia/hn-algolia-search_by_date-query-AI-tags-story-2026-08-09.json','hn'],
 ['reddit/reddit-atom-r-programming-top-day-2026-09-20.xml','reddit'],
 ['reddit/reddit-atom-r-homelab-new-2023-07.xml','reddit'],
 ['reddit/reddit-json-search-posts-listing-2020-07.json','reddit'],
 ['reddit/reddit-json-subreddit-posts-listing-2020.json','reddit'],
 ['other/biorxiv-rss1-genomics-2023-12.xml','rss'],
 ['other/takara-tldr-hf-papers-rss-2026-04-30.xml','rss'],
 ['other/hf-daily-papers-feedgen-rss-2026-04-30.xml','rss'],
];
const byKey = new Map<string,string[]>();
let n=0;
for (const [f,kind] of files) {
  let body = readFileSync(R+f,'utf8');
  if (f.endsWith('.json') && kind==='arxiv-api') body = JSON.parse(body).body;
  const res = await parsePayload(kind, body, { feedId: f, fetchedAt: '2026-01-01T00:00:00Z' });
  for (const e of res.entries) {
    const r = normaliseEntry(e); if (!r.ok) continue; n++;
    const o = r.observation;
    for (const k of resolutionKeys(o)) { byKey.set(k,[...(byKey.get(k)??[]), f.split('/')[1]!.slice(0,30)+' '+o.title.slice(0,50)]); }
  }
  console.log(f, res.entries.length, res.skipped.length);
}
console.log('obs', n);
for (const [k,v] of byKey) if (v.length>1) console.log(k, v);

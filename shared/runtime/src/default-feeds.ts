// The feeds seeded once on first start (removing one later does not bring it back).
import type { FeedKind } from '@paperwire/core';
import { hfDailyUrl, hnSearchUrl, redditListingUrl } from '@paperwire/sources';

export interface FeedSpec {
  url: string;
  kind: FeedKind;
  intervalMinutes: number;
}

export function defaultFeeds(): FeedSpec[] {
  return [
    // arXiv's daily announcements for the ML categories (one combined feed; empty on weekends).
    {
      url: 'https://rss.arxiv.org/rss/cs.LG+cs.AI+cs.CL+cs.CV+stat.ML',
      kind: 'arxiv-rss',
      intervalMinutes: 60,
    },
    // Hugging Face Daily Papers: the latest day's list with upvotes and comments.
    { url: 'https://huggingface.co/api/daily_papers', kind: 'hf-daily', intervalMinutes: 30 },
    // Hacker News stories linking arXiv, HF papers or DOIs (Algolia search, newest first).
    { url: hnSearchUrl('arxiv.org'), kind: 'hn', intervalMinutes: 30 },
    { url: hnSearchUrl('huggingface.co/papers'), kind: 'hn', intervalMinutes: 60 },
    // r/MachineLearning, newest posts with score and comment counts.
    { url: redditListingUrl('MachineLearning', 'new', { limit: 100 }), kind: 'reddit', intervalMinutes: 30 },
  ];
}

/** Not a feed URL: today's HF list, by date (for backfills of a given day). */
export const hfDailyUrlFor = hfDailyUrl;

/** Guesses a feed's kind from well-known hosts; anything else is a generic RSS/Atom feed. */
export function guessKind(url: string): FeedKind {
  if (/rss\.arxiv\.org|export\.arxiv\.org\/rss/.test(url)) return 'arxiv-rss';
  if (/export\.arxiv\.org\/api\/query/.test(url)) return 'arxiv-api';
  if (/export\.arxiv\.org\/oai2/.test(url)) return 'arxiv-oai';
  if (/huggingface\.co\/api\/daily_papers/.test(url)) return 'hf-daily';
  if (/hn\.algolia\.com/.test(url)) return 'hn';
  if (/reddit\.com\/r\//.test(url)) return 'reddit';
  return 'rss';
}

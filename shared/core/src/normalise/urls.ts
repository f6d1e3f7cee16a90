// Link hygiene for links we store (code, project, fallback landing page): HTML-escaped `&amp;` decoded
// (Reddit JSON escapes URLs), only http(s), credentials removed, tracking parameters removed (utm_*,
// fbclid, gclid, mc_cid, mc_eid, igshid, ref_src), at most MAX_URL_CHARS long. Anything else → undefined.

import { decodeHtmlEntities } from '../text/entities.ts';

export const MAX_URL_CHARS = 2_048;

const TRACKING_PARAM_RE = /^(?:utm_.*|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|igshid|ref_src)$/i;

/** A clean absolute http(s) URL, or undefined. */
export function normaliseUrl(raw: string | undefined): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const s = decodeHtmlEntities(raw.trim());
  if (s.length === 0 || s.length > MAX_URL_CHARS) return undefined;
  let url: URL;
  try {
    url = new URL(s);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  url.username = '';
  url.password = '';
  // Only touch the query when something is removed: re-serialising can change other parameters' encoding.
  const tracking = [...url.searchParams.keys()].filter((key) => TRACKING_PARAM_RE.test(key));
  for (const key of tracking) url.searchParams.delete(key);
  const out = url.toString();
  return out.length > MAX_URL_CHARS ? undefined : out;
}

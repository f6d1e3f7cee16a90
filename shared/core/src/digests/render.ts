// A digest e-mail: subject, plain text and HTML, from the chosen items and the papers' details. Pure.
// Everything a paper brings is escaped in the HTML part; links are http(s) only.
import { escapeHtml, httpUrl } from '../syndication/escape.ts';
import { formatScore } from '../syndication/trending-feed.ts';
import type { Window } from '../types.ts';
import type { DigestItem } from './select.ts';
import type { DigestCadence } from './subscription.ts';

export interface DigestPaperView {
  title: string;
  authors: string[];
  abstract?: string;
  /** Where the reader goes (abstract page, else the paper on the API). */
  url: string;
}

export interface DigestMessageInput {
  cadence: DigestCadence;
  period: string;
  items: readonly DigestItem[];
  /** Details of the papers that could be read; others are shown with the title the ranking holds. */
  papers: ReadonlyMap<string, DigestPaperView>;
  unsubscribeUrl: string;
}

export interface DigestMessage {
  subject: string;
  text: string;
  html: string;
}

const ABSTRACT_CHARS = 280;

function snippet(abstract: string | undefined): string | undefined {
  if (!abstract) return undefined;
  const flat = abstract.replace(/\s+/g, ' ').trim();
  return flat.length <= ABSTRACT_CHARS ? flat : `${flat.slice(0, ABSTRACT_CHARS - 1).trimEnd()}…`;
}

const boardName = (window: Window, category: string) =>
  `Trending over ${window}, ${category === 'all' ? 'all categories' : category}`;

/** Items grouped by board, in the order they were chosen. */
function sections(items: readonly DigestItem[]): { title: string; items: DigestItem[] }[] {
  const out: { key: string; title: string; items: DigestItem[] }[] = [];
  for (const item of items) {
    const key = `${item.window}|${item.category}`;
    let section = out.find((s) => s.key === key);
    if (!section) {
      section = { key, title: boardName(item.window, item.category), items: [] };
      out.push(section);
    }
    section.items.push(item);
  }
  return out;
}

/** Subject line: no line breaks, whatever the input. */
export function digestSubject(input: Pick<DigestMessageInput, 'cadence' | 'period' | 'items'>): string {
  const n = input.items.length;
  const period = input.period.startsWith('m') ? 'now' : input.period;
  return `Paperwire ${input.cadence} digest (${period}): ${n} trending paper${n === 1 ? '' : 's'}`;
}

export function renderDigest(input: DigestMessageInput): DigestMessage {
  const subject = digestSubject(input);
  const view = (item: DigestItem): DigestPaperView =>
    input.papers.get(item.paperId) ?? { title: item.title, authors: [], url: '' };

  const text: string[] = [subject, ''];
  const html: string[] = [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeHtml(subject)}</title></head>`,
    '<body style="font-family: sans-serif; max-width: 40em">',
    `<h1 style="font-size: 1.3em">${escapeHtml(subject)}</h1>`,
  ];
  for (const section of sections(input.items)) {
    text.push(section.title, '-'.repeat(section.title.length));
    html.push(`<h2 style="font-size: 1.1em">${escapeHtml(section.title)}</h2>`, '<ol>');
    for (const item of section.items) {
      const paper = view(item);
      const url = httpUrl(paper.url);
      const about = snippet(paper.abstract);
      const rank = `#${item.rank}, score ${formatScore(item.score)}`;
      text.push(`${item.rank}. ${paper.title} (${rank})`);
      if (paper.authors.length > 0) text.push(`   ${paper.authors.join(', ')}`);
      if (about) text.push(`   ${about}`);
      if (url) text.push(`   ${url}`);
      text.push('');
      const title = url
        ? `<a href="${escapeHtml(url)}">${escapeHtml(paper.title)}</a>`
        : escapeHtml(paper.title);
      html.push(
        `<li value="${item.rank}"><strong>${title}</strong> <small>(${escapeHtml(rank)})</small>`,
        ...(paper.authors.length > 0 ? [`<br><em>${escapeHtml(paper.authors.join(', '))}</em>`] : []),
        ...(about ? [`<br>${escapeHtml(about)}`] : []),
        '</li>',
      );
    }
    html.push('</ol>');
  }
  const unsubscribe = httpUrl(input.unsubscribeUrl) ?? input.unsubscribeUrl;
  text.push('--', `You get this ${input.cadence} digest from Paperwire. Unsubscribe: ${unsubscribe}`, '');
  html.push(
    '<hr>',
    `<p><small>You get this ${escapeHtml(input.cadence)} digest from Paperwire. ` +
      `<a href="${escapeHtml(unsubscribe)}">Unsubscribe</a></small></p>`,
    '</body></html>',
    '',
  );
  return { subject, text: text.join('\n'), html: html.join('\n') };
}

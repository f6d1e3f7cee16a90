// The Paperwire dashboard: hash-routed views over the JSON API of the server that serves this file.
//   #/trending?window=24h&category=all   the board, from its rows alone (one GET /trending per page)
//   #/paper/<id>                         one paper: ids, versions, sightings, links, signal history
//   #/feeds                              feed health
// Every string from the API reaches the page through textContent or an attribute set one by one, never
// as markup; links from data are used only when they are http(s). When the server wants a key for reads
// (API_READ_REQUIRES_KEY=true), the key typed in the header is kept in sessionStorage and sent as x-api-key.

const KEY_STORAGE = 'paperwire.apiKey';
const WINDOWS = ['24h', '7d', '30d'];
const PAGE_SIZE = 20;
const SVG_NS = 'http://www.w3.org/2000/svg';

class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

// ---------------------------------------------------------------------------------------------------------
// DOM helpers: text only, attributes one by one.

/** `el('a', { class: 'x', href: '#/' }, 'text', child)`; strings become text nodes. */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value !== undefined && value !== null && value !== false) node.setAttribute(name, String(value));
  }
  append(node, children);
  return node;
}

function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(typeof child === 'string' || typeof child === 'number' ? String(child) : child);
  }
}

/** An http(s) URL from data, or undefined (no javascript:, data: or relative surprises). */
function safeHref(value) {
  if (typeof value !== 'string') return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

function externalLink(href, text) {
  const safe = safeHref(href);
  return safe ? el('a', { href: safe, rel: 'noopener noreferrer', target: '_blank' }, text) : text;
}

/** `2026-11-28 10:00 UTC`, with the exact instant as a tooltip. */
function time(iso) {
  if (!iso) return el('span', { class: 'muted' }, '—');
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return el('span', {}, String(iso));
  const text = `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return el('time', { datetime: new Date(ms).toISOString(), title: iso }, text);
}

const formatScore = (n) => (Math.abs(n) >= 100 ? n.toFixed(0) : n.toFixed(2));

let navigations = 0;

/** The `show` of one navigation: once the user has moved on, its late answers are dropped. */
function claimView() {
  const mine = ++navigations;
  return (...children) => {
    if (mine !== navigations) return;
    document.getElementById('main').replaceChildren(...children.flat().filter(Boolean));
  };
}

function activeNav(name) {
  for (const a of document.querySelectorAll('[data-nav]')) {
    if (a.dataset.nav === name) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

// ---------------------------------------------------------------------------------------------------------
// The API.

function storedKey() {
  try {
    return sessionStorage.getItem(KEY_STORAGE) ?? '';
  } catch {
    return '';
  }
}

async function api(path) {
  const key = storedKey();
  // no-cache: revalidate every time (the API answers an unchanged board with 304 to its ETag).
  const res = await fetch(path, { cache: 'no-cache', headers: key ? { 'x-api-key': key } : {} });
  if (res.ok) return res.json();
  let code = 'http-error';
  let message = `HTTP ${res.status}`;
  try {
    const body = await res.json();
    code = body?.error?.code ?? code;
    message = body?.error?.message ?? message;
  } catch {
    // Not our error body (a proxy's page): keep the status.
  }
  throw new ApiError(res.status, code, message);
}

const paperPath = (id) => `/papers/${encodeURIComponent(id)}`;
const paperHash = (id) => `#/paper/${encodeURIComponent(id)}`;

function errorView(err) {
  if (err instanceof ApiError && err.status === 401) {
    return el(
      'div',
      { class: 'notice error', role: 'alert' },
      el('strong', {}, 'This server needs an API key to read. '),
      'Enter a key (scope read or admin) in the box at the top; it is kept for this tab only. ',
      el('span', { class: 'muted' }, err.message),
    );
  }
  if (err instanceof ApiError && err.status === 429) {
    return el(
      'div',
      { class: 'notice error', role: 'alert' },
      `Rate limited: ${err.message}. Try again shortly.`,
    );
  }
  return el('div', { class: 'notice error', role: 'alert' }, `Could not load: ${err.message ?? String(err)}`);
}

// ---------------------------------------------------------------------------------------------------------
// Sparklines: one polyline per source.signal, each scaled to its own range on a shared time axis.

/** `series`: [{ source, signal, points: [{ at, value }] }]: a row's `history`, or GET /papers/:id/signals. */
function sparkline(series, { width = 140, height = 32, legend = false } = {}) {
  const lines = series.filter((s) => s.points.length > 0).slice(0, 5);
  if (lines.length === 0) return el('span', { class: 'sparkline-empty muted' }, 'no signal history');
  const times = lines.flatMap((s) => s.points.map((p) => Date.parse(p.at)));
  const t0 = Math.min(...times);
  const t1 = Math.max(...times);
  const pad = 2;
  const x = (t) => (t1 === t0 ? width - pad : pad + ((t - t0) / (t1 - t0)) * (width - 2 * pad));
  const summary = lines
    .map((s) => `${s.source} ${s.signal}: ${s.points.map((p) => p.value).join(' → ')}`)
    .join('; ');
  const chart = svg('svg', {
    class: 'sparkline',
    viewBox: `0 0 ${width} ${height}`,
    width,
    height,
    role: 'img',
    'aria-label': summary,
  });
  chart.append(svg('title', {}, summary));
  lines.forEach((s, i) => {
    const values = s.points.map((p) => p.value);
    const lo = Math.min(...values);
    const hi = Math.max(...values);
    const y = (v) => (hi === lo ? height / 2 : height - pad - ((v - lo) / (hi - lo)) * (height - 2 * pad));
    // Totals hold until the next point: draw steps, and run the last value to the right edge.
    const coords = [];
    s.points.forEach((p, j) => {
      const px = x(Date.parse(p.at));
      if (j > 0) coords.push(`${px.toFixed(1)},${y(s.points[j - 1].value).toFixed(1)}`);
      coords.push(`${px.toFixed(1)},${y(p.value).toFixed(1)}`);
    });
    const last = s.points[s.points.length - 1];
    coords.push(`${(width - pad).toFixed(1)},${y(last.value).toFixed(1)}`);
    if (s.points.length === 1) coords.unshift(`${pad},${y(last.value).toFixed(1)}`);
    chart.append(
      svg(
        'polyline',
        { class: `series s${i}`, points: coords.join(' '), fill: 'none' },
        svg('title', {}, `${s.source} ${s.signal}: ${values.join(' → ')}`),
      ),
    );
    chart.append(
      svg('circle', { class: `dot s${i}`, cx: x(Date.parse(last.at)).toFixed(1), cy: y(last.value), r: 1.8 }),
    );
  });
  if (!legend) return chart;
  return el(
    'figure',
    { class: 'sparkline-figure' },
    chart,
    el(
      'figcaption',
      {},
      el(
        'ul',
        { class: 'legend' },
        lines.map((s, i) =>
          el(
            'li',
            { class: `s${i}` },
            `${s.source} ${s.signal}: ${s.points.map((p) => p.value).join(' → ')} (${s.points.length} points)`,
          ),
        ),
      ),
    ),
  );
}

// ---------------------------------------------------------------------------------------------------------
// Trending.

/** `names`: the row's first authors; `count`: how many the paper has in all. */
function authorsLine(authors, count) {
  const names = (authors ?? []).map((a) => a.name);
  const total = Math.max(count ?? names.length, names.length);
  if (names.length === 0) return 'authors unknown';
  if (total <= 4 && names.length === total) return names.join(', ');
  return `${names.slice(0, 3).join(', ')} … ${total} authors`;
}

function categoryList(categories, primary) {
  return el(
    'ul',
    { class: 'categories' },
    (categories ?? []).map((c) => el('li', { class: c === primary ? 'primary' : undefined }, c)),
  );
}

/** Signal totals, e.g. `180 upvotes · 3 comments` (summed over sources for each signal name). */
function signalTotalsText(totals) {
  const byName = new Map();
  for (const t of totals) byName.set(t.name, (byName.get(t.name) ?? 0) + t.value);
  // `1 comment`, `2 comments` (every signal name is a plural).
  return [...byName]
    .map(([name, value]) => `${value} ${value === 1 ? name.replace(/s$/, '') : name}`)
    .join(' · ');
}

/** A sighting list as signal totals (the paper detail page). */
function sightingTotals(sightings) {
  return (sightings ?? []).flatMap((s) =>
    Object.entries(s.signals ?? {}).map(([name, value]) => ({ source: s.source, name, value })),
  );
}

/** The row's links, by the names a reader knows. */
const LINK_NAMES = [
  ['abs', 'arXiv'],
  ['pdf', 'PDF'],
  ['hf', 'Hugging Face'],
  ['code', 'code'],
  ['project', 'project page'],
];

function rowLinks(links) {
  const items = LINK_NAMES.filter(([k]) => safeHref(links?.[k])).map(([k, label]) =>
    el('li', {}, externalLink(links[k], label)),
  );
  return items.length > 0 ? el('ul', { class: 'links inline' }, items) : undefined;
}

/** The first ~300 characters of an abstract, cut at a word. */
function excerpt(text, max = 300) {
  if (!text || text.length <= max) return text;
  const cut = text.slice(0, max);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), max / 2))} …`;
}

// Breakdown keys that are factors or facts, not additive parts of the score (BREAKDOWN_FACTORS in
// shared/core/src/scoring/score.ts); every other key is a contribution, and they sum to the score.
const FACTORS = {
  ageHours: (v) => `age ${v.toFixed(1)} h`,
  decay: (v) => `decay ×${v.toFixed(2)}`,
  categoryScale: (v) => `category scale ÷${formatScore(v)}`,
};

/** Non-zero contributions, largest first. */
function contributions(breakdown) {
  return Object.entries(breakdown ?? {})
    .filter(([name, value]) => !(name in FACTORS) && value !== 0)
    .sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]));
}

/** `score breakdown: huggingface.upvotes.velocity 0.83 + 4 more`: the largest part, the rest on opening. */
function breakdownSummary(breakdown) {
  const parts = contributions(breakdown);
  if (parts.length === 0) return 'score breakdown: none';
  const [name, value] = parts[0];
  const more = parts.length > 1 ? ` + ${parts.length - 1} more` : '';
  return `score breakdown: ${name} ${formatScore(value)}${more}`;
}

function breakdownList(breakdown) {
  const parts = contributions(breakdown);
  const total = parts.reduce((sum, [, v]) => sum + Math.abs(v), 0) || 1;
  const factors = Object.entries(FACTORS)
    .filter(([name]) => typeof breakdown?.[name] === 'number')
    .map(([name, format]) => format(breakdown[name]));
  return el(
    'div',
    { class: 'breakdown-box' },
    el(
      'dl',
      { class: 'breakdown', 'aria-label': 'score breakdown' },
      parts.map(([name, value]) =>
        el(
          'div',
          { class: 'part' },
          el('dt', {}, name),
          el('dd', {}, formatScore(value), el('meter', { min: 0, max: 1, value: Math.abs(value) / total })),
        ),
      ),
    ),
    factors.length > 0 ? el('p', { class: 'factors muted' }, factors.join(' · ')) : undefined,
  );
}

/** One board row: everything comes from the `/trending` entry itself (no per-row request). */
function paperItem(entry) {
  const totals = signalTotalsText(entry.signals ?? []);
  const dated = entry.publishedAt ?? entry.firstSeenAt;
  return el(
    'li',
    { class: 'paper', 'data-paper-id': entry.paperId, 'data-rank': entry.rank },
    el('span', { class: 'rank', 'aria-label': `rank ${entry.rank}` }, String(entry.rank)),
    el(
      'div',
      { class: 'body' },
      el('h3', {}, el('a', { class: 'title', href: paperHash(entry.paperId) }, entry.title)),
      el(
        'div',
        { class: 'details' },
        el('p', { class: 'authors' }, authorsLine(entry.authors, entry.authorCount)),
        entry.organization ? el('p', { class: 'org muted' }, entry.organization) : undefined,
        el('p', { class: 'dates muted' }, dated ? time(dated) : undefined),
        categoryList(entry.categories, entry.primaryCategory),
        entry.crossListed
          ? el('p', { class: 'cross muted' }, `cross-listed from ${entry.primaryCategory}`)
          : undefined,
        entry.abstract ? el('p', { class: 'excerpt' }, excerpt(entry.abstract)) : undefined,
        totals ? el('p', { class: 'totals muted' }, totals) : undefined,
        rowLinks(entry.links),
      ),
      el(
        'details',
        { class: 'why' },
        el('summary', {}, breakdownSummary(entry.breakdown)),
        breakdownList(entry.breakdown),
      ),
    ),
    el(
      'div',
      { class: 'side' },
      el('span', { class: 'score', title: 'trending score' }, formatScore(entry.score)),
      el('div', { class: 'spark' }, sparkline(entry.history ?? [])),
    ),
  );
}

async function renderTrending(show, params) {
  activeNav('trending');
  const win = WINDOWS.includes(params.get('window')) ? params.get('window') : '24h';
  const category = /^[A-Za-z0-9.-]{1,40}$/.test(params.get('category') ?? '')
    ? params.get('category')
    : 'all';
  const hash = (w, c) => `#/trending?window=${encodeURIComponent(w)}&category=${encodeURIComponent(c)}`;

  const tabs = el(
    'nav',
    { class: 'tabs', 'aria-label': 'window' },
    WINDOWS.map((w) =>
      el('a', { href: hash(w, category), 'aria-current': w === win ? 'page' : undefined }, w),
    ),
  );
  const select = el('select', { id: 'category', 'aria-label': 'category' });
  select.addEventListener('change', () => {
    location.hash = hash(win, select.value);
  });
  const heading = el(
    'div',
    { class: 'board-head' },
    el('h2', {}, `Trending — ${win}`),
    tabs,
    el('label', { class: 'category' }, 'Category ', select),
  );
  const meta = el('p', { class: 'meta muted' });
  const list = el('ol', { class: 'papers', id: 'papers' });
  const more = el('div', { class: 'more' });
  show(heading, meta, list, more);

  // The categories on offer: those of the overall board's papers (cross-lists too), plus the one asked for.
  const categories = new Set(['all', category]);
  try {
    const overall = await api(`/trending?window=${win}&category=all&limit=200`);
    for (const item of overall.items) for (const c of item.categories ?? []) categories.add(c);
  } catch {
    // No overall board yet: the list below says so.
  }
  for (const c of [...categories].sort((a, b) => (a === 'all' ? -1 : b === 'all' ? 1 : a.localeCompare(b)))) {
    select.append(el('option', { value: c, selected: c === category ? 'selected' : undefined }, c));
  }

  const load = async (cursor) => {
    const query = cursor
      ? `cursor=${encodeURIComponent(cursor)}&limit=${PAGE_SIZE}`
      : `window=${win}&category=${encodeURIComponent(category)}&limit=${PAGE_SIZE}`;
    let page;
    try {
      page = await api(`/trending?${query}`);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'no-ranking') {
        list.replaceWith(
          el('p', { class: 'notice', id: 'papers' }, `No ranking yet for ${win} / ${category}.`),
        );
      } else {
        list.replaceWith(errorView(err));
      }
      return;
    }
    meta.replaceChildren(
      'As of ',
      time(page.asOf),
      ` · formula ${page.scoreVersion} · `,
      el('a', { href: `/trending?window=${win}&category=${encodeURIComponent(category)}` }, 'JSON'),
    );
    list.append(...page.items.map(paperItem));
    more.replaceChildren();
    if (page.nextCursor) {
      const button = el('button', { type: 'button' }, 'More');
      button.addEventListener('click', () => load(page.nextCursor));
      more.append(button);
    }
  };
  await load(undefined);
}

// ---------------------------------------------------------------------------------------------------------
// Paper detail.

function table(headers, rows, attrs = {}) {
  return el(
    'table',
    attrs,
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        headers.map((h) => el('th', { scope: 'col' }, h)),
      ),
    ),
    el('tbody', {}, rows),
  );
}

const signalsText = (signals) =>
  Object.entries(signals ?? {})
    .map(([k, v]) => `${k} ${v}`)
    .join(', ') || '—';

async function renderPaper(show, id) {
  activeNav('trending');
  show(el('p', { class: 'muted' }, 'Loading…'));
  let paper;
  let signals;
  try {
    [paper, signals] = await Promise.all([api(paperPath(id)), api(`${paperPath(id)}/signals`)]);
  } catch (err) {
    show(el('p', {}, el('a', { href: '#/trending' }, '← Trending')), errorView(err));
    return;
  }
  const ids = [['paper id', paper._id], ...Object.entries(paper.ids ?? {})];
  const links = Object.entries(paper.links ?? {});
  show(
    el('p', {}, el('a', { href: '#/trending' }, '← Trending')),
    el(
      'article',
      { class: 'paper-detail', 'data-paper-id': paper._id },
      el('h2', { class: 'title' }, paper.title),
      el('p', { class: 'authors' }, (paper.authors ?? []).map((a) => a.name).join(', ') || 'authors unknown'),
      paper.organization ? el('p', { class: 'org muted' }, paper.organization) : undefined,
      categoryList(paper.categories, paper.primaryCategory),
      paper.abstract ? el('p', { class: 'abstract' }, paper.abstract) : undefined,
      el('p', { class: 'totals muted' }, signalTotalsText(sightingTotals(paper.sightings)) || 'no signals'),
      el('h3', {}, 'Signals over time'),
      el('div', { class: 'history' }, sparkline(signals.series, { width: 480, height: 96, legend: true })),
      el(
        'div',
        { class: 'grid' },
        el(
          'section',
          {},
          el('h3', {}, 'Identifiers'),
          table(
            ['kind', 'id'],
            ids.map(([k, v]) => el('tr', {}, el('td', {}, k), el('td', { class: 'mono' }, v))),
            { class: 'ids' },
          ),
          el('h3', {}, 'Links'),
          links.length === 0
            ? el('p', { class: 'muted' }, 'none')
            : el(
                'ul',
                { class: 'links' },
                links.map(([k, v]) => el('li', {}, `${k}: `, externalLink(v, v))),
              ),
        ),
        el(
          'section',
          {},
          el('h3', {}, 'Versions'),
          table(
            ['version', 'first seen'],
            (paper.versions ?? []).map((v) =>
              el('tr', { class: 'version' }, el('td', {}, `v${v.version}`), el('td', {}, time(v.seenAt))),
            ),
            { class: 'versions' },
          ),
          el(
            'p',
            { class: 'muted' },
            'First seen ',
            time(paper.firstSeenAt),
            paper.publishedAt ? ' · published ' : '',
            paper.publishedAt ? time(paper.publishedAt) : undefined,
          ),
        ),
      ),
      el('h3', {}, 'Sightings'),
      table(
        ['source', 'feed', 'entry', 'first seen', 'last seen', 'signals'],
        (paper.sightings ?? []).map((s) =>
          el(
            'tr',
            { class: 'sighting' },
            el('td', {}, s.source),
            el('td', { class: 'mono' }, s.feedId),
            el('td', { class: 'mono' }, s.entryKey),
            el('td', {}, time(s.firstSeenAt)),
            el('td', {}, time(s.lastSeenAt)),
            el('td', {}, signalsText(s.signals)),
          ),
        ),
        { class: 'sightings' },
      ),
    ),
  );
}

// ---------------------------------------------------------------------------------------------------------
// Feed health.

async function renderFeeds(show) {
  activeNav('feeds');
  show(el('h2', {}, 'Feed health'), el('p', { class: 'muted' }, 'Loading…'));
  let feeds;
  try {
    feeds = (await api('/feeds')).items;
  } catch (err) {
    show(el('h2', {}, 'Feed health'), errorView(err));
    return;
  }
  const healthy = (f) => f.health.status === 'ok' || f.health.status === 'new';
  const failing = feeds.filter((f) => !healthy(f)).length;
  show(
    el('h2', {}, 'Feed health'),
    el(
      'p',
      { class: 'meta muted' },
      `${feeds.length} feeds · ${failing} unhealthy · ${feeds.filter((f) => !f.enabled).length} paused`,
    ),
    table(
      ['feed', 'kind', 'status', 'last success', 'last error', 'next poll'],
      feeds.map((f) => {
        const err = f.health.lastError;
        return el(
          'tr',
          {
            class: `feed ${healthy(f) ? 'healthy' : 'unhealthy'}`,
            'data-feed-id': f.id,
            'data-status': f.health.status,
          },
          el(
            'td',
            {},
            el('div', { class: 'feed-title' }, f.title ?? f.id),
            el('div', { class: 'mono muted' }, externalLink(f.url, f.url)),
          ),
          el(
            'td',
            {},
            `${f.kind} (${f.source})`,
            el('div', { class: 'muted' }, `every ${f.intervalMinutes} min`),
          ),
          el(
            'td',
            {},
            el('span', { class: `status status-${f.health.status}` }, f.health.status),
            f.health.quiet ? el('span', { class: 'status status-quiet' }, 'quiet') : undefined,
            f.enabled ? undefined : el('span', { class: 'status status-paused' }, 'paused'),
            f.health.consecutiveFailures > 0
              ? el('div', { class: 'muted' }, `${f.health.consecutiveFailures} failures in a row`)
              : undefined,
          ),
          el('td', {}, time(f.lastSuccessAt)),
          el(
            'td',
            {},
            err
              ? [
                  el('span', { class: 'error-class' }, err.errorClass),
                  ' ',
                  time(err.at),
                  el('div', { class: 'error-message' }, err.message),
                ]
              : el('span', { class: 'muted' }, '—'),
          ),
          el('td', {}, time(f.nextCheckAt)),
        );
      }),
      { class: 'feeds', id: 'feeds' },
    ),
  );
}

// ---------------------------------------------------------------------------------------------------------
// Routing and the key form.

async function route() {
  const hash = location.hash.replace(/^#/, '') || '/trending';
  const [path, query = ''] = hash.split('?');
  const show = claimView();
  try {
    if (path.startsWith('/paper/')) await renderPaper(show, decodeURIComponent(path.slice('/paper/'.length)));
    else if (path === '/feeds') await renderFeeds(show);
    else await renderTrending(show, new URLSearchParams(query));
  } catch (err) {
    show(errorView(err));
  }
  document.body.dataset.view = path.split('/')[1] || 'trending';
}

function setupKeyForm() {
  const form = document.getElementById('key-form');
  const input = document.getElementById('key-input');
  input.value = storedKey();
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    try {
      if (input.value.trim()) sessionStorage.setItem(KEY_STORAGE, input.value.trim());
      else sessionStorage.removeItem(KEY_STORAGE);
    } catch {
      // sessionStorage unavailable (privacy mode): nothing kept.
    }
    route();
  });
  document.getElementById('key-forget').addEventListener('click', () => {
    input.value = '';
    try {
      sessionStorage.removeItem(KEY_STORAGE);
    } catch {
      // Nothing was kept.
    }
    route();
  });
}

setupKeyForm();
window.addEventListener('hashchange', route);
route();

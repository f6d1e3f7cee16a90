// Programs from Debian that some tests drive (a real browser, a real feed client). `.ci/run` installs them,
// so under CI a missing one fails the test; on a developer machine without them the test is skipped with a
// message that says what to install, so `npm test` stays usable on a fresh machine.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface SystemTool {
  /** What the test needs, e.g. 'Chromium'. */
  name: string;
  /** Why it is missing, or undefined when it is there. */
  missing: string | undefined;
}

const inCi = () => process.env.CI === 'true' || process.env.CI === '1';

/** Debian's Chromium at /usr/bin/chromium (package `chromium`), driven by playwright-core. */
export function chromium(): SystemTool & { executablePath: string } {
  const executablePath = process.env.PAPERWIRE_CHROMIUM ?? '/usr/bin/chromium';
  return {
    name: 'Chromium',
    executablePath,
    missing: existsSync(executablePath)
      ? undefined
      : `${executablePath} not found: apt-get install chromium (or set PAPERWIRE_CHROMIUM)`,
  };
}

/** Debian's python3 with `feedparser` (package `python3-feedparser`): a feed client no one here wrote. */
export function feedparser(): SystemTool & { python: string } {
  const python = process.env.PAPERWIRE_PYTHON ?? '/usr/bin/python3';
  const probe = existsSync(python)
    ? spawnSync(python, ['-c', 'import feedparser'], { encoding: 'utf8' })
    : undefined;
  return {
    name: 'python3-feedparser',
    python,
    missing:
      probe?.status === 0
        ? undefined
        : `${python} cannot import feedparser: apt-get install python3-feedparser (or set PAPERWIRE_PYTHON)`,
  };
}

/**
 * Whether to skip a suite that needs `tool`: false when it is there; under CI a missing tool throws (CI
 * installs it, so its absence is a broken setup, not a reason to pass); elsewhere true, with a warning.
 */
export function skipWithout(tool: SystemTool): boolean {
  if (tool.missing === undefined) return false;
  if (inCi()) throw new Error(`${tool.name} is required under CI: ${tool.missing}`);
  console.warn(`[skip] ${tool.name}: ${tool.missing}`);
  return true;
}

/** What feedparser makes of one feed file, reduced to the fields the differential test compares. */
export interface FeedparserReading {
  /** feedparser's `version` (`rss20`, `atom10`, … or '' when it did not recognise a feed). */
  version: string;
  /** The bozo exception's class name, '' when none. */
  bozo: string;
  entries: Array<{
    /** Title as text: HTML and XHTML titles have their tags stripped and entities decoded. */
    title: string | null;
    link: string | null;
    /** Unix seconds of published, else updated, else created; null when feedparser read none. */
    date: number | null;
    authors: string[];
  }>;
}

const READ_FILES_SCRIPT = `
import calendar, html, json, re, sys
import feedparser
TAG = re.compile(r'<[^>]*>')
def text(detail, value):
    if value is None: return None
    if detail and detail.get('type') in ('text/html', 'application/xhtml+xml'):
        value = html.unescape(TAG.sub('', value))
    return ' '.join(value.split()) or None
out = []
for item in json.load(sys.stdin):
    with open(item['path'], 'rb') as f:
        data = f.read()
    d = feedparser.parse(data, response_headers={'content-location': item['url'], 'content-type': 'application/xml'})
    entries = []
    for e in d.entries:
        t = e.get('published_parsed') or e.get('updated_parsed') or e.get('created_parsed')
        entries.append({'title': text(e.get('title_detail'), e.get('title')), 'link': e.get('link') or None,
            'date': calendar.timegm(t) if t else None,
            'authors': [a['name'] for a in e.get('authors', []) if a.get('name')]})
    exc = d.get('bozo_exception')
    out.append({'version': d.get('version', ''), 'bozo': type(exc).__name__ if exc else '', 'entries': entries})
print(json.dumps(out))
`;

/**
 * Reads feed files with feedparser as if fetched from `url` (the base for relative links), with an XML
 * content type so that only the document decides its encoding. One python process for all files.
 */
export function readFilesWithFeedparser(
  tool: ReturnType<typeof feedparser>,
  files: ReadonlyArray<{ path: string; url: string }>,
): FeedparserReading[] {
  const run = spawnSync(tool.python, ['-c', READ_FILES_SCRIPT], {
    input: JSON.stringify(files),
    encoding: 'utf8',
    timeout: 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`feedparser exited with ${run.status}: ${run.stderr.slice(0, 500)}`);
  return JSON.parse(run.stdout) as FeedparserReading[];
}

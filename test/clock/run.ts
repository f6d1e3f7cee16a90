// `npm run test:clock`: runs the Vitest suites with every process's clock moved to just before a calendar
// boundary (test/clock/shifted-date.mjs), each in a time zone of its own, so a test that depends on today's
// date, the month, the year or the host's zone fails here rather than on the day it happens.
//
//   npm run test:clock                       all three instants, unit + integration
//   npm run test:clock -- --only year        one of month | year | leap
//   npm run test:clock -- --at 2030-06-30T23:58:00Z --tz UTC
//   npm run test:clock -- --project unit     anything else is passed to `vitest run`
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const REPO_ROOT = resolve(import.meta.dirname, '../..');
const PRELOAD = pathToFileURL(resolve(import.meta.dirname, 'shifted-date.mjs')).href;
/** How long before the boundary the clock starts: the run crosses it while tests are running. */
const LEAD_MS = 4 * 60_000;

export interface ClockTarget {
  name: string;
  at: Date;
  tz: string;
}

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/**
 * The next month boundary that is not also a year boundary, the next year boundary and the next leap day
 * (29 Feb → 1 Mar) after `now`, each `LEAD_MS` before the boundary, in UTC.
 */
export function clockTargets(now: Date): ClockTarget[] {
  const t = now.getTime();
  const before = (boundary: number) => new Date(boundary - LEAD_MS);
  const ahead = (boundary: number) => boundary - LEAD_MS > t;
  let y = now.getUTCFullYear();
  let m = now.getUTCMonth() + 1;
  while (m % 12 === 0 || !ahead(Date.UTC(y, m, 1))) m++;
  const month = Date.UTC(y, m, 1);
  while (!ahead(Date.UTC(y + 1, 0, 1))) y++;
  const year = Date.UTC(y + 1, 0, 1);
  let leapYear = now.getUTCFullYear();
  while (!isLeap(leapYear) || !ahead(Date.UTC(leapYear, 2, 1))) leapYear++;
  return [
    { name: 'month', at: before(month), tz: 'America/New_York' },
    { name: 'year', at: before(year), tz: 'Pacific/Kiritimati' },
    { name: 'leap', at: before(Date.UTC(leapYear, 2, 1)), tz: 'UTC' },
  ];
}

function main(): number {
  const { values, tokens } = parseArgs({
    options: { only: { type: 'string' }, at: { type: 'string' }, tz: { type: 'string' } },
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const ours = new Set(['only', 'at', 'tz']);
  const passThrough = tokens.flatMap((t) => {
    if (t.kind === 'positional') return [t.value];
    if (t.kind === 'option' && !ours.has(t.name))
      return t.value === undefined ? [t.rawName] : [t.rawName, t.value];
    return [];
  });
  let targets = clockTargets(new Date());
  if (typeof values.at === 'string') {
    const at = new Date(values.at);
    if (Number.isNaN(at.getTime())) throw new Error(`test:clock: --at is not a date: ${values.at}`);
    targets = [{ name: 'at', at, tz: typeof values.tz === 'string' ? values.tz : 'UTC' }];
  } else if (typeof values.only === 'string') {
    targets = targets.filter((t) => t.name === values.only);
    if (targets.length === 0) throw new Error('test:clock: --only takes month, year or leap');
  }

  const failed: string[] = [];
  for (const target of targets) {
    const shift = target.at.getTime() - Date.now();
    console.log(
      `\n==== test:clock ${target.name}: clock at ${target.at.toISOString()} (TZ=${target.tz}) ====`,
    );
    const res = spawnSync('npx', ['vitest', 'run', ...passThrough], {
      cwd: REPO_ROOT,
      stdio: 'inherit',
      env: {
        ...process.env,
        TZ: target.tz,
        PAPERWIRE_CLOCK_SHIFT_MS: String(shift),
        NODE_OPTIONS: [process.env.NODE_OPTIONS, `--import=${PRELOAD}`].filter(Boolean).join(' '),
      },
    });
    if (res.status !== 0) failed.push(target.name);
  }
  if (failed.length > 0) {
    console.error(`test:clock: failed with the clock moved to: ${failed.join(', ')}`);
    return 1;
  }
  console.log(`test:clock: passed at ${targets.map((t) => t.name).join(', ')}`);
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.exitCode = main();

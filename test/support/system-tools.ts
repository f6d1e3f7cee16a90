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

// Which events a webhook subscription wants. A filter is a list of patterns: an exact type
// (`trending.entered`), a prefix wildcard on whole segments (`paper.*` matches `paper.created` and
// `paper.version.added`, not `papers.x`), or `*` (everything).

const SEGMENT = '[a-z][a-z0-9_-]{0,39}';
const PATTERN = new RegExp(`^(\\*|${SEGMENT}(\\.${SEGMENT}){0,5}(\\.\\*)?)$`);

/** Whether `pattern` is a valid event-type pattern. */
export function isEventTypePattern(pattern: string): boolean {
  return PATTERN.test(pattern);
}

/** Whether an event of `type` matches any of `patterns`. */
export function matchesEventType(patterns: readonly string[], type: string): boolean {
  return patterns.some((p) => {
    if (p === '*') return true;
    if (p.endsWith('.*')) return type.startsWith(p.slice(0, -1));
    return p === type;
  });
}

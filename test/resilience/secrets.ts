// The last row: no secret the run configured (Redis password inside REDIS_URL, API keys, SMTP password,
// webhook secrets) appears in any log line any process or in-process logger wrote during the whole run.
import type { LogSink, Row, Secrets } from './support.ts';

export function secretsRow(sink: LogSink, secrets: Secrets): Row {
  const found: string[] = [];
  for (const [name, value] of Object.entries(secrets)) {
    const hits = sink.lines.filter((line) => line.includes(value));
    if (hits.length > 0) found.push(`${name} in ${hits.length} lines, e.g. ${hits[0]!.slice(0, 160)}`);
  }
  const tried = Object.keys(secrets).length;
  return {
    class: 'no secret in any log line of the run',
    tried,
    survived: tried - found.length,
    expected: null,
    stored: null,
    duplicated: 0,
    lost: 0,
    notes: `${sink.lines.length} log lines searched for ${Object.keys(secrets).join(', ')}${found.length ? `; FOUND: ${found.join('; ')}` : ''}`,
  };
}

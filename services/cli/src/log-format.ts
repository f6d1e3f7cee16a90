// How a command logs to stderr. Long-running `start` keeps pino JSON (it is a service; LOG_PRETTY=true for a
// person). One-shot commands run by a person at a terminal show their warnings through pino-pretty, one
// readable line each, instead of JSON lines above the summary; with --json, or when stderr is a pipe or a
// file, they stay machine-readable JSON.

export type LogFormat = 'json' | 'pretty';

export interface LogFormatInput {
  /** LOG_PRETTY as given, undefined when unset: an explicit setting always wins. */
  logPretty: boolean | undefined;
  /** `start` and other long-running commands. */
  keepAlive: boolean;
  /** The command was asked for --json. */
  json: boolean;
  /** stderr is a terminal. */
  stderrIsTTY: boolean;
}

export function chooseLogFormat(input: LogFormatInput): LogFormat {
  if (input.logPretty !== undefined) return input.logPretty ? 'pretty' : 'json';
  return !input.keepAlive && !input.json && input.stderrIsTTY ? 'pretty' : 'json';
}

/** pino-pretty for a person: one line per entry, without the fields that are the same on every line. */
export const PRETTY_OPTIONS = {
  singleLine: true,
  translateTime: 'HH:MM:ss',
  ignore: 'pid,hostname,service,version,queue,jobName,attempt,final',
} as const;

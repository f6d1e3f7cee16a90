// The top-level commands: name, the one line `paperwire --help` lists, and the module that defines the
// command, loaded only when that command runs (so `paperwire --help` loads neither mongoose, BullMQ nor
// Fastify). Each module registers its full definition (options, sub-commands, long description).
import type { Command } from 'commander';

type Register = (program: Command) => void;

interface CommandEntry {
  summary: string;
  load: () => Promise<Register>;
}

export const COMMANDS = {
  start: {
    summary: 'run the pipeline continuously (all components in one process by default)',
    load: async () => (await import('./start.ts')).registerStartCommand,
  },
  run: {
    summary: 'fetch every enabled feed now, process until all queues are drained, print a summary',
    load: async () => (await import('./run.ts')).registerRunCommand,
  },
  feeds: {
    summary: 'manage the feed registry',
    load: async () => (await import('./feeds.ts')).registerFeedCommands,
  },
  apikeys: {
    summary: 'manage API keys for the HTTP API',
    load: async () => (await import('./apikeys.ts')).registerApiKeyCommands,
  },
  trending: {
    summary: 'the current trending ranking',
    load: async () => (await import('./trending.ts')).registerTrendingCommand,
  },
  rescore: {
    summary: 're-score now and publish new ranking snapshots (every window and board by default)',
    load: async () => (await import('./rescore.ts')).registerRescoreCommand,
  },
  papers: {
    summary: 'look up stored papers',
    load: async () => (await import('./papers.ts')).registerPaperCommands,
  },
  queues: {
    summary: 'jobs per queue and state, the oldest waiting job, and completion/failure rates',
    load: async () => (await import('./queues.ts')).registerQueuesCommand,
  },
  dlq: {
    summary: 'the dead-letter list: jobs that failed their last attempt (list, retry, drop)',
    load: async () => (await import('./dlq.ts')).registerDlqCommand,
  },
  migrate: {
    summary: 'bring data from an earlier version to the current format (idempotent; start and run do it too)',
    load: async () => (await import('./migrate.ts')).registerMigrateCommand,
  },
  doctor: {
    summary: 'check Redis, the database, indexes, clocks and disk; exit 1 if a check fails',
    load: async () => (await import('./doctor.ts')).registerDoctorCommand,
  },
  replay: {
    summary: 're-parse archived payloads with today’s parsers; store and resolve what is new',
    load: async () => (await import('./replay.ts')).registerReplayCommand,
  },
  backfill: {
    summary: 'load history from a source API, resumably (progress is kept in the database)',
    load: async () => (await import('./backfill.ts')).registerBackfillCommand,
  },
  webhooks: {
    summary: 'webhook subscriptions: events POSTed to your URL, signed (add, list, rm, replay)',
    load: async () => (await import('./webhooks.ts')).registerWebhookCommands,
  },
  digests: {
    summary: 'e-mail digests of the trending papers (subscribe, list, unsubscribe, send-now)',
    load: async () => (await import('./digests.ts')).registerDigestCommands,
  },
  gc: {
    summary: 'retention now: delete relayed outbox events, old payloads and old ranking snapshots',
    load: async () => (await import('./gc.ts')).registerGcCommand,
  },
  'near-index': {
    summary: 'rebuild the Redis near-duplicate index from the stored papers',
    load: async () => (await import('./near-index.ts')).registerNearIndexCommands,
  },
} satisfies Record<string, CommandEntry>;

export type CommandName = keyof typeof COMMANDS;

const isCommandName = (name: string | undefined): name is CommandName =>
  name !== undefined && Object.hasOwn(COMMANDS, name);

/**
 * The command `args` (process.argv without node and the script) runs, also for `help <command>`; undefined
 * for `--help`, `--version`, no command or an unknown one (commander then lists the commands or reports).
 */
export function commandOf(args: readonly string[]): CommandName | undefined {
  const words = args.filter((a) => !a.startsWith('-'));
  const name = words[0] === 'help' ? words[1] : words[0];
  return isCommandName(name) ? name : undefined;
}

/**
 * Registers the command `args` runs with its full definition, and every other one as a stub that only
 * lists its summary.
 */
export async function registerCommands(program: Command, args: readonly string[]): Promise<void> {
  const selected = commandOf(args);
  for (const [name, entry] of Object.entries(COMMANDS) as [CommandName, CommandEntry][]) {
    if (name === selected) {
      (await entry.load())(program);
      program.commands.at(-1)?.summary(entry.summary);
    } else {
      program.command(name).summary(entry.summary);
    }
  }
}

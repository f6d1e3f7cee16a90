// `paperwire apikeys create|list|revoke`: keys for the HTTP API. A key is printed once, at creation; only
// its sha256 is stored, so a lost key cannot be shown again (revoke it and create another).
import { API_KEY_SCOPES, type ApiKeyScope } from '@paperwire/db';
import { type Command, Option } from 'commander';
import { withRuntime } from '../context.ts';
import { printJson, printTable } from '../output.ts';

export function registerApiKeyCommands(program: Command): void {
  const apikeys = program.command('apikeys').description('manage API keys for the HTTP API');

  apikeys
    .command('create <name>')
    .description('create a key and print it (once: it is stored only as a hash)')
    .addOption(
      new Option('--scope <scope>', 'admin (writes and reads) or read (reads only)')
        .choices([...API_KEY_SCOPES])
        .default('read'),
    )
    .option('--json', 'print JSON')
    .action(async (name: string, opts: { scope: ApiKeyScope; json?: boolean }) => {
      await withRuntime(async ({ rt }) => {
        const { key, record } = await rt.db.apiKeys.create(name, [opts.scope], new Date());
        if (opts.json) return printJson({ ...record, key });
        process.stdout.write(
          `created key ${record.name} (id ${record.id}, scope ${record.scopes.join(',')})\n\n  ${key}\n\n` +
            'This is the only time it is shown. Send it as `x-api-key: <key>` or `Authorization: Bearer <key>`.\n',
        );
      });
    });

  apikeys
    .command('list')
    .description('keys with their scopes and state (never the keys themselves)')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      await withRuntime(async ({ rt }) => {
        const keys = await rt.db.apiKeys.list();
        if (opts.json) return printJson(keys);
        printTable(
          ['id', 'name', 'scopes', 'created', 'revoked'],
          keys.map((k) => [k.id, k.name, k.scopes.join(','), k.createdAt, k.revokedAt ?? '-']),
        );
      });
    });

  apikeys
    .command('revoke <name-or-id>')
    .description('revoke the active key with that name (or the key with that id); it is refused at once')
    .option('--json', 'print JSON')
    .action(async (nameOrId: string, opts: { json?: boolean }) => {
      await withRuntime(async ({ rt }) => {
        const record = await rt.db.apiKeys.revoke(nameOrId, new Date());
        if (opts.json) return printJson(record);
        process.stdout.write(`revoked ${record.name} (id ${record.id}) at ${record.revokedAt}\n`);
      });
    });
}

import { findPaper } from '@paperwire/db';
import type { Command } from 'commander';
import { withDatabase } from '../context.ts';
import { printJson } from '../output.ts';

export function registerPaperCommands(program: Command): void {
  const papers = program.command('papers').description('look up stored papers');
  papers
    .command('get <id>')
    .description('a paper by any id: arXiv (with or without version), DOI, HF id, URL')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { json?: boolean }) => {
      const found = await withDatabase(async ({ db }) => {
        let result = await findPaper(db, id);
        if (result.kind === 'redirect') result = await findPaper(db, result.to);
        if (result.kind !== 'found') {
          process.stderr.write(`no paper known as ${id}\n`);
          return false;
        }
        const p = result.paper;
        if (opts.json) {
          printJson(p);
          return true;
        }
        const lines = [
          p.title,
          `id: ${p._id}${p.latestVersion ? ` (v${p.latestVersion})` : ''}`,
          `authors: ${p.authors.map((a) => a.name).join(', ') || '-'}`,
          `category: ${p.primaryCategory ?? '-'}${p.categories.length > 1 ? ` (also ${p.categories.filter((c) => c !== p.primaryCategory).join(', ')})` : ''}`,
          `first seen: ${p.firstSeenAt}`,
          `links: ${Object.values(p.links).filter(Boolean).join(' ') || '-'}`,
          `sightings: ${p.sightings.map((s) => `${s.source}/${s.feedId}`).join(', ')}`,
          '',
          p.abstract ?? '',
        ];
        process.stdout.write(`${lines.join('\n')}\n`);
        return true;
      });
      if (!found) process.exitCode = 1;
    });
}

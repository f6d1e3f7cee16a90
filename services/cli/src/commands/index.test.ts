import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMANDS, type CommandName, commandOf, registerCommands } from './index.ts';

const NAMES = Object.keys(COMMANDS) as CommandName[];

describe('commandOf', () => {
  it.each([
    [['--help'], undefined],
    [[], undefined],
    [['bogus'], undefined],
    [['help'], undefined],
    [['papers', 'get', '2401.01234', '--json'], 'papers'],
    [['--json', 'trending'], 'trending'],
    [['help', 'feeds'], 'feeds'],
    [['run', '--once'], 'run'],
  ] as const)('%j → %s', (args, expected) => {
    expect(commandOf(args)).toBe(expected);
  });
});

describe('registerCommands', () => {
  it.each(NAMES)(
    'the module of %s defines exactly that command, listed with its summary',
    async (name) => {
      const program = new Command('paperwire');
      (await COMMANDS[name].load())(program);
      expect(program.commands.map((c) => c.name())).toEqual([name]);

      const full = new Command('paperwire');
      await registerCommands(full, [name]);
      expect(full.commands.map((c) => c.name())).toEqual(NAMES);
      const selected = full.commands.find((c) => c.name() === name)!;
      expect(selected.summary()).toBe(COMMANDS[name].summary);
      // The full definition (its options or sub-commands), not the stub.
      expect(selected.options.length + selected.commands.length).toBeGreaterThan(0);
      // The first command module loads mongoose, BullMQ and Fastify: slow on a loaded machine.
    },
    60_000,
  );

  it('lists every command as a stub when none is selected', async () => {
    const program = new Command('paperwire');
    await registerCommands(program, ['--help']);
    expect(program.commands.map((c) => [c.name(), c.summary(), c.options.length])).toEqual(
      NAMES.map((n) => [n, COMMANDS[n].summary, 0]),
    );
  });
});

// Dated boards (`/daily/:date`, `/weekly/:isoWeek`, `/monthly/:yyyy-mm`): one document per period, keyed
// `<kind>.<key>`, so a reader's only database access is one `_id` point read (the one query FerretDB pushes
// down). The scorer replaces a period's document while the period is open or in its grace day, and writes
// it a last time with `final: true`; a final board never changes, so readers keep it in memory for good.
import type { DatedSnapshot, PeriodKind } from '@paperwire/core';
import type { Models } from '../models.ts';
import { deepFreeze, fromStored, toStored } from './rankings.ts';

/** Final boards kept in memory per process (each is immutable). */
const FINAL_CACHE_SIZE = 256;

export const datedBoardId = (kind: PeriodKind, key: string): string => `${kind}.${key}`;

export function datedBoardsRepository({ DatedBoard }: Pick<Models, 'DatedBoard'>) {
  const finals = new Map<string, DatedSnapshot>();
  return {
    /** Writes (replaces) a period's board. A final board is never replaced: the write is skipped. */
    async publish(board: DatedSnapshot): Promise<'written' | 'frozen'> {
      const current = await this.get(board.kind, board.period);
      if (current?.final) return 'frozen';
      await DatedBoard.collection.replaceOne({ _id: board._id } as never, (await toStored(board)) as never, {
        upsert: true,
      });
      return 'written';
    },
    /** A period's board (frozen object; a final one from memory once read), or undefined. */
    async get(kind: PeriodKind, key: string): Promise<DatedSnapshot | undefined> {
      const _id = datedBoardId(kind, key);
      const kept = finals.get(_id);
      if (kept) return kept;
      const doc = await DatedBoard.findById(_id).lean();
      if (!doc) return undefined;
      const board = deepFreeze(await fromStored<DatedSnapshot>(doc as never));
      if (board.final) {
        finals.set(_id, board);
        if (finals.size > FINAL_CACHE_SIZE) finals.delete(finals.keys().next().value!);
      }
      return board;
    },
  };
}
export type DatedBoardsRepository = ReturnType<typeof datedBoardsRepository>;

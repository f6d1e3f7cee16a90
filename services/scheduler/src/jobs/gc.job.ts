// The periodic retention run: compute the cutoffs from the job's clock, delete in batches, report counts.
import { collectGarbage, type Database, type GcResult } from '@paperwire/db';
import type { Handler } from '@paperwire/jobs';
import type { RetentionSettings } from '@paperwire/platform';

export interface GcDeps {
  db: Pick<Database, 'retention'>;
  settings: RetentionSettings;
  now: () => Date;
}

export function gcHandler(deps: GcDeps): Handler<'gc'> {
  return async ({ reason }, { log }): Promise<GcResult> =>
    collectGarbage(deps.db, deps.settings, deps.now(), log.child({ reason }));
}

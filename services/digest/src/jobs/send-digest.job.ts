// send-digest: under the subscriber's lock, load the subscription (point read) → load this period's
// digest record (point read) → if there is none: choose the papers (pure: current rankings minus the
// subscriber's ledger, narrowed by its filters) and render them from the boards' rows, and render the message (pure), and record both before anything is sent (an empty
// choice is recorded as `empty` and nothing is sent) → add the papers to the ledger → send over SMTP with
// the Message-ID derived from the record's id → mark the record sent.
//
// A crash or failure anywhere before "sent" leaves the record `recorded`: the retry sends that same
// message again (same papers, same Message-ID, so the receiving side can drop a duplicate), never another
// one. Later digests leave out every paper of earlier ones, sent or still being retried.
import {
  type DigestItem,
  type DigestPaperView,
  digestBoards,
  digestId,
  digestMessageId,
  httpUrl,
  type RankedPaper,
  renderDigest,
  selectDigest,
  unsubscribeToken,
} from '@paperwire/core';
import type { Database, DigestRecord, DigestSubscription } from '@paperwire/db';
import type { Handler } from '@paperwire/jobs';
import type { Locks } from '@paperwire/platform';
import type { DigestSettings } from '../config.ts';
import type { Mailer } from '../mailer.ts';

export interface SendDigestDeps {
  db: Pick<Database, 'digests' | 'rankings'>;
  locks: Pick<Locks, 'withLocks'>;
  mailer: Pick<Mailer, 'send'>;
  settings: Pick<DigestSettings, 'from' | 'messageIdDomain' | 'publicBaseUrl' | 'secret' | 'maxPapers'>;
  now: () => Date;
}

export type SendDigestResult =
  | { status: 'sent'; digestId: string; messageId: string; papers: number; retried: boolean }
  | { status: 'empty' | 'already-sent' | 'already-empty'; digestId: string }
  | { status: 'skipped'; reason: 'unknown-subscriber' | 'unsubscribed' };

/** `<base>/digests/unsubscribe?token=…` for a subscription. */
export const unsubscribeUrl = (settings: Pick<DigestSettings, 'publicBaseUrl' | 'secret'>, id: string) =>
  `${settings.publicBaseUrl}/digests/unsubscribe?token=${encodeURIComponent(unsubscribeToken(settings.secret, id))}`;

/** What the e-mail shows of a paper: its board row (no paper is read). */
function paperView(row: RankedPaper, base: string): DigestPaperView {
  const more = row.authorCount - row.authors.length;
  return {
    title: row.title,
    authors: [...row.authors.map((a) => a.name), ...(more > 0 ? [`and ${more} more`] : [])],
    ...(row.abstract ? { abstract: row.abstract } : {}),
    url: httpUrl(row.links?.abs) ?? `${base}/papers/${encodeURIComponent(row.paperId)}`,
  };
}

/** Chooses and renders the digest of `period` for `sub` (reads only; the caller records it). */
export async function buildDigest(
  deps: Pick<SendDigestDeps, 'db' | 'settings'>,
  sub: DigestSubscription,
  period: string,
  now: Date,
): Promise<DigestRecord> {
  const id = digestId(sub.id, period);
  const sent = await deps.db.digests.sentPaperIds(sub.id);
  const boards = await Promise.all(
    digestBoards(sub.windows, sub.categories).map(async (b) => ({
      ...b,
      snapshot: await deps.db.rankings.current(b.window, b.category),
    })),
  );
  const items: DigestItem[] = selectDigest(boards, sent, deps.settings.maxPapers, sub.filters);
  const base = { id, subscriberId: sub.id, period, createdAt: now.toISOString(), items };
  if (items.length === 0) return { ...base, status: 'empty' };
  const chosen = new Set(items.map((i) => i.paperId));
  const papers = new Map<string, DigestPaperView>();
  for (const { snapshot } of boards) {
    for (const row of snapshot?.entries ?? []) {
      if (chosen.has(row.paperId) && !papers.has(row.paperId))
        papers.set(row.paperId, paperView(row, deps.settings.publicBaseUrl));
    }
  }
  const link = unsubscribeUrl(deps.settings, sub.id);
  const message = renderDigest({ cadence: sub.cadence, period, items, papers, unsubscribeUrl: link });
  return {
    ...base,
    status: 'recorded',
    message: {
      messageId: digestMessageId(id, deps.settings.messageIdDomain),
      to: sub.email,
      unsubscribeUrl: link,
      ...message,
    },
  };
}

export function sendDigestHandler(deps: SendDigestDeps): Handler<'send-digest'> {
  return async ({ subscriberId, period }, { log }): Promise<SendDigestResult> =>
    deps.locks.withLocks(
      [`digest:${subscriberId}`],
      async (): Promise<SendDigestResult> => {
        const sub = await deps.db.digests.get(subscriberId);
        if (!sub || sub.unsubscribedAt) {
          const reason = sub ? 'unsubscribed' : 'unknown-subscriber';
          log.info({ subscriberId, period, reason }, 'digest: skipped');
          return { status: 'skipped', reason };
        }
        const id = digestId(subscriberId, period);
        const earlier = await deps.db.digests.getDigest(id);
        if (earlier?.status === 'sent') return { status: 'already-sent', digestId: id };
        if (earlier?.status === 'empty') return { status: 'already-empty', digestId: id };

        const record =
          earlier ?? (await deps.db.digests.recordDigest(await buildDigest(deps, sub, period, deps.now())));
        if (record.status === 'empty' || !record.message) {
          log.info({ subscriberId, period }, 'digest: nothing new; nothing sent');
          return { status: 'empty', digestId: id };
        }
        await deps.db.digests.addSent(
          subscriberId,
          record.items.map((i) => i.paperId),
          deps.now(),
        );
        await deps.mailer.send({ ...record.message, from: deps.settings.from });
        await deps.db.digests.markSent(id, deps.now());
        const result = {
          status: 'sent' as const,
          digestId: id,
          messageId: record.message.messageId,
          papers: record.items.length,
          retried: earlier !== undefined,
        };
        log.info({ subscriberId, period, ...result }, 'digest: sent');
        return result;
      },
      // Sending can take a while (timeouts are SMTP_TIMEOUT_MS each); a second job for the same
      // subscriber waits its turn rather than failing.
      { ttlMs: 5 * 60_000, waitMs: 60_000 },
    );
}

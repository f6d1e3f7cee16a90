// `paperwire digests` through the real CLI: subscribe (and change), list, send-now --wait over a real SMTP
// server on 127.0.0.1, unsubscribe by address; `start --only digest` without the SMTP settings refuses to
// start and names each missing setting.
/// <reference path="../../../test/setup/global-setup.ts" />
import { type Paper, paperRow } from '@paperwire/core';
import { createLogger } from '@paperwire/platform';
import { createRuntime } from '@paperwire/runtime';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/support/cli.ts';
import { testMongoUri, testRedisUrl, uniquePrefix } from '../../../test/support/services.ts';
import { cliEnvSchema } from '../src/config.ts';

const env: Record<string, string> = {
  MONGODB_URI: testMongoUri('cli-digests'),
  REDIS_URL: testRedisUrl(),
  PAPERWIRE_QUEUE_PREFIX: uniquePrefix('cli-digests'),
  PAPERWIRE_SEED_DEFAULT_FEEDS: 'false',
};
const received: ParsedMail[] = [];
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onData(stream, _session, cb) {
    void simpleParser(stream).then((mail) => {
      received.push(mail);
      cb();
    });
  },
});
let smtpEnv: Record<string, string>;

beforeAll(async () => {
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const port = (smtp.server.address() as { port: number }).port;
  smtpEnv = {
    SMTP_URL: `smtp://127.0.0.1:${port}`,
    DIGEST_FROM: 'Paperwire <digests@paperwire.test>',
    PUBLIC_BASE_URL: 'https://paperwire.test',
    DIGEST_SECRET: 'cli-digest-secret-0123456789abcdefghijkl',
  };
  const rt = await createRuntime(cliEnvSchema.parse(env), createLogger({ service: 'test', level: 'warn' }));
  try {
    const paper: Paper = {
      _id: 'arxiv:2611.20001',
      ids: { arxiv: '2611.20001' },
      versions: [],
      title: 'A paper for the CLI digest',
      authors: [],
      categories: ['cs.LG'],
      firstSeenAt: '2026-11-28T08:00:00.000Z',
      links: { abs: 'https://arxiv.org/abs/2611.20001' },
      sightings: [],
      textSource: { rank: 0, version: 1, at: '2026-11-28T08:00:00.000Z' },
    };
    await rt.db.papers.put(paper);
    await rt.db.rankings.publish({
      _id: '24h.cs.LG.1764324000000',
      window: '24h',
      category: 'cs.LG',
      asOf: '2026-11-28T10:00:00.000Z',
      scoreVersion: 's1',
      constants: {},
      entries: [{ ...paperRow(paper, {}, paper.firstSeenAt), rank: 1, score: 3, breakdown: {} }],
    });
  } finally {
    await rt.shutdown.run('test done');
  }
});

afterAll(async () => {
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

describe('paperwire digests', () => {
  it('subscribes, lists, sends now, unsubscribes', async () => {
    const args = [
      'digests',
      'subscribe',
      '--email',
      'Ada@Example.org',
      '--windows',
      '24h',
      '--categories',
      'cs.LG',
    ];
    const created = await runCli([...args, '--json'], env);
    expect(created.code, created.stderr).toBe(0);
    const sub = JSON.parse(created.stdout) as {
      id: string;
      email: string;
      created: boolean;
      cadence: string;
    };
    expect(sub).toMatchObject({ email: 'ada@example.org', created: true, cadence: 'daily' });
    const changed = await runCli([...args, '--cadence', 'weekly'], env);
    expect(changed.code, changed.stderr).toBe(0);
    expect(changed.stdout).toContain(`updated ${sub.id} ada@example.org: weekly, 24h × cs.LG`);
    const bad = await runCli(['digests', 'subscribe', '--email', 'nobody', '--windows', '24h'], env);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('not an e-mail address');

    const listed = await runCli(['digests', 'list', '--json'], env);
    expect(JSON.parse(listed.stdout)).toEqual([
      expect.objectContaining({ id: sub.id, cadence: 'weekly', unsubscribedAt: null }),
    ]);
    expect((await runCli(['digests', 'list'], env)).stdout).toMatch(
      /ada@example\.org\s+24h\s+cs\.LG\s+weekly\s+active/,
    );

    const sent = await runCli(['digests', 'send-now', 'ada@example.org', '--wait', '--json'], {
      ...env,
      ...smtpEnv,
    });
    expect(sent.code, sent.stderr).toBe(0);
    expect(JSON.parse(sent.stdout)).toEqual([
      expect.objectContaining({
        subscriberId: sub.id,
        result: expect.objectContaining({ status: 'sent', papers: 1 }),
      }),
    ]);
    expect(received).toHaveLength(1);
    expect(received[0]!.subject).toMatch(/^Paperwire weekly digest \(now\): 1 trending paper$/);
    expect(received[0]!.text).toContain('A paper for the CLI digest');

    const gone = await runCli(['digests', 'unsubscribe', 'ada@example.org', '--json'], env);
    expect(gone.code, gone.stderr).toBe(0);
    expect(JSON.parse(gone.stdout)).toMatchObject({ id: sub.id, unsubscribedAt: expect.any(String) });
    const none = await runCli(['digests', 'send-now'], env);
    expect(none.stdout).toContain('no active digest subscriptions');
    expect((await runCli(['digests', 'unsubscribe', 'ds_0000000000000000'], env)).code).not.toBe(0);
  }, 240_000); // eight CLI processes, each starting up

  it('`start --only digest` without the SMTP settings refuses to start, naming them', async () => {
    const res = await runCli(['start', '--only', 'digest'], env, 60_000);
    expect(res.code).toBe(78);
    for (const name of ['SMTP_URL', 'DIGEST_FROM', 'PUBLIC_BASE_URL', 'DIGEST_SECRET'])
      expect(res.stderr).toContain(name);
  });
});

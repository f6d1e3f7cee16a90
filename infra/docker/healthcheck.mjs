// Container healthcheck, plain Node (no tsx, no packages) so it starts fast.
//   node infra/docker/healthcheck.mjs http <url>   exit 0 if GET <url> answers 2xx within 4 s
//   node infra/docker/healthcheck.mjs worker       exit 0 if the worker's heartbeat file is fresh, or — for
//     a worker that writes none — if Redis at REDIS_URL answers PING (it cannot work without it).
import { statSync } from 'node:fs';
import { connect } from 'node:net';

const TIMEOUT_MS = 4_000;
const HEARTBEAT_FILE = process.env.PAPERWIRE_HEARTBEAT_FILE ?? '/tmp/paperwire-heartbeat';
const HEARTBEAT_MAX_AGE_MS = Number(process.env.PAPERWIRE_HEARTBEAT_MAX_AGE_MS ?? 90_000);

const fail = (why) => {
  console.error(`unhealthy: ${why}`);
  process.exit(1);
};

async function checkHttp(url) {
  const res = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) }).catch((err) => fail(err.message));
  if (!res.ok) fail(`GET ${url} → ${res.status}`);
}

function heartbeatAge() {
  try {
    return Date.now() - statSync(HEARTBEAT_FILE).mtimeMs;
  } catch {
    return undefined;
  }
}

function pingRedis(url) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port || 6379) });
    let reply = '';
    socket.setTimeout(TIMEOUT_MS, () => fail(`Redis ${url}: no answer`));
    socket.once('error', (err) => fail(`Redis ${url}: ${err.message}`));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk;
      if (!reply.includes('\r\n')) return;
      socket.destroy();
      // -NOAUTH still proves the server is up; only a missing answer is unhealthy here.
      resolve(reply);
    });
  });
}

const [mode, arg] = process.argv.slice(2);
if (mode === 'http') {
  await checkHttp(arg ?? fail('usage: healthcheck.mjs http <url>'));
} else if (mode === 'worker') {
  const age = heartbeatAge();
  if (age !== undefined) {
    if (age > HEARTBEAT_MAX_AGE_MS) fail(`heartbeat ${HEARTBEAT_FILE} is ${Math.round(age / 1000)} s old`);
  } else {
    await pingRedis(process.env.REDIS_URL ?? fail('REDIS_URL is not set'));
  }
} else {
  fail('usage: healthcheck.mjs http <url> | worker');
}

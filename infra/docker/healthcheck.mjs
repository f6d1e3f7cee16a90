// Container healthcheck, plain Node (no packages) so it starts fast.
//   node infra/docker/healthcheck.mjs http <url>   exit 0 if GET <url> answers 2xx within 4 s
//   node infra/docker/healthcheck.mjs worker       exit 0 if the heartbeat file (PAPERWIRE_HEARTBEAT_FILE)
//     was rewritten within PAPERWIRE_HEARTBEAT_MAX_AGE_MS (90 s): the process rewrites it every 15 s while
//     Redis and the database answer (shared/platform/src/heartbeat.ts), so a missing or stale file means
//     the process is stuck, disconnected or not started.
import { readFileSync } from 'node:fs';

const TIMEOUT_MS = 4_000;
const HEARTBEAT_FILE = process.env.PAPERWIRE_HEARTBEAT_FILE || '/tmp/paperwire-heartbeat';
const HEARTBEAT_MAX_AGE_MS = Number(process.env.PAPERWIRE_HEARTBEAT_MAX_AGE_MS || 90_000);

const fail = (why) => {
  console.error(`unhealthy: ${why}`);
  process.exit(1);
};

async function checkHttp(url) {
  const res = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) }).catch((err) => fail(err.message));
  if (!res.ok) fail(`GET ${url} → ${res.status}`);
}

// The age is the instant the process wrote into the file (its own clock, as this check's) against now, not
// the file's mtime (the file system's clock).
function checkHeartbeat() {
  let text;
  try {
    text = readFileSync(HEARTBEAT_FILE, 'utf8');
  } catch {
    fail(`no heartbeat file ${HEARTBEAT_FILE}`);
  }
  const beatAt = Date.parse(text.trim());
  if (Number.isNaN(beatAt)) fail(`heartbeat ${HEARTBEAT_FILE} holds no instant`);
  const age = Date.now() - beatAt;
  if (age > HEARTBEAT_MAX_AGE_MS) fail(`heartbeat ${HEARTBEAT_FILE} is ${Math.round(age / 1000)} s old`);
}

const [mode, arg] = process.argv.slice(2);
if (mode === 'http') {
  await checkHttp(arg ?? fail('usage: healthcheck.mjs http <url>'));
} else if (mode === 'worker') {
  checkHeartbeat();
} else {
  fail('usage: healthcheck.mjs http <url> | worker');
}

/**
 * Auth costs: login latency (one OWASP-cost argon2id verification each, plus a session row and
 * a signed RS256 token), sequentially and with concurrent logins, beside one scrypt N=2^17 hash
 * (the hashing it replaced) measured in the same run; the rate limiter's cost per request with
 * an empty store and with 60,000 client addresses in it; and how many access tokens per second
 * the gateway's JWT authorizer verifies. Medians over several runs.
 * Options (flag or env): --runs=3 --logins=20 --concurrency=4 --verify-seconds=3 --addresses=60000.
 */
import { scrypt } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openAuthDatabase } from '../backend/auth/database';
import { DEFAULT_RATE_LIMITS } from '../backend/auth/rate-limits';
import { MemoryRevocations } from '../backend/auth/revocations.memory';
import { startAuthServer } from '../backend/auth/server';
import { apiAudience } from '../backend/local/config';
import { createJwtAuthorizer, type JwtAuthorizer } from '../backend/local/jwt-authorizer';
import { ApiClient, expectStatus, signUp, type Account } from '../test/support/api-client';
import { numberOption } from './lib/options';
import { emitFigures, figure, loadNote, machineNote, markdownTable, round, saveResults, withSpread } from './lib/report';
import { median, percentile } from '../test/support/statistics';

const options = {
  runs: numberOption('runs', 3),
  logins: numberOption('logins', 20),
  concurrency: numberOption('concurrency', 4),
  verifySeconds: numberOption('verify-seconds', 3),
  addresses: numberOption('addresses', 60_000),
  /** Tokens verified at once in the concurrent verification round. */
  verifyInFlight: 32,
  /** scrypt hashes timed per run (their median is the run's figure). */
  scryptHashes: 3,
  /** Requests timed per limiter round. */
  limiterRequests: 300,
};

interface AuthRun {
  sequentialP50: number;
  sequentialP95: number;
  concurrentP50: number;
  concurrentP95: number;
  loginsPerSecond: number;
  scryptMs: number;
  limiterEmptyMs: number;
  limiterFullMs: number;
  verificationsPerSecond: number;
  concurrentVerificationsPerSecond: number;
}

async function timedLogin(auth: ApiClient, account: Account): Promise<number> {
  const started = performance.now();
  expectStatus(await auth.post('/auth/login', { email: account.email, password: account.password }), 200, 'login');
  return performance.now() - started;
}

/** Runs `count` logins with `concurrency` in flight; returns each one's latency and the wall time. */
async function logins(auth: ApiClient, account: Account, count: number, concurrency: number) {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < count) latencies.push(await timedLogin(auth, account));
    }),
  );
  return { latencies, seconds: (performance.now() - started) / 1000 };
}

/** Milliseconds of one scrypt hash at the parameters logins used before argon2id (N=2^17, r=8, p=1, ~128 MiB). */
async function scryptHashMs(): Promise<number> {
  const started = performance.now();
  await new Promise<void>((resolve, reject) =>
    scrypt('a benchmark password', 'a sixteen-byte salt', 32, { N: 2 ** 17, r: 8, p: 1, maxmem: 256 * 2 ** 17 * 8 + 2 ** 20 }, (error) =>
      error ? reject(error) : resolve(),
    ),
  );
  return performance.now() - started;
}

/**
 * Median milliseconds of a request that passes only the per-address limiter: a login with an
 * empty body, answered 400 by validation after the limiter has counted it.
 */
async function limitedRequestMs(auth: ApiClient): Promise<number> {
  const latencies: number[] = [];
  for (let i = 0; i < options.limiterRequests; i++) {
    const started = performance.now();
    expectStatus(await auth.post('/auth/login', {}), 400, 'login without a body');
    latencies.push(performance.now() - started);
  }
  return median(latencies);
}

/**
 * Puts `count` client addresses into the server's counters, as rows the per-address login limit
 * writes (an attacker rotating addresses leaves these behind). Written in batches: one limiter
 * call per address would take long enough for the client's idle connection to time out.
 */
async function fillLimiter(databaseUrl: string, count: number) {
  const { db } = openAuthDatabase(databaseUrl);
  const expire = Date.now() + DEFAULT_RATE_LIMITS.loginPerAddress.windowSeconds * 1000;
  const address = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
  try {
    await db.transaction().execute(async (trx) => {
      for (let start = 0; start < count; start += 500) {
        const rows = Array.from({ length: Math.min(500, count - start) }, (_, i) => ({
          key: `loginPerAddress:${address(start + i)}`,
          points: 1,
          expire,
        }));
        await trx.insertInto('rate_limits').values(rows).execute();
      }
    });
  } finally {
    await db.destroy();
  }
}

/** Verifications per second over `seconds`, with `inFlight` verifications awaited together. */
async function verifications(authorizer: JwtAuthorizer, header: string, seconds: number, inFlight: number): Promise<number> {
  let done = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  while (performance.now() < deadline) {
    const claims = await Promise.all(Array.from({ length: inFlight }, () => authorizer.authorize(header)));
    if (claims.some((c) => !c)) throw new Error('a valid token failed verification');
    done += inFlight;
  }
  return done / ((performance.now() - started) / 1000);
}

async function runOnce(run: number): Promise<AuthRun> {
  const dataDir = await mkdtemp(join(tmpdir(), 'alktunes-bench-auth-'));
  const databaseUrl = `sqlite:${join(dataDir, 'auth.sqlite')}`;
  const server = await startAuthServer({
    host: '127.0.0.1',
    port: 0,
    audience: apiAudience,
    databaseUrl,
    keysFile: join(dataDir, 'auth-keys.json'),
    log: () => {},
    registration: 'open',
    revocations: new MemoryRevocations(),
    // Production password cost (OWASP argon2id) and hash gate; only the per-address limits are
    // lifted, since every request comes from 127.0.0.1.
    rateLimits: { loginPerAddress: { limit: 1_000_000, windowSeconds: 600 }, registerPerAddress: { limit: 1_000_000, windowSeconds: 600 } },
  });
  try {
    const account = await signUp(server.url, 'bench');
    const auth = new ApiClient(server.url);
    await timedLogin(auth, account); // warm-up: JIT, SQLite pages, the hasher's first allocation

    const sequential = await logins(auth, account, options.logins, 1);
    const scryptTimes: number[] = [];
    for (let i = 0; i < options.scryptHashes; i++) scryptTimes.push(await scryptHashMs());
    const scryptMs = median(scryptTimes);
    const concurrent = await logins(auth, account, options.logins, options.concurrency);

    await limitedRequestMs(auth); // warm-up
    const limiterEmptyMs = await limitedRequestMs(auth);
    await fillLimiter(databaseUrl, options.addresses);
    const limiterFullMs = await limitedRequestMs(auth);

    const authorizer = createJwtAuthorizer({ issuer: server.issuer, audience: apiAudience });
    const header = `Bearer ${account.accessToken}`;
    await verifications(authorizer, header, 0.5, 1); // warm-up, and the one JWKS fetch
    const result: AuthRun = {
      sequentialP50: median(sequential.latencies),
      sequentialP95: percentile(sequential.latencies, 95),
      concurrentP50: median(concurrent.latencies),
      concurrentP95: percentile(concurrent.latencies, 95),
      loginsPerSecond: options.logins / concurrent.seconds,
      scryptMs,
      limiterEmptyMs,
      limiterFullMs,
      verificationsPerSecond: await verifications(authorizer, header, options.verifySeconds, 1),
      concurrentVerificationsPerSecond: await verifications(authorizer, header, options.verifySeconds, options.verifyInFlight),
    };
    console.error(
      `  run ${run}: login p95 ${round(result.sequentialP95)} ms sequential (one scrypt hash: ${round(scryptMs)} ms), ` +
        `${round(result.concurrentP95)} ms at ${options.concurrency} concurrent; limited request ${round(limiterEmptyMs)} → ${round(limiterFullMs)} ms ` +
        `with ${options.addresses.toLocaleString('en-US')} addresses; ${round(result.verificationsPerSecond)} verifications/s`,
    );
    return result;
  } finally {
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

console.error(`Auth bench: ${options.runs} run(s), ${options.logins} logins per round, OWASP argon2id (m=19456 KiB, t=2, p=1)`);
const loadBefore = loadNote();
const runs: AuthRun[] = [];
for (let run = 1; run <= options.runs; run++) runs.push(await runOnce(run));
const loadAfter = loadNote();

const all = (f: (r: AuthRun) => number) => runs.map(f);
const addresses = options.addresses.toLocaleString('en-US');
console.log(
  `\n${markdownTable(
    ['measure', 'median (min–max)'],
    [
      ['login p50, one at a time (ms)', withSpread(all((r) => r.sequentialP50))],
      ['login p95, one at a time (ms)', withSpread(all((r) => r.sequentialP95))],
      ['one scrypt N=2^17 hash, the hashing before argon2id (ms)', withSpread(all((r) => r.scryptMs))],
      [`login p50, ${options.concurrency} concurrent (ms)`, withSpread(all((r) => r.concurrentP50))],
      [`login p95, ${options.concurrency} concurrent (ms)`, withSpread(all((r) => r.concurrentP95))],
      [`logins/s, ${options.concurrency} concurrent`, withSpread(all((r) => r.loginsPerSecond))],
      ['rate-limited request p50, empty store (ms)', withSpread(all((r) => r.limiterEmptyMs))],
      [`rate-limited request p50, ${addresses} addresses stored (ms)`, withSpread(all((r) => r.limiterFullMs))],
      ['token verifications/s, one at a time', withSpread(all((r) => r.verificationsPerSecond))],
      [`token verifications/s, ${options.verifyInFlight} in flight`, withSpread(all((r) => r.concurrentVerificationsPerSecond))],
    ],
  )}\n`,
);
console.log(
  `${options.runs} run(s) of ${options.logins} logins each way. Machine: ${machineNote()}; ${loadBefore} before, ${loadAfter} after.`,
);
console.log(`Saved to ${await saveResults('auth', { options, load: { before: loadBefore, after: loadAfter }, runs })}`);
await emitFigures('auth', [
  figure(
    'login p95, one at a time',
    all((r) => r.sequentialP95),
    'ms',
    { op: '<=', value: 150 },
  ),
  figure(
    'one scrypt N=2^17 hash (before argon2id)',
    all((r) => r.scryptMs),
    'ms',
  ),
  figure(
    `login p95, ${options.concurrency} concurrent`,
    all((r) => r.concurrentP95),
    'ms',
  ),
  // The request's cost must not grow with the clients the limiter has seen (it scanned them all before).
  figure(
    `rate-limited request, ${addresses} addresses ÷ empty store`,
    all((r) => r.limiterFullMs / r.limiterEmptyMs),
    '×',
    { op: '<=', value: 1.5 },
  ),
  figure(
    'token verifications/s, one at a time',
    all((r) => r.verificationsPerSecond),
    '/s',
    { op: '>=', value: 5000 },
  ),
  figure(
    `token verifications/s, ${options.verifyInFlight} in flight`,
    all((r) => r.concurrentVerificationsPerSecond),
    '/s',
    { op: '>=', value: 5000 },
  ),
]);

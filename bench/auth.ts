/**
 * Auth costs: login latency (one OWASP-cost scrypt verification each, plus a session row and a
 * signed RS256 token), sequentially and with concurrent logins, and how many access tokens per
 * second the gateway's JWT authorizer verifies. Medians over several runs.
 * Options (flag or env): --runs=3 --logins=12 --concurrency=4 --verify-seconds=3.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAuthServer } from '../backend/auth/server';
import { apiAudience } from '../backend/local/config';
import { createJwtAuthorizer, type JwtAuthorizer } from '../backend/local/jwt-authorizer';
import { ApiClient, expectStatus, signUp, type Account } from './lib/api-client';
import { numberOption } from './lib/options';
import { emitFigures, figure, loadNote, machineNote, markdownTable, median, percentile, round, saveResults, withSpread } from './lib/report';

const options = {
  runs: numberOption('runs', 3),
  logins: numberOption('logins', 12),
  concurrency: numberOption('concurrency', 4),
  verifySeconds: numberOption('verify-seconds', 3),
  /** Tokens verified at once in the concurrent verification round. */
  verifyInFlight: 32,
};

interface AuthRun {
  sequentialP50: number;
  sequentialP95: number;
  concurrentP50: number;
  concurrentP95: number;
  loginsPerSecond: number;
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
  const server = await startAuthServer({
    host: '127.0.0.1',
    port: 0,
    audience: apiAudience,
    databaseUrl: `sqlite:${join(dataDir, 'auth.sqlite')}`,
    keysFile: join(dataDir, 'auth-keys.json'),
    log: () => {},
    // Production password cost (OWASP scrypt); only the per-IP limits are lifted, since every login comes from one IP.
    rateLimits: { loginPerIp: { limit: 1_000_000, windowSeconds: 1 } },
  });
  try {
    const account = await signUp(server.url, 'bench');
    const auth = new ApiClient(server.url);
    await timedLogin(auth, account); // warm-up: JIT, SQLite pages, the hasher's first allocation

    const sequential = await logins(auth, account, options.logins, 1);
    const concurrent = await logins(auth, account, options.logins, options.concurrency);

    const authorizer = createJwtAuthorizer({ issuer: server.issuer, audience: apiAudience });
    const header = `Bearer ${account.accessToken}`;
    await verifications(authorizer, header, 0.5, 1); // warm-up, and the one JWKS fetch
    const result: AuthRun = {
      sequentialP50: median(sequential.latencies),
      sequentialP95: percentile(sequential.latencies, 95),
      concurrentP50: median(concurrent.latencies),
      concurrentP95: percentile(concurrent.latencies, 95),
      loginsPerSecond: options.logins / concurrent.seconds,
      verificationsPerSecond: await verifications(authorizer, header, options.verifySeconds, 1),
      concurrentVerificationsPerSecond: await verifications(authorizer, header, options.verifySeconds, options.verifyInFlight),
    };
    console.error(
      `  run ${run}: login p95 ${round(result.sequentialP95)} ms sequential, ${round(result.concurrentP95)} ms at ${options.concurrency} concurrent; ` +
        `${round(result.verificationsPerSecond)} verifications/s`,
    );
    return result;
  } finally {
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

console.error(`Auth bench: ${options.runs} run(s), ${options.logins} logins per round, OWASP scrypt (N=2^17, r=8, p=1)`);
const loadBefore = loadNote();
const runs: AuthRun[] = [];
for (let run = 1; run <= options.runs; run++) runs.push(await runOnce(run));
const loadAfter = loadNote();

const all = (f: (r: AuthRun) => number) => runs.map(f);
console.log(
  `\n${markdownTable(
    ['measure', 'median (min–max)'],
    [
      ['login p50, one at a time (ms)', withSpread(all((r) => r.sequentialP50))],
      ['login p95, one at a time (ms)', withSpread(all((r) => r.sequentialP95))],
      [`login p50, ${options.concurrency} concurrent (ms)`, withSpread(all((r) => r.concurrentP50))],
      [`login p95, ${options.concurrency} concurrent (ms)`, withSpread(all((r) => r.concurrentP95))],
      [`logins/s, ${options.concurrency} concurrent`, withSpread(all((r) => r.loginsPerSecond))],
      ['token verifications/s, one at a time', withSpread(all((r) => r.verificationsPerSecond))],
      [`token verifications/s, ${options.verifyInFlight} in flight`, withSpread(all((r) => r.concurrentVerificationsPerSecond))],
    ],
  )}\n`,
);
console.log(`${options.runs} run(s) of ${options.logins} logins each way. Machine: ${machineNote()}; ${loadBefore} before, ${loadAfter} after.`);
console.log(`Saved to ${await saveResults('auth', { options, load: { before: loadBefore, after: loadAfter }, runs })}`);
await emitFigures('auth', [
  figure('login p95, one at a time', all((r) => r.sequentialP95), 'ms', { op: '<', value: 1500 }),
  figure(`login p95, ${options.concurrency} concurrent`, all((r) => r.concurrentP95), 'ms'),
  figure('token verifications/s, one at a time', all((r) => r.verificationsPerSecond), '/s', { op: '>=', value: 5000 }),
  figure(`token verifications/s, ${options.verifyInFlight} in flight`, all((r) => r.concurrentVerificationsPerSecond), '/s', { op: '>=', value: 5000 }),
]);

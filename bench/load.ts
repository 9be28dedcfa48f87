/**
 * Load test: simulated listeners against a fresh local stack, doing what people do in the
 * popup — open home, search as they type, open playlists, add/move/remove entries, fetch stream
 * URLs — with think time between actions. Passes when no request got a 5xx or a connection
 * error and every playlist holds exactly what the listeners' acknowledged (2xx) writes put there.
 *
 *   npm run test:load                                   # 200 listeners, 5 minutes
 *   npm run test:load -- --listeners=50 --duration=60   # shorter
 *
 * Options (flag or BENCH_* env): --listeners=200 --duration=300 (s) --think=2000 (ms, mean pause
 * between actions) --ramp (s, default a quarter of the duration, at most 30) --accounts
 * (listeners share accounts, 20 per account by default; each listener owns its own playlists).
 */
import { Worker } from 'node:worker_threads';
import { ApiClient, catalogTrackIds, expectStatus, signUp } from '../test/support/api-client';
import type { ListenerAccount } from './lib/listener';
import type { ListenersJob, ListenersResult } from './lib/listeners-worker';
import { startFreshStack } from '../test/support/local-stack';
import { numberOption } from './lib/options';
import { emitFigures, figure, loadNote, machineNote, markdownTable, round, saveResults } from './lib/report';
import { percentile } from '../test/support/statistics';

const listeners = numberOption('listeners', 200);
const durationSeconds = numberOption('duration', 300);
const options = {
  listeners,
  durationSeconds,
  thinkMs: numberOption('think', 2000),
  rampSeconds: numberOption('ramp', Math.min(30, durationSeconds / 4)),
  accounts: Math.min(listeners, numberOption('accounts', Math.ceil(listeners / 20))),
};

function runListeners(job: ListenersJob): Promise<ListenersResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./lib/listeners-worker.ts', import.meta.url), { workerData: job });
    let result: ListenersResult | undefined;
    worker.once('message', (message: ListenersResult) => (result = message));
    worker.once('error', reject);
    worker.once('exit', (code) => (result ? resolve(result) : reject(new Error(`listeners worker exited with ${code} and no result`))));
  });
}

console.error(
  `Load test: ${options.listeners} listeners for ${options.durationSeconds} s (ramp-up ${options.rampSeconds} s, ~${options.thinkMs} ms think time), ${options.accounts} accounts`,
);
const loadBefore = loadNote();
const fresh = await startFreshStack('load');
let result: ListenersResult;
let searchAvailable: boolean;
try {
  const { stack } = fresh;
  const accounts: ListenerAccount[] = [];
  // Two at a time: each sign-up is two OWASP argon2id hashes (register, then sign in), and the hash gate turns a crowd away (503).
  for (let n = 0; n < options.accounts; n += 2) {
    accounts.push(...(await Promise.all([n, n + 1].filter((k) => k < options.accounts).map((k) => signUp(stack.auth, `listener-${k}`)))));
  }
  const api = new ApiClient(stack.api, accounts[0]!.accessToken);
  const trackIds = await catalogTrackIds(api);
  const probe = await api.get('/search?q=a');
  searchAvailable = probe.status === 200;
  if (!searchAvailable) {
    console.error(
      `\n⚠⚠ GET /search answered ${probe.status}: listeners will NOT search as they type (that part of the mix is skipped) ⚠⚠\n`,
    );
  }
  const tracks = expectStatus(await api.get<{ items: { title: string }[] }>('/tracks?limit=100'), 200, 'list tracks');
  const searchWords = searchAvailable ? [...new Set(tracks.items.flatMap((t) => t.title.split(/\s+/)).filter((w) => w.length >= 3))] : [];

  result = await runListeners({
    api: stack.api,
    auth: stack.auth,
    accounts,
    listeners: options.listeners,
    durationSeconds: options.durationSeconds,
    rampSeconds: options.rampSeconds,
    thinkMs: options.thinkMs,
    trackIds,
    searchWords,
    seed: Date.now() % 1e9,
  });
} finally {
  await fresh.stop();
}
const loadAfter = loadNote();

const serverErrors = (s: Record<string, number>) =>
  Object.entries(s)
    .filter(([k]) => Number(k) >= 500)
    .reduce((n, [, v]) => n + v, 0);
const rows = result.actions
  .sort((a, b) => a.action.localeCompare(b.action))
  .map((a) => [
    a.action,
    String(a.latencies.length),
    round(percentile(a.latencies, 50)),
    round(percentile(a.latencies, 99)),
    Object.entries(a.statuses)
      .map(([k, v]) => `${k === '0' ? 'conn. error' : k}: ${v}`)
      .join(', '),
  ]);
const all = result.actions.flatMap((a) => a.latencies);
const total5xx = result.actions.reduce((sum, a) => sum + serverErrors(a.statuses), 0);
const connectionErrors = result.actions.reduce((sum, a) => sum + (a.statuses['0'] ?? 0), 0);
rows.push([
  'all',
  String(all.length),
  round(percentile(all, 50)),
  round(percentile(all, 99)),
  `5xx: ${total5xx}, connection errors: ${connectionErrors}`,
]);

console.log(`\n${markdownTable(['action', 'requests', 'p50 ms', 'p99 ms', 'statuses'], rows)}\n`);
console.log(
  `${options.listeners} listeners, ${round(result.seconds)} s, ${round(all.length / result.seconds)} req/s overall; search ${searchAvailable ? 'included' : 'SKIPPED (no /search)'}.`,
);
console.log(
  `Verified ${result.playlists} playlists (${result.entries} entries) against the listeners' acknowledged writes: ${result.mismatches.length} mismatches; ${result.uncertain} playlists left out after a connection error.`,
);
for (const m of result.mismatches.slice(0, 10))
  console.log(`  ✗ ${m.playlistId}: expected ${m.expected}, read ${m.actual}, entryCount ${m.entryCount} (${m.detail})`);
console.log(`Machine: ${machineNote()}; ${loadBefore} before, ${loadAfter} after.`);
console.log(
  `Saved to ${await saveResults('load', { options, searchAvailable, load: { before: loadBefore, after: loadAfter }, ...result, actions: result.actions.map((a) => ({ action: a.action, requests: a.latencies.length, p50: percentile(a.latencies, 50), p99: percentile(a.latencies, 99), statuses: a.statuses })) })}`,
);
await emitFigures('load', [
  figure(`load p50, ${options.listeners} listeners`, [percentile(all, 50)], 'ms'),
  figure(`load p99, ${options.listeners} listeners`, [percentile(all, 99)], 'ms', { op: '<', value: 1000 }),
  figure('load requests/s', [all.length / result.seconds], 'req/s'),
  figure('load 5xx answers', [total5xx], 'requests', { op: '<=', value: 0 }),
  figure('load connection errors', [connectionErrors], 'requests', { op: '<=', value: 0 }),
  figure('playlists differing from acknowledged writes', [result.mismatches.length], 'playlists', { op: '<=', value: 0 }),
]);
if (total5xx || connectionErrors || result.mismatches.length || !result.playlists) process.exitCode = 1;

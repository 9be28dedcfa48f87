/**
 * Runs `bench/load.ts`'s simulated listeners on a worker thread (so generating load does not
 * share the stack's event loop), then checks every playlist against the listeners' models.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Listener, SharedSession, type ListenerAccount } from './listener';

export interface ListenersJob {
  api: string;
  auth: string;
  accounts: ListenerAccount[];
  listeners: number;
  durationSeconds: number;
  rampSeconds: number;
  thinkMs: number;
  trackIds: string[];
  searchWords: string[];
  seed: number;
}

export interface ActionStats {
  action: string;
  latencies: number[];
  statuses: Record<string, number>;
}

export interface Mismatch {
  playlistId: string;
  expected: number;
  actual: number;
  entryCount: number;
  detail: string;
}

export interface ListenersResult {
  actions: ActionStats[];
  playlists: number;
  entries: number;
  uncertain: number;
  mismatches: Mismatch[];
  seconds: number;
}

const job = workerData as ListenersJob;
const stats = new Map<string, ActionStats>();
const record = (action: string, status: number, ms: number) => {
  const entry = stats.get(action) ?? { action, latencies: [], statuses: {} };
  entry.latencies.push(ms);
  entry.statuses[status] = (entry.statuses[status] ?? 0) + 1;
  stats.set(action, entry);
};

const started = performance.now();
const deadline = Date.now() + job.durationSeconds * 1000;
const sessions = job.accounts.map((account) => new SharedSession(account, job.auth));
const ctx = { api: job.api, auth: job.auth, trackIds: job.trackIds, searchWords: job.searchWords, thinkMs: job.thinkMs, deadline, record };
const listeners = Array.from({ length: job.listeners }, (_, i) => new Listener(ctx, sessions[i % sessions.length]!, job.seed + i));
let progress = setInterval(() => {
  const total = [...stats.values()].reduce((sum, s) => sum + s.latencies.length, 0);
  const errors = [...stats.values()].reduce(
    (sum, s) =>
      sum +
      Object.entries(s.statuses)
        .filter(([k]) => Number(k) >= 500 || k === '0')
        .reduce((n, [, v]) => n + v, 0),
    0,
  );
  console.error(`  ${Math.round((performance.now() - started) / 1000)} s: ${total} requests, ${errors} 5xx/connection errors`);
}, 15_000);
// Listeners arrive over the ramp-up, as they would over a morning.
await Promise.all(
  listeners.map(async (listener, i) => {
    await new Promise((resolve) => setTimeout(resolve, (job.rampSeconds * 1000 * i) / job.listeners));
    await listener.run();
  }),
);
clearInterval(progress);
const seconds = (performance.now() - started) / 1000;

/** A full read of one playlist, page by page, with the owner's token. */
async function readAll(session: SharedSession, playlistId: string) {
  const headers = { authorization: `Bearer ${session.token}` };
  const entries: { id: string; trackId: string }[] = [];
  let cursor: string | undefined;
  do {
    const query = new URLSearchParams({ limit: '200', ...(cursor ? { cursor } : {}) });
    const response = await fetch(`${job.api}/playlists/${playlistId}/entries?${query}`, { headers });
    if (response.status !== 200) throw new Error(`reading ${playlistId}: ${response.status}`);
    const page = (await response.json()) as { items: { id: string; trackId: string }[]; cursor?: string };
    entries.push(...page.items.map(({ id, trackId }) => ({ id, trackId })));
    cursor = page.cursor;
  } while (cursor);
  const playlist = (await (await fetch(`${job.api}/playlists/${playlistId}`, { headers })).json()) as { entryCount: number };
  return { entries, entryCount: playlist.entryCount };
}

progress = setInterval(() => console.error('  verifying playlists…'), 15_000);
const mismatches: Mismatch[] = [];
let playlists = 0;
let entries = 0;
for (const [i, listener] of listeners.entries()) {
  const session = sessions[i % sessions.length]!;
  for (const [playlistId, model] of listener.model) {
    if (listener.uncertain.has(playlistId)) continue;
    playlists++;
    entries += model.length;
    const actual = await readAll(session, playlistId);
    const same = JSON.stringify(actual.entries) === JSON.stringify(model);
    if (!same || actual.entryCount !== model.length) {
      const firstDiff = model.findIndex((e, k) => actual.entries[k]?.id !== e.id);
      mismatches.push({
        playlistId,
        expected: model.length,
        actual: actual.entries.length,
        entryCount: actual.entryCount,
        detail: same ? 'entryCount differs' : `first difference at position ${firstDiff}`,
      });
    }
  }
}
clearInterval(progress);

parentPort?.postMessage({
  actions: [...stats.values()],
  playlists,
  entries,
  uncertain: listeners.reduce((sum, l) => sum + l.uncertain.size, 0),
  mismatches,
  seconds,
} satisfies ListenersResult);

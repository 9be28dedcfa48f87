import { randomUUID } from 'node:crypto';
import type { ApiClient, ApiResponse, EntryView, Page } from './api-client';
import { MAX_ENTRIES_PER_ADD } from '../../backend/domain/playlists';

/**
 * How a write ended for the client: not yet, answered 2xx, answered 4xx, no answer (the server
 * died under it), or a server error or lasting conflict that the client's retries did not get past.
 */
export type Outcome = 'pending' | 'acknowledged' | 'refused' | 'interrupted' | 'failed';

/** One playlist write as a client sent it, and what it learnt of its fate. */
export interface Write {
  kind: 'create' | 'add' | 'move' | 'remove';
  playlistId: string;
  method: 'POST' | 'PATCH' | 'DELETE';
  path: string;
  body?: unknown;
  /** The `Idempotency-Key` of a POST; a retry sends the same one. */
  key?: string;
  /** The entry a move or remove is about. */
  entryId?: string;
  /** How many tracks an add asks for. */
  size?: number;
  /** When it was first sent (`performance.now()`). */
  sentAt?: number;
  /** When its last attempt ended (`performance.now()`), answered or not. */
  settledAt?: number;
  outcome: Outcome;
  /** The status of the final answer. */
  status?: number;
  /** What each attempt got, in order: its status, or `'no answer'` (a network error). */
  attempts: (number | 'no answer')[];
  /** The error body of a refusal or failure. */
  error?: { code?: string; field?: string; retryable?: boolean };
  /** Ids of the entries an acknowledged add answered. */
  added?: string[];
  /** The answer was a replay of an earlier attempt's (`Idempotent-Replayed: true`). */
  replayed?: boolean;
  /** Sent again after the restart, as a client does with a write it got no answer to. */
  retried: boolean;
}

/** A playlist as the writers know it: the entries they were told exist and nobody is removing. */
export interface KnownPlaylist {
  id: string;
  live: string[];
}

/** Every write of a drill, in the order sent. */
export class Ledger {
  readonly writes: Write[] = [];

  record(write: Omit<Write, 'outcome' | 'retried' | 'attempts'>): Write {
    const entry: Write = { ...write, outcome: 'pending', retried: false, attempts: [] };
    this.writes.push(entry);
    return entry;
  }

  count(outcome: Outcome): number {
    return this.writes.filter((w) => w.outcome === outcome).length;
  }

  /** Writes the client must send again: no answer, or an error it may retry later. */
  unsettled(): Write[] {
    return this.writes.filter((w) => w.outcome === 'interrupted' || w.outcome === 'failed');
  }
}

const ATTEMPTS = 5;

/** What a client may send again unchanged (API.md): 502/503/504, and a conflict marked retryable. */
export function retryable(response: ApiResponse<unknown>): boolean {
  if ([502, 503, 504].includes(response.status)) return true;
  return response.status === 409 && errorOf(response)?.retryable === true;
}

function errorOf(response: ApiResponse<unknown>): Write['error'] {
  return (response.body as { error?: Write['error'] } | undefined)?.error;
}

const pause = (attempt: number) => new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt * (0.5 + Math.random() / 2)));

/**
 * Sends `write` as the extension does: the same request (and key) again after a retryable
 * answer, with backoff, a few times; after a network failure only while `retryNetwork()` (a
 * writer stops once the server is gone; recovery retries against the restarted one).
 */
export async function deliver(api: ApiClient, write: Write, retryNetwork: () => boolean): Promise<Write> {
  write.sentAt ??= performance.now();
  const headers: Record<string, string> = write.key ? { 'idempotency-key': write.key } : {};
  for (let attempt = 0; ; attempt++) {
    const last = attempt + 1 >= ATTEMPTS;
    let response: ApiResponse<unknown>;
    try {
      response = await api.request(write.method, write.path, write.body, headers);
    } catch {
      write.attempts.push('no answer');
      if (last || !retryNetwork()) {
        write.outcome = 'interrupted';
        write.settledAt = performance.now();
        return write;
      }
      await pause(attempt);
      continue;
    }
    write.attempts.push(response.status);
    if (retryable(response) && !last) {
      await pause(attempt);
      continue;
    }
    write.status = response.status;
    write.settledAt = performance.now();
    if (response.status >= 200 && response.status < 300) {
      write.outcome = 'acknowledged';
      write.replayed = response.headers.get('idempotent-replayed') === 'true';
      if (write.kind === 'add') write.added = (response.body as Page<EntryView>).items.map((e) => e.id);
      if (write.kind === 'create') write.playlistId = (response.body as { id: string }).id;
    } else {
      write.outcome = response.status < 500 && !retryable(response) ? 'refused' : 'failed';
      write.error = errorOf(response);
    }
    return write;
  }
}

/** Creates a playlist with an idempotency key; throws unless it was created. */
export async function createPlaylist(api: ApiClient, ledger: Ledger, name: string): Promise<KnownPlaylist> {
  const write = await deliver(
    api,
    ledger.record({ kind: 'create', playlistId: '', method: 'POST', path: '/playlists', body: { name }, key: randomUUID() }),
    () => true,
  );
  if (write.outcome !== 'acknowledged') throw new Error(`create playlist: ${write.status} ${JSON.stringify(write.error)}`);
  return { id: write.playlistId, live: [] };
}

export function addWrite(ledger: Ledger, playlist: KnownPlaylist, trackIds: string[], position: unknown = 'end'): Write {
  return ledger.record({
    kind: 'add',
    playlistId: playlist.id,
    method: 'POST',
    path: `/playlists/${playlist.id}/entries`,
    body: { trackIds, position },
    key: randomUUID(),
    size: trackIds.length,
  });
}

export interface WriterOptions {
  api: ApiClient;
  ledger: Ledger;
  playlists: KnownPlaylist[];
  trackIds: readonly string[];
  random: () => number;
  /** True once the writers must send nothing new (the application is about to be killed). */
  stopped: () => boolean;
  /**
   * No adds to a playlist holding this many known entries (moves and removes go on), so what is
   * left to check afterwards stays about the same on a fast machine as on a slow one.
   */
  maxLive?: number;
}

/**
 * One writer: back to back, adds (mostly a few tracks, sometimes a full add of
 * `MAX_ENTRIES_PER_ADD`, more than one transaction holds), moves and removes on random
 * playlists, until `stopped()`. Only entries an acknowledged add named are moved or removed,
 * and each is removed by one writer only, so any other answer than the expected one means
 * something was lost.
 */
export async function runWriter({ api, ledger, playlists, trackIds, random, stopped, maxLive = 60 }: WriterOptions): Promise<void> {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  while (!stopped()) {
    const playlist = pick(playlists);
    const roll = random();
    const full = playlist.live.length >= maxLive;
    let write: Write;
    if ((roll < 0.4 && !full) || playlist.live.length < 5) {
      const sizeRoll = random();
      const size = sizeRoll < 0.06 ? MAX_ENTRIES_PER_ADD : sizeRoll < 0.14 ? 5 + Math.floor(random() * 16) : 1 + Math.floor(random() * 3);
      const where = random();
      const position = where < 0.7 || !playlist.live.length ? 'end' : where < 0.85 ? 'start' : { before: pick(playlist.live) };
      write = addWrite(
        ledger,
        playlist,
        Array.from({ length: size }, () => pick(trackIds)),
        position,
      );
    } else if (roll < (full ? 0.5 : 0.7)) {
      const entryId = pick(playlist.live);
      const before = random() < 0.5 ? null : pick(playlist.live);
      write = ledger.record({
        kind: 'move',
        playlistId: playlist.id,
        method: 'PATCH',
        path: `/playlists/${playlist.id}/entries/${entryId}`,
        body: { before },
        entryId,
      });
    } else {
      // Taken out of the known entries at once: no other writer removes (or anchors to) it from now on.
      const index = Math.floor(random() * playlist.live.length);
      const [entryId] = playlist.live.splice(index, 1) as [string];
      write = ledger.record({
        kind: 'remove',
        playlistId: playlist.id,
        method: 'DELETE',
        path: `/playlists/${playlist.id}/entries/${entryId}`,
        entryId,
      });
    }
    await deliver(api, write, () => !stopped());
    if (write.outcome === 'acknowledged' && write.added) playlist.live.push(...write.added);
    // A write without an answer leaves the server uncertain: stop here, as a client would, and retry after the restart.
    if (write.outcome === 'interrupted') return;
  }
}

/**
 * What a client does after the outage: every write it got no answer to (or a retryable error)
 * is sent again unchanged, POSTs with their original `Idempotency-Key`, a few at a time.
 */
export async function retryUnsettled(api: ApiClient, ledger: Ledger, concurrency = 6): Promise<Write[]> {
  const queue = ledger.unsettled();
  const retried = [...queue];
  const worker = async () => {
    for (let write = queue.shift(); write; write = queue.shift()) {
      write.retried = true;
      await deliver(api, write, () => true);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return retried;
}

/** Some attempt of the write got no answer: it may have been done without the client hearing of it. */
export const unanswered = (write: Write): boolean => write.attempts.includes('no answer');

/**
 * Refusals a concurrent burst may rightly get: a move whose entry another writer removed
 * meanwhile (404), a move or an add before an anchor that was removed (400 on `before`), and a
 * remove that answers 404 because an earlier attempt of it, which got no answer, did it. Each
 * entry is removed by one writer only, so any other 404 of a remove means the entry was lost.
 * (A 409 without `retryable` answers only a stale rename, which the writers never send.)
 */
export function expectedRefusal(write: Write): boolean {
  if (write.outcome !== 'refused') return false;
  if (write.status === 404) return write.kind === 'move' || (write.kind === 'remove' && unanswered(write));
  if (write.status === 400 && write.error?.code === 'invalid_input') {
    return (write.kind === 'move' && write.error.field === 'before') || (write.kind === 'add' && write.error.field === 'position.before');
  }
  return false;
}

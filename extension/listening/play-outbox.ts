import { storage } from 'wxt/utils/storage';
import { MAX_PLAYS_PER_REQUEST, type ListeningSettings, type PlayInput, type PlaysAccepted } from '@@/shared/api';
import { browser } from 'wxt/browser';
import { ApiError } from '@/api/api-client';
import { createListeningService } from '@/api/listening-service';
import { readSession as readStoredSession, watchSession, type StoredSession } from '@/api/session-storage';
import { listeningSettingsItem } from './listening-settings';
import type { PlaySink, RecordedPlay } from './recorded-play';

/** A play waiting to be sent, with the account it was heard on. */
export type QueuedPlay = PlayInput & { userId: string };

export interface OutboxState {
  /** Oldest first. */
  plays: QueuedPlay[];
  /** Plays dropped to keep within `MAX_QUEUED_PLAYS`, or refused by the server, since the extension was installed. */
  dropped: number;
  /** Failed sends in a row; sets how long the next try waits. */
  failures: number;
  /** The account last seen signed in: a play that ends at sign-out (playback stops then) is theirs. */
  lastUserId?: string;
}

export interface OutboxStorage {
  getValue(): Promise<OutboxState>;
  setValue(value: OutboxState): Promise<void>;
}

export const outboxItem = storage.defineItem<OutboxState>('local:listening:outbox', {
  fallback: { plays: [], dropped: 0, failures: 0 },
});

/** Plays kept while they cannot be sent (months of listening offline); the oldest go beyond it. */
export const MAX_QUEUED_PLAYS = 5_000;
/** The alarm that sends the outbox again after a failed send (it survives the service worker stopping). */
export const OUTBOX_ALARM = 'listening-outbox';
/** Chrome fires no alarm sooner than 30 s from now; the waits double from there, up to `MAX_RETRY_MS`. */
const MIN_RETRY_MS = 30_000;
const MAX_RETRY_MS = 30 * 60_000;

export interface PlayOutboxDeps {
  /** Defaults to the listening service's. */
  postPlays?(plays: PlayInput[]): Promise<PlaysAccepted>;
  readSession?(): Promise<Pick<StoredSession, 'user'> | null>;
  /** Asks for a send again at `when` (epoch ms), or calls a pending one off (`undefined`); defaults to `OUTBOX_ALARM`. */
  retryAt?(when: number | undefined): Promise<void>;
  storage?: OutboxStorage;
  maxQueued?: number;
  now?: () => number;
  random?: () => number;
  log?: Pick<Console, 'warn'>;
}

async function retryOnAlarm(when: number | undefined): Promise<void> {
  if (when === undefined) await browser.alarms.clear(OUTBOX_ALARM);
  else await browser.alarms.create(OUTBOX_ALARM, { when });
}

/** The backoff before try `failures + 1`: doubling from 30 s to 30 min, with up to a fifth more at random. */
export function retryDelayMs(failures: number, random: () => number = Math.random): number {
  const base = Math.min(MIN_RETRY_MS * 2 ** Math.max(0, failures - 1), MAX_RETRY_MS);
  return Math.round(base * (1 + random() / 5));
}

/**
 * A refusal that the same request would get again: any 4xx but 401 (the session; the API client
 * refreshes or signs out), 408 and 429 (they pass).
 */
function isRefused(error: unknown): boolean {
  return error instanceof ApiError && error.status >= 400 && error.status < 500 && ![401, 408, 429].includes(error.status);
}

/**
 * The plays waiting for the API, in `storage.local`, so none is lost to a dead network, a stopped
 * service worker or a browser restart. `send` posts them oldest first in batches of
 * `MAX_PLAYS_PER_REQUEST` and removes a batch only once the server took it (202): a batch whose
 * answer got lost is sent again, and the server ignores the play ids it already holds, so nothing
 * counts twice. A batch the server refuses (4xx) can never go through and is dropped; a failure
 * that passes (no answer, 5xx, 408, 429) keeps it and asks for a try after a growing wait. Sends
 * run one at a time, so no play is in two requests at once.
 *
 * Each play keeps the account it was heard on and is sent only while that account is signed in:
 * signed out, plays wait; when another account signs in, the plays of the one before are dropped
 * rather than counted on the wrong account.
 */
export function createPlayOutbox(deps: PlayOutboxDeps = {}) {
  const { storage: store = outboxItem, maxQueued = MAX_QUEUED_PLAYS, now = Date.now, random = Math.random, log = console } = deps;
  const postPlays = deps.postPlays ?? ((plays: PlayInput[]) => createListeningService().postPlays(plays));
  const readSession = deps.readSession ?? readStoredSession;
  const retryAt = deps.retryAt ?? retryOnAlarm;
  /** Storage changes, one at a time: a play added during a send is never overwritten by it. */
  let changes: Promise<unknown> = Promise.resolve();
  let sending: Promise<void> = Promise.resolve();
  /** A send waiting behind the one under way; later calls join it. */
  let nextSend: Promise<void> | undefined;

  function change<T>(apply: (state: OutboxState) => T): Promise<T> {
    const run = changes.then(async () => {
      const state = structuredClone(await store.getValue());
      const result = apply(state);
      await store.setValue(state);
      return result;
    });
    changes = run.catch(() => {});
    return run;
  }

  async function sendAll(): Promise<void> {
    const session = await readSession();
    if (!session) return; // kept for the same account's next sign-in
    const userId = session.user.id;
    const others = await change((state) => {
      state.lastUserId = userId;
      const before = state.plays.length;
      state.plays = state.plays.filter((play) => play.userId === userId);
      state.dropped += before - state.plays.length;
      return before - state.plays.length;
    });
    if (others > 0) log.warn(`[plays] dropped ${others} plays of an account that is no longer signed in`);
    for (;;) {
      const batch = (await store.getValue()).plays.slice(0, MAX_PLAYS_PER_REQUEST);
      if (batch.length === 0) break;
      let refused = false;
      try {
        await postPlays(batch.map(({ userId: _, ...play }) => play));
      } catch (error) {
        if (!isRefused(error)) return failed(error);
        refused = true;
        log.warn(`[plays] the server refused ${batch.length} plays; they are dropped`, error);
      }
      const done = new Set(batch.map((play) => play.id));
      await change((state) => {
        const before = state.plays.length;
        state.plays = state.plays.filter((play) => !done.has(play.id));
        if (refused) state.dropped += before - state.plays.length;
        state.failures = 0;
      });
    }
    await retryAt(undefined);
  }

  async function failed(error: unknown): Promise<void> {
    if (error instanceof ApiError && error.status === 401) return; // signed out: the next sign-in sends them
    const failures = await change((state) => ++state.failures);
    await retryAt(now() + retryDelayMs(failures, random));
  }

  const outbox = {
    /** Queues a recorded play for the API and starts a send; resolves once it is stored. */
    async add(play: RecordedPlay): Promise<void> {
      const session = await readSession().catch(() => null);
      const { id, trackId, startedAt, msPlayed } = play;
      const kept = await change((state) => {
        const userId = session?.user.id ?? state.lastUserId;
        if (!userId) log.warn('[plays] a play was heard with no account signed in; it is not kept');
        if (!userId || state.plays.some((queued) => queued.id === id)) return false;
        state.lastUserId = userId;
        state.plays.push({ id, trackId, startedAt, msPlayed, userId });
        const over = state.plays.length - maxQueued;
        if (over > 0) {
          state.plays.splice(0, over);
          state.dropped += over;
        }
        return true;
      });
      if (kept) void outbox.send();
    },

    /** Sends every waiting play of the signed-in account; resolves when done, or when a failure stopped it. */
    send(): Promise<void> {
      nextSend ??= sending.then(() => {
        nextSend = undefined;
        return sendAll().catch((error: unknown) => log.warn('[plays] could not send plays', error));
      });
      sending = nextSend;
      return nextSend;
    },

    /** Resolves once the sends started so far are over. */
    settled: (): Promise<void> => sending,

    /** What waits to be sent, and how many plays were dropped. */
    state: (): Promise<OutboxState> => store.getValue(),
  };
  return outbox satisfies PlaySink;
}

export type PlayOutbox = ReturnType<typeof createPlayOutbox>;

/**
 * Keeps the outbox going in the background: a send now (the worker just started), on
 * `OUTBOX_ALARM` after a failure, when the browser is back online, and when a listener signs in
 * (their plays that waited go then). At start and at each sign-in it also copies the listener's
 * history setting from the server into `listening:settings`, where the play recorder reads it.
 */
export function keepSendingPlays(
  outbox: Pick<PlayOutbox, 'send'>,
  getSettings: () => Promise<ListeningSettings> = () => createListeningService().getSettings(),
  log: Pick<Console, 'warn'> = console,
): void {
  const syncSettings = () =>
    getSettings()
      .then((settings) => listeningSettingsItem.setValue({ historyPaused: settings.historyPaused === true }))
      .catch((error: unknown) => log.warn('[plays] could not read the history setting', error));
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === OUTBOX_ALARM) void outbox.send();
  });
  globalThis.addEventListener?.('online', () => void outbox.send());
  let signedIn: string | undefined;
  watchSession((session) => {
    // Every token refresh writes the session too; only a new sign-in matters here.
    if (session?.user.id === signedIn) return;
    signedIn = session?.user.id;
    if (!session) return;
    void outbox.send();
    void syncSettings();
  });
  void readStoredSession().then((session) => {
    signedIn ??= session?.user.id;
    if (!session) return;
    void outbox.send();
    void syncSettings();
  });
}

import { storage } from 'wxt/utils/storage';
import { MAX_PLAYS_PER_REQUEST, type ListeningSettings, type PlayInput, type PlaysAccepted } from '@@/shared/api';
import { browser, type Browser } from 'wxt/browser';
import { ApiError } from '@/api/api-client';
import { createListeningService } from '@/api/listening-service';
import { readSession as readStoredSession, watchSession, type StoredSession } from '@/api/session-storage';
import { PREWARM_PORT } from '@/player/messages';
import { clearedPlays, listeningSettingsItem } from './listening-settings';
import type { PlaySink, RecordedPlay } from './recorded-play';
import { alarmAt, MIN_ALARM_DELAY_MS, oneAtATime, serially } from './send-queue';

/** A play waiting to be sent, with the account it was heard on. */
export type QueuedPlay = PlayInput & { userId: string };

export interface OutboxState {
  /** Oldest first. */
  plays: QueuedPlay[];
  /** Plays dropped to keep within `MAX_QUEUED_PLAYS`, or refused by the server, since the extension was installed. */
  dropped: number;
  /** Failed sends in a row; sets how long the next try waits. */
  failures: number;
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
/**
 * The waits double from the shortest alarm up to this. A Chrome service worker never gets the
 * `online` event, so the alarm (and a popup opening) is how the outbox learns the network is
 * back: a longer wait would leave plays unsent long after.
 */
const MAX_RETRY_MS = 5 * 60_000;
/** The server refuses a play that started more than a year ago (a device clock gone wrong); such a play is not sent. */
export const MAX_PLAY_AGE_MS = 365 * 24 * 60 * 60 * 1000;

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

/** The backoff before try `failures + 1`: doubling from 30 s to 5 min, with up to a fifth more at random. */
export function retryDelayMs(failures: number, random: () => number = Math.random): number {
  const base = Math.min(MIN_ALARM_DELAY_MS * 2 ** Math.max(0, failures - 1), MAX_RETRY_MS);
  return Math.round(base * (1 + random() / 5));
}

/**
 * A refusal that the same request would get again: any 4xx but 401 (the session; the API client
 * refreshes or signs out), 408 and 429 (they pass).
 */
function isRefused(error: unknown): error is ApiError {
  return error instanceof ApiError && error.status >= 400 && error.status < 500 && ![401, 408, 429].includes(error.status);
}

/** The play a 400 is about, when it names one (`plays.3.startedAt`): the rest of the batch is fine. */
function refusedIndex(error: ApiError): number | undefined {
  const match = /^plays\.(\d+)\b/.exec(error.field ?? error.message);
  return match ? Number(match[1]) : undefined;
}

/**
 * The plays waiting for the API, in `storage.local`, so none is lost to a dead network, a stopped
 * service worker or a browser restart. `send` posts them oldest first in batches of
 * `MAX_PLAYS_PER_REQUEST` and removes a batch only once the server took it (202): a batch whose
 * answer got lost is sent again, and the server ignores the play ids it already holds, so nothing
 * counts twice. A refusal (4xx) can never go through: when it names one play (`plays.3…`) that
 * play is dropped and the rest sent again, otherwise the batch is dropped; plays the server
 * would refuse for their age are dropped before sending. A failure that passes (no answer, 5xx,
 * 408, 429) keeps the batch and asks for a try after a growing wait. Sends run one at a time, so
 * no play is in two requests at once.
 *
 * Each play keeps the account it was heard on and is sent only while that account is signed in,
 * checked before each batch (the API client sends whichever session is current): signed out,
 * plays wait; when another account signs in, the plays of the one before are dropped rather
 * than counted on the wrong account. A play its account heard before clearing its history is
 * dropped too.
 */
export function createPlayOutbox(deps: PlayOutboxDeps = {}) {
  const { storage: store = outboxItem, maxQueued = MAX_QUEUED_PLAYS, now = Date.now, random = Math.random, log = console } = deps;
  const postPlays = deps.postPlays ?? ((plays: PlayInput[]) => createListeningService().postPlays(plays));
  const readSession = deps.readSession ?? readStoredSession;
  const retryAt = deps.retryAt ?? alarmAt(OUTBOX_ALARM);
  /** Storage changes, one at a time: a play added during a send is never overwritten by it. */
  const inTurn = serially();
  const sends = oneAtATime(() => sendAll().catch((error: unknown) => log.warn('[plays] could not send plays', error)));

  function change<T>(apply: (state: OutboxState) => T): Promise<T> {
    return inTurn(async () => {
      const state = structuredClone(await store.getValue());
      const result = apply(state);
      await store.setValue(state);
      return result;
    });
  }

  /** Takes plays out for good, counting them as dropped. */
  function drop(state: OutboxState, leave: (play: QueuedPlay) => boolean, why: string): void {
    const before = state.plays.length;
    state.plays = state.plays.filter((play) => !leave(play));
    const dropped = before - state.plays.length;
    state.dropped += dropped;
    if (dropped > 0) log.warn(`[plays] dropped ${dropped} plays ${why}`);
  }

  /** The next batch of `userId`'s plays, once the plays that can never be sent are out of the way. */
  async function nextBatch(userId: string): Promise<QueuedPlay[]> {
    const cleared = await clearedPlays();
    const oldest = now() - MAX_PLAY_AGE_MS;
    return change((state) => {
      drop(state, (play) => play.userId !== userId, 'of an account that is no longer signed in');
      drop(state, cleared, 'heard before their account cleared its history');
      drop(state, (play) => Date.parse(play.startedAt) < oldest, 'more than a year old (a device clock gone wrong)');
      return state.plays.slice(0, MAX_PLAYS_PER_REQUEST);
    });
  }

  async function sendAll(): Promise<void> {
    for (;;) {
      // Read before each batch: another account may have signed in since the last one.
      const session = await readSession();
      if (!session) return; // kept for the same account's next sign-in
      const batch = await nextBatch(session.user.id);
      if (batch.length === 0) break;
      let gone = new Set(batch.map((play) => play.id));
      let refused: string[] = [];
      try {
        refused = (await postPlays(batch.map(({ userId: _, ...play }) => play))).refusedPlayIds ?? [];
        if (refused.length > 0) log.warn(`[plays] the server refused ${refused.length} plays for their time; they are dropped`);
      } catch (error) {
        if (!isRefused(error)) return failed(error);
        const one = batch[refusedIndex(error) ?? -1];
        if (one) gone = new Set([one.id]);
        refused = [...gone];
        log.warn(`[plays] the server refused ${refused.length} plays; they are dropped`, error);
      }
      await change((state) => {
        state.plays = state.plays.filter((play) => !gone.has(play.id));
        state.dropped += refused.length;
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
      const { id, trackId, startedAt, msPlayed, userId } = play;
      const kept = await change((state) => {
        if (state.plays.some((queued) => queued.id === id)) return false;
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
    send: (): Promise<void> => sends.run(),

    /** Resolves once the sends started so far are over. */
    settled: (): Promise<void> => sends.settled(),

    /** What waits to be sent, and how many plays were dropped. */
    state: (): Promise<OutboxState> => store.getValue(),
  };
  return outbox satisfies PlaySink;
}

export type PlayOutbox = ReturnType<typeof createPlayOutbox>;

/**
 * Keeps the outbox going in the background: a send now (the worker just started), on
 * `OUTBOX_ALARM` after a failure, when a popup opens (the listener is at the browser, likely
 * online: a Chrome service worker never gets the `online` event, which only Firefox's background
 * page sees), when the browser is back online, and when a listener signs in (their plays that
 * waited go then). At start and at each sign-in it also copies the listener's
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
  browser.runtime.onConnect.addListener((port: Browser.runtime.Port) => {
    if (port.name === PREWARM_PORT) void outbox.send();
  });
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

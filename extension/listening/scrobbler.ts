import { browser } from 'wxt/browser';
import { storage } from 'wxt/utils/storage';
import { clearedPlays, listeningSettingsItem } from './listening-settings';
import {
  createListenBrainzClient,
  listenProblem,
  MAX_LISTENS_PER_SUBMISSION,
  type Listen,
  type ListenBrainzClientOptions,
} from './listenbrainz';
import type { PlaySink, RecordedPlay } from './recorded-play';
import { normalizeListenBrainzToken, scrobbleProblemItem, scrobbleSettingsItem } from './scrobble-settings';
import { alarmAt, oneAtATime, serially } from './send-queue';

/** A play waiting to be scrobbled, the listen already built (the track may be gone from the catalog by then). */
export interface QueuedListen {
  /** The play's id: a play is queued once, however often it is handed over. */
  id: string;
  /** The Alktunes account it was heard on: it goes only with the ListenBrainz settings that account saved. */
  userId: string;
  listen: Listen;
}

/** Waiting listens, oldest first; kept across restarts of the browser and the service worker. */
export const scrobbleQueueItem = storage.defineItem<QueuedListen[]>('local:listenbrainz:queue', { fallback: [] });
/** Ids of the plays the server took (or refused for good), newest last: such a play is never queued again. */
export const scrobbledIdsItem = storage.defineItem<string[]>('local:listenbrainz:sent', { fallback: [] });

/** How many handled ids are remembered: far more than the plays a recorder could hand over twice. */
export const MAX_REMEMBERED_IDS = 2_000;
/** A queue that cannot be sent (a wrong token, a server down for days) stops growing here; the oldest go first. */
export const MAX_QUEUED_LISTENS = 5_000;

export const FLUSH_ALARM = 'listenbrainz-flush';
/** When a flush could not empty the queue and the server did not say when to come back. */
const RETRY_AFTER_MS = 5 * 60_000;

export interface ScrobblerDeps {
  log?: Pick<Console, 'info' | 'warn'>;
  /** Reported as `submission_client_version`; defaults to the manifest's version. */
  clientVersion?: string;
  /** Passed to the ListenBrainz client (tests shorten the waits). */
  client?: Pick<ListenBrainzClientOptions, 'fetch' | 'sleep' | 'retryDelaysMs' | 'maxRateLimitWaitMs' | 'timeoutMs'>;
}

export interface Scrobbler extends PlaySink {
  /** Sends what is queued, in batches; resolves when this flush (and any running before it) is over. */
  flush(): Promise<void>;
}

/**
 * Scrobbles recorded plays to the listener's ListenBrainz account, when they turned it on and
 * their history is not paused. Only the plays of the Alktunes account that saved the settings
 * go (another account signed in to the same browser has its own settings, or none). Plays go to
 * a queue in `storage.local` first and leave it only once the server answered 200, so a closed
 * browser or a server down loses nothing; the queue is sent on each new play, when the
 * background starts, when the settings change and on an alarm while plays wait. A listen the API
 * would refuse (`listenProblem`) is never sent, since one would cost its whole batch; when the
 * server refuses a batch anyway, it is halved until the listen at fault is found and dropped
 * alone. A 401, or a stored token no request can carry, stops sending (the options page shows
 * why) until a new token is saved; the queue is kept for it.
 */
export function createScrobbler(deps: ScrobblerDeps = {}): Scrobbler {
  const log = deps.log ?? console;
  const clientVersion = deps.clientVersion ?? browser.runtime.getManifest().version;

  // Queue changes are read-modify-write on two storage keys: one at a time.
  const changeQueue = serially();
  const retryAt = alarmAt(FLUSH_ALARM);
  const retryIn = (ms: number) => retryAt(Date.now() + ms);

  async function add(play: RecordedPlay): Promise<void> {
    const [settings, listening] = await Promise.all([scrobbleSettingsItem.getValue(), listeningSettingsItem.getValue()]);
    if (!settings.enabled || settings.userId !== play.userId || listening.historyPaused) return;
    const listen = toListen(play, clientVersion);
    const problem = listen ? listenProblem(listen) : 'its track has no title or artist to report';
    if (!listen || problem) {
      log.info(`[scrobble] play skipped: ${problem}`, play.id);
      return;
    }
    await changeQueue(async () => {
      const [queue, handled] = await Promise.all([scrobbleQueueItem.getValue(), scrobbledIdsItem.getValue()]);
      if (handled.includes(play.id) || queue.some((queued) => queued.id === play.id)) return;
      // A new array: the one read may be the item's shared fallback.
      const grown = [...queue, { id: play.id, userId: play.userId, listen }];
      const overflow = grown.length - MAX_QUEUED_LISTENS;
      if (overflow > 0) log.warn(`[scrobble] queue full: the ${overflow} oldest listen(s) dropped`);
      await scrobbleQueueItem.setValue(overflow > 0 ? grown.slice(overflow) : grown);
    });
    void flush();
  }

  /** Takes listens out of the queue after the server's final word on them (or ours), so they are never queued again. */
  function settle(ids: string[]): Promise<void> {
    return changeQueue(async () => {
      const done = new Set(ids);
      const [queue, handled] = await Promise.all([scrobbleQueueItem.getValue(), scrobbledIdsItem.getValue()]);
      await scrobbleQueueItem.setValue(queue.filter((queued) => !done.has(queued.id)));
      await scrobbledIdsItem.setValue([...handled, ...ids].slice(-MAX_REMEMBERED_IDS));
    });
  }

  /** The queue once the listens that must not go with `userId`'s settings are dropped. */
  async function sendable(userId: string | undefined): Promise<QueuedListen[]> {
    const [queue, cleared] = await Promise.all([scrobbleQueueItem.getValue(), clearedPlays()]);
    const why = (queued: QueuedListen) =>
      queued.userId !== userId
        ? 'heard on another Alktunes account'
        : cleared({ userId: queued.userId, startedAt: new Date(queued.listen.listened_at * 1000).toISOString() })
          ? 'heard before the history was cleared'
          : listenProblem(queued.listen);
    const dropped = queue.filter((queued) => why(queued) !== undefined);
    if (dropped.length === 0) return queue;
    for (const queued of dropped) log.warn(`[scrobble] a listen is dropped: ${why(queued)}`);
    await settle(dropped.map((queued) => queued.id));
    // Listens added meanwhile wait for the next round, which checks them too.
    return queue.filter((queued) => !dropped.includes(queued));
  }

  async function flushOnce(): Promise<void> {
    /** Listens per submission: halved while the server refuses, to find the one at fault. */
    let size = MAX_LISTENS_PER_SUBMISSION;
    for (;;) {
      const [settings, listening, problem] = await Promise.all([
        scrobbleSettingsItem.getValue(),
        listeningSettingsItem.getValue(),
        scrobbleProblemItem.getValue(),
      ]);
      // Paused, turned off or refused: the next settings change flushes again.
      const queue = !settings.enabled || !settings.token || listening.historyPaused || problem ? [] : await sendable(settings.userId);
      if (queue.length === 0) return retryAt(undefined);
      let token: string;
      try {
        token = normalizeListenBrainzToken(settings.token);
      } catch (error) {
        return stopFor((error as Error).message);
      }
      // Set before sending: a service worker stopped during a retry wait still comes back.
      await retryIn(RETRY_AFTER_MS);
      const client = createListenBrainzClient({ ...deps.client, baseUrl: settings.serverUrl, token });
      const batch = queue.slice(0, size);
      const outcome = await client.submit(
        batch.length === 1 ? 'single' : 'import',
        batch.map((queued) => queued.listen),
      );
      switch (outcome.kind) {
        case 'accepted':
          await settle(batch.map((queued) => queued.id));
          continue;
        case 'refused':
          if (batch.length > 1) {
            size = Math.ceil(batch.length / 2);
            continue;
          }
          log.warn(`[scrobble] the server refused a listen (${outcome.status}: ${outcome.message}); it is dropped`);
          await settle([batch[0]!.id]);
          size = MAX_LISTENS_PER_SUBMISSION;
          continue;
        case 'unauthorized':
          log.warn('[scrobble] the server refused the token; scrobbling waits for a new one');
          return stopFor('ListenBrainz did not accept your token. Enter your current token to send the listens waiting.');
        case 'unavailable':
          log.warn(`[scrobble] ${queue.length} listen(s) wait: ${outcome.message}`);
          await retryIn(outcome.retryAfterMs ?? RETRY_AFTER_MS);
          return;
      }
    }
  }

  /** Stops sending until the listener saves a token again; the options page shows `message`. */
  async function stopFor(message: string): Promise<void> {
    await scrobbleProblemItem.setValue({ code: 'token_rejected', message, at: new Date().toISOString() });
    await retryAt(undefined);
  }

  // One flush at a time; calls made while one runs share the single flush queued behind it.
  const flushes = oneAtATime(() => flushOnce().catch((error: unknown) => log.warn('[scrobble] flush failed', error)));
  const flush = () => flushes.run();

  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === FLUSH_ALARM) void flush();
  });
  scrobbleSettingsItem.watch(() => void flush());
  scrobbleProblemItem.watch(() => void flush());
  listeningSettingsItem.watch(() => void flush());
  void flush();

  return { add, flush };
}

/**
 * The listen for a play, or undefined when ListenBrainz would refuse it (its `track_name` and
 * `artist_name` are required and must not be blank). Strings lose any NUL, which the API
 * refuses too: one such listen would otherwise cost its whole batch.
 */
export function toListen(play: RecordedPlay, clientVersion: string): Listen | undefined {
  const clean = (text: string | undefined) => text?.replaceAll('\u0000', '').trim() ?? '';
  const { track } = play;
  const artist = clean(track.artist);
  const title = clean(track.title);
  const album = clean(track.album);
  const listenedAt = Math.floor(Date.parse(play.startedAt) / 1000);
  if (!artist || !title || !Number.isFinite(listenedAt)) return undefined;
  return {
    listened_at: listenedAt,
    track_metadata: {
      artist_name: artist,
      track_name: title,
      ...(album && { release_name: album }),
      additional_info: {
        ...(track.durationMs > 0 && { duration_ms: Math.round(track.durationMs) }),
        ...(track.trackNumber && { tracknumber: track.trackNumber }),
        submission_client: 'Alktunes',
        submission_client_version: clientVersion,
        media_player: 'Alktunes',
      },
    },
  };
}

import { NOTHING_LOADED, type AudioOutput } from '@/player/audio-output';
import type { AudioEvent, MediaItem, MediaStatus } from '@/player/messages';

/** The parts of `HTMLAudioElement` the engine uses; a fake in specs. */
export type AudioElementLike = Pick<
  HTMLAudioElement,
  | 'src'
  | 'currentTime'
  | 'duration'
  | 'paused'
  | 'ended'
  | 'readyState'
  | 'volume'
  | 'muted'
  | 'preload'
  | 'play'
  | 'pause'
  | 'load'
  | 'removeAttribute'
  | 'addEventListener'
>;

export interface AudioEngineHooks {
  /** What the element did on its own (not what a command caused). */
  onEvent(event: AudioEvent): void;
  /** The current item changed (loaded, advanced to the preloaded one, stopped). */
  onItem?(item: MediaItem | undefined): void;
}

/** How often the position is reported while playing, so a restart can resume near it. */
const CHECKPOINT_MS = 10_000;

/**
 * How many tracks the engine keeps buffered besides the one playing: the next track and the
 * likely first plays of an open popup. Each holds a media pipeline and a few MB of audio.
 */
export const POOL_SIZE = 3;

/**
 * A buffered copy is not started within this long of its URL's expiry: the element fetches more
 * of the track under that URL as it plays. The same margin as the stream URL cache's.
 */
const EXPIRY_MARGIN_MS = 60_000;

/** `HTMLMediaElement.HAVE_FUTURE_DATA`: the element can play on from where it is now. */
const HAVE_FUTURE_DATA = 3;

/** A track buffered in a paused element, ready to start at once. */
interface Held {
  element: AudioElementLike;
  url: string;
  /** When `url` stops working (ms since the epoch); `NaN` when not known. */
  expiresAt: number;
  track?: MediaItem['track'];
}

/** What `hold` buffers. */
interface HoldItem {
  url: string;
  expiresAt?: string;
  track?: MediaItem['track'];
}

/**
 * Drives the `<audio>` elements: one plays, and a small pool (`POOL_SIZE`) buffers tracks that
 * may play next — the queue's next track and, while a popup is open, what a click there is
 * likely to play. The pool is keyed by track id, not by URL: stream URLs expire and are fetched
 * anew, and a buffered track still starts at once under its new URL — unless its own URL expires
 * within a minute (it streams the rest of the track under that URL): then it is loaded anew, and
 * a fresher URL for a buffered track buffers it again. The oldest buffered track makes room for a
 * new one, never the queue's next; `forget` drops all but the next. When a track ends and the next one is
 * buffered, the engine switches by itself at once and reports `advanced`; that keeps albums
 * gapless and the queue moving while the service worker sleeps. Runs in the offscreen document
 * (Chrome) or the background page (Firefox); `newElement` makes (and attaches) an element.
 */
export function createAudioEngine(
  newElement: () => AudioElementLike,
  hooks: AudioEngineHooks | ((event: AudioEvent) => void),
): AudioOutput & Required<Pick<AudioOutput, 'advance' | 'buffer' | 'forget'>> {
  const { onEvent, onItem = () => {} } = typeof hooks === 'function' ? { onEvent: hooks } : hooks;
  /** Buffered tracks by key (track id), oldest first. */
  const pool = new Map<string, Held>();
  /** Unloaded elements, reused before a new one is made. */
  const free: AudioElementLike[] = [];
  /** The key of the queue's next track in `pool`: what a track ending goes on to. */
  let nextKey: string | undefined;
  let item: MediaItem | undefined;
  /** True while a command drives the element, so the events it causes are not reported. */
  let switching = false;
  /**
   * Counts the commands that start, pause or stop the active element. A start finishes (clears
   * `item` on failure, reports, ends `switching`) only while it is the latest: a newer load or
   * advance pauses the element the older start called `play()` on, and that `play()` then
   * rejects after the newer track is set.
   */
  let commands = 0;
  /** Counts `stop()`s, and `forgets` also `forget()`s: a buffering that waited checks them after. */
  let stops = 0;
  let forgets = 0;
  let lastCheckpoint = 0;
  let volume = { volume: 1, muted: false };
  /**
   * Settles once the track being started plays (or fails to). Buffering waits for it: creating
   * a media pipeline competes for the same threads as starting this one.
   */
  let starting: Promise<unknown> = Promise.resolve();
  /** Ends the start under way with the active element's `error` event (its `play()` may never settle). */
  let failStart: ((error: Error) => void) | undefined;

  const keyOf = (it: Pick<MediaItem, 'url' | 'track'>) => it.track?.id ?? it.url;
  const trackId = () => item?.track?.id;
  const status = (): MediaStatus =>
    item
      ? {
          loaded: true,
          paused: active.paused,
          currentTime: active.currentTime,
          duration: Number.isFinite(active.duration) ? active.duration : 0,
          ...(trackId() && { trackId: trackId() }),
        }
      : { ...NOTHING_LOADED };
  const report = (event: AudioEvent) => {
    if (!switching) onEvent(event);
  };

  function unload(element: AudioElementLike) {
    element.pause();
    element.removeAttribute('src');
    element.load();
  }

  /** An unused element: a released one, or a new one with the engine's listeners. */
  function take(): AudioElementLike {
    return free.pop() ?? adopt(newElement());
  }

  function release(element: AudioElementLike) {
    unload(element);
    free.push(element);
  }

  function drop(key: string) {
    const held = pool.get(key);
    if (!held) return;
    pool.delete(key);
    if (nextKey === key) nextKey = undefined;
    release(held.element);
  }

  const playingKey = () => (item ? keyOf(item) : undefined);
  const expiry = (iso: string | undefined) => (iso ? Date.parse(iso) : NaN);
  /** False when the buffered copy's URL expires within `EXPIRY_MARGIN_MS` (true when not known). */
  const usable = (held: Held) => !(held.expiresAt - EXPIRY_MARGIN_MS <= Date.now());
  /** The buffered copy of `key` if its URL still has time left; one that has not is dropped. */
  function usableHeld(key: string | undefined): Held | undefined {
    const held = key === undefined ? undefined : pool.get(key);
    if (!held || usable(held)) return held;
    drop(key!);
    return undefined;
  }

  /**
   * Buffers `it` under `key`, unless it is already buffered (then it only counts as the newest,
   * under its first URL, or is buffered again when `it` comes with a URL that expires later) or,
   * for a likely play rather than the next track, it is the one playing. `wanted` says, after
   * the wait for the track being started, whether a stop or a newer command dropped it meanwhile.
   */
  async function hold(key: string, it: HoldItem, evenIfPlaying: boolean, wanted: () => boolean): Promise<void> {
    const skip = () => (!evenIfPlaying && playingKey() === key) || !wanted();
    const current = () => {
      const held = pool.get(key);
      if (!held || expiry(it.expiresAt) > held.expiresAt) return undefined; // fresher: buffered again below
      // Newest now; a likely play buffered by id alone gets its track when it becomes the next one.
      pool.delete(key);
      pool.set(key, it.track ? { ...held, track: it.track } : held);
      return held;
    };
    if (current() || skip()) return;
    await starting;
    if (skip() || current()) return;
    const stale = pool.get(key);
    pool.delete(key);
    // Room first (the oldest, never the next track), so its element is reused.
    for (const old of pool.keys()) {
      if (pool.size < POOL_SIZE || stale) break;
      if (old !== nextKey) drop(old);
    }
    const element = stale?.element ?? take();
    element.preload = 'auto';
    element.src = it.url;
    element.load();
    const track = it.track ?? stale?.track;
    pool.set(key, { element, url: it.url, expiresAt: expiry(it.expiresAt), ...(track && { track }) });
  }

  /**
   * Makes the buffered element of `key` the active one and starts it. `play()` is called before
   * anything else is touched — the OS media metadata comes after, and the old element is only
   * paused: releasing its media tears down a media pipeline on this thread, so it waits until
   * the new track plays (buffering waits for the same moment, after it).
   */
  function swap(key: string, startAt = 0, track?: MediaItem['track']): Promise<void> {
    const held = pool.get(key)!;
    pool.delete(key);
    if (nextKey === key) nextKey = undefined;
    const previous = active;
    active = held.element;
    const shown = track ?? held.track;
    item = { url: held.url, ...(shown && { track: shown }) };
    Object.assign(active, volume);
    if (startAt > 0 || active.currentTime > 0) active.currentTime = startAt;
    lastCheckpoint = Date.now();
    const playing = active.play();
    previous.pause();
    void playing
      .catch(() => {})
      .then(() => {
        if (previous !== active) release(previous);
      });
    onItem(item);
    return playing;
  }

  /**
   * Runs a command that starts a track: `run` sets the active element up and returns its
   * `play()`. The events the start causes are not reported. Resolves `true` once the track
   * plays, `false` when a newer command took over meanwhile (that command owns the element and
   * `item` now); rejects when the track cannot start, and then nothing counts as loaded.
   *
   * An element that already has data (a buffered next track or likely play) counts as playing
   * as soon as `play()` has made it unpaused, without waiting for the promise: that promise
   * resolves in a media-element task, and Chromium holds such tasks back ~50 ms after a click in
   * the popup (the popup and the offscreen document share one renderer), which would add those
   * 50 ms to every "next". A later failure of that `play()` is reported as an `error` event,
   * which the queue owner recovers from. An element without data (a cold load) is awaited: its
   * `play()` is what tells whether the URL plays at all.
   */
  function start(run: () => Promise<void>): Promise<boolean> {
    const mine = ++commands;
    const latest = () => mine === commands;
    switching = true;
    failStart = undefined;
    let playing: Promise<void>;
    try {
      playing = run();
    } catch (error) {
      playing = Promise.reject(error);
    }
    const element = active;
    const early = item !== undefined && !element.paused && element.readyState >= HAVE_FUTURE_DATA;
    // The element's `error` event ends the start too: its `play()` may never settle then.
    const failed = new Promise<never>((_, reject) => (failStart = reject));
    const ended = Promise.race([playing, failed]);
    starting = ended.catch(() => {});
    const settled = ended.then(
      () => {
        if (!latest()) return false;
        switching = false;
        failStart = undefined;
        return true;
      },
      (error: unknown) => {
        if (!latest()) return false;
        switching = false;
        failStart = undefined;
        if (early) {
          report({ type: 'error', trackId: trackId(), positionSec: element.currentTime, message: describe(error) });
          return false;
        }
        item = undefined;
        onItem(undefined);
        throw new Error(`Playback failed: ${describe(error)}`, { cause: error });
      },
    );
    if (!early) return settled;
    void settled.catch(() => {});
    return Promise.resolve(true);
  }

  /** A start on behalf of a command: answers the status then (the newer command's, when overtaken). */
  async function startTrack(run: () => Promise<void>): Promise<MediaStatus> {
    await start(run);
    return status();
  }

  /** A pause or stop: any start under way is over (its `play()` rejects, and that is no failure). */
  function command(run: () => void) {
    commands++;
    failStart = undefined;
    switching = true;
    try {
      run();
    } finally {
      switching = false;
    }
  }

  /** Listens to what `element` does; only the active element's events are reported. */
  function adopt(element: AudioElementLike): AudioElementLike {
    const mine = (listener: () => void) => () => element === active && item && listener();
    element.addEventListener(
      'playing',
      mine(() => report({ type: 'playing', trackId: trackId(), positionSec: active.currentTime })),
    );
    element.addEventListener(
      'pause',
      mine(() => {
        // The element also fires `pause` right before `ended`; only the latter matters.
        if (!active.ended) report({ type: 'paused', trackId: trackId(), positionSec: active.currentTime });
      }),
    );
    element.addEventListener(
      'timeupdate',
      mine(() => {
        const now = Date.now();
        if (active.paused || now - lastCheckpoint < CHECKPOINT_MS) return;
        lastCheckpoint = now;
        report({ type: 'checkpoint', trackId: trackId(), positionSec: active.currentTime, durationSec: status().duration });
      }),
    );
    element.addEventListener(
      'ended',
      mine(() => {
        const finished = trackId();
        const next = nextKey;
        const ended = () => onEvent({ type: 'ended', ...(finished && { trackId: finished }) });
        if (switching) return;
        // Nothing buffered (or only under a URL about to expire): the queue owner loads the next one.
        if (!usableHeld(next)) return ended();
        start(() => swap(next!)).then(
          (started) => started && onEvent({ type: 'advanced', trackId: trackId() ?? '', ...(finished && { previousTrackId: finished }) }),
          ended, // it could not start from its buffer; the queue owner loads it anew
        );
      }),
    );
    element.addEventListener('error', () => {
      const broken = [...pool].find(([, held]) => held.element === element);
      const message = 'This track could not be played.';
      if (broken)
        drop(broken[0]); // a broken buffer is simply not used
      else if (element === active && item && failStart) failStart(new Error(message));
      else if (element === active && item) report({ type: 'error', trackId: trackId(), positionSec: active.currentTime, message });
    });
    return element;
  }

  let active = take();

  return {
    load(request) {
      return startTrack(() => {
        const startAt = request.startAt ?? 0;
        if (request.volume !== undefined) volume = { volume: request.volume, muted: request.muted ?? false };
        const key = keyOf(request);
        // The track playing (or that just failed) is loaded anew: its URL may be what failed.
        if (key === playingKey()) drop(key);
        const held = pool.get(key);
        // A copy under a URL about to expire is still as good as a new load when it is the URL asked for.
        if (held && (usable(held) || held.url === request.url)) return swap(key, startAt, request.track);
        drop(key);
        active.pause();
        item = { url: request.url, ...(request.track && { track: request.track }) };
        active.src = request.url;
        Object.assign(active, volume);
        if (startAt > 0 || active.currentTime > 0) active.currentTime = startAt;
        lastCheckpoint = Date.now();
        const playing = active.play();
        onItem(item);
        return playing;
      });
    },

    async advance(trackId) {
      if (!usableHeld(trackId)) return null;
      return startTrack(() => swap(trackId));
    },

    async preload(request) {
      if (!request) {
        if (nextKey) drop(nextKey);
        nextKey = undefined;
        return status();
      }
      const key = keyOf(request);
      // The previous next track stays buffered (a "previous" may want it) until the pool needs room.
      nextKey = key;
      const stopped = stops;
      // Even when it is the one playing: repeat-one starts it again from a second buffer, gaplessly.
      await hold(key, request, true, () => nextKey === key && stops === stopped);
      return status();
    },

    async buffer(items) {
      const forgotten = forgets;
      for (const { trackId: key, ...it } of items) await hold(key, it, false, () => forgets === forgotten);
      return status();
    },

    async forget() {
      forgets++;
      for (const key of [...pool.keys()]) if (key !== nextKey) drop(key);
      return status();
    },

    async pause() {
      command(() => active.pause());
      return status();
    },

    async resume() {
      if (item) await active.play();
      return status();
    },

    async seek(positionSec) {
      if (item) active.currentTime = Math.max(0, positionSec);
      return status();
    },

    async setVolume(level, muted) {
      volume = { volume: Math.min(1, Math.max(0, level)), muted };
      for (const element of [active, ...[...pool.values()].map((held) => held.element)]) Object.assign(element, volume);
      return status();
    },

    async stop() {
      stops++;
      forgets++;
      command(() => {
        unload(active);
        for (const key of [...pool.keys()]) drop(key);
        nextKey = undefined;
        item = undefined;
      });
      onItem(undefined);
      return status();
    },

    async status() {
      return status();
    },
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
